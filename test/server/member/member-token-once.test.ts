/**
 * Issue 12, item 6: a member token starts at most one chat (its `jti`, or its signature without one, is claimed in
 * the limit state until it expires). Resuming the chat it started with the same token, and repeating the same start
 * after a dropped socket, are no second chat. Real server, real `ws` clients, real ES256 tokens.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { MemoryLimitStore } from '../../../src/server/state/limit-store.js';
import type { LimitStore } from '../../../src/server/state/limit-store.js';
import { startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';
import { MEMBER_AUDIENCE, MEMBER_ISSUER, createMemberArea } from './member-keys.js';

const TERMS = defaults.terms.version;
const area = await createMemberArea();
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function memberServer(): Promise<Harness> {
  harness = await startServer({
    member: { tokens: { issuer: MEMBER_ISSUER, audience: MEMBER_AUDIENCE, publicKeys: [area.publicJwk] } },
  });
  return harness;
}

/** A `chat.start` with `token` on a fresh socket: `chat.started` or the error it got. */
async function start(h: Harness, token: string, startId?: string) {
  const visitor = await h.visitor();
  visitor.send({
    type: 'chat.start',
    memberToken: token,
    termsVersion: TERMS,
    lang: 'de',
    ...(startId ? { startId } : {}),
  });
  const answer = await Promise.race([visitor.next('chat.started'), visitor.next('error')]);
  return { visitor, answer };
}

test('one member token (no jti) starts one chat; the second start gets LOTSE_ERR_TOKEN_USED', async () => {
  const h = await memberServer();
  const token = await area.mint();
  const first = await start(h, token);
  const second = await start(h, token);
  const third = await start(h, token);
  const chats = [first, second, third].filter(({ answer }) => answer.type === 'chat.started').length;
  console.log(JSON.stringify({ figure: 'chats started with one member token', chats }));
  assert.equal(chats, 1);
  assert.equal(first.answer.type, 'chat.started');
  assert.deepEqual(second.answer, {
    v: 1,
    type: 'error',
    code: ErrorCode.TokenUsed,
    ref: 'chat.start',
    message: 'this member token has started a chat already; a new chat needs a fresh token',
  });
  assert.equal(await h.server.hub.queue.waitingCount(), 1);
  assert.ok(!h.logs.join('\n').includes(token), 'the token is in no log line');

  // A fresh token of the same member starts a new chat. Without a jti, "fresh" means other signed content: one
  // minted in the same second for the same member is the same token (only its signature differs). Another
  // lifetime makes other content whatever second this runs in (another iat could meet the first one's).
  assert.equal((await start(h, await area.mint({ lifetime: 200 }))).answer.type, 'chat.started');
});

test('the same jti is one token, even re-signed; another jti is another token', async () => {
  const h = await memberServer();
  assert.equal((await start(h, await area.mint({ jti: 'login-1' }))).answer.type, 'chat.started');
  const again = await start(h, await area.mint({ jti: 'login-1' }));
  assert.equal(again.answer.type === 'error' ? again.answer.code : again.answer.type, ErrorCode.TokenUsed);
  assert.equal((await start(h, await area.mint({ jti: 'login-2' }))).answer.type, 'chat.started');
  // The jti counts per member: another member's 'login-1' is another token.
  assert.equal((await start(h, await area.mint({ jti: 'login-1', sub: 'member-0815' }))).answer.type, 'chat.started');
});

test('the token may resume the chat it started, and the same start repeated after a drop is the same chat', async () => {
  const h = await memberServer();
  const token = await area.mint();
  const { visitor, answer } = await start(h, token, 'start-id-0001');
  assert.equal(answer.type, 'chat.started');
  if (answer.type !== 'chat.started') return;
  await visitor.close();

  const repeated = await start(h, token, 'start-id-0001');
  assert.equal(repeated.answer.type, 'chat.started');
  assert.equal(repeated.answer.type === 'chat.started' && repeated.answer.chatId, answer.chatId);
  await repeated.visitor.close();

  const back = await h.visitor();
  back.send({
    type: 'chat.resume',
    chatId: answer.chatId,
    resumeToken: answer.resumeToken,
    lastSeq: 0,
    memberToken: token,
  });
  await back.next('chat.resumed');
  assert.equal(await h.server.hub.queue.waitingCount(), 1);
});

/** The token with the spare low bits of its signature's last base64url character flipped: the same bytes decoded. */
function respelled(token: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const signature = token.slice(token.lastIndexOf('.') + 1);
  const spare = (signature.length * 6) % 8;
  assert.ok(spare > 0, 'the signature has spare bits');
  const last = alphabet.indexOf(signature.at(-1) ?? '');
  return token.slice(0, -1) + alphabet[last ^ ((1 << spare) - 1)];
}

test('a no-jti token whose signature is spelled differently (spare bits) is the same token: no second chat', async () => {
  const h = await memberServer();
  const token = await area.mint();
  const other = respelled(token);
  assert.notEqual(other, token);
  assert.equal((await start(h, token)).answer.type, 'chat.started');
  const second = await start(h, other);
  const answer = second.answer.type === 'error' ? second.answer.code : second.answer.type;
  console.log(JSON.stringify({ figure: 'start with the respelled signature after the first chat', answer }));
  // Refused as used, not as invalid: the respelled token verifies, it just is the same token.
  assert.equal(answer, ErrorCode.TokenUsed);
  assert.equal(await h.server.hub.queue.waitingCount(), 1);
});

test('a start refused after its token was claimed (the queue filled meanwhile) gives the token back: the retry starts', async () => {
  // The claim waits until the test lets it go, so that the queue can fill between the claim and the last checks.
  const inner = new MemoryLimitStore();
  let claimBegun!: () => void;
  const claiming = new Promise<void>((resolve) => (claimBegun = resolve));
  let letClaim!: () => void;
  const gate = new Promise<void>((resolve) => (letClaim = resolve));
  const limitStore = {
    increment: (key: string, by: number, ttlMs: number) => inner.increment(key, by, ttlMs),
    get: (key: string) => inner.get(key),
    release: (key: string) => inner.release(key),
    claim: async (key: string, ttlMs: number) => {
      claimBegun();
      await gate;
      return inner.claim(key, ttlMs);
    },
  } satisfies LimitStore;
  const h = await startServer(
    {
      member: { tokens: { issuer: MEMBER_ISSUER, audience: MEMBER_AUDIENCE, publicKeys: [area.publicJwk] } },
      limits: { maxWaitingChats: 1 },
    },
    { limitStore },
  );
  harness = h;
  const token = await area.mint();
  const member = await h.visitor();
  member.send({ type: 'chat.start', memberToken: token, termsVersion: TERMS, lang: 'de', startId: 'start-id-0002' });
  await claiming;
  const other = await h.visitor();
  other.send({ type: 'chat.start', nickname: 'Gast', termsVersion: TERMS, lang: 'de' });
  await other.next('chat.started');
  letClaim();
  assert.equal((await member.next('error')).code, ErrorCode.Busy);

  other.send({ type: 'chat.end' });
  await other.next('chat.event');
  const retry = await start(h, token, 'start-id-0002');
  const answer = retry.answer.type === 'error' ? retry.answer.code : retry.answer.type;
  console.log(JSON.stringify({ figure: 'retry with the token of a start refused after its claim', answer }));
  assert.equal(answer, 'chat.started');
});
