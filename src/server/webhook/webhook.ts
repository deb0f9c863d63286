/**
 * The transcript webhook: files each ended member chat into the member's record by POSTing it, signed, to the
 * insurer's backend (`member.webhook.url`). Deliveries are rows in `webhook_deliveries` (written by the chat's end
 * in the same transaction), so nothing is lost to a crash or a receiver that is down: the deliverer retries with
 * exponential backoff and full jitter until the receiver answers 2xx or the transcript's retention ends. Several
 * servers on one PostgreSQL share the work without sending one delivery twice at once (`delivery-queue.ts`).
 *
 * The receiver must treat `Idempotency-Key` as the delivery's identity: a response lost on the way back means the
 * same transcript arrives again.
 */
import type { Logger } from '../log.js';
import type { Db } from '../store/sql.js';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature.js';
import { loadTranscript, transcriptQueue } from './deliveries.js';
import type { ClaimedDelivery, DeliveryQueue } from './delivery-queue.js';
import type { LogFields } from '../log.js';
import type { Queryable } from '../store/sql.js';

export const POLL_INTERVAL_MS = 15_000;
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_CAP_MS = 3600_000;
/** The shortest wait between two attempts, so that full jitter near zero cannot hammer a receiver. */
export const BACKOFF_FLOOR_MS = 1_000;
/** How long a claim outlives the attempt's own timeout before another server may take the row again. */
const LEASE_MARGIN_MS = 60_000;

export interface WebhookTarget {
  url: string;
  /** HMAC key shared with the receiver. */
  secret: string;
  /** One attempt is given up (and counted as failed) after this long. */
  timeoutSeconds: number;
}

/**
 * What a deliverer files: member transcripts (`transcriptSource`, the default) or done callback requests
 * (`callback/callback-deliveries.ts`). Each has its own table of delivery rows with the same columns and the same
 * queue statements (`delivery-queue.ts`).
 */
export interface DeliverySource extends DeliveryQueue {
  /** The JSON body of a claimed delivery; `undefined` when what it files is gone (purged). */
  load(db: Queryable, id: string, idempotencyKey: string): Promise<object | undefined>;
  /** How a log line names the delivery's subject (`chatId`, `callbackId`). */
  fields(id: string): LogFields;
}

export const transcriptSource: DeliverySource = {
  ...transcriptQueue,
  load: loadTranscript,
  fields: (chatId) => ({ chatId }),
};

export interface DelivererOptions {
  db: Db;
  /** What is filed; member transcripts by default. */
  source?: DeliverySource;
  target: WebhookTarget;
  log: Logger;
  /** The clock for scheduling and signing (tests). */
  now?: () => number;
  /** `fetch` (unit tests pass a fake). */
  fetch?: typeof fetch;
  /** Jitter source in [0, 1) (tests). */
  random?: () => number;
  /** How often due deliveries are looked for besides `kick()`; 0 turns polling off (tests). */
  pollIntervalMs?: number;
}

export interface WebhookDeliverer {
  /** Looks for due deliveries now (a chat was just filed). */
  kick(): void;
  /** Resolves once no run is in progress (including runs asked for while one ran). */
  idle(): Promise<void>;
  /** Stops polling and waits for an attempt in flight. Idempotent. */
  close(): Promise<void>;
}

/** The wait before the next attempt after `failures` failed ones: full jitter under 30 s · 2^(n−1), capped at 1 h. */
export function backoffMs(failures: number, random: () => number = Math.random): number {
  const cap = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.max(BACKOFF_FLOOR_MS, Math.floor(random() * cap));
}

type Outcome =
  { ok: true; status: number } | { ok: false; error: string; status?: number; reason: 'http' | 'timeout' | 'network' };

/** What is kept of a failure: the status code or the error's class, never a response body. */
function classify(error: unknown): Outcome {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return { ok: false, error: 'timeout', reason: 'timeout' };
  }
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code))
    return { ok: false, error: code, reason: 'network' };
  const name = error instanceof Error && /^[A-Za-z]{1,40}$/.test(error.name) ? error.name : 'Error';
  return { ok: false, error: name, reason: 'network' };
}

export function startWebhookDeliverer(options: DelivererOptions): WebhookDeliverer {
  const { db, target, log } = options;
  const source = options.source ?? transcriptSource;
  const now = options.now ?? Date.now;
  const fetchFn = options.fetch ?? fetch;
  const random = options.random ?? Math.random;
  const timeoutMs = Math.max(1, Math.round(target.timeoutSeconds * 1000));
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  const send = async (body: string, key: string): Promise<Outcome> => {
    // Not `AbortSignal.timeout()`: its timer outlives a quick answer, and nothing may be left running after close().
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new DOMException('webhook timeout', 'TimeoutError')), timeoutMs);
    try {
      const response = await fetchFn(target.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          [IDEMPOTENCY_HEADER]: key,
          [SIGNATURE_HEADER]: signatureHeader(target.secret, body, now()),
          'User-Agent': 'lotse-webhook/1',
        },
        body,
        // A redirect is a failure, not a hint: the transcript goes to the configured URL or nowhere.
        redirect: 'manual',
        signal: abort.signal,
      });
      await response.body?.cancel().catch(() => {});
      return response.status >= 200 && response.status < 300
        ? { ok: true, status: response.status }
        : { ok: false, error: `HTTP ${response.status}`, status: response.status, reason: 'http' };
    } catch (error) {
      return classify(abort.signal.aborted ? abort.signal.reason : error);
    } finally {
      clearTimeout(timer);
    }
  };

  const attempt = async (claimed: ClaimedDelivery): Promise<void> => {
    const { id, idempotencyKey } = claimed;
    const body = await source.load(db, id, idempotencyKey);
    if (body === undefined) return; // purged meanwhile; its delivery row went with it
    const outcome = await send(JSON.stringify(body), idempotencyKey);
    if (outcome.ok) {
      const attempts = await source.recordDelivered(db, id, new Date(now()));
      log.info('webhook.delivered', { ...source.fields(id), attempts, status: outcome.status });
      return;
    }
    const next = new Date(now() + backoffMs(claimed.attempts + 1, random));
    const recorded = await source.recordFailed(db, id, outcome.error, next);
    if (recorded === undefined) return;
    const fields = {
      ...source.fields(id),
      attempts: recorded.attempts,
      reason: outcome.reason,
      ...(outcome.status === undefined ? {} : { status: outcome.status }),
    };
    if (recorded.status === 'failing') log.warn('webhook.failed', fields);
    else log.info('webhook.failed', fields);
  };

  const runOnce = async (): Promise<void> => {
    while (!closed) {
      const at = now();
      const claimed = await source.claimNext(db, new Date(at), new Date(at + timeoutMs + LEASE_MARGIN_MS));
      if (claimed === undefined) return;
      await attempt(claimed);
    }
  };

  const kick = (): void => {
    if (closed) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    again = false;
    running = runOnce()
      .catch(() => log.error('webhook.run_failed'))
      .finally(() => {
        running = undefined;
        if (again) kick();
      });
  };

  const interval = options.pollIntervalMs ?? POLL_INTERVAL_MS;
  const timer = interval > 0 ? setInterval(kick, interval) : undefined;
  timer?.unref();
  kick();

  const idle = async (): Promise<void> => {
    while (running !== undefined) await running;
  };

  let closing: Promise<void> | undefined;
  return {
    kick,
    idle,
    close: () => {
      closing ??= (async () => {
        closed = true;
        clearInterval(timer);
        await idle();
      })();
      return closing;
    },
  };
}
