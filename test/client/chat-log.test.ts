import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChatLog } from '../../src/client/chat-log.js';
import type { ChatEvent } from '../../src/protocol/messages.js';
import { MAX_OUTBOX } from '../../src/protocol/limits.js';

const message = (id: string, text: string, from: 'visitor' | 'advisor' = 'visitor'): ChatEvent => ({
  kind: 'message',
  id,
  from,
  text,
  at: 1_700_000_000_000,
});

describe('ChatLog', () => {
  it('applies events once and in order, and reports a gap instead of skipping it', () => {
    const log = new ChatLog();
    assert.equal(log.apply({ seq: 1, event: message('aaaaaaaa1', 'eins') }), 'applied');
    assert.equal(log.apply({ seq: 1, event: message('aaaaaaaa1', 'eins') }), 'duplicate');
    assert.equal(log.apply({ seq: 3, event: message('aaaaaaaa3', 'drei') }), 'gap');
    assert.equal(log.lastSeq, 1);
    assert.equal(
      log.applyAll([
        { seq: 1, event: message('aaaaaaaa1', 'eins') },
        { seq: 2, event: message('aaaaaaaa2', 'zwei') },
        { seq: 3, event: message('aaaaaaaa3', 'drei') },
      ]),
      'applied',
    );
    assert.deepEqual(
      log.events.map((e) => e.seq),
      [1, 2, 3],
    );
  });

  it('keeps a message in the outbox until its own echo arrives', () => {
    const log = new ChatLog();
    const first = log.enqueue('Hallo');
    const second = log.enqueue('Noch da?');
    assert.notEqual(first.id, second.id);
    assert.deepEqual(
      log.pending.map((p) => p.text),
      ['Hallo', 'Noch da?'],
    );
    log.apply({ seq: 1, event: message(first.id, 'Hallo') });
    assert.deepEqual(
      log.pending.map((p) => p.id),
      [second.id],
    );
    // A duplicate echo changes nothing.
    log.apply({ seq: 1, event: message(first.id, 'Hallo') });
    assert.equal(log.events.length, 1);
  });

  it('refuses more than MAX_OUTBOX unsent messages', () => {
    const log = new ChatLog();
    for (let i = 0; i < MAX_OUTBOX; i += 1) log.enqueue(`m${i}`);
    assert.throws(() => log.enqueue('one too many'), /LOTSE_ERR_OUTBOX_FULL/);
  });

  it('knows when the chat ended and writes a transcript in log order', () => {
    const log = new ChatLog();
    log.apply({ seq: 1, event: message('aaaaaaaa1', 'Frage') });
    log.apply({ seq: 2, event: { kind: 'joined', advisor: 'Anna', at: 1 } });
    log.apply({ seq: 3, event: message('aaaaaaaa3', 'Antwort', 'advisor') });
    assert.equal(log.ended, false);
    log.apply({ seq: 4, event: { kind: 'ended', by: 'visitor', at: 2 } });
    assert.equal(log.ended, true);
    const text = log.transcript((e) => (e.kind === 'message' ? `${e.from}: ${e.text}` : undefined));
    assert.equal(text, 'visitor: Frage\nadvisor: Antwort');
  });
});
