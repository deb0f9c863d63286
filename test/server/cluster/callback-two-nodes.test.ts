/**
 * Callback requests on two nodes sharing one Redis and one store: a request taken by one node reaches the advisors
 * of the other live (node bus), the per-client limit counts across nodes (limit store in Redis), and of two advisors
 * on different nodes claiming at once exactly one wins.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { storageDefaults } from '../../../src/server/config/store.js';
import { openStore } from '../../../src/server/store/index.js';
import type { Db } from '../../../src/server/store/sql.js';
import { embeddedTemplate } from '../../helpers/postgres.js';
import { ORIGIN } from '../helpers.js';
import type { Harness } from '../helpers.js';
import { useNodes } from './nodes.js';

const CLOCK = Date.parse('2026-12-23T19:30:00Z');
const nodes = useNodes();
let db: Db;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lotse-callback-nodes-'));
  const dataDir = join(dir, 'data');
  cpSync(await embeddedTemplate(), dataDir, { recursive: true });
  db = await openStore({ ...storageDefaults, driver: 'embedded', dataDir });
});

after(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(node: Harness, window: string): Promise<Response> {
  return fetch(`${node.url}/callback`, {
    method: 'POST',
    headers: { Origin: ORIGIN, 'Content-Type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify({
      v: 1,
      phone: '0151 23456789',
      window,
      consent: defaults.callbacks.consent.version,
      lang: 'de',
    }),
  });
}

test('live across nodes, one limit for the service, one claim wins', async () => {
  const overrides = { hours: { ...defaults.hours, alwaysOpen: false }, callbacks: { perClientPerHour: 2 } };
  const options = { store: db, hoursClock: () => CLOCK };
  const a = await nodes.node(overrides, options);
  const b = await nodes.node(overrides, options);
  const onA = await a.advisor('adv-anna', 'Anna Beraterin');
  const onB = await b.advisor('adv-ben', 'Ben Berater');
  for (const advisor of [onA, onB]) {
    advisor.send({ type: 'advisor.hello', chats: [] });
    await advisor.next('callback.list');
  }
  const { slots } = (await (await fetch(`${a.url}/callback`)).json()) as { slots: { from: string }[] };
  const window = slots[0]?.from ?? '';

  const first = await post(a, window);
  assert.equal(first.status, 201);
  const { id } = (await first.json()) as { id: string };
  const heard = await onB.next('callback.list');
  assert.equal(heard.items[0]?.id, id, 'the advisor on the other node hears it');
  await onA.next('callback.list');

  assert.equal((await post(b, window)).status, 201);
  assert.equal((await post(a, window)).status, 429, 'the third of the hour is refused, whichever node counts');
  await onA.next('callback.list');
  await onB.next('callback.list');

  onA.send({ type: 'callback.claim', id });
  onB.send({ type: 'callback.claim', id });
  // Both answers are in once each socket's round trip is: a refusal for the loser, nothing for the winner.
  await Promise.all([onA.sync(), onB.sync()]);
  const refusals = [onA, onB].map((advisor) => advisor.take('error').map((error) => error.code));
  const losers = refusals.filter((codes) => codes.includes('LOTSE_ERR_ALREADY_TAKEN')).length;
  assert.equal(losers, 1, JSON.stringify(refusals));
  const winner = refusals[0]?.length === 0 ? 'adv-anna' : 'adv-ben';
  const [row] = await db.query<{ claimed_by: string }>({
    text: 'SELECT claimed_by FROM callback_requests WHERE id = $1',
    values: [id],
  });
  assert.equal(row?.claimed_by, winner);
  // Closed here: the store they share stays open until the file's end, so the nodes' own check would find it.
  for (const node of [a, b]) {
    nodes.forget(node);
    await node.close({ checkHandles: false });
  }
});
