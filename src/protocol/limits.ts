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

/** Chat ids as the server makes them (nanoid), and what an advisor's frames may name. */
export const CHAT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * A topic's id (`topic` of `chat.start`, the configured topics, an advisor token's `topics` claim): lower-case
 * letters, digits and dashes. The widget sends a `topic` attribute only when it fits; the server files a topic it
 * does not know under the general queue.
 */
export const TOPIC_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** Longest internal note of a transfer (advisor to advisor; the visitor never receives it). */
export const MAX_TRANSFER_NOTE_LENGTH = 1000;

/** Token bucket per connection: burst capacity … */
export const RATE_BURST = 30;
/** … refilled at this many messages per second. */
export const RATE_PER_SECOND = 10;
/** More refusals for rate than this within `RATE_STRIKE_WINDOW_MS` and the server closes with 1008. */
export const RATE_STRIKES_BEFORE_CLOSE = 20;
/** The sliding window in which rate refusals are counted. */
export const RATE_STRIKE_WINDOW_MS = 10_000;
/** At most one `LOTSE_ERR_RATE_LIMITED` per connection this often; further refusals are silent. */
export const RATE_ERROR_INTERVAL_MS = 1_000;
/**
 * `cobrowse.signal` has its own, larger bucket: a WebRTC negotiation sends its ICE candidates in bursts and must
 * never be throttled by the chat limit (nor eat the chat's allowance).
 */
export const SIGNAL_RATE_BURST = 100;
export const SIGNAL_RATE_PER_SECOND = 50;
/** Malformed messages tolerated on one connection before the server closes with 4000. */
export const MALFORMED_BEFORE_CLOSE = 10;

/** After `LOTSE_ERR_RATE_LIMITED` a client sends its outbox again after this long. */
export const RATE_RETRY_MS = 1_000;

/** Events kept in memory for one chat; a longer chat is ended by the server. */
export const MAX_EVENTS_PER_CHAT = 2000;
/** Messages the client keeps in its outbox while disconnected; more are refused at the composer. */
export const MAX_OUTBOX = 50;
/**
 * The visitor's outbox goes out at most this many at once, then this many a second: a reconnect with a full
 * outbox (the resume, then 50 messages at once) overran the server's `RATE_BURST` and was closed for flooding.
 */
export const OUTBOX_BURST = 20;
export const OUTBOX_PER_SECOND = 5;

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
/** Longest member token (compact JWS) accepted; a token with a few claims is well under 2,000 characters. */
export const MAX_MEMBER_TOKEN_LENGTH = 4096;
/** Longest insurance number shown on a member's visitor card (the German KVNR has 10 characters). */
export const MAX_INSURANCE_NUMBER_LENGTH = 32;

// ---------------------------------------------------------------------------------------------------------------
// Server capacity (enforced by the server only)

/** Open WebSockets (and upgrades in progress) the server takes at once; more get HTTP 503. Configurable. */
export const MAX_CONNECTIONS = 5_000;
/** Open visitor WebSockets from one client (pseudonymised address, IPv6 by /64); more get HTTP 503. */
export const MAX_CONNECTIONS_PER_CLIENT = 20;
/** Chats waiting in the queue; a further `chat.start` is refused with `LOTSE_ERR_BUSY`. */
export const MAX_WAITING_CHATS = 200;
/** `queue.snapshot` carries at most this many longest-waiting chats. */
export const QUEUE_SNAPSHOT_MAX = 50;
/** Queue changes within this long go out to the advisors as one `queue.snapshot`. */
export const QUEUE_PUSH_DELAY_MS = 50;
/**
 * The expected wait told to a waiting visitor (`chat.queue`) comes from the accepts of this recent window …
 */
export const WAIT_ESTIMATE_WINDOW_MS = 30 * 60_000;
/** … and only with at least this many of them there (fewer: no estimate rather than a wrong one) … */
export const WAIT_ESTIMATE_MIN_ACCEPTS = 5;
/** … and never above this (a longer one is too uncertain to be worth saying). */
export const WAIT_ESTIMATE_MAX_MS = 60 * 60_000;
/** While anyone waits, positions and estimates are looked at again this often (an estimate grows while stalled). */
export const QUEUE_REFRESH_MS = 15_000;
/** A socket with more than this many bytes waiting to be sent is not reading: it is terminated. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Chats one client (pseudonymised address, IPv6 by /64) may have waiting at once; more get `LOTSE_ERR_TOO_MANY_WAITING`. Configurable. */
export const MAX_WAITING_CHATS_PER_CLIENT = 2;
/** Of `MAX_CONNECTIONS`, this many only advisors may take: visitor upgrades get 503 once the rest is full. Configurable. */
export const ADVISOR_RESERVED_CONNECTIONS = 100;
/** A visitor socket without a chat and without a co-browse session is closed (4004) after this long. Configurable. */
export const VISITOR_IDLE_MS = 30_000;

// ---------------------------------------------------------------------------------------------------------------
// Co-browsing

/** The webcode an advisor reads out: this many decimal digits. */
export const WEBCODE_LENGTH = 6;
export const WEBCODE_PATTERN = /^\d{6}$/;
/** Wrong webcodes one client may enter before it is refused for `WEBCODE_LOCKOUT_MS`. */
export const WEBCODE_MAX_WRONG = 5;
export const WEBCODE_LOCKOUT_MS = 15 * 60_000;

/**
 * The start code the visitor reads back: no look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G, Q), upper case,
 * shown in groups of four. 22 symbols, 8 of them: about 5·10¹⁰ possibilities for at most 5 guesses.
 */
export const START_CODE_ALPHABET = 'ACDEFHJKMNPRTUVWXY3479';
export const START_CODE_LENGTH = 8;
export const START_CODE_PATTERN = /^[ACDEFHJKMNPRTUVWXY3479]{8}$/;
/** The start code is valid this long after the visitor's consent. */
export const START_CODE_TTL_MS = 5 * 60_000;
/** Wrong start codes the advisor may type before the whole co-browse session is void. */
export const START_CODE_MAX_WRONG = 5;

/** Largest WebRTC signalling payload (an SDP offer with candidates), in characters of JSON. */
export const MAX_SIGNAL_LENGTH = 12_000;
/** A visitor's page that reloads or navigates gets this long to come back into a live session. */
export const COBROWSE_RESUME_MS = 30_000;
/** The highest link number of a co-browse session (each new pair of peers counts one; a reload, a new console). */
export const MAX_COBROWSE_LINK = 1_000_000;
/** Co-browse sessions an advisor's hello may name (the server lets an advisor hold 5 at once). */
export const MAX_HELLO_SESSIONS = 20;

/** Data channel frames are at most this many bytes (header included): safe across browsers. */
export const PEER_FRAME_BYTES = 16 * 1024;
/** Stop sending while the data channel buffers more than this … */
export const PEER_BUFFER_HIGH = 1024 * 1024;
/** … and go on once it has drained below this. */
export const PEER_BUFFER_LOW = 256 * 1024;
/** Recorded events are batched for this long before they are compressed and sent. */
export const PEER_BATCH_MS = 20;

// ---------------------------------------------------------------------------------------------------------------
// Advisor rate (the server's defaults, configurable as `limits.advisorRate`; the console paces itself below them)

/**
 * An advisor works several chats at once, and a console that comes back from a stall answers what piled up: its
 * socket has a bigger bucket than a visitor's. Burst capacity …
 */
export const ADVISOR_RATE_BURST = 60;
/** … refilled at this many messages per second. */
export const ADVISOR_RATE_PER_SECOND = 20;
/** More refusals than this within `RATE_STRIKE_WINDOW_MS`, counted only after the grace, close with 1008. */
export const ADVISOR_RATE_STRIKES_BEFORE_CLOSE = 50;
/**
 * After the first refusal of a spell, the advisor has this long to hear `LOTSE_ERR_RATE_LIMITED` (with its
 * `retryAfterMs`) before further refusals count as strikes: frames already on the way are no offence.
 */
export const ADVISOR_RATE_GRACE_MS = 3_000;
/**
 * The console sends at most this share of the burst the server announced (`advisor.welcome` `rate`) at once …
 * the rest is slack for frames that leave paced and arrive bunched (a stalled network or CPU), and the heartbeat …
 */
export const ADVISOR_PACE_BURST_SHARE = 0.5;
/** … and at most this share of its rate. */
export const ADVISOR_PACE_RATE_SHARE = 0.8;

/** A canned response's shortcut (`/gruss`): lower-case letters, digits, `-` and `_`, up to this many characters. */
export const MAX_SNIPPET_SHORTCUT_LENGTH = 32;
export const SNIPPET_SHORTCUT_PATTERN = /^[\p{Ll}\p{Lo}\p{N}][\p{Ll}\p{Lo}\p{N}_-]{0,31}$/u;
/**
 * The most canned responses one `snippets.list` carries of each kind (team, personal): the configured bounds'
 * ceiling. Two full lists of the longest texts stay under a socket's `MAX_BUFFERED_BYTES` (in ASCII).
 */
export const MAX_SNIPPETS_LISTED = 200;
