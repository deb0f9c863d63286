/**
 * The visitor's client in a member chat, alone, on a fake WebSocket that the test answers as the server would:
 * a member token on every start and resume (asked for anew each time), none before, none on a socket that died
 * while the token was fetched; an expired token keeps the chat and its outbox; a refused one ends it. And the
 * anonymous chat's frames stay what they were.
 */
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { VisitorChat } from '../../src/client/visitor-chat.js';
import type { MemberTokenSource } from '../../src/client/visitor-chat.js';
import type { WebSocketLike } from '../../src/client/connection.js';

class FakeSocket extends EventTarget {
  static made: FakeSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  raw: string[] = [];
  constructor(readonly url: string) {
    super();
    FakeSocket.made.push(this);
  }
  send(frame: string) {
    this.raw.push(frame);
    this.sent.push(JSON.parse(frame) as Record<string, unknown>);
  }
  close(code = 1000) {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    this.dispatchEvent(Object.assign(new Event('close'), { code }));
  }
  open() {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
  }
  receive(message: Record<string, unknown>) {
    this.dispatchEvent(Object.assign(new Event('message'), { data: JSON.stringify({ v: 1, ...message }) }));
  }
  drop() {
    this.readyState = 3;
    this.dispatchEvent(Object.assign(new Event('close'), { code: 1006 }));
  }
  of(type: string) {
    return this.sent.filter((frame) => frame['type'] === type);
  }
}

const last = () => FakeSocket.made.at(-1)!;
/** Lets promises (an async token source) settle; the timers are mocked, `setImmediate` is not. */
const settle = () => new Promise((resolve) => setImmediate(resolve));
const T1 = 'aaa.bbb.ccc';
const T2 = 'ddd.eee.fff';
const T3 = 'ggg.hhh.iii';
const RESUME = 'r'.repeat(32);

function chat(memberToken?: MemberTokenSource) {
  return new VisitorChat({
    url: 'ws://lotse.test/ws/visitor',
    WebSocket: FakeSocket as unknown as WebSocketLike,
    random: () => 0,
    events: { window: new EventTarget() },
    ...(memberToken === undefined ? {} : { memberToken }),
  });
}

/** A started member chat on an open socket; the server has answered `chat.started`. */
function started(source: MemberTokenSource) {
  const c = chat(source);
  c.start(undefined, 'terms-1', 'de');
  last().open();
  last().receive({ type: 'chat.started', chatId: 'chat-0001', resumeToken: RESUME });
  return c;
}

describe('VisitorChat in a member chat', () => {
  beforeEach(() => {
    FakeSocket.made = [];
    mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  });
  afterEach(() => mock.timers.reset());

  it('starts without a nickname, with the token asked for only once the socket is open', () => {
    let asked = 0;
    const c = chat(() => {
      asked += 1;
      return T1;
    });
    assert.equal(c.member, true);
    c.start('ignored-nick', 'terms-1', 'de');
    assert.equal(asked, 0, 'no token asked for before the socket is open');
    last().open();
    assert.equal(asked, 1);
    const [start] = last().of('chat.start');
    assert.equal(start?.['memberToken'], T1);
    assert.equal('nickname' in (start ?? {}), false, 'a typed nickname is never sent in a member chat');
    assert.deepEqual(Object.keys(start ?? {}), ['v', 'type', 'startId', 'termsVersion', 'lang', 'memberToken']);
    c.close();
  });

  it('asks again for every resume, and sends the outbox in order only after the server answered', async () => {
    const tokens = [T1, T2];
    const c = chat(async () => tokens.shift());
    c.start(undefined, 'terms-1', 'de');
    last().open();
    c.send('one');
    await settle();
    assert.deepEqual(
      last().sent.map((f) => [f['type'], f['memberToken']]),
      [['chat.start', T1]],
    );
    assert.deepEqual(
      last()
        .of('chat.message')
        .map((m) => m['text']),
      [],
    );
    // The start went out after the async token; until `chat.started` nothing else did.
    last().receive({ type: 'chat.started', chatId: 'chat-0001', resumeToken: RESUME });
    assert.deepEqual(
      last()
        .of('chat.message')
        .map((m) => m['text']),
      ['one'],
    );
    const id = last().of('chat.message')[0]?.['id'];
    last().receive({ type: 'chat.event', seq: 1, event: { kind: 'message', id, from: 'visitor', text: 'one', at: 1 } });

    last().drop();
    c.send('two (offline)');
    mock.timers.tick(0);
    last().open();
    c.send('three (after reconnect, before the token came)');
    assert.deepEqual(last().sent, [], 'nothing before the resume with its token');
    await settle();
    const [resume] = last().of('chat.resume');
    assert.equal(resume?.['memberToken'], T2, 'a fresh token for the resume');
    assert.deepEqual(
      last().sent.map((f) => f['type']),
      ['chat.resume'],
    );
    last().receive({ type: 'chat.resumed', chatId: 'chat-0001', events: [] });
    assert.deepEqual(
      last()
        .of('chat.message')
        .map((m) => m['text']),
      ['two (offline)', 'three (after reconnect, before the token came)'],
    );
    c.close();
  });

  it('drops a token that came after its socket died, and sends the start once on the next socket', async () => {
    let release: ((token: string) => void) | undefined;
    const c = chat(() => new Promise<string>((resolve) => (release = resolve)));
    c.start(undefined, 'terms-1', 'de');
    const first = last();
    first.open();
    const late = release!;
    first.drop();
    mock.timers.tick(0);
    const second = last();
    assert.notEqual(second, first);
    second.open();
    late(T1); // the answer to the ask of the dead socket comes while the new one waits for its own
    await settle();
    assert.deepEqual(first.sent, [], 'nothing on the dead socket');
    assert.deepEqual(second.sent, [], 'nor, late, on the new one');
    release!(T2);
    await settle();
    assert.deepEqual(
      second.of('chat.start').map((s) => s['memberToken']),
      [T2],
    );
    assert.equal(first.of('chat.start').length + second.of('chat.start').length, 1);
    c.close();
  });

  it('keeps the chat and the outbox when the token expired, waits for a new one, then resumes', async () => {
    let token = T1;
    const c = started(() => token);
    last().drop();
    c.send('written while away');
    mock.timers.tick(0);
    last().open();
    assert.equal(last().of('chat.resume').length, 1);
    last().receive({ type: 'error', code: 'LOTSE_ERR_TOKEN_EXPIRED', message: 'expired', ref: 'chat.resume' });
    // Asked once more by itself; the source has nothing newer: wait.
    assert.equal(last().of('chat.resume').length, 1, 'the expired token is not sent again');
    assert.equal(c.tokenNeeded, true);
    assert.equal(c.problem?.code, 'LOTSE_ERR_TOKEN_EXPIRED');
    assert.equal(c.lost, false);
    assert.equal(c.phase, 'waiting');
    assert.deepEqual(
      c.log.pending.map((m) => m.text),
      ['written while away'],
    );
    assert.equal(last().readyState, 1, 'the socket stays open');

    c.renewToken(); // the same token still: sent once more on request, then no further by itself
    assert.equal(last().of('chat.resume').length, 2);
    last().receive({ type: 'error', code: 'LOTSE_ERR_TOKEN_EXPIRED', message: 'expired' });
    assert.equal(last().of('chat.resume').length, 2);
    assert.equal(c.tokenNeeded, true);

    token = T2;
    c.renewToken();
    const resumes = last().of('chat.resume');
    assert.equal(resumes.length, 3);
    assert.equal(resumes.at(-1)?.['memberToken'], T2);
    assert.equal(c.tokenNeeded, false);
    last().receive({ type: 'chat.resumed', chatId: 'chat-0001', events: [] });
    assert.deepEqual(
      last()
        .of('chat.message')
        .map((m) => m['text']),
      ['written while away'],
    );
    assert.equal(c.problem, undefined);
    c.close();
  });

  it('tries a fresher token from the source by itself, once per expiry', async () => {
    const tokens = [T1, T2, T3];
    const c = chat(async () => tokens.shift());
    const changes: boolean[] = [];
    c.subscribe(() => changes.push(c.tokenNeeded));
    c.start(undefined, 'terms-1', 'de');
    last().open();
    await settle();
    last().receive({ type: 'error', code: 'LOTSE_ERR_TOKEN_EXPIRED', message: 'expired', ref: 'chat.start' });
    await settle();
    const starts = last().of('chat.start');
    assert.deepEqual(
      starts.map((s) => s['memberToken']),
      [T1, T2],
    );
    assert.equal(starts[0]?.['startId'], starts[1]?.['startId'], 'the same start again');
    assert.equal(changes.includes(true), false, 'no "token needed" while the source had a fresh one');
    last().receive({ type: 'error', code: 'LOTSE_ERR_TOKEN_EXPIRED', message: 'expired', ref: 'chat.start' });
    await settle();
    assert.equal(last().of('chat.start').length, 2, 'no loop: the second expiry waits for renewToken()');
    assert.equal(c.tokenNeeded, true);
    c.renewToken();
    await settle();
    assert.deepEqual(
      last()
        .of('chat.start')
        .map((s) => s['memberToken']),
      [T1, T2, T3],
    );
    c.close();
  });

  it('needs a token when the source has none, throws or fails', async () => {
    for (const source of [
      () => undefined,
      () => {
        throw new Error('no');
      },
      () => Promise.reject(new Error('offline')),
    ]) {
      const c = chat(source as MemberTokenSource);
      c.start(undefined, 'terms-1', 'de');
      last().open();
      await settle();
      assert.deepEqual(last().sent, []);
      assert.equal(c.tokenNeeded, true);
      assert.equal(c.problem?.code, 'LOTSE_ERR_TOKEN_EXPIRED');
      c.close();
    }
  });

  it('ends the chat for this page on a refused token, and sends nothing more', () => {
    const c = started(() => T1);
    c.send('kept?');
    last().drop();
    mock.timers.tick(0);
    const socket = last();
    socket.open();
    socket.receive({ type: 'error', code: 'LOTSE_ERR_TOKEN_INVALID', message: 'invalid' });
    assert.equal(c.lost, true);
    assert.equal(c.phase, 'ended');
    assert.equal(c.problem?.code, 'LOTSE_ERR_TOKEN_INVALID');
    assert.equal(c.connection, 'closed');
    const made = FakeSocket.made.length;
    mock.timers.tick(60_000);
    c.renewToken();
    assert.equal(FakeSocket.made.length, made, 'no reconnect');
    assert.deepEqual(
      socket.sent.map((f) => f['type']),
      ['chat.resume'],
    );
    c.close();
  });
});

describe('VisitorChat, anonymous: frames unchanged', () => {
  beforeEach(() => {
    FakeSocket.made = [];
    mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  });
  afterEach(() => mock.timers.reset());

  it('sends the same start and resume as before, with no member token', () => {
    const c = chat();
    assert.equal(c.member, false);
    assert.throws(() => c.start(undefined, 'terms-1', 'de'), /nickname/);
    c.start('Kim', 'terms-1', 'de');
    last().open();
    const startId = String(last().sent[0]?.['startId']);
    // The same fields and values as before member chats, and nothing more (their order is not part of the protocol).
    assert.deepEqual(
      last().raw.map((frame) => JSON.parse(frame) as unknown),
      [{ v: 1, type: 'chat.start', startId, nickname: 'Kim', termsVersion: 'terms-1', lang: 'de' }],
    );
    last().receive({ type: 'chat.started', chatId: 'chat-0001', resumeToken: RESUME });
    last().drop();
    mock.timers.tick(0);
    last().open();
    assert.deepEqual(last().raw, [
      JSON.stringify({ v: 1, type: 'chat.resume', chatId: 'chat-0001', resumeToken: RESUME, lastSeq: 0 }),
    ]);
    c.renewToken(); // nothing to renew
    assert.equal(last().raw.length, 1);
    c.close();
  });
});
