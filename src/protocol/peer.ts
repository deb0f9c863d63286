/**
 * Messages on the co-browse data channel, between the visitor's and the advisor's browser (never through the
 * server). Parsed on arrival like everything else; rrweb's events are checked for their envelope only
 * (`type`, `timestamp`) and handed to the replayer, which treats them as data.
 */
import * as v from 'valibot';

const time = v.pipe(v.number(), v.finite());
const coordinate = v.pipe(v.number(), v.finite(), v.minValue(-1e6), v.maxValue(1e7));

export const RrwebEventSchema = v.looseObject({
  type: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10)),
  timestamp: time,
});
export type RrwebEventEnvelope = v.InferOutput<typeof RrwebEventSchema>;

export const PeerMessageSchema = v.variant('t', [
  /** Visitor → advisor: recorded events, oldest first. A batch may start with a full snapshot. */
  v.object({ t: v.literal('events'), events: v.pipe(v.array(RrwebEventSchema), v.maxLength(10_000)) }),
  /** Advisor → visitor: the advisor's pointer in the visitor's document coordinates (CSS pixels). */
  v.object({ t: v.literal('pointer'), x: coordinate, y: coordinate, visible: v.boolean() }),
  /** Advisor → visitor: clock probe; the visitor answers with its own clock. */
  v.object({ t: v.literal('ping'), a: time }),
  v.object({ t: v.literal('pong'), a: time, b: time }),
  /** Advisor → visitor: please take a fresh full snapshot (the viewer was re-created). */
  v.object({ t: v.literal('snapshot') }),
  /** Either side: the session ends now (the server says so too; this is only quicker). */
  v.object({ t: v.literal('bye') }),
]);
export type PeerMessage = v.InferOutput<typeof PeerMessageSchema>;

export function parsePeerMessage(value: unknown): PeerMessage | undefined {
  const result = v.safeParse(PeerMessageSchema, value);
  return result.success ? result.output : undefined;
}
