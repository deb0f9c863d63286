/**
 * The transcript webhook's signature: `Lotse-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * The timestamp is inside the signed text, so a captured request cannot be replayed later with a new `t`; the
 * receiver refuses a `t` more than five minutes from its own clock and compares in constant time. The receiver
 * verifies the raw bytes it received, before parsing them: re-serialised JSON would not match.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Lotse-Signature';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** How far `t` may be from the receiver's clock, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

function hmacHex(secret: string, timestamp: number, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The header value for `body` signed at `nowMs`. */
export function signatureHeader(secret: string, body: string | Uint8Array, nowMs: number = Date.now()): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${hmacHex(secret, t, body)}`;
}

export interface VerifyOptions {
  secret: string;
  /** The raw request body, exactly as received. */
  body: string | Uint8Array;
  /** The `Lotse-Signature` header; `undefined` when missing. */
  header: string | string[] | undefined;
  /** The receiver's clock, epoch milliseconds. */
  now?: number;
  toleranceSeconds?: number;
}

/**
 * True when `header` carries a `v1` signature of `body` under `secret` with a `t` within the tolerance. Several
 * `v1=` entries are allowed (a sender rotating its secret may sign with both); one match is enough.
 */
export function verifySignature(options: VerifyOptions): boolean {
  const { secret, body, header } = options;
  if (typeof header !== 'string' || header.length > 1024) return false;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value, ...rest] = part.trim().split('=');
    if (value === undefined || rest.length > 0) return false;
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  return signatures.some((signature) => timingSafeEqual(Buffer.from(signature, 'hex'), expected));
}
