/**
 * Callback requests on real parts, both drivers: the offer (windows from the opening hours, with German public
 * holidays), `POST /callback` (origin, body size, validation, per-client limit), the advisors' live list with an
 * atomic claim and done, the audit without the phone number, the webhook filing, and the retention purge.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { DEMO_TOPICS } from '../../../src/server/config/topics.js';
import { purgeCallbacks } from '../../../src/server/callback/callback-store.js';
import { sql } from '../../../src/server/store/sql.js';
import type { Db } from '../../../src/server/store/sql.js';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, verifySignature } from '../../../src/server/webhook/signature.js';
import { ORIGIN, startServer } from '../helpers.js';
import { until } from '../../helpers/until.js';
import type { Harness } from '../helpers.js';
import { describeDrivers } from '../store/store-helpers.js';
import { MEMBER_AUDIENCE, MEMBER_ISSUER, createMemberArea } from '../member/member-keys.js';
import { Receiver, WEBHOOK_SECRET, freshStore } from '../webhook/webhook-helpers.js';

/** Wednesday 23 December 2026, 20:30 Berlin (19:30Z): the next openings skip the 25th, 26th (holidays) and Sunday. */
const CLOCK = Date.parse('2026-12-23T19:30:00Z');
const HOURS = { ...defaults.hours, alwaysOpen: false };
const PHONE_DIGITS = '3012345678';
const DAY_MS = 24 * 3600_000;
const area = await createMemberArea();

interface Offer {
  slots: { from: string; to: string }[];
  consent: { version: string; text: string };
  timeZone: string;
  topics: { id: string; label: string }[];
}

async function post(h: Harness, body: unknown, origin: string | null = ORIGIN): Promise<Response> {
  return fetch(`${h.url}/callback`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', ...(origin === null ? {} : { Origin: origin }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function offer(h: Harness, lang = 'de'): Promise<Offer> {
  const response = await fetch(`${h.url}/callback?lang=${lang}`);
  assert.equal(response.status, 200);
  return (await response.json()) as Offer;
}

function request(slot: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    v: 1,
    phone: '(030) 123 456-78',
    window: slot,
    topic: 'leistungen',
    consent: defaults.callbacks.consent.version,
    lang: 'de',
    ...overrides,
  };
}

async function start(db: Db, overrides: Parameters<typeof startServer>[0] = {}): Promise<Harness> {
  return startServer(
    { hours: HOURS, chat: { topics: [...DEMO_TOPICS] }, ...overrides },
    { store: db, hoursClock: () => CLOCK },
  );
}

describeDrivers('callback requests', (ctx) => {
  test('offered only with a store; windows follow the hours and skip public holidays', async () => {
    const none = await startServer({ hours: HOURS }, { store: null, hoursClock: () => CLOCK });
    try {
      const availability = (await (await fetch(`${none.url}/availability`)).json()) as Record<string, unknown>;
      assert.equal(availability['open'], false);
      assert.equal(availability['callback'], undefined);
      assert.equal((await fetch(`${none.url}/callback`)).status, 404);
      assert.equal((await post(none, request('2026-12-24T07:00:00.000Z'))).status, 404);
    } finally {
      await none.close({ checkHandles: false });
    }
    const { db } = await freshStore(ctx);
    const h = await start(db);
    try {
      const availability = (await (await fetch(`${h.url}/availability`)).json()) as Record<string, unknown>;
      assert.equal(availability['callback'], true);
      const { slots, consent, timeZone } = await offer(h);
      assert.equal(timeZone, 'Europe/Berlin');
      assert.equal(consent.version, defaults.callbacks.consent.version);
      assert.match(consent.text, /Telefonnummer/);
      // Thursday the 24th is an ordinary weekday in Germany: 08:00–20:00 Berlin, hourly windows.
      assert.equal(slots[0]?.from, '2026-12-24T07:00:00.000Z');
      assert.equal(slots[0]?.to, '2026-12-24T08:00:00.000Z');
      assert.equal(slots.length, defaults.callbacks.slots);
      const days = new Set(slots.map((slot) => slot.from.slice(0, 10)));
      assert.deepEqual([...days], ['2026-12-24']);
      // With more windows, the 25th, 26th (holidays) and 27th (Sunday) are skipped.
    } finally {
      await h.close({ checkHandles: false });
      await db.close();
    }
  });

  test('more windows than a day holds cross holidays and the weekend', async () => {
    const { db } = await freshStore(ctx);
    const h = await start(db, { callbacks: { slots: 20 } });
    try {
      const { slots } = await offer(h);
      const days = [...new Set(slots.map((slot) => slot.from.slice(0, 10)))];
      assert.deepEqual(days, ['2026-12-24', '2026-12-28']);
    } finally {
      await h.close({ checkHandles: false });
      await db.close();
    }
  });

  test('POST checks origin, size, shape, phone, window and consent, and limits each client', async () => {
    const { db } = await freshStore(ctx);
    const h = await start(db, { callbacks: { perClientPerHour: 6 } });
    try {
      const { slots } = await offer(h);
      const slot = slots[1]?.from ?? '';
      assert.equal((await post(h, request(slot), 'https://evil.example')).status, 403);
      assert.equal((await post(h, request(slot), null)).status, 403);
      const big = await post(h, { ...request(slot), pad: 'x'.repeat(2000) });
      assert.equal(big.status, 413);
      const malformed = await post(h, '{"v":1,');
      assert.equal(malformed.status, 400);
      assert.equal(((await malformed.json()) as { error: string }).error, 'LOTSE_ERR_MALFORMED');
      const phone = await post(h, request(slot, { phone: '12345' }));
      assert.equal(phone.status, 422);
      assert.equal(((await phone.json()) as { error: string }).error, 'LOTSE_ERR_INVALID_PHONE');
      const window = await post(h, request('2026-12-24T07:30:00.000Z'));
      assert.equal(((await window.json()) as { error: string }).error, 'LOTSE_ERR_INVALID_WINDOW');
      const consent = await post(h, request(slot, { consent: 'old' }));
      assert.equal(consent.status, 409);
      const ok = await post(h, request(slot));
      assert.equal(ok.status, 201);
      assert.equal(ok.headers.get('access-control-allow-origin'), ORIGIN);
      const created = (await ok.json()) as { id: string; from: string };
      assert.equal(created.from, slot);
      const [row] = await db.query<{ phone: string; topic: string }>(
        sql`SELECT phone, topic FROM callback_requests WHERE id = ${created.id}`,
      );
      assert.deepEqual(row, { phone: `+49${PHONE_DIGITS}`, topic: 'leistungen' });
      // Six a client an hour, bad ones counted too (refused origins are not: they never reach the count).
      const over = await post(h, request(slot));
      assert.equal(over.status, 429);
      assert.equal(over.headers.get('retry-after'), '3600');
      for (const line of h.logs) assert.ok(!line.includes(PHONE_DIGITS.slice(2)), line);
    } finally {
      await h.close({ checkHandles: false });
      await db.close();
    }
  });

  test('the offer lists the configured topics in the language asked; a request names one of them or none', async () => {
    const { db } = await freshStore(ctx);
    const h = await start(db);
    try {
      const german = await offer(h);
      assert.deepEqual(german.topics, [
        { id: 'leistungen', label: 'Leistungen' },
        { id: 'beitraege', label: 'Beiträge' },
        { id: 'mitgliedschaft', label: 'Mitgliedschaft' },
      ]);
      assert.equal((await offer(h, 'en')).topics[1]?.label, 'Contributions');
      const slot = german.slots[0]?.from ?? '';
      const unknown = await post(h, request(slot, { topic: 'reisen' }));
      assert.equal(unknown.status, 400);
      assert.deepEqual(await unknown.json(), { error: 'LOTSE_ERR_INVALID_TOPIC' });
      const none = await post(h, request(slot, { topic: undefined }));
      assert.equal(none.status, 201);
      const known = await post(h, request(slot, { topic: 'beitraege' }));
      assert.equal(known.status, 201);
      const rows = await db.query<{ topic: string | null }>(sql`SELECT topic FROM callback_requests ORDER BY topic`);
      assert.deepEqual(
        rows.map((row) => row.topic),
        ['beitraege', null],
      );
    } finally {
      await h.close({ checkHandles: false });
      await db.close();
    }
  });

  test('without configured topics the offer has none, and any topic is refused', async () => {
    const { db } = await freshStore(ctx);
    const h = await start(db, { chat: { topics: [] } });
    try {
      const { slots, topics } = await offer(h);
      assert.deepEqual(topics, []);
      const refused = await post(h, request(slots[0]?.from ?? ''));
      assert.equal(refused.status, 400);
      assert.deepEqual(await refused.json(), { error: 'LOTSE_ERR_INVALID_TOPIC' });
    } finally {
      await h.close({ checkHandles: false });
      await db.close();
    }
  });

  test('advisors see requests live; one claims, marks done; audited and filed without a number in the audit', async () => {
    const { db } = await freshStore(ctx);
    const receiver = new Receiver();
    const arrived = new Promise<void>((resolve) => {
      receiver.answer = () => {
        resolve();
        return 204;
      };
    });
    await receiver.listen();
    const h = await start(db, {
      member: {
        tokens: { issuer: MEMBER_ISSUER, audience: MEMBER_AUDIENCE, publicKeys: [area.publicJwk] },
        webhook: { url: receiver.url, secret: WEBHOOK_SECRET },
      },
    });
    try {
      const anna = await h.advisor('adv-anna', 'Anna Beraterin');
      const ben = await h.advisor('adv-ben', 'Ben Berater');
      for (const advisor of [anna, ben]) {
        advisor.send({ type: 'advisor.hello', chats: [] });
        const first = await advisor.next('callback.list');
        assert.deepEqual(first.items, []);
      }
      const { slots } = await offer(h);
      const response = await post(h, request(slots[0]?.from ?? '', { phone: '+49 (0)30 1234 5678' }));
      const { id } = (await response.json()) as { id: string };
      const live = await ben.next('callback.list');
      assert.equal(live.items[0]?.id, id);
      assert.equal(live.items[0]?.phone, `+49${PHONE_DIGITS}`);
      assert.equal(live.items[0]?.topic, 'leistungen');
      await anna.next('callback.list');

      anna.send({ type: 'callback.claim', id });
      const claimed = await ben.next('callback.list');
      assert.deepEqual(claimed.items[0]?.claimedBy, { id: 'adv-anna', name: 'Anna Beraterin' });
      await anna.next('callback.list');
      ben.send({ type: 'callback.claim', id });
      const taken = await ben.next('error');
      assert.equal(taken.code, 'LOTSE_ERR_ALREADY_TAKEN');
      ben.send({ type: 'callback.done', id });
      assert.equal((await ben.next('error')).code, 'LOTSE_ERR_UNKNOWN_CALLBACK');

      anna.send({ type: 'callback.done', id });
      const done = await anna.next('callback.list');
      assert.deepEqual(done.items, []);
      await arrived;
      const [received] = receiver.requests;
      assert.ok(received);
      const body = JSON.parse(received.body) as Record<string, unknown>;
      assert.equal(body['kind'], 'callback');
      assert.equal(body['callbackId'], id);
      assert.equal(body['phone'], `+49${PHONE_DIGITS}`);
      assert.equal(received.headers[IDEMPOTENCY_HEADER.toLowerCase()], body['id']);
      const header = received.headers[SIGNATURE_HEADER.toLowerCase()];
      assert.ok(verifySignature({ secret: WEBHOOK_SECRET, body: Buffer.from(received.body), header, now: Date.now() }));
      // Filed once: the row says delivered.
      await until(async () => {
        const [delivery] = await db.query<{ status: string }>(
          sql`SELECT status FROM callback_deliveries WHERE callback_id = ${id}`,
        );
        return delivery?.status === 'delivered';
      }, 'the delivery recorded as delivered');
      assert.equal(receiver.requests.length, 1);
      await h.server.audit.flush();

      const audit = await db.query<{ kind: string; actor: string; detail: unknown; ip_hash: string | null }>(
        sql`SELECT kind, actor, detail, ip_hash FROM audit_events WHERE kind LIKE 'callback.%' ORDER BY id`,
      );
      assert.deepEqual(
        audit.map((row) => [row.kind, row.actor]),
        [
          ['callback.requested', 'visitor'],
          ['callback.claimed', 'adv-anna'],
          ['callback.done', 'adv-anna'],
        ],
      );
      const dump = JSON.stringify(await db.query(sql`SELECT * FROM audit_events`));
      assert.ok(!dump.includes(PHONE_DIGITS.slice(2)), 'no phone number in the audit');
      assert.ok(dump.includes(id));
    } finally {
      await h.close({ checkHandles: false });
      await receiver.close();
      await db.close();
    }
  });

  test('the purge deletes done requests after retentionDays and undone ones after undoneDays past the window', async () => {
    const { db } = await freshStore(ctx);
    const h = await start(db, { callbacks: { perClientPerHour: 10 } });
    try {
      const { slots } = await offer(h);
      const ids: string[] = [];
      for (const slot of slots.slice(0, 2)) {
        const response = await post(h, request(slot.from));
        ids.push(((await response.json()) as { id: string }).id);
      }
      const advisor = await h.advisor('adv-anna', 'Anna Beraterin');
      advisor.send({ type: 'advisor.hello', chats: [] });
      await advisor.next('callback.list');
      advisor.send({ type: 'callback.claim', id: ids[0] ?? '' });
      await advisor.next('callback.list');
      advisor.send({ type: 'callback.done', id: ids[0] ?? '' });
      await advisor.next('callback.list');
      const count = async (): Promise<number> =>
        Number((await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM callback_requests`))[0]?.n);
      const doneAt = Date.now();
      assert.equal(await purgeCallbacks(db, doneAt + 13 * DAY_MS), 0);
      assert.equal(await purgeCallbacks(db, doneAt + 14 * DAY_MS + 60_000), 1);
      assert.equal(await count(), 1);
      const windowEnd = Date.parse(slots[1]?.to ?? '');
      assert.equal(await purgeCallbacks(db, windowEnd + 30 * DAY_MS - 60_000), 0);
      assert.equal(await purgeCallbacks(db, windowEnd + 30 * DAY_MS), 1);
      assert.equal(await count(), 0);
    } finally {
      await h.close({ checkHandles: false });
      await db.close();
    }
  });
});
