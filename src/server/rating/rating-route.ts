/**
 * `POST /rating`: a visitor's satisfaction rating, `{"ticket":"…","score":1..5}` as the body (sent as `text/plain`
 * by the pop-up, so a page on another origin sends it without a CORS preflight; no cookie, no credentials). The
 * ticket is the only authority: it is taken once (`tickets.ts`), and its day and topic get one more count of that
 * score (`ratings-store.ts`). Answers 204 when counted, 400 for a malformed body, 404 for an unknown, used or lapsed
 * ticket, 429 past `ratings.perClientPerHour` (counted per client key, across nodes with Redis), 503 without storage.
 * Logs nothing about the ticket, nor anything that names a chat.
 */
import type { LimitStore } from '../state/limit-store.js';
import type { Db } from '../store/sql.js';
import { sendText } from '../transport/router.js';
import type { Route, RouteRequest } from '../transport/router.js';
import { clientAddress } from '../transport/client-key.js';
import { recordRating, validScore } from './ratings-store.js';
import type { RatingTickets } from './tickets.js';
import { TICKET_PATTERN } from './tickets.js';
import { readBody } from '../transport/body.js';

export const RATING_PATH = '/rating';

/** A body larger than this is refused: a ticket and a digit need under 80 bytes. */
const MAX_BODY_BYTES = 512;
const HOUR_MS = 3_600_000;

/** Readable from any page (the insurer's pages sit on other origins); no credentials. */
const CROSS_ORIGIN = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' } as const;

export interface RatingRouteOptions {
  tickets: RatingTickets;
  /** The store the counts go to; `null` while there is none (a storeless server answers 503). */
  db: () => Db | null;
  limits: LimitStore;
  perClientPerHour: number;
  trustProxy: boolean;
  /** The pseudonymous key of a client's address (`transport/client-key.ts`). */
  keyOf: (address: string) => string;
  onError: (error: unknown) => void;
}

export function ratingRoutes(options: RatingRouteOptions): Route[] {
  return [{ method: 'POST', path: RATING_PATH, handle: (request) => handleRating(request, options) }];
}

function parseBody(body: Buffer | undefined): { ticket: string; score: number } | undefined {
  if (body === undefined) return undefined;
  try {
    const value = JSON.parse(body.toString('utf8')) as { ticket?: unknown; score?: unknown };
    if (typeof value.ticket !== 'string' || !TICKET_PATTERN.test(value.ticket) || !validScore(value.score))
      return undefined;
    return { ticket: value.ticket, score: value.score };
  } catch {
    return undefined;
  }
}

async function handleRating({ request, response }: RouteRequest, options: RatingRouteOptions): Promise<void> {
  // A client that breaks off mid-body is a bad request here, not a server error.
  const body = parseBody(await readBody(request, MAX_BODY_BYTES).catch(() => undefined));
  if (body === undefined) {
    sendText(response, 400, 'Bad Request', CROSS_ORIGIN);
    return;
  }
  const db = options.db();
  if (db === null) {
    sendText(response, 503, 'No storage configured', CROSS_ORIGIN);
    return;
  }
  try {
    const key = `rating:${options.keyOf(clientAddress(request, options.trustProxy))}`;
    if ((await options.limits.increment(key, 1, HOUR_MS)) > options.perClientPerHour) {
      sendText(response, 429, 'Too Many Requests', { ...CROSS_ORIGIN, 'Retry-After': '3600' });
      return;
    }
    const slot = await options.tickets.redeem(body.ticket);
    if (slot === undefined) {
      sendText(response, 404, 'Unknown or used ticket', CROSS_ORIGIN);
      return;
    }
    await recordRating(db, slot, body.score);
  } catch (error) {
    // A full limit store fails closed; a store that failed loses this one rating (the ticket is used).
    options.onError(error);
    sendText(response, 503, 'Service Unavailable', CROSS_ORIGIN);
    return;
  }
  response.writeHead(204, { 'Cache-Control': 'no-store', ...CROSS_ORIGIN });
  response.end();
}
