/**
 * The satisfaction rating's area of the server configuration (`rating/`): whether a visitor is offered the rating
 * at a chat's end, how long the single-use ticket for it lasts, and how many ratings one client may send.
 */
import * as v from 'valibot';
import { defaultsOf, setting } from './fields.js';

const count = (max: number) =>
  v.pipe(
    v.number('must be a number'),
    v.integer('must be a whole number'),
    v.minValue(1, 'must be at least 1'),
    v.maxValue(max, `must be at most ${max}`),
  );

export const RatingsConfigSchema = v.strictObject(
  {
    enabled: v.optional(
      setting(
        v.boolean('must be true or false'),
        'offer the visitor a 1–5 rating after a chat an advisor joined (only with a store: without one nothing could be counted); only counts per day and topic are stored',
        { env: 'LOTSE_RATINGS_ENABLED' },
      ),
      true,
    ),
    ticketMinutes: v.optional(
      setting(count(1440), "how long the single-use rating ticket handed out at the chat's end can be used (1–1440)", {
        env: 'LOTSE_RATINGS_TICKET_MINUTES',
      }),
      60,
    ),
    perClientPerHour: v.optional(
      setting(count(10_000), 'rating attempts one client (keyed, never its address) may make per hour (1–10000)', {
        env: 'LOTSE_RATINGS_PER_CLIENT_PER_HOUR',
      }),
      20,
    ),
  },
  'must be an object',
);

export type RatingsConfig = v.InferOutput<typeof RatingsConfigSchema>;
export const ratingsDefaults = defaultsOf(RatingsConfigSchema);
