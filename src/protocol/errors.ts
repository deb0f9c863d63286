/** Stable error codes carried by `error` messages. Never renumber or rename: clients match on them. */
export const ErrorCode = {
  /** Not JSON, not an object, or a field of the wrong shape. */
  Malformed: 'LOTSE_ERR_MALFORMED',
  /** A `type` this role may not send. */
  UnknownType: 'LOTSE_ERR_UNKNOWN_TYPE',
  /** A `v` this server does not speak. */
  UnsupportedVersion: 'LOTSE_ERR_UNSUPPORTED_VERSION',
  /** Text longer than `MAX_TEXT_LENGTH`, nickname out of bounds. */
  TooLong: 'LOTSE_ERR_TOO_LONG',
  /** More messages than the rate limit allows; the message was dropped. */
  RateLimited: 'LOTSE_ERR_RATE_LIMITED',
  /** Resume or action on a chat that does not exist (any more) or is not yours. */
  UnknownChat: 'LOTSE_ERR_UNKNOWN_CHAT',
  /** The chat has ended; nothing more can be sent to it. */
  ChatEnded: 'LOTSE_ERR_CHAT_ENDED',
  /** The message does not fit the state: a message before `chat.start`, a second `chat.start`. */
  InvalidState: 'LOTSE_ERR_INVALID_STATE',
  /** The terms version the visitor confirmed is not the one in force. */
  TermsOutdated: 'LOTSE_ERR_TERMS_OUTDATED',
  /** Another advisor accepted this chat first. */
  AlreadyTaken: 'LOTSE_ERR_ALREADY_TAKEN',
  /** The chat has too many events; the server ended it. */
  ChatFull: 'LOTSE_ERR_CHAT_FULL',
  /** A webcode or start code that is wrong, expired or used: the same answer for each, on purpose. */
  InvalidCode: 'LOTSE_ERR_INVALID_CODE',
  /** The queue is full: `chat.start` refused; try again later. */
  Busy: 'LOTSE_ERR_BUSY',
  /** Outside the opening hours (or closed by the operator): `chat.start` refused; `GET /availability` says until when. */
  Closed: 'LOTSE_ERR_CLOSED',
  /**
   * A member token that has expired, or was issued longer ago than the server accepts (5 minutes at most). The
   * chat is kept: send the same `chat.start`/`chat.resume` again with a fresh token from the member area.
   */
  TokenExpired: 'LOTSE_ERR_TOKEN_EXPIRED',
  /**
   * A member token that failed verification (signature, issuer, audience, claims, a lifetime `exp − iat` above
   * the accepted maximum, another member than the chat's), or member chat is off. Final for this chat.
   */
  TokenInvalid: 'LOTSE_ERR_TOKEN_INVALID',
  /**
   * `chat.start` refused: this client (its address, an IPv6 one by its /64) already has as many chats waiting in
   * the queue as it may (`limits.maxWaitingChatsPerClient`). End one, or try again once one was answered.
   */
  TooManyWaiting: 'LOTSE_ERR_TOO_MANY_WAITING',
  /**
   * This member token has started a chat already: a token starts at most one (its resume is fine). The member area
   * hands out a fresh token for a new chat (the page reloads, or the provider is asked again).
   */
  TokenUsed: 'LOTSE_ERR_TOKEN_USED',
  /** A callback request's phone number is not one (German or international, `protocol/phone.ts`). */
  InvalidPhone: 'LOTSE_ERR_INVALID_PHONE',
  /** A callback request's window is not one of those offered now: fetch them again. */
  InvalidWindow: 'LOTSE_ERR_INVALID_WINDOW',
  /** A callback request's topic is not one of the configured topics (`chat.topics`) offered with the windows. */
  InvalidTopic: 'LOTSE_ERR_INVALID_TOPIC',
  /** A callback request that does not exist (any more), is done, or is not claimed by this advisor. */
  UnknownCallback: 'LOTSE_ERR_UNKNOWN_CALLBACK',
  /** Callback requests are not offered (switched off, or the server has no store). */
  CallbacksOff: 'LOTSE_ERR_CALLBACKS_OFF',
  /**
   * A canned response was refused: its shortcut is taken (in its language), the advisor's or the team's count is at
   * its configured bound (`snippets.*`), its text is longer than `snippets.maxTextLength`, or there is no store.
   */
  SnippetRefused: 'LOTSE_ERR_SNIPPET_REFUSED',
  /**
   * A transfer to a colleague who is not available now (away, gone, or the advisor themself), or to a topic the
   * server does not know: the chat stays with the advisor who asked.
   */
  Unavailable: 'LOTSE_ERR_UNAVAILABLE',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** WebSocket close codes used by Lotse (1000–1015 are the standard ones). */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  /** Rate abuse, wrong subprotocol. */
  Policy: 1008,
  /** Frame larger than `MAX_FRAME_BYTES`. */
  TooBig: 1009,
  /** Too many malformed messages in a row. */
  Protocol: 4000,
  /** The advisor's token expired while connected. */
  Unauthorized: 4001,
  /** The same chat or advisor was resumed on another connection. */
  Replaced: 4002,
  /** The server is shutting down; reconnect later. */
  ServerShutdown: 4003,
  /**
   * A visitor socket that held no chat and no co-browse session for `limits.visitorIdleSeconds`. Nothing was lost:
   * the client opens a new socket when it needs one (and does not reconnect by itself).
   */
  Idle: 4004,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which a client must not reconnect on its own. */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.Policy,
  CloseCode.TooBig,
  CloseCode.Protocol,
  CloseCode.Unauthorized,
  CloseCode.Replaced,
  CloseCode.Idle,
]);
