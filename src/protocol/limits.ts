/**
 * Limits shared by browser and server. Both ends enforce them: the client so that it never sends what the
 * server would refuse, the server because the client is not trusted.
 */

/** Version of the wire protocol. Every message carries it as `v`. */
export const PROTOCOL_VERSION = 1;

/** WebSocket subprotocol both ends agree on. */
export const SUBPROTOCOL = 'lotse.v1';

/**
 * Prefix of the second subprotocol an advisor offers to carry its bearer token at the HTTP upgrade
 * (browsers cannot set an Authorization header on a WebSocket, and a token in the URL ends up in logs).
 */
export const AUTH_SUBPROTOCOL_PREFIX = 'lotse.bearer.';

/** Longest chat message, in UTF-16 code units (what `String.length` counts). */
export const MAX_TEXT_LENGTH = 2000;

/** Nickname of an anonymous visitor: at least this many characters after trimming … */
export const MIN_NICKNAME_LENGTH = 2;
/** … and at most this many. */
export const MAX_NICKNAME_LENGTH = 40;

/** Largest frame a client may send; the server's `maxPayload`. Anything larger is closed with 1009. */
export const MAX_FRAME_BYTES = 16 * 1024;

/** Client message ids: nanoid's alphabet, long enough to be unique per chat. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** Token bucket per connection: burst capacity … */
export const RATE_BURST = 30;
/** … refilled at this many messages per second. */
export const RATE_PER_SECOND = 10;
/** Messages refused for rate in a row before the server closes with 1008. */
export const RATE_STRIKES_BEFORE_CLOSE = 20;
/** Malformed messages tolerated on one connection before the server closes with 4000. */
export const MALFORMED_BEFORE_CLOSE = 10;

/** Events kept in memory for one chat; a longer chat is ended by the server. */
export const MAX_EVENTS_PER_CHAT = 2000;
/** Messages the client keeps in its outbox while disconnected; more are refused at the composer. */
export const MAX_OUTBOX = 50;

/** Client heartbeat: a `session.ping` this often while connected … */
export const CLIENT_PING_INTERVAL_MS = 20_000;
/** … and the socket is considered dead when no `session.pong` came back in this time. */
export const CLIENT_PONG_TIMEOUT_MS = 10_000;

/** Reconnect backoff: first delay, cap, both before full jitter. */
export const RECONNECT_BASE_MS = 500;
export const RECONNECT_MAX_MS = 15_000;

/** Typing indicator: the sender repeats `typing: true` at most this often … */
export const TYPING_THROTTLE_MS = 2_000;
/** … sends `typing: false` after this long without a keystroke … */
export const TYPING_IDLE_MS = 4_000;
/** … and the receiver clears it by itself after this long without a refresh. */
export const TYPING_DISPLAY_MS = 6_000;

/** Length of the resume token handed to a visitor, in characters of nanoid's alphabet. */
export const RESUME_TOKEN_LENGTH = 32;
