import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterEach, test } from 'node:test';
import { ConfigError, redactConfig } from '../../../src/server/config/lotse-config.js';
import { loadConfig } from '../../../src/server/config/load.js';
import { startServer } from '../helpers.js';
import type { Harness } from '../helpers.js';
import { liveSession, newCode, readyAdvisor, unusedWebcode, wrongStartCode } from './cobrowse-helpers.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const TURN_SECRET = 'coturn-static-auth-secret-0123456789';

test("TURN credentials follow coturn's REST scheme; the secret never goes out", async () => {
  const h = (harness = await startServer({
    cobrowse: {
      ice: {
        stunUrls: ['stun:stun.example-kasse.de:3478'],
        turnUrls: ['turn:turn.example-kasse.de:3478?transport=udp', 'turns:turn.example-kasse.de:5349'],
        turnSecret: TURN_SECRET,
        turnTtlSeconds: 900,
        transportPolicy: 'relay',
      },
    },
  }));
  const before = Math.floor(Date.now() / 1000);
  const { advisor, visitor, sessionId, visitorStarted, advisorStarted } = await liveSession(h);
  const after = Math.floor(Date.now() / 1000);
  for (const started of [visitorStarted, advisorStarted]) {
    assert.equal(started.iceTransportPolicy, 'relay');
    const [stun, turn] = started.iceServers;
    assert.deepEqual(stun, { urls: ['stun:stun.example-kasse.de:3478'] });
    assert.deepEqual(turn?.urls, ['turn:turn.example-kasse.de:3478?transport=udp', 'turns:turn.example-kasse.de:5349']);
    const [expiry, user] = (turn?.username ?? '').split(':');
    assert.equal(user, sessionId);
    assert.ok(Number(expiry) >= before + 900 && Number(expiry) <= after + 900, 'expires turnTtlSeconds from now');
    const expected = createHmac('sha1', TURN_SECRET)
      .update(turn?.username ?? '')
      .digest('base64');
    assert.equal(turn?.credential, expected);
  }
  advisor.send({ type: 'cobrowse.end', sessionId });
  await visitor.next('cobrowse.ended');
  await advisor.next('cobrowse.ended');
  for (const frame of [...visitor.frames, ...advisor.frames]) assert.ok(!frame.includes(TURN_SECRET));
  assert.ok(!h.logs.join('\n').includes(TURN_SECRET));
});

test('no log line carries an IP address, a code, a token, a name or a signal; one audit line per session', async () => {
  const h = (harness = await startServer({ trustProxy: true }));
  const xff = { headers: { 'X-Forwarded-For': '198.51.100.23' } };
  const stranger = await h.visitor(xff);
  stranger.send({ type: 'cobrowse.join', webcode: unusedWebcode([]) });
  await stranger.next('error');
  const advisor = await readyAdvisor(h, 'adv-audit', 'Anna Beraterin');
  const start = Date.now();
  const live = await liveSession(h, { advisor });
  live.advisor.send({ type: 'cobrowse.start', sessionId: live.sessionId, startCode: wrongStartCode(live.startCode) });
  await live.advisor.next('error');
  const secretSignal = '{"candidate":"candidate:1 1 udp 2122260223 192.168.77.12 54321 typ host"}';
  live.visitor.send({ type: 'cobrowse.signal', sessionId: live.sessionId, signal: secretSignal });
  await live.advisor.next('cobrowse.signal');
  const unused = await newCode(advisor);
  live.visitor.send({ type: 'cobrowse.end', sessionId: live.sessionId });
  await live.advisor.next('cobrowse.ended');
  await h.server.close();

  const lines = h.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
  const secrets = [
    live.webcode,
    unused.webcode,
    live.startCode,
    live.visitorStarted.resumeToken,
    '127.0.0.1',
    '198.51.100',
    '192.168.77',
    'Anna',
    'candidate',
  ];
  for (const line of lines) {
    for (const [key, value] of Object.entries(line)) {
      for (const secret of secrets) {
        assert.ok(
          typeof value !== 'string' || !value.includes(secret),
          `${key} of ${line['event']} contains "${secret}"`,
        );
        assert.ok(typeof value !== 'number' || String(value) !== secret, `${key} of ${line['event']} is "${secret}"`);
      }
    }
  }

  const created = lines.filter((line) => line['event'] === 'cobrowse.code.created');
  // The advisor is in the audit log (the store), not in log lines.
  assert.deepEqual(
    created.map((line) => [line['advisorId'], line['sessionId']]),
    [
      [undefined, live.sessionId],
      [undefined, unused.sessionId],
    ],
  );
  const sessions = lines.filter((line) => line['event'] === 'cobrowse.session');
  assert.equal(sessions.length, 2, 'one line per session: the live one and the offered one ended by shutdown');
  const [audit, offered] = sessions;
  assert.deepEqual(Object.keys(audit ?? {}).sort(), [
    'durationMs',
    'endedAt',
    'endedBy',
    'event',
    'level',
    'reached',
    'sessionId',
    'startedAt',
    't',
  ]);
  assert.equal(audit?.['sessionId'], live.sessionId);
  assert.equal(audit?.['endedBy'], 'visitor');
  assert.equal(audit?.['reached'], 'live');
  const startedAt = Number(audit?.['startedAt']);
  const endedAt = Number(audit?.['endedAt']);
  assert.ok(startedAt >= start && endedAt >= startedAt && endedAt <= Date.now());
  assert.equal(audit?.['durationMs'], endedAt - startedAt);
  assert.deepEqual(
    [
      offered?.['sessionId'],
      offered?.['endedBy'],
      offered?.['reached'],
      offered?.['durationMs'],
      offered?.['startedAt'],
    ],
    [unused.sessionId, 'server', 'offered', 0, undefined],
  );
});

test('/lotse/cobrowse-terms.js serves the configured co-browse terms as a module', async () => {
  const h = (harness = await startServer());
  const response = await fetch(`${h.url}/lotse/cobrowse-terms.js`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
  assert.equal(response.headers.get('cache-control'), 'no-cache');
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  const body = await response.text();
  const module = (await import(`data:text/javascript;base64,${Buffer.from(body).toString('base64')}`)) as {
    default: { version: string; text: { de: string; en: string } };
  };
  assert.deepEqual(module.default, {
    version: h.server.config.cobrowse.terms.version,
    text: h.server.config.cobrowse.terms.text,
  });
  const { de, en } = module.default.text;
  for (const phrase of [
    'Ihre Krankenkasse',
    'Webcode',
    'Startcode',
    'nicht klicken',
    'verdeckt',
    'Mauszeiger',
    'jederzeit',
    'Bestätigung Nutzungs- und Teilnahmebedingungen',
    'Co-Browsing Sitzung starten',
  ]) {
    assert.ok(de.includes(phrase), `German terms mention "${phrase}"`);
  }
  assert.ok(!de.includes('Barmer') && !en.includes('Barmer'));
  for (const phrase of ['start code', 'cannot click', 'masked', 'pointer', 'at any time'])
    assert.ok(en.includes(phrase), `English terms mention "${phrase}"`);
});

const BASE_ENV = {
  LOTSE_ALLOWED_ORIGINS: 'https://www.example-kasse.de',
  LOTSE_ADVISOR_TOKEN_SECRET: 'a-very-long-secret-with-more-than-32-characters',
};

function issuesOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig({ env: { ...BASE_ENV, ...env } });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.issues;
  }
  assert.fail('expected a ConfigError');
}

test('co-browse configuration: defaults, environment variables, validation, redaction', () => {
  const plain = loadConfig({ env: BASE_ENV });
  assert.equal(plain.trustProxy, false);
  assert.equal(plain.cobrowse.webcodeTtlMinutes, 20);
  assert.deepEqual(plain.cobrowse.ice, { stunUrls: [], turnUrls: [], turnTtlSeconds: 600, transportPolicy: 'all' });

  const config = loadConfig({
    env: {
      ...BASE_ENV,
      LOTSE_TRUST_PROXY: 'true',
      LOTSE_COBROWSE_WEBCODE_TTL_MINUTES: '15',
      LOTSE_COBROWSE_TERMS_VERSION: '2027-02',
      LOTSE_COBROWSE_STUN_URLS: 'stun:a.example:3478, stun:b.example:3478',
      LOTSE_COBROWSE_TURN_URLS: 'turns:t.example:5349',
      LOTSE_COBROWSE_TURN_SECRET: TURN_SECRET,
      LOTSE_COBROWSE_TURN_TTL_SECONDS: '300',
      LOTSE_COBROWSE_ICE_TRANSPORT_POLICY: 'relay',
    },
  });
  assert.equal(config.trustProxy, true);
  assert.equal(config.cobrowse.webcodeTtlMinutes, 15);
  assert.equal(config.cobrowse.terms.version, '2027-02');
  assert.deepEqual(config.cobrowse.ice, {
    stunUrls: ['stun:a.example:3478', 'stun:b.example:3478'],
    turnUrls: ['turns:t.example:5349'],
    turnSecret: TURN_SECRET,
    turnTtlSeconds: 300,
    transportPolicy: 'relay',
  });
  assert.equal(redactConfig(config).cobrowse.ice.turnSecret, '[redacted]');
  assert.equal(redactConfig(plain).cobrowse.ice.turnSecret, undefined);

  assert.deepEqual(
    issuesOf({
      LOTSE_TRUST_PROXY: 'perhaps',
      LOTSE_COBROWSE_WEBCODE_TTL_MINUTES: '0',
      LOTSE_COBROWSE_STUN_URLS: 'https://stun.example',
      LOTSE_COBROWSE_TURN_TTL_SECONDS: '90.5',
      LOTSE_COBROWSE_ICE_TRANSPORT_POLICY: 'turn-only',
    }),
    [
      'trustProxy (env LOTSE_TRUST_PROXY): must be 1/true or 0/false, got "perhaps"',
      'cobrowse.webcodeTtlMinutes (env LOTSE_COBROWSE_WEBCODE_TTL_MINUTES): must be greater than 0',
      'cobrowse.ice.stunUrls (env LOTSE_COBROWSE_STUN_URLS): "https://stun.example" is not a stun: or stuns: URL like stun:stun.example-kasse.de:3478',
      'cobrowse.ice.turnTtlSeconds (env LOTSE_COBROWSE_TURN_TTL_SECONDS): must be an integer',
      'cobrowse.ice.transportPolicy (env LOTSE_COBROWSE_ICE_TRANSPORT_POLICY): must be "all" or "relay"',
    ],
  );
  assert.deepEqual(
    issuesOf({ LOTSE_COBROWSE_TURN_URLS: 'turn:t.example:3478', LOTSE_COBROWSE_ICE_TRANSPORT_POLICY: 'relay' }),
    ['cobrowse.ice.turnSecret (env LOTSE_COBROWSE_TURN_SECRET): required when cobrowse.ice.turnUrls are set'],
  );
  assert.deepEqual(issuesOf({ LOTSE_COBROWSE_ICE_TRANSPORT_POLICY: 'relay' }), [
    'cobrowse.ice.transportPolicy (env LOTSE_COBROWSE_ICE_TRANSPORT_POLICY): "relay" needs cobrowse.ice.turnUrls (no connection could ever be made)',
  ]);
  const short = issuesOf({ LOTSE_COBROWSE_TURN_URLS: 'turn:t.example:3478', LOTSE_COBROWSE_TURN_SECRET: 'tooshort' });
  assert.deepEqual(short, [
    'cobrowse.ice.turnSecret (env LOTSE_COBROWSE_TURN_SECRET): must be at least 16 characters long',
  ]);
});
