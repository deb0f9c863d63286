/**
 * What the advisor sends the visitor on the data channel (`pointer`, `ping`, `snapshot`, `bye`), parsed by hand:
 * the same rules as `PeerMessageSchema` (`peer.ts`) for these four, without valibot, which the visitor's browser
 * would otherwise load for them alone. Anything else (`events` and `pong` go the other way) is not for the
 * visitor and comes back `undefined`, like a message the schema refuses. The tests hold it to the schema.
 */
import type { PeerMessage } from './peer.js';

export type PeerToVisitor = Extract<PeerMessage, { t: 'pointer' | 'ping' | 'snapshot' | 'bye' }>;

/** `v.pipe(v.number(), v.finite())`, and the bounds of a coordinate. */
const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const coordinate = (value: unknown): value is number => finite(value) && value >= -1e6 && value <= 1e7;

/** The message with unknown fields left out, or `undefined` when it is not one the advisor sends. */
export function parsePeerToVisitor(value: unknown): PeerToVisitor | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { t, x, y, visible, a } = value as Record<string, unknown>;
  if (t === 'pointer') {
    return coordinate(x) && coordinate(y) && typeof visible === 'boolean' ? { t, x, y, visible } : undefined;
  }
  if (t === 'ping') return finite(a) ? { t, a } : undefined;
  return t === 'snapshot' || t === 'bye' ? { t } : undefined;
}
