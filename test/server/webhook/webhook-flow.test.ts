/**
 * The whole path on real parts (both drivers): a member chat over real sockets with a verified token, ended by the
 * member, is filed at once (the hub kicks the deliverer; no waiting for the poll) to a real receiver, signed, with
 * the messages as they were sent and the identity from the token.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaults } from '../../../src/server/config/lotse-config.js';
import { POLL_INTERVAL_MS } from '../../../src/server/webhook/webhook.js';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, verifySignature } from '../../../src/server/webhook/signature.js';
import type { Transcript } from '../../../src/server/webhook/deliveries.js';
import { assertNoHandles, startServer } from '../helpers.js';
import { MEMBER_AUDIENCE, MEMBER_ISSUER, createMemberArea } from '../member/member-keys.js';
import { describeDrivers } from '../store/store-helpers.js';
import { Receiver, WEBHOOK_SECRET, deliveryRow, freshStore } from './webhook-helpers.js';
import type { ReceivedRequest } from './webhook-helpers.js';

const area = await createMemberArea();

describeDrivers('member chat filed by webhook', (ctx) => {
  test('a member chat ended by the member arrives at the receiver at once, signed and complete', async () => {
    const { db } = await freshStore(ctx);
    const receiver = new Receiver();
    const arrived = new Promise<ReceivedRequest>((resolve) => {
      receiver.answer = (request) => {
        resolve(request);
        return 204;
      };
    });
    await receiver.listen();
    const h = await startServer(
      {
        member: {
          tokens: { issuer: MEMBER_ISSUER, audience: MEMBER_AUDIENCE, publicKeys: [area.publicJwk] },
          webhook: { url: receiver.url, secret: WEBHOOK_SECRET },
        },
      },
      { store: db },
    );
    try {
      const advisor = await h.advisor('adv-m', 'Maria Beraterin');
      advisor.send({ type: 'advisor.hello', chats: [] });
      await advisor.next('advisor.welcome');
      const visitor = await h.visitor();
      visitor.send({
        type: 'chat.start',
        memberToken: await area.mint(),
        termsVersion: defaults.terms.version,
        lang: 'de',
      });
      const { chatId } = await visitor.next('chat.started');
      advisor.send({ type: 'queue.accept', chatId });
      await advisor.next('chat.assigned');
      visitor.send({ type: 'chat.message', id: 'msg-member-1', text: 'Ist die professionelle Zahnreinigung dabei?' });
      await advisor.next('chat.event');
      advisor.send({ type: 'chat.message', chatId, id: 'msg-advisor-1', text: 'Ja, zweimal im Jahr bis 80 Euro.' });
      await visitor.next('chat.event');
      const ended = Date.now();
      visitor.send({ type: 'chat.end' });

      const request = await arrived;
      assert.ok(Date.now() - ended < POLL_INTERVAL_MS, 'filed at once, not at the next poll');
      const header = request.headers[SIGNATURE_HEADER.toLowerCase()];
      assert.equal(verifySignature({ secret: WEBHOOK_SECRET, body: request.body, header }), true);
      assert.equal(request.headers[IDEMPOTENCY_HEADER.toLowerCase()], `lotse-transcript-${chatId}`);
      const transcript = JSON.parse(request.body) as Transcript;
      assert.equal(transcript.chatId, chatId);
      assert.deepEqual(transcript.member, {
        sub: 'member-4711',
        name: 'Erika Mustermann',
        insuranceNumber: 'A123456780',
      });
      assert.deepEqual(transcript.advisor, { id: 'adv-m', name: 'Maria Beraterin' });
      assert.equal(transcript.endedBy, 'visitor');
      assert.deepEqual(
        transcript.messages.map((m) => [m.from, m.text]),
        [
          ['member', 'Ist die professionelle Zahnreinigung dabei?'],
          ['advisor', 'Ja, zweimal im Jahr bis 80 Euro.'],
        ],
      );
      assert.deepEqual(
        transcript.events.map((e) => e.kind),
        ['joined', 'ended'],
      );
      const seqs = [...transcript.messages, ...transcript.events].map((entry) => entry.seq).sort((a, b) => a - b);
      assert.deepEqual(seqs, [1, 2, 3, 4]);

      await h.nextLog((line) => line['event'] === 'webhook.delivered');
      assert.equal((await deliveryRow(db, chatId))?.status, 'delivered');
      assert.equal(receiver.requests.length, 1);
      await visitor.close();
      await advisor.close();
    } finally {
      await h.server.close();
      await receiver.close();
      await db.close();
    }
    await assertNoHandles();
  });
});
