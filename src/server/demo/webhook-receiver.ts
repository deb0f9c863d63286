/**
 * The demo's stand-in for an insurer's backend: in demo mode without `member.webhook.url`, the server files member
 * transcripts to itself at `POST /demo/member-webhook`, under a secret generated at start. It checks what a real
 * receiver must check (signature over the raw body, within five minutes, constant-time; the idempotency key, so a
 * repeat is acknowledged but kept once), keeps the last 20 in memory only, and shows them to this machine's
 * browser at `GET /demo/member-webhook` for the "Posteingang" page (demo/eingang.html).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { isLocalRequest } from '../transport/loopback.js';
import { sendJson, sendText } from '../transport/router.js';
import type { Route } from '../transport/router.js';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, verifySignature } from '../webhook/signature.js';
import { readBody } from '../transport/body.js';

export const DEMO_WEBHOOK_PATH = '/demo/member-webhook';
/** Deliveries the demo receiver keeps (in memory; gone at restart). */
export const DEMO_RECEIVER_KEEP = 20;
/** Idempotency keys remembered for deduplication, beyond the deliveries kept. */
const SEEN_KEYS_KEPT = 1000;
/**
 * Largest body accepted: above the longest transcript the server can file (2,000 events of up to 2,000 characters,
 * at most 3 bytes each in UTF-8, about 12 MB with the JSON around them).
 */
export const MAX_WEBHOOK_BODY_BYTES = 16 * 1024 * 1024;
const KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,200}$/;

const iso = v.pipe(v.string(), v.isoTimestamp());
const TranscriptSchema = v.object({
  id: v.string(),
  chatId: v.string(),
  member: v.object({ sub: v.string(), name: v.string(), insuranceNumber: v.string() }),
  startedAt: iso,
  endedAt: v.nullable(iso),
  endedBy: v.nullable(v.string()),
  advisor: v.nullable(v.object({ id: v.string(), name: v.string() })),
  messages: v.array(v.object({ seq: v.number(), at: iso, from: v.picklist(['member', 'advisor']), text: v.string() })),
  events: v.array(
    v.object({
      seq: v.number(),
      at: iso,
      kind: v.picklist(['joined', 'left', 'ended']),
      advisor: v.optional(v.string()),
      by: v.optional(v.string()),
    }),
  ),
});
export type ReceivedTranscript = v.InferOutput<typeof TranscriptSchema>;

export interface ReceivedDelivery {
  receivedAt: string;
  idempotencyKey: string;
  transcript: ReceivedTranscript;
}

/** An answer without a body (the receiver's verdicts), never cached. */
function send(response: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  sendText(response, status, '', headers);
}

export class DemoReceiver {
  /** The HMAC key the server's deliverer signs with (generated per process). */
  readonly secret: string;
  readonly #now: () => number;
  readonly #received: ReceivedDelivery[] = [];
  readonly #seen = new Set<string>();

  constructor(options: { secret?: string; now?: () => number } = {}) {
    this.secret = options.secret ?? randomBytes(32).toString('base64url');
    this.#now = options.now ?? Date.now;
  }

  /** What arrived, newest first. */
  get deliveries(): readonly ReceivedDelivery[] {
    return [...this.#received];
  }

  /** `GET` (what arrived, for this machine only) and `POST` (a delivery) of `/demo/member-webhook`. */
  routes(): Route[] {
    return [
      {
        method: 'GET',
        path: DEMO_WEBHOOK_PATH,
        // Member names and messages: only a browser on this machine, at a loopback name, sees them.
        handle: ({ request, response }) => {
          if (!isLocalRequest(request)) send(response, 403);
          else sendJson(response, 200, { deliveries: this.#received });
        },
      },
      { method: 'POST', path: DEMO_WEBHOOK_PATH, handle: ({ request, response }) => this.#receive(request, response) },
    ];
  }

  async #receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const type = request.headers['content-type'] ?? '';
    if (!/^application\/json\s*(?:;|$)/i.test(type)) {
      send(response, 415);
      return;
    }
    const body = await readBody(request, MAX_WEBHOOK_BODY_BYTES);
    if (body === undefined) {
      send(response, 413, { Connection: 'close' });
      return;
    }
    const header = request.headers[SIGNATURE_HEADER.toLowerCase()];
    if (!verifySignature({ secret: this.secret, body, header, now: this.#now() })) {
      send(response, 401);
      return;
    }
    const key = request.headers[IDEMPOTENCY_HEADER.toLowerCase()];
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      send(response, 400);
      return;
    }
    if (this.#seen.has(key)) {
      send(response, 204); // a repeat (our answer to the first was lost): acknowledged, kept once
      return;
    }
    let parsed;
    try {
      parsed = v.safeParse(TranscriptSchema, JSON.parse(body.toString('utf8')) as unknown);
    } catch {
      send(response, 400);
      return;
    }
    if (!parsed.success || parsed.output.id !== key) {
      send(response, 400);
      return;
    }
    this.#remember(key);
    this.#received.unshift({
      receivedAt: new Date(this.#now()).toISOString(),
      idempotencyKey: key,
      transcript: parsed.output,
    });
    this.#received.splice(DEMO_RECEIVER_KEEP);
    send(response, 204);
  }

  #remember(key: string): void {
    this.#seen.add(key);
    if (this.#seen.size > SEEN_KEYS_KEPT) {
      const oldest = this.#seen.values().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
  }
}
