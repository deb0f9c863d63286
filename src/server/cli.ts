#!/usr/bin/env node
/** The `lotse` command: serve, mint-advisor-token, check-config, audit-export, purge, webhooks, webhook-retry. */
import { exportAudit, parseFormat, parseInstant } from './audit/export.js';
import { purgeAudit } from './audit/audit-purge.js';
import { ADMIN_ROLE, maxLifetimeOf, mintAdvisorToken } from './transport/advisor-auth.js';
import { ConfigError, redactConfig } from './config/lotse-config.js';
import { resolveConfig } from './config/load.js';
import { isLoopbackHost } from './transport/loopback.js';
import { purgeTranscripts } from './member/member-purge.js';
import { formatDeliveries, parseDeliveryStatus } from './webhook/webhook-cli.js';
import { listDeliveries, retryNow } from './webhook/deliveries.js';
import { createLotseServer } from './app/server.js';
import { openStore } from './store/index.js';

const HELP = `Usage: lotse <command> [options]

Commands:
  serve [--config FILE] [--demo]        start the server (demo mode serves the demo pages)
  mint-advisor-token --id ID --name NAME [--ttl 8h|30m|3600] [--admin] [--config FILE]
                                        print an advisor token signed with the configured secret
                                        (--admin: with the admin role, which may read GET /admin/audit);
                                        --ttl defaults to 8h (admin: 1h) and may not exceed the configured caps
  audit-export [--since ISO] [--until ISO] [--format jsonl|csv] [--config FILE]
                                        write the audit log to stdout (with the embedded store: server stopped)
  purge [--config FILE]                 delete audit records older than audit.retentionDays and member chat
                                        transcripts past member.transcriptRetentionDays now
  webhooks [--status failing|pending|delivered] [--config FILE]
                                        list transcript webhook deliveries (state and times, no content)
  webhook-retry <CHAT_ID|--all-failing> [--config FILE]
                                        make undelivered transcripts due now; a running server (postgres) sends
                                        them at its next poll, within 15 s; with the embedded store: server stopped
  check-config [--config FILE] [--demo] validate and print the effective configuration (secret redacted)
  --help                                show this help

Configuration: a JSON file (--config FILE or LOTSE_CONFIG) and environment variables, which win:
  PORT, LOTSE_HOST, LOTSE_DEMO, LOTSE_ALLOWED_ORIGINS (comma-separated), LOTSE_ADVISOR_TOKEN_SECRET (>= 32 chars),
  LOTSE_ADVISOR_TOKEN_ISSUER, LOTSE_ADVISOR_TOKEN_AUDIENCE, LOTSE_TERMS_VERSION,
  LOTSE_CHAT_ABANDON_AFTER_SECONDS, LOTSE_CHAT_ADVISOR_GRACE_SECONDS, LOTSE_CHAT_IDLE_MINUTES,
  LOTSE_HEARTBEAT_SECONDS, LOTSE_LOG_LEVEL (debug|info|warn|error|silent),
  LOTSE_PUBLIC_ORIGIN, LOTSE_SOURCE_MAPS, LOTSE_HSTS_MAX_AGE_SECONDS,
  LOTSE_ADVISOR_RATE_BURST, LOTSE_ADVISOR_RATE_PER_SECOND, LOTSE_ADVISOR_RATE_STRIKES, LOTSE_ADVISOR_RATE_GRACE_SECONDS,
  LOTSE_MAX_CONNECTIONS, LOTSE_ADVISOR_RESERVED_CONNECTIONS, LOTSE_MAX_WAITING_CHATS_PER_CLIENT,
  LOTSE_VISITOR_IDLE_SECONDS, LOTSE_MAX_WAITING_CHATS, LOTSE_MAX_VISITOR_SOCKETS_PER_CLIENT,
  LOTSE_STORAGE_DRIVER (embedded|postgres), LOTSE_DATA_DIR, LOTSE_DATABASE_URL, LOTSE_AUDIT_RETENTION_DAYS,
  LOTSE_HOURS_TIME_ZONE, LOTSE_HOLIDAYS_COUNTRY, LOTSE_HOLIDAYS_STATES, LOTSE_CLOSED_DATES, LOTSE_CLOSED_NOW=1,
  LOTSE_HOURS_ALWAYS_OPEN (weekly hours and extra open days: config file only),
  LOTSE_MEMBER_TOKEN_ISSUER, LOTSE_MEMBER_TOKEN_AUDIENCE, LOTSE_MEMBER_JWKS_URL, LOTSE_MEMBER_TOKEN_ALGORITHMS,
  LOTSE_MEMBER_TOKEN_MAX_LIFETIME_SECONDS, LOTSE_MEMBER_TOKEN_CLOCK_TOLERANCE_SECONDS, LOTSE_MEMBER_NAME_CLAIM,
  LOTSE_MEMBER_INSURANCE_NUMBER_CLAIM, LOTSE_MEMBER_TRANSCRIPT_RETENTION_DAYS, LOTSE_MEMBER_WEBHOOK_URL,
  LOTSE_MEMBER_WEBHOOK_SECRET (>= 32 chars), LOTSE_MEMBER_WEBHOOK_TIMEOUT_SECONDS (public keys: config file only).
  LOTSE_COBROWSE_ASSET_ORIGINS (comma-separated, or none; default: the allowed origins): where the advisor's
  co-browse replay may load images, styles, fonts and media from; every other URL of the visitor's page is removed.
  LOTSE_ADVISOR_TOKEN_MAX_LIFETIME_SECONDS, LOTSE_ADMIN_TOKEN_MAX_LIFETIME_SECONDS, LOTSE_LIMIT_STATE_ENTRIES,
  LOTSE_COBROWSE_WEBCODE_MAX_WRONG, LOTSE_COBROWSE_WEBCODE_LOCKOUT_MINUTES,
  LOTSE_COBROWSE_WEBCODE_WRONG_BUDGET_PER_MINUTE, LOTSE_COBROWSE_WEBCODE_SLOWDOWN_MS, LOTSE_COBROWSE_WEBCODE_SLOW_QUEUE,
  LOTSE_AUDIT_FAILED_LOGIN_WINDOW_SECONDS.
`;

class UsageError extends Error {}

function option(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  if (index >= 0) {
    const value = argv[index + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
    return value;
  }
  const inline = argv.find((arg) => arg.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

export function parseTtl(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * (UNIT_SECONDS[match[2] || 's'] ?? 1) : Number.NaN;
  if (!(seconds > 0)) throw new UsageError(`--ttl must look like 3600, 90s, 30m, 8h or 1d, got "${text}"`);
  return seconds;
}

async function serve(argv: readonly string[]): Promise<void> {
  const { config, demoAlwaysOpen } = resolveConfig({ argv });
  const server = createLotseServer(config);
  const { port, url } = await server.listen();
  process.stdout.write(`Lotse listening on ${url}\n`);
  if (config.demo) {
    process.stdout.write(`Demo mode. Visitor page: http://localhost:${port}/\n`);
    process.stdout.write(`           Advisor page: http://localhost:${port}/advisor.html\n`);
    if (demoAlwaysOpen) process.stdout.write('           Opening hours: always open (demo default; configure hours.* to try real hours)\n');
    if (!isLoopbackHost(config.host)) {
      process.stderr.write(
        `\n!!! WARNING: demo mode is listening on ${config.host}, reachable from other machines. The demo pages and\n` +
          '!!! the visitor chat are open to anyone who can reach this port; never run demo mode like this in\n' +
          '!!! production. (The demo advisor token is still handed out only to this machine.)\n\n',
      );
    }
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function mint(argv: readonly string[]): Promise<void> {
  const id = option(argv, '--id');
  const name = option(argv, '--name');
  if (!id || !name) throw new UsageError('mint-advisor-token needs --id and --name');
  const admin = argv.includes('--admin');
  // An admin token lives at most advisorTokens.adminMaxLifetimeSeconds (1 h by default): that is its default too.
  const ttlText = option(argv, '--ttl');
  // Loaded as in demo mode so that origins are not required for minting; a made-up secret is refused below.
  const { config, secretGenerated } = resolveConfig({ argv: [...argv, '--demo'] });
  if (secretGenerated) {
    throw new UsageError('no secret configured: set LOTSE_ADVISOR_TOKEN_SECRET or advisorTokens.secret in the config file');
  }
  const roles = admin ? [ADMIN_ROLE] : [];
  const ttl = ttlText === undefined ? (admin ? maxLifetimeOf(config, 'admin') : 8 * 3600) : parseTtl(ttlText);
  if (ttl > maxLifetimeOf(config, admin ? 'admin' : 'advisor')) {
    throw new UsageError(`--ttl must be at most ${maxLifetimeOf(config, admin ? 'admin' : 'advisor')} seconds for ${admin ? 'an admin' : 'an advisor'} token (advisorTokens.${admin ? 'adminMaxLifetimeSeconds' : 'maxLifetimeSeconds'})`);
  }
  process.stdout.write(`${await mintAdvisorToken({ id, name, roles }, config, ttl)}\n`);
}

/** The configuration for commands that only touch storage: origins and secret are not needed for them. */
function storageConfig(argv: readonly string[]) {
  return resolveConfig({ argv: [...argv, '--demo'] }).config;
}

function usage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw error instanceof RangeError ? new UsageError(error.message) : error;
  }
}

async function auditExport(argv: readonly string[]): Promise<void> {
  const range = usage(() => ({
    since: parseInstant('--since', option(argv, '--since')),
    until: parseInstant('--until', option(argv, '--until')),
  }));
  const format = usage(() => parseFormat(option(argv, '--format')));
  const db = await openStore(storageConfig(argv).storage);
  try {
    await exportAudit(db, range, format, (chunk) => new Promise<void>((resolve, reject) => {
      process.stdout.write(chunk, (error) => (error ? reject(error) : resolve()));
    }));
  } finally {
    await db.close();
  }
}

async function purge(argv: readonly string[]): Promise<void> {
  const config = storageConfig(argv);
  const db = await openStore(config.storage);
  try {
    const result = await purgeAudit(db, config.audit.retentionDays);
    process.stdout.write(
      `purged ${result.events} audit record(s) and ${result.lastTransactions} last transaction(s) older than ` +
        `${result.cutoff.toISOString()} (${config.audit.retentionDays} days)\n`,
    );
    const transcripts = await purgeTranscripts(db);
    process.stdout.write(
      `purged ${transcripts.chats} member chat transcript(s) with ${transcripts.messages} message(s) past their ` +
        `retention (${config.member.transcriptRetentionDays} days)\n`,
    );
  } finally {
    await db.close();
  }
}

function checkConfig(argv: readonly string[]): void {
  const { config, secretGenerated } = resolveConfig({ argv });
  process.stdout.write(`${JSON.stringify(redactConfig(config), null, 2)}\n`);
  if (secretGenerated) process.stdout.write('(demo mode: the advisor token secret is generated per process)\n');
}

async function webhooks(argv: readonly string[]): Promise<void> {
  const status = usage(() => parseDeliveryStatus(option(argv, '--status')));
  const db = await openStore(storageConfig(argv).storage);
  try {
    process.stdout.write(formatDeliveries(await listDeliveries(db, status)));
  } finally {
    await db.close();
  }
}

async function webhookRetry(argv: readonly string[]): Promise<void> {
  const allFailing = argv.includes('--all-failing');
  const chatId = argv.find((arg, i) => !arg.startsWith('--') && argv[i - 1] !== '--config');
  if (allFailing === (chatId !== undefined)) throw new UsageError('webhook-retry needs a chat id or --all-failing');
  const db = await openStore(storageConfig(argv).storage);
  try {
    const touched = await retryNow(db, chatId === undefined ? 'all-failing' : { chatId }, new Date());
    if (chatId !== undefined && touched.length === 0) {
      throw new UsageError(`no undelivered transcript for chat ${chatId}`);
    }
    process.stdout.write(`${touched.length} delivery(ies) due now${touched.length > 0 ? `: ${touched.join(', ')}` : ''}\n`);
  } finally {
    await db.close();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        await serve(rest);
        return -1;
      case 'mint-advisor-token':
        await mint(rest);
        return 0;
      case 'check-config':
        checkConfig(rest);
        return 0;
      case 'audit-export':
        await auditExport(rest);
        return 0;
      case 'purge':
        await purge(rest);
        return 0;
      case 'webhooks':
        await webhooks(rest);
        return 0;
      case 'webhook-retry':
        await webhookRetry(rest);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(HELP);
        return command === undefined ? 1 : 0;
      default:
        process.stderr.write(`Unknown command "${command}".\n\n${HELP}`);
        return 1;
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    process.stderr.write(`lotse: ${error instanceof Error ? error.message : 'failed'}\n`);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
