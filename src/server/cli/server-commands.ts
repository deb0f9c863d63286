/** The commands around the server and its configuration: serve, check-config, mint-advisor-token. */
import { TOPIC_PATTERN } from '../../protocol/limits.js';
import { redactConfig } from '../config/lotse-config.js';
import type { LotseConfig } from '../config/lotse-config.js';
import { envReference } from '../config/reference.js';
import { ADMIN_ROLE, maxLifetimeOf, mintAdvisorToken } from '../transport/advisor-auth.js';
import { isLoopbackHost } from '../transport/loopback.js';
import { UsageError } from './args.js';
import { CONFIG_OPTION, DEMO_OPTION, configFrom } from './command.js';
import type { Command } from './command.js';

const configReference = (): string =>
  `Environment variables (they win over the config file; every setting: docs/configuration.md):\n${envReference()}`;

/** What `serve` starts: `createLotseServer` of `app/`, handed in by the bin (`cli.ts`), the one place that builds it. */
export type CreateServer = (config: LotseConfig) => {
  listen(): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
};

export const serveWith = (createServer: CreateServer): Command => ({
  name: 'serve',
  usage: 'serve [--config FILE] [--demo]',
  summary: 'start the server (demo mode serves the demo pages)',
  options: [CONFIG_OPTION, DEMO_OPTION],
  more: configReference,
  async run(args, io) {
    const { config, demoAlwaysOpen } = configFrom(args, io);
    const server = createServer(config);
    const { port, url } = await server.listen();
    io.out.write(`Lotse listening on ${url}\n`);
    if (config.demo) {
      io.out.write(`Demo mode. Visitor page: http://localhost:${port}/\n`);
      io.out.write(`           Advisor page: http://localhost:${port}/advisor.html\n`);
      if (demoAlwaysOpen)
        io.out.write('           Opening hours: always open (demo default; configure hours.* to try real hours)\n');
      if (!isLoopbackHost(config.host)) {
        io.err.write(
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
    return -1;
  },
});

export const checkConfig: Command = {
  name: 'check-config',
  usage: 'check-config [--config FILE] [--demo]',
  summary: 'validate and print the effective configuration (secrets redacted)',
  options: [CONFIG_OPTION, DEMO_OPTION],
  more: configReference,
  run(args, io) {
    const { config, secretGenerated } = configFrom(args, io);
    io.out.write(`${JSON.stringify(redactConfig(config), null, 2)}\n`);
    if (secretGenerated) io.out.write('(demo mode: the advisor token secret is generated per process)\n');
    return Promise.resolve(0);
  },
};

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

export function parseTtl(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * (UNIT_SECONDS[match[2] || 's'] ?? 1) : Number.NaN;
  if (!(seconds > 0)) throw new UsageError(`--ttl must look like 3600, 90s, 30m, 8h or 1d, got "${text}"`);
  return seconds;
}

export const mint: Command = {
  name: 'mint-advisor-token',
  usage: 'mint-advisor-token --id ID --name NAME [--ttl 8h|30m|3600] [--admin] [--topics a,b] [--config FILE]',
  summary:
    'print an advisor token signed with the configured secret (--admin: with the admin role, which may read ' +
    'GET /admin/audit); --ttl defaults to 8h (admin: 1h) and may not exceed the configured caps',
  options: [
    { name: 'id', value: 'ID', help: "the advisor's id (sub)" },
    { name: 'name', value: 'NAME', help: 'the name visitors see' },
    { name: 'ttl', value: 'TTL', help: 'lifetime: 3600, 90s, 30m, 8h or 1d; at most advisorTokens.maxLifetimeSeconds' },
    { name: 'admin', help: 'with the admin role (at most advisorTokens.adminMaxLifetimeSeconds, 1 h by default)' },
    {
      name: 'topics',
      value: 'A,B',
      help: "the advisor's topics (chat.topics ids): their chats come first in the queue",
    },
    CONFIG_OPTION,
  ],
  async run(args, io) {
    const id = args.text('id');
    const name = args.text('name');
    if (!id || !name) throw new UsageError('mint-advisor-token needs --id and --name');
    const admin = args.flag('admin');
    const topics = (args.text('topics') ?? '')
      .split(',')
      .map((topic) => topic.trim())
      .filter((topic) => topic !== '');
    const unfit = topics.find((topic) => !TOPIC_PATTERN.test(topic));
    if (unfit !== undefined)
      throw new UsageError(`--topics: "${unfit}" is no topic id (lower-case letters, digits, -)`);
    // An admin token lives at most advisorTokens.adminMaxLifetimeSeconds (1 h by default): that is its default too.
    const ttlText = args.text('ttl');
    // Loaded as in demo mode so that origins are not required for minting; a made-up secret is refused below.
    const { config, secretGenerated } = configFrom(args, io, true);
    if (secretGenerated) {
      throw new UsageError(
        'no secret configured: set LOTSE_ADVISOR_TOKEN_SECRET or advisorTokens.secret in the config file',
      );
    }
    const role = admin ? 'admin' : 'advisor';
    const ttl = ttlText === undefined ? (admin ? maxLifetimeOf(config, 'admin') : 8 * 3600) : parseTtl(ttlText);
    if (ttl > maxLifetimeOf(config, role)) {
      throw new UsageError(
        `--ttl must be at most ${maxLifetimeOf(config, role)} seconds for ${admin ? 'an admin' : 'an advisor'} token (advisorTokens.${admin ? 'adminMaxLifetimeSeconds' : 'maxLifetimeSeconds'})`,
      );
    }
    const advisor = { id, name, roles: admin ? [ADMIN_ROLE] : [], topics };
    io.out.write(`${await mintAdvisorToken(advisor, config, ttl)}\n`);
    return 0;
  },
};
