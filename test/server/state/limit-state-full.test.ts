/**
 * Issue 12, items 3, 6, 7 (review): one IPv6 /48 must not be able to fill the shared limit state. Failed-login
 * windows live in a store of their own; attempts the server-wide webcode guard refuses at once create no entry; and a
 * full store gets an honest "busy" (member starts: `LOTSE_ERR_BUSY`, not `LOTSE_ERR_TOKEN_USED`; webcodes: the busy
 * refusal, not "too many wrong codes"). Real server, real `ws` clients, addresses from a trusted proxy.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import WebSocket from 'ws';
import { SignJWT } from 'jose';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { AUTH_SUBPROTOCOL_PREFIX, SUBPROTOCOL } from '../../../src/protocol/limits.js';
import { listEntries } from '../../../src/server/audit/records.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { MemoryLimitStore } from '../../../src/server/state/limit-store.js';
import { ORIGIN, refusedStatus, startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';
import { MEMBER_AUDIENCE, MEMBER_ISSUER, createMemberArea } from '../member/member-keys.js';
import { describeDrivers } from '../store/store-helpers.js';

const TERMS = defaults.terms.version;
const area = await createMemberArea();
const member = { tokens: { issuer: MEMBER_ISSUER, audience: MEMBER_AUDIENCE, publicKeys: [area.publicJwk] } };
const from = (address: string) => ({ headers: { 'X-Forwarded-For': address } });
/** The n-th /64 of one /48. */
const in48 = (n: number): string => `2001:db8:48:${n.toString(16)}::1`;

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function memberStart(h: Harness, token: string) {
  const visitor = await h.visitor();
  visitor.send({ type: 'chat.start', memberToken: token, termsVersion: TERMS, lang: 'de' });
  return Promise.race([visitor.next('chat.started'), visitor.next('error')]);
}

function forged(): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ name: 'Anna Schmidt' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('a.schmidt')
    .setIssuer('lotse')
    .setAudience('lotse-advisor')
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(new TextEncoder().encode('not-the-server-secret-not-the-server-secret'));
}

describeDrivers('failed logins from many /64s', (ctx) => {
  test('do not crowd the security state out: a member chat still starts', async () => {
    const limitStore = new MemoryLimitStore({ maxEntries: 20 });
    const h = await startServer(
      { storage: await ctx.storage(), trustProxy: true, member },
      { store: undefined, limitStore },
    );
    harness = h;
    const db = h.server.audit.db;
    assert.ok(db !== null);
    const clients = 30;
    const statuses = await Promise.all(
      Array.from({ length: clients }, async (_, n) =>
        refusedStatus(
          `${h.wsUrl}/ws/advisor`,
          [SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${await forged()}`],
          ORIGIN,
          from(in48(n)).headers,
        ),
      ),
    );
    assert.ok(statuses.every((status) => status === 401));
    // Each client's first failure is written at once (as long as its window could be counted): wait for them.
    for (let rows = 0; rows < 20;) {
      rows = (await listEntries(db, {}, 0, 1000)).filter((row) => row.kind === 'advisor.login_failed').length;
      if (rows < 20) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const answer = await memberStart(h, await area.mint());
    console.log(
      JSON.stringify({
        figure: 'member start after 30 failed logins from one /48 (limit state of 20)',
        answer: answer.type === 'error' ? answer.code : answer.type,
        securityEntries: limitStore.size,
      }),
    );
    assert.equal(answer.type, 'chat.started');
  });
});

/** One wrong webcode from `address` on a bare socket; resolves with the answer's code, or never (a waiting check). */
function guess(h: Harness, address: string, sockets: WebSocket[]): Promise<string> {
  const ws = new WebSocket(`${h.wsUrl}/ws/visitor`, [SUBPROTOCOL], { origin: ORIGIN, ...from(address) });
  sockets.push(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => ws.send(JSON.stringify({ v: 1, type: 'cobrowse.join', webcode: '000001' })));
    ws.once('message', (data) => resolve(String((JSON.parse(data.toString()) as { code?: string }).code)));
    ws.once('error', reject);
  });
}

test('webcode guesses from 60 /64s over the budget add at most budget + slow queue entries to the limit state', async () => {
  const limitStore = new MemoryLimitStore();
  const budget = 3;
  const slowQueue = 1;
  const h = await startServer(
    {
      trustProxy: true,
      cobrowse: { webcodeWrongBudgetPerMinute: budget, webcodeSlowdownMs: 60_000, webcodeSlowQueue: slowQueue },
    },
    { limitStore },
  );
  harness = h;
  const sockets: WebSocket[] = [];
  try {
    for (let n = 0; n < budget; n++) assert.equal(await guess(h, in48(n), sockets), ErrorCode.InvalidCode);
    // Over the budget: one check waits for its slot (a minute away), the others are refused at once.
    const attackers = 60;
    let answered = 0;
    await new Promise<void>((resolve, reject) => {
      for (let n = 0; n < attackers; n++) {
        guess(h, in48(budget + n), sockets).then((code) => {
          assert.equal(code, ErrorCode.RateLimited);
          if (++answered === attackers - slowQueue) resolve();
        }, reject);
      }
    });
    console.log(
      JSON.stringify({
        figure: 'limit state entries after 63 webcode guesses from 63 /64s (budget 3)',
        entries: limitStore.size,
      }),
    );
    // The server-wide count, the three guesses within the budget, the one waiting (counted once its slot comes).
    assert.ok(limitStore.size <= 1 + budget + slowQueue, `${limitStore.size} entries`);
  } finally {
    for (const ws of sockets) ws.terminate();
  }
});

test('a full limit state: a member start is told the server is busy (not TOKEN_USED), a webcode check busy (not locked)', async () => {
  const limitStore = new MemoryLimitStore({ maxEntries: 5 });
  const h = await startServer({ member }, { limitStore });
  harness = h;
  for (let i = 0; i < 5; i++) await limitStore.increment(`filler:${i}`, 1, 600_000);

  const token = await area.mint();
  const answer = await memberStart(h, token);
  assert.deepEqual(answer, {
    v: 1,
    type: 'error',
    code: ErrorCode.Busy,
    ref: 'chat.start',
    message: 'the server is busy; please try again shortly',
  });

  const visitor = await h.visitor();
  visitor.send({ type: 'cobrowse.join', webcode: '000000' });
  const refused = await visitor.next('error');
  assert.equal(refused.code, ErrorCode.RateLimited);
  assert.ok(!refused.message.includes('wrong codes'), refused.message);

  const full = h.logs
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line['event'] === 'limits.store_full');
  assert.ok(full.length >= 2 && full.every((line) => line['level'] === 'warn'));

  // Room again: the token was not used up by the refusal.
  limitStore.clear();
  assert.equal((await memberStart(h, token)).type, 'chat.started');
});
