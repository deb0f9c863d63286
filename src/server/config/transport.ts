/**
 * The transport area of the server configuration: where the server listens, who may connect (origins, advisor
 * tokens, the identity provider of `oidc.ts`), heartbeats, the limits against abuse and what HTTP responses say about themselves. One set of entries of
 * the top-level schema, every setting with its environment variable, default and description (`fields.ts`); the
 * type is inferred from it.
 */
import * as v from 'valibot';
import {
  ADVISOR_RATE_BURST,
  ADVISOR_RATE_GRACE_MS,
  ADVISOR_RATE_PER_SECOND,
  ADVISOR_RATE_STRIKES_BEFORE_CLOSE,
  ADVISOR_RESERVED_CONNECTIONS,
  MAX_CONNECTIONS,
  MAX_CONNECTIONS_PER_CLIENT,
  MAX_WAITING_CHATS,
  MAX_WAITING_CHATS_PER_CLIENT,
  VISITOR_IDLE_MS,
} from '../../protocol/limits.js';
import { DEFAULT_LIMIT_STORE_ENTRIES } from '../state/limit-store.js';
import { ECHO_DELAY_MS } from '../transport/held-echoes.js';
import { setting } from './fields.js';
import { OidcConfigSchema } from './oidc.js';
import { isExactOrigin, originMessage } from './origins.js';
import { nonEmpty, positive } from './values.js';

/** Demo mode listens here unless a host is configured: a demo is for this machine, not the network. */
export const DEMO_HOST = '127.0.0.1';

const atLeast = (min: number, message = `must be at least ${min}`) =>
  v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(min, message));
/** An advisor token's longest lifetime: a minute to a week. */
const lifetime = () =>
  v.pipe(
    v.number('must be a number'),
    v.integer('must be an integer'),
    v.minValue(60, 'must be 60 to 604800'),
    v.maxValue(604_800, 'must be 60 to 604800'),
  );
const origin = () => v.pipe(v.string('must be a string'), v.check(isExactOrigin, originMessage));

export const AdvisorTokensSchema = v.strictObject(
  {
    secret: v.optional(
      setting(
        v.pipe(v.string('must be a string'), v.minLength(32, 'must be at least 32 characters long')),
        'HS256 key for advisor tokens, at least 32 characters',
        { env: 'LOTSE_ADVISOR_TOKEN_SECRET', shownDefault: 'demo: random per start; else required' },
      ),
    ),
    issuer: v.optional(
      setting(nonEmpty(), 'required `iss` of advisor tokens', { env: 'LOTSE_ADVISOR_TOKEN_ISSUER' }),
      'lotse',
    ),
    audience: v.optional(
      setting(nonEmpty(), 'required `aud` of advisor tokens', { env: 'LOTSE_ADVISOR_TOKEN_AUDIENCE' }),
      'lotse-advisor',
    ),
    maxLifetimeSeconds: v.optional(
      setting(
        lifetime(),
        'longest accepted lifetime (`exp` − `iat`) of an advisor token (60 to 604800); a longer one is refused, one issued longer ago than this is expired',
        { env: 'LOTSE_ADVISOR_TOKEN_MAX_LIFETIME_SECONDS', defaultNote: ' (12 h)' },
      ),
      12 * 3600,
    ),
    adminMaxLifetimeSeconds: v.optional(
      setting(lifetime(), 'the same for a token with the admin role at `/admin/*` (60 to 604800)', {
        env: 'LOTSE_ADMIN_TOKEN_MAX_LIFETIME_SECONDS',
        defaultNote: ' (1 h)',
      }),
      3600,
    ),
  },
  'must be an object',
);

export const LimitsSchema = v.strictObject(
  {
    maxConnections: v.optional(
      setting(atLeast(1), 'open WebSockets at once; further upgrades get HTTP 503', { env: 'LOTSE_MAX_CONNECTIONS' }),
      MAX_CONNECTIONS,
    ),
    advisorRate: v.strictObject(
      {
        burst: v.optional(
          setting(
            atLeast(1),
            "messages an advisor socket may send at once (a visitor's: 30); `cobrowse.signal` has its own bucket (100, 50/s)",
            { env: 'LOTSE_ADVISOR_RATE_BURST' },
          ),
          ADVISOR_RATE_BURST,
        ),
        perSecond: v.optional(
          setting(
            positive(),
            "refill of that burst, messages per second (a visitor's: 10). Over it, the message and everything after it until `retryAfterMs` is dropped and the advisor gets `LOTSE_ERR_RATE_LIMITED` with `retryAfterMs` (about a second); the console paces itself at half the burst and 80 % of this rate, announced in `advisor.welcome`",
            { env: 'LOTSE_ADVISOR_RATE_PER_SECOND' },
          ),
          ADVISOR_RATE_PER_SECOND,
        ),
        strikesBeforeClose: v.optional(
          setting(
            atLeast(0, 'must be 0 or more'),
            "after the grace, more dropped messages than this within 10 s close the advisor's socket with 1008 (a visitor's: 20, no grace)",
            { env: 'LOTSE_ADVISOR_RATE_STRIKES' },
          ),
          ADVISOR_RATE_STRIKES_BEFORE_CLOSE,
        ),
        graceSeconds: v.optional(
          setting(
            v.pipe(
              v.number('must be a number'),
              v.finite('must be finite'),
              v.minValue(0, 'must be 0 or more'),
              v.maxValue(60, 'must be at most 60'),
            ),
            'drops within this long of the first drop of a spell (no drop for as long before it) are not counted: frames already on their way when the slow-down notice went out are no offence (0 to 60)',
            { env: 'LOTSE_ADVISOR_RATE_GRACE_SECONDS' },
          ),
          ADVISOR_RATE_GRACE_MS / 1000,
        ),
      },
      'must be an object',
    ),
    maxWaitingChatsPerClient: v.optional(
      setting(
        atLeast(1),
        "chats one client (its address, keyed, an IPv6 one by its /64) may have waiting in the queue; a further `chat.start` gets `LOTSE_ERR_TOO_MANY_WAITING` (the visitor is told so), while other clients start as usual. A waiting chat whose visitor's page is gone leaves the queue after `chat.abandonAfterSeconds`",
        { env: 'LOTSE_MAX_WAITING_CHATS_PER_CLIENT' },
      ),
      MAX_WAITING_CHATS_PER_CLIENT,
    ),
    maxWaitingChats: v.optional(
      setting(atLeast(1), 'chats waiting in the whole queue; beyond it every `chat.start` gets `LOTSE_ERR_BUSY`', {
        env: 'LOTSE_MAX_WAITING_CHATS',
      }),
      MAX_WAITING_CHATS,
    ),
    maxVisitorSocketsPerClient: v.optional(
      setting(
        atLeast(1),
        'visitor sockets one client (keyed address, IPv6 by its /64) may hold at once; a further upgrade gets HTTP 503. Raise it when many visitors share one address (a large office behind one NAT)',
        { env: 'LOTSE_MAX_VISITOR_SOCKETS_PER_CLIENT' },
      ),
      MAX_CONNECTIONS_PER_CLIENT,
    ),
    advisorReservedConnections: v.optional(
      setting(
        atLeast(0, 'must be at least 0'),
        'the part of `maxConnections` only advisors may take: visitor upgrades get HTTP 503 once the rest is full, so idle visitor sockets never lock advisors out; must be less than `maxConnections`',
        {
          env: 'LOTSE_ADVISOR_RESERVED_CONNECTIONS',
          defaultNote: ', or a tenth of `maxConnections` when that is less',
        },
      ),
      ADVISOR_RESERVED_CONNECTIONS,
    ),
    visitorIdleSeconds: v.optional(
      setting(
        positive(),
        'a visitor socket without a chat (waiting or active) and without a co-browse session (joined, consented or live) is closed with 4004 after this long; a socket whose chat or session ended is idle again',
        { env: 'LOTSE_VISITOR_IDLE_SECONDS' },
      ),
      VISITOR_IDLE_MS / 1000,
    ),
    stateEntries: v.optional(
      setting(
        atLeast(1000),
        'entries the in-memory limit state holds (webcode counts, used member tokens; about 100 bytes each; the failed-login windows have a store of the same size of their own); it never drops a live one to make room: full, the limits fail closed (webcodes refused as busy, member chat starts refused with `LOTSE_ERR_BUSY`) and `limits.store_full` is logged',
        { env: 'LOTSE_LIMIT_STATE_ENTRIES' },
      ),
      DEFAULT_LIMIT_STORE_ENTRIES,
    ),
  },
  'must be an object',
);

/** What HTTP responses say about themselves (`transport/headers.ts`). */
export const HttpSchema = v.strictObject(
  {
    publicOrigin: v.optional(
      setting(
        origin(),
        "the origin browsers reach this server at (`https://chat.example-kasse.de`); the CSP of the pages it serves names it (and its `wss:` twin) in `connect-src`. The CSP never takes a name from the request's `Host` header",
        { env: 'LOTSE_PUBLIC_ORIGIN' },
      ),
    ),
    sourceMaps: v.optional(
      setting(
        v.boolean('must be true or false'),
        "serve the bundles' source maps (`/lotse/**/*.map`); otherwise they are 404 (they show the unminified code)",
        { env: 'LOTSE_SOURCE_MAPS' },
      ),
      false,
    ),
    hstsMaxAgeSeconds: v.optional(
      setting(
        atLeast(0, 'must be 0 or more'),
        "`Strict-Transport-Security: max-age=…` on every response to a request that came over TLS (with `trustProxy`: the proxy's `X-Forwarded-Proto: https`); `0` sends none",
        { env: 'LOTSE_HSTS_MAX_AGE_SECONDS' },
      ),
      31_536_000,
    ),
  },
  'must be an object',
);

/** The top-level entries of this area, spread into the whole schema (`lotse-config.ts`). */
export const transportEntries = {
  port: v.optional(
    setting(
      v.pipe(
        v.number('must be a number'),
        v.integer('must be an integer'),
        v.minValue(0, 'must be 0 to 65535'),
        v.maxValue(65535, 'must be 0 to 65535'),
      ),
      'HTTP and WebSocket port (0: any free port)',
      { env: 'PORT' },
    ),
    8080,
  ),
  host: v.optional(
    setting(nonEmpty(), 'address to listen on; demo mode on any other address prints a warning at start', {
      env: 'LOTSE_HOST',
      defaultNote: `; demo: \`${DEMO_HOST}\``,
    }),
    '0.0.0.0',
  ),
  demo: v.optional(
    setting(
      v.boolean('must be true or false'),
      "serve the demo pages and hand out a demo advisor token, the token only to a browser on the same machine (loopback peer, no proxy, `Host` `localhost`/`127.0.0.1`/`[::1]` with the server's port; else 403); never in production, and never behind a reverse proxy on the same machine (to the server, the proxy's requests look like a local browser's, so remote visitors would get the demo tokens and the demo inbox)",
      { env: 'LOTSE_DEMO', envNote: ' (or `serve --demo`)' },
    ),
    false,
  ),
  allowedOrigins: setting(
    v.array(origin(), 'must be a list of origins'),
    'exact origins (scheme, host, port) whose pages may open a WebSocket',
    {
      env: 'LOTSE_ALLOWED_ORIGINS',
      shownDefault: 'demo: `http://localhost:PORT`, `http://127.0.0.1:PORT`; else required',
    },
  ),
  advisorTokens: AdvisorTokensSchema,
  oidc: OidcConfigSchema,
  heartbeatSeconds: v.optional(
    setting(positive(), 'WebSocket ping interval; a client that misses a pong is cut off', {
      env: 'LOTSE_HEARTBEAT_SECONDS',
    }),
    30,
  ),
  echoDelayMs: v.optional(
    setting(
      v.pipe(
        v.number('must be a number'),
        v.integer('must be an integer'),
        v.minValue(0, 'must be 0 to 500'),
        v.maxValue(500, 'must be 0 to 500'),
      ),
      "how long the echo of a client's own chat message (its confirmation, with sequence number and server time) may wait for another frame to the same socket, to leave in one write with it: like TCP's delayed acknowledgement, it saves a system call per message under load. Until the echo comes, the sender's message shows as being sent; any later frame to the socket, and its close, send it first. `0` sends each echo at once (0 to 500)",
      { env: 'LOTSE_ECHO_DELAY_MS' },
    ),
    ECHO_DELAY_MS,
  ),
  trustProxy: v.optional(
    setting(
      v.boolean('must be true or false'),
      "take the client address for the per-client limits (webcode guesses, visitor sockets, waiting chats) from the last `X-Forwarded-For` entry instead of the socket; set it only behind exactly one reverse proxy you run (otherwise all visitors share the proxy's address, or a client could pick its own). Behind a chain (a CDN before your load balancer) the last entry is the CDN's edge, and every visitor behind one edge would share its per-client limits: let the proxy next to Lotse replace `X-Forwarded-For` with the client address the chain vouches for (nginx: `real_ip_header` with `set_real_ip_from` for the CDN's ranges, then `proxy_set_header X-Forwarded-For $remote_addr`)",
      { env: 'LOTSE_TRUST_PROXY' },
    ),
    false,
  ),
  limits: LimitsSchema,
  http: HttpSchema,
};

/** Advisor tokens as the server uses them: after validation the secret is always there. */
export type AdvisorTokenConfig = Omit<v.InferOutput<typeof AdvisorTokensSchema>, 'secret'> & { secret: string };
/** The transport area: listening, origins, advisor tokens, heartbeats, limits, HTTP headers. */
export type TransportConfig = Omit<
  v.InferOutput<v.StrictObjectSchema<typeof transportEntries, undefined>>,
  'advisorTokens'
> & {
  advisorTokens: AdvisorTokenConfig;
};
export type LimitsConfig = v.InferOutput<typeof LimitsSchema>;
export type HttpConfig = v.InferOutput<typeof HttpSchema>;

/** Checks across fields, after the schema passed. `label` names a field with its environment variable. */
export function transportIssues(
  config: Pick<
    v.InferOutput<v.StrictObjectSchema<typeof transportEntries, undefined>>,
    'demo' | 'allowedOrigins' | 'advisorTokens' | 'limits'
  >,
  label: (path: string) => string,
): string[] {
  const issues: string[] = [];
  const { limits } = config;
  if (limits.advisorReservedConnections >= limits.maxConnections) {
    issues.push(
      `${label('limits.advisorReservedConnections')}: must be less than limits.maxConnections (${limits.maxConnections}), or visitors could never connect`,
    );
  }
  if (!config.demo) {
    if (config.allowedOrigins.length === 0) {
      issues.push(`${label('allowedOrigins')}: required outside demo mode (comma-separated exact origins)`);
    }
    if (config.advisorTokens.secret === undefined) {
      issues.push(`${label('advisorTokens.secret')}: required outside demo mode (at least 32 characters)`);
    }
  } else if (config.advisorTokens.secret === undefined) {
    issues.push(`${label('advisorTokens.secret')}: required`);
  }
  return issues;
}
