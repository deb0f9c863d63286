/**
 * Idle visitor sockets cannot lock advisors out (issue 12, item 2): advisors have a share of the connection budget
 * that visitors cannot take (`limits.advisorReservedConnections`), and a visitor socket that holds neither a chat
 * nor a co-browse session is closed with 4004 after `limits.visitorIdleSeconds`. Real server, real WebSockets.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { CloseCode, ErrorCode } from '../../../src/protocol/errors.js';
import { SUBPROTOCOL } from '../../../src/protocol/limits.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { COBROWSE_TERMS, joinedSession, liveSession, newCode, readyAdvisor } from '../cobrowse/cobrowse-helpers.js';
import { refusedStatus, startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';

const TERMS = defaults.terms.version;
const from = (address: string) => ({ headers: { 'X-Forwarded-For': address } });
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test(
  "with the visitors' share full of idle sockets, an advisor still signs in; the idle sockets are closed with 4004",
  { timeout: 30_000 },
  async () => {
    const h = (harness = await startServer({
      trustProxy: true,
      limits: { maxConnections: 30, advisorReservedConnections: 5, visitorIdleSeconds: 2 },
    }));
    // Idle sockets from 5 addresses, as many as the server takes: the visitors' share (30 − 5) ...
    const idle = [];
    for (let i = 0; i < 30; i++) {
      const address = `192.0.2.${(i % 5) + 1}`;
      try {
        idle.push(await h.visitor(from(address)));
      } catch {
        assert.equal(
          await refusedStatus(`${h.wsUrl}/ws/visitor`, [SUBPROTOCOL], undefined, { 'X-Forwarded-For': address }),
          503,
        );
        break;
      }
    }
    assert.equal(idle.length, 25);
    // ... and the advisors' share is still there.
    const advisor = await readyAdvisor(h);
    await advisor.sync();

    const codes = await Promise.all(idle.map(async (visitor) => (await visitor.closed).code));
    assert.deepEqual(new Set(codes), new Set([CloseCode.Idle]));
    assert.equal(advisor.ws.readyState, advisor.ws.OPEN, 'advisors are never closed as idle');
    // Their slots came back: visitors connect again.
    await (await h.visitor(from('198.51.100.9'))).sync();
    assert.ok(h.logs.some((line) => JSON.parse(line).reason === 'idle'));
  },
);

test(
  'a socket with a chat or a co-browse session is not idle; it becomes idle when that ends',
  { timeout: 30_000 },
  async () => {
    const h = (harness = await startServer({ limits: { visitorIdleSeconds: 1 } }));
    const advisor = await readyAdvisor(h);

    const waiting = await h.visitor();
    waiting.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
    await waiting.next('chat.started');
    const active = await h.visitor();
    active.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
    const { chatId } = await active.next('chat.started');
    advisor.send({ type: 'queue.accept', chatId });
    await advisor.next('chat.assigned');
    // Joined with the webcode, waiting for the visitor's consent; another one consented, waiting for the start code.
    const joined = await joinedSession(h, { advisor });
    const consenting = await joinedSession(h, { advisor });
    consenting.visitor.send({
      type: 'cobrowse.consent',
      sessionId: consenting.sessionId,
      termsVersion: COBROWSE_TERMS,
    });
    await consenting.visitor.next('cobrowse.startcode');
    const live = await liveSession(h, { advisor });

    // A socket opened after all of them, that holds nothing, is closed first: by then the others were idle as long.
    const sentinel = await h.visitor();
    assert.equal((await sentinel.closed).code, CloseCode.Idle);
    for (const visitor of [waiting, active, joined.visitor, consenting.visitor, live.visitor]) {
      await visitor.sync();
      assert.equal(visitor.ws.readyState, visitor.ws.OPEN);
    }

    // The chat ends, the session ends: those sockets are idle again, and closed in their turn.
    active.send({ type: 'chat.end' });
    joined.visitor.send({ type: 'cobrowse.end', sessionId: joined.sessionId });
    assert.equal((await active.closed).code, CloseCode.Idle);
    assert.equal((await joined.visitor.closed).code, CloseCode.Idle);
    await waiting.sync();
    assert.equal(waiting.ws.readyState, waiting.ws.OPEN);
  },
);

test(
  'a webcode check waiting for its slot keeps the socket from being closed as idle; the right code joins',
  { timeout: 30_000 },
  async () => {
    // Idle sockets close after 0.3 s; over the budget (1 a minute) a check waits 1 s for its slot.
    const h = (harness = await startServer({
      limits: { visitorIdleSeconds: 0.3 },
      cobrowse: { webcodeWrongBudgetPerMinute: 1, webcodeSlowdownMs: 1000, webcodeSlowQueue: 2 },
    }));
    const advisor = await readyAdvisor(h);
    const first = await h.visitor();
    first.send({ type: 'cobrowse.join', webcode: '000000' });
    assert.equal((await first.next('error')).code, ErrorCode.InvalidCode);
    await first.close();

    const code = await newCode(advisor);
    const visitor = await h.visitor();
    visitor.send({ type: 'cobrowse.join', webcode: code.webcode });
    const outcome = await Promise.race([
      visitor.next('cobrowse.pending').then(() => 'pending'),
      visitor.closed.then(({ code: closeCode }) => `closed ${closeCode}`),
    ]);
    console.log(
      JSON.stringify({ figure: 'a right webcode whose check waited 1 s, with a 0.3 s idle timeout', outcome }),
    );
    assert.equal(outcome, 'pending');
    // Its check over, a socket with nothing is idle again (here: it holds a session now, so it stays).
    assert.equal(h.server.hub.sockets.visitors.idle.size, 0);
  },
);
