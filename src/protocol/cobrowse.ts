/**
 * Co-browsing messages between the browsers and the server. The server hands out codes, checks them, and relays
 * WebRTC signalling; the page itself travels peer to peer over a data channel and never through the server.
 *
 * The flow:
 *   advisor  cobrowse.code.create            → server → advisor  cobrowse.code      (6-digit webcode)
 *   visitor  cobrowse.join {webcode}         → server → visitor  cobrowse.pending, advisor cobrowse.joined
 *   visitor  cobrowse.consent                → server → visitor  cobrowse.startcode, advisor cobrowse.consented
 *   advisor  cobrowse.start {startCode}      → server → both     cobrowse.started   (ICE servers, who offers)
 *   either   cobrowse.signal                 → server → other    cobrowse.signal
 *   either   cobrowse.end                    → server → both     cobrowse.ended
 *   visitor  cobrowse.resume (after reload)  → server → both     cobrowse.started   (a new peer, a fresh snapshot)
 *
 * Each `cobrowse.started` names the session's link (`link`, counted from 1): the peers it asks for. A side whose
 * socket reconnected while its data channel stayed open names that link (`cobrowse.resume`, and the advisor's
 * hello); when it is still the session's, the server answers that side alone with the same link, and the side
 * keeps its peer: the stream goes on while the signalling socket moves (to another node, after its node died).
 * Any other answer is a new link: both sides make new peers.
 */
import * as v from 'valibot';
import {
  MAX_COBROWSE_LINK,
  MAX_SIGNAL_LENGTH,
  PROTOCOL_VERSION,
  RESUME_TOKEN_LENGTH,
  START_CODE_PATTERN,
  WEBCODE_PATTERN,
} from './limits.js';

const version = v.literal(PROTOCOL_VERSION);
const id = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/));
const epochMs = v.pipe(v.number(), v.integer(), v.minValue(0));
const shortText = v.pipe(v.string(), v.maxLength(200));
const resumeToken = v.pipe(v.string(), v.length(RESUME_TOKEN_LENGTH));
/** Webcode as typed: digits, spaces allowed and removed. */
const webcode = v.pipe(
  v.string(),
  v.maxLength(20),
  v.transform((s) => s.replace(/\s+/g, '')),
  v.regex(WEBCODE_PATTERN),
);
/** Start code as typed: case and separators do not matter. */
const startCode = v.pipe(
  v.string(),
  v.maxLength(40),
  v.transform((s) => s.toUpperCase().replace(/[\s-]+/g, '')),
  v.regex(START_CODE_PATTERN),
);
/** A WebRTC signalling message (offer, answer, candidate) as JSON text; its content is the browsers' business. */
const signal = v.pipe(v.string(), v.minLength(2), v.maxLength(MAX_SIGNAL_LENGTH));
const endedBy = v.picklist(['visitor', 'advisor', 'timeout', 'server', 'void']);
/** The session's link: which `cobrowse.started` the peers were made for (`MAX_COBROWSE_LINK` at most). */
export const link = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_COBROWSE_LINK));

export const IceServerSchema = v.object({
  urls: v.union([v.string(), v.array(v.string())]),
  username: v.optional(v.string()),
  credential: v.optional(v.string()),
});
export type IceServer = v.InferOutput<typeof IceServerSchema>;

const started = {
  sessionId: id,
  iceServers: v.array(IceServerSchema),
  /** Only for tests and locked-down networks: force TURN. */
  iceTransportPolicy: v.picklist(['all', 'relay']),
  /** Which link the peers are for; the same as a side's open one: keep it (see above). */
  link: v.optional(link),
};

// Visitor → server
export const cobrowseFromVisitor = [
  v.object({ v: version, type: v.literal('cobrowse.join'), webcode }),
  v.object({ v: version, type: v.literal('cobrowse.consent'), sessionId: id, termsVersion: shortText }),
  /** `link`: the link whose data channel is still open on this page (a reconnected socket, not a reload). */
  v.object({ v: version, type: v.literal('cobrowse.resume'), sessionId: id, resumeToken, link: v.optional(link) }),
  v.object({ v: version, type: v.literal('cobrowse.signal'), sessionId: id, signal }),
  v.object({ v: version, type: v.literal('cobrowse.end'), sessionId: id }),
] as const;

// Server → visitor
export const cobrowseToVisitor = [
  /** The webcode was right: show the co-browse terms. */
  v.object({ v: version, type: v.literal('cobrowse.pending'), sessionId: id, advisor: shortText }),
  v.object({
    v: version,
    type: v.literal('cobrowse.startcode'),
    sessionId: id,
    startCode: v.pipe(v.string(), v.regex(START_CODE_PATTERN)),
    expiresAt: epochMs,
  }),
  /** `advisor`: the name shown on the live bar and the pointer, also after the visitor's page reloaded. */
  v.object({
    v: version,
    type: v.literal('cobrowse.started'),
    ...started,
    resumeToken,
    initiator: v.boolean(),
    advisor: shortText,
  }),
  v.object({ v: version, type: v.literal('cobrowse.signal'), sessionId: id, signal }),
  v.object({ v: version, type: v.literal('cobrowse.ended'), sessionId: id, by: endedBy }),
] as const;

// Advisor → server
export const cobrowseFromAdvisor = [
  /** A new webcode, optionally for a chat this advisor holds (the console then offers to post it there). */
  v.object({ v: version, type: v.literal('cobrowse.code.create'), chatId: v.optional(id) }),
  v.object({ v: version, type: v.literal('cobrowse.start'), sessionId: id, startCode }),
  v.object({ v: version, type: v.literal('cobrowse.signal'), sessionId: id, signal }),
  v.object({ v: version, type: v.literal('cobrowse.end'), sessionId: id }),
] as const;

// Server → advisor
export const cobrowseToAdvisor = [
  v.object({
    v: version,
    type: v.literal('cobrowse.code'),
    sessionId: id,
    webcode: v.pipe(v.string(), v.regex(WEBCODE_PATTERN)),
    expiresAt: epochMs,
    chatId: v.optional(id),
  }),
  /** The visitor entered the webcode and reads the terms. */
  v.object({ v: version, type: v.literal('cobrowse.joined'), sessionId: id }),
  /** The visitor consented and sees the start code: ask for it. */
  v.object({ v: version, type: v.literal('cobrowse.consented'), sessionId: id, expiresAt: epochMs }),
  /**
   * `assetOrigins`: where the replay may load images, styles, fonts and media from (the operator's list, never the
   * visitor's word); missing: nowhere.
   */
  v.object({
    v: version,
    type: v.literal('cobrowse.started'),
    ...started,
    initiator: v.boolean(),
    assetOrigins: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(300))), v.maxLength(50))),
  }),
  v.object({ v: version, type: v.literal('cobrowse.signal'), sessionId: id, signal }),
  v.object({ v: version, type: v.literal('cobrowse.ended'), sessionId: id, by: endedBy }),
] as const;
