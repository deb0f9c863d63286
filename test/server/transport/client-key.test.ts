/** The one client keyer (`transport/client-key.ts`): addresses, keys, rotation, and what a rotation must not forget. */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { ClientKeyer, addressScope, clientAddress } from '../../../src/server/transport/client-key.js';
import { Capacity } from '../../../src/server/transport/capacity.js';

test('client addresses: socket by default, the last X-Forwarded-For entry only with trustProxy; keyed and rotated', () => {
  const request = (remoteAddress: string, xff?: string) =>
    ({
      socket: { remoteAddress },
      headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
    }) as unknown as IncomingMessage;
  assert.equal(clientAddress(request('10.0.0.1', '1.2.3.4'), false), '10.0.0.1');
  assert.equal(clientAddress(request('10.0.0.1', '1.2.3.4, 5.6.7.8 '), true), '5.6.7.8');
  assert.equal(clientAddress(request('10.0.0.1'), true), '10.0.0.1');

  assert.equal(addressScope('::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(addressScope('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
  assert.equal(addressScope('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64');
  assert.equal(addressScope('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(addressScope('::1'), '0:0:0:0::/64');

  let now = 0;
  const keyer = new ClientKeyer({ now: () => now });
  const key = keyer.keyOf('192.0.2.1');
  assert.match(key, /^[A-Za-z0-9_-]{43}$/);
  assert.ok(!key.includes('192'));
  assert.equal(keyer.keyOf('192.0.2.1'), key);
  assert.notEqual(keyer.keyOf('192.0.2.2'), key);
  assert.equal(keyer.keyOf('2001:db8:1:2::1'), keyer.keyOf('2001:db8:1:2::2'), 'one /64 is one client');
  now += 24 * 3600_000;
  assert.notEqual(keyer.keyOf('192.0.2.1'), key, 'the key rotates daily');
  assert.equal(keyer.keptKeys, 1, 'nothing keeps the replaced key');
});

test('after a rotation the replaced key is still handed out (keysOf) for keepPreviousMs, then dropped', () => {
  let now = 0;
  const keyer = new ClientKeyer({ now: () => now, periodMs: 1000, keepPreviousMs: 300 });
  const [before] = keyer.keysOf('192.0.2.1');
  assert.deepEqual(keyer.keysOf('192.0.2.1'), [before]);
  now = 1000;
  const after = keyer.keysOf('192.0.2.1');
  assert.equal(after.length, 2);
  assert.notEqual(after[0], before);
  assert.equal(after[1], before, 'the replaced key, for counts made under it');
  assert.equal(keyer.keyOf('192.0.2.1'), after[0]);
  now = 1300;
  assert.deepEqual(keyer.keysOf('192.0.2.1'), [after[0]]);
});

test('a key held by an open socket outlives keepPreviousMs, and goes with the last release', () => {
  let now = 0;
  const keyer = new ClientKeyer({ now: () => now, periodMs: 10_000, keepPreviousMs: 300 });
  const first = keyer.hold('192.0.2.1');
  const second = keyer.hold('192.0.2.1');
  assert.deepEqual(first.keys, [first.key]);
  now = 10_000;
  const later = keyer.hold('192.0.2.1');
  now = 10_400;
  assert.notEqual(later.key, first.key);
  assert.deepEqual(later.keys, [later.key, first.key]);
  assert.deepEqual(
    keyer.keysOf('192.0.2.1'),
    [later.key, first.key],
    'the held key is still handed out past keepPreviousMs',
  );
  first.release();
  first.release();
  assert.equal(keyer.keysOf('192.0.2.1').length, 2, 'a second socket still holds it (a release twice counts once)');
  second.release();
  assert.deepEqual(keyer.keysOf('192.0.2.1'), [later.key], 'dropped with the last release');
  later.release();
  assert.equal(keyer.keptKeys, 1);
});

test('capacity counts a client under all its keys: a rotation resets no count, and releases stay balanced', () => {
  let now = 0;
  const keyer = new ClientKeyer({ now: () => now, periodMs: 1000 });
  const capacity = new Capacity({ maxConnections: 100, maxPerClient: 2 });
  const admit = () => {
    const client = keyer.hold('198.51.100.7');
    const release = capacity.admit({ client });
    if (release === undefined) client.release();
    return release && (() => (release(), client.release()));
  };
  const a = admit();
  const b = admit();
  assert.ok(a && b);
  now = 1000; // the key rotates
  assert.equal(admit(), undefined, 'two sockets from before the rotation still count');
  a();
  const c = admit();
  assert.ok(c, 'a slot given back is free again');
  assert.equal(admit(), undefined);
  b();
  c();
  assert.equal(capacity.total, 0);
  assert.equal(keyer.keptKeys, 1, 'no socket holds the old key any more');
  assert.ok(capacity.admit({ client: keyer.hold('198.51.100.8') }), 'another client was never counted');
});
