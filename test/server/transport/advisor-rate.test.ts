/**
 * Issue 12, item 4: an advisor's burst. A console that answers what piled up during a stall sends many messages at
 * once across its chats. The server tells it to slow down (`LOTSE_ERR_RATE_LIMITED` with `retryAfterMs`) before
 * anything is closed, keeps the order of what it accepts, and a client that sends the rest again after the wait
 * gets every message delivered once, in order. A client that never listens is still closed (1008).
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { CloseCode, ErrorCode } from '../../../src/protocol/errors.js';
import type { ServerToAdvisor } from '../../../src/protocol/messages.js';
import { AdvisorRateGuard } from '../../../src/server/transport/advisor-rate.js';
import { ConfigError, defaults } from '../../../src/server/config/lotse-config.js';
import { loadConfig } from '../../../src/server/config/load.js';
import {
  ADVISOR_RATE_BURST,
  ADVISOR_RATE_GRACE_MS,
  ADVISOR_RATE_PER_SECOND,
  ADVISOR_RATE_STRIKES_BEFORE_CLOSE,
} from '../../../src/protocol/limits.js';
import { startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';
import type { VisitorClient } from '../cobrowse/cobrowse-helpers.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const CHATS = 5;
const ANSWERS = 100;

/** An advisor (raw client, after hello) holding `CHATS` chats, each with its visitor. */
async function advisorWithChats(h: Harness) {
  const advisor = await h.advisor('adv-a', 'Anna');
  advisor.send({ type: 'advisor.hello', chats: [] });
  const welcome = await advisor.next('advisor.welcome');
  const chats: { chatId: string; visitor: VisitorClient }[] = [];
  for (let i = 0; i < CHATS; i++) {
    const visitor = await h.visitor();
    visitor.send({ type: 'chat.start', nickname: `Kim ${i}`, termsVersion: defaults.terms.version, lang: 'de' });
    const { chatId } = await visitor.next('chat.started');
    advisor.send({ type: 'queue.accept', chatId });
    assert.equal((await advisor.next('chat.assigned')).chatId, chatId);
    await visitor.next('chat.event'); // joined
    chats.push({ chatId, visitor });
  }
  return { advisor, welcome, chats };
}

/** The advisor's message ids each visitor received, in the order received. */
function receivedIds(visitor: VisitorClient): string[] {
  return visitor.history.flatMap((message) =>
    message.type === 'chat.event' && message.event.kind === 'message' && message.event.from === 'advisor'
      ? [message.event.id]
      : [],
  );
}

test(
  `${ANSWERS} answers at once across ${CHATS} chats: told to slow down, never closed, all delivered once in order`,
  { timeout: 30_000 },
  async (t) => {
    const h = (harness = await startServer());
    const { advisor, welcome, chats } = await advisorWithChats(h);
    const perSecond = welcome.rate?.perSecond ?? 10;

    const answers = Array.from({ length: ANSWERS }, (_, i) => {
      const { chatId } = chats[i % CHATS]!;
      return { chatId, id: `answer-${String(i).padStart(4, '0')}`, text: `Antwort ${i}` };
    });
    const confirmed = new Set<string>();
    const errors: Extract<ServerToAdvisor, { type: 'error' }>[] = [];
    let closedWith: number | undefined;
    void advisor.closed.then(({ code }) => {
      closedWith = code;
    });

    // A client that listens: everything at once, then after each notice the unconfirmed rest again, after the wait
    // the server named and no faster than its rate.
    let run = 0;
    const runs: Promise<void>[] = [];
    const sendFrom = async (delayMs: number): Promise<void> => {
      const mine = ++run;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      for (const answer of answers) {
        if (mine !== run || advisor.ws.readyState !== advisor.ws.OPEN) return;
        if (confirmed.has(answer.id)) continue;
        advisor.send({ type: 'chat.message', ...answer });
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond));
      }
    };
    const started = performance.now();
    for (const answer of answers) advisor.send({ type: 'chat.message', ...answer });
    await new Promise<void>((resolve) => {
      const check = (): void => {
        for (const message of advisor.received.splice(0)) {
          if (message.type === 'chat.event' && message.event.kind === 'message') confirmed.add(message.event.id);
          if (message.type === 'error') {
            errors.push(message);
            runs.push(sendFrom(message.retryAfterMs ?? 1000));
          }
        }
        if (confirmed.size === ANSWERS || closedWith !== undefined) resolve();
        else setTimeout(check, 10);
      };
      check();
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    run += 1; // stops a resend still under way
    await Promise.all(runs);
    t.diagnostic(
      `closed with ${closedWith ?? 'nothing'}; ${confirmed.size}/${ANSWERS} confirmed; ${errors.length} slow-down notices (retryAfterMs ${errors.map((e) => e.retryAfterMs).join(', ')}); ${seconds} s`,
    );

    assert.equal(closedWith, undefined, 'the advisor is never closed');
    assert.ok(errors.length >= 1, 'the burst was told to slow down');
    for (const error of errors) {
      assert.equal(error.code, ErrorCode.RateLimited);
      assert.ok(error.retryAfterMs !== undefined && error.retryAfterMs > 0, 'the notice says how long to wait');
    }
    for (const { chatId, visitor } of chats) {
      await visitor.sync();
      const expected = answers.filter((answer) => answer.chatId === chatId).map((answer) => answer.id);
      assert.deepEqual(receivedIds(visitor), expected, 'every answer once, in order');
    }
    assert.equal(advisor.ws.readyState, advisor.ws.OPEN);
  },
);

test(
  'an advisor that does not listen is still closed with 1008, after it was told to slow down',
  { timeout: 30_000 },
  async () => {
    const h = (harness = await startServer());
    const advisor = await h.advisor('adv-a', 'Anna');
    const pace = setInterval(() => {
      if (advisor.ws.readyState !== advisor.ws.OPEN) return;
      for (let i = 0; i < 20; i++) advisor.send({ type: 'session.ping' });
    }, 10);
    try {
      assert.equal((await advisor.closed).code, CloseCode.Policy);
    } finally {
      clearInterval(pace);
    }
    const errors = advisor.history.filter((message) => message.type === 'error');
    assert.ok(errors.length >= 1, 'the notice came before the close');
    assert.ok(errors.every((error) => error.code === ErrorCode.RateLimited && error.retryAfterMs !== undefined));
    assert.ok(advisor.take('session.pong').length >= defaults.limits.advisorRate.burst, 'the budget was there');
  },
);

test('the advisor guard: hold after a drop, free grace, then strikes (injectable clock)', () => {
  let now = 0;
  const notices: number[] = [];
  const guard = new AdvisorRateGuard(
    { burst: 4, perSecond: 2, strikesBeforeClose: 3, graceSeconds: 1 },
    (ms) => notices.push(ms),
    () => now,
  );
  for (let i = 0; i < 4; i++) assert.equal(guard.admit('chat'), 'pass');
  assert.equal(guard.admit('chat'), 'dropped');
  assert.deepEqual(notices, [1000], 'wait until a second of refill (2 tokens) is back');
  now = 600; // a token is back, but the hold is not over: nothing overtakes the dropped message
  assert.equal(guard.admit('chat'), 'dropped');
  assert.equal(notices.length, 1, 'one notice per hold');
  now = 1000;
  assert.equal(guard.admit('chat'), 'pass');
  assert.equal(guard.admit('chat'), 'pass');
  assert.equal(guard.admit('signal'), 'pass', 'signals have their own bucket');
  // Still inside the grace of this spell (its first drop at 0 … 1000 ms): no strikes. After it, strikes close.
  now = 1001;
  const verdicts = Array.from({ length: 4 }, () => guard.admit('chat'));
  assert.deepEqual(verdicts, ['dropped', 'dropped', 'dropped', 'close']);
});

test('limits.advisorRate: defaults, environment, checked, and announced in advisor.welcome', async () => {
  const env = { LOTSE_ALLOWED_ORIGINS: 'https://www.example-kasse.de', LOTSE_ADVISOR_TOKEN_SECRET: 'x'.repeat(40) };
  assert.deepEqual(loadConfig({ env }).limits.advisorRate, {
    burst: ADVISOR_RATE_BURST,
    perSecond: ADVISOR_RATE_PER_SECOND,
    strikesBeforeClose: ADVISOR_RATE_STRIKES_BEFORE_CLOSE,
    graceSeconds: ADVISOR_RATE_GRACE_MS / 1000,
  });
  const set = {
    ...env,
    LOTSE_ADVISOR_RATE_BURST: '90',
    LOTSE_ADVISOR_RATE_PER_SECOND: '12.5',
    LOTSE_ADVISOR_RATE_STRIKES: '10',
    LOTSE_ADVISOR_RATE_GRACE_SECONDS: '0',
  };
  assert.deepEqual(loadConfig({ env: set }).limits.advisorRate, {
    burst: 90,
    perSecond: 12.5,
    strikesBeforeClose: 10,
    graceSeconds: 0,
  });
  assert.throws(
    () => loadConfig({ env: { ...env, LOTSE_ADVISOR_RATE_BURST: '0', LOTSE_ADVISOR_RATE_PER_SECOND: '-1' } }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(error.issues, [
        'limits.advisorRate.burst (env LOTSE_ADVISOR_RATE_BURST): must be at least 1',
        'limits.advisorRate.perSecond (env LOTSE_ADVISOR_RATE_PER_SECOND): must be greater than 0',
      ]);
      return true;
    },
  );

  const h = (harness = await startServer({
    limits: { advisorRate: { burst: 7, perSecond: 3, strikesBeforeClose: 5, graceSeconds: 1 } },
  }));
  const advisor = await h.advisor('adv-a', 'Anna');
  advisor.send({ type: 'advisor.hello', chats: [] });
  assert.deepEqual((await advisor.next('advisor.welcome')).rate, { burst: 7, perSecond: 3 });
});
