/**
 * The held echoes (`transport/held-echoes.ts`) as a unit, on fake sockets and mocked timers: an echo leaves at its
 * deadline or with the next frame to its socket, whichever comes first, in the order held; the deadlines run under
 * one timer; a close sends everything held and leaves no timer behind. The gateway's side (which frames are held,
 * what a close sends first) is in echo-delay.test.ts, on a real server.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { HeldEchoes, isOwnMessage } from '../../../src/server/transport/held-echoes.js';

interface Socket {
  readonly name: string;
}

const a: Socket = { name: 'a' };
const b: Socket = { name: 'b' };
const c: Socket = { name: 'c' };

/** Every write, as `socket:frame`, in order. */
let written: string[] = [];
const write = (socket: Socket, frame: string): void => void written.push(`${socket.name}:${frame}`);

beforeEach(() => {
  written = [];
  mock.timers.enable({ apis: ['setTimeout', 'Date'] });
});
afterEach(() => mock.timers.reset());

const echoes = (delayMs: number): HeldEchoes<Socket> => new HeldEchoes(delayMs, write, () => Date.now());

test('an echo leaves at its deadline', () => {
  const held = echoes(40);
  held.hold(a, 'e1');
  mock.timers.tick(29);
  assert.deepEqual(written, []);
  assert.equal(held.size, 1);
  mock.timers.tick(11);
  assert.deepEqual(written, ['a:e1']);
  assert.equal(held.size, 0);
  held.close();
});

test('a later frame to the socket first sends what it holds, in order; other sockets keep theirs', () => {
  const held = echoes(40);
  held.hold(a, 'e1');
  held.hold(a, 'e2');
  held.hold(b, 'f1');
  mock.timers.tick(5);
  // What the gateway does before any other frame to `a`: release, then write.
  held.release(a);
  write(a, 'answer');
  assert.deepEqual(written, ['a:e1', 'a:e2', 'a:answer']);
  held.release(a); // nothing held: nothing sent
  assert.deepEqual(written, ['a:e1', 'a:e2', 'a:answer']);
  mock.timers.tick(35);
  assert.deepEqual(written, ['a:e1', 'a:e2', 'a:answer', 'b:f1']);
  held.close();
});

test('echoes held after the first keep its deadline and leave with it', () => {
  const held = echoes(40);
  held.hold(a, 'e1');
  mock.timers.tick(25);
  held.hold(a, 'e2');
  mock.timers.tick(15);
  assert.deepEqual(written, ['a:e1', 'a:e2']);
  held.close();
});

test('deadlines in FIFO order under one timer, which takes along what is due within a quarter of the delay', () => {
  const held = echoes(40);
  let timers = 0;
  const setTimeoutMocked = globalThis.setTimeout;
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
    timers += 1;
    return setTimeoutMocked(...args);
  }) as typeof setTimeout;
  try {
    held.hold(a, 'a1'); // due 40
    mock.timers.tick(5);
    held.hold(b, 'b1'); // due 45: within 40 + 10, leaves with a1
    mock.timers.tick(15);
    held.hold(c, 'c1'); // due 60: its own turn
    for (let i = 0; i < 100; i += 1) held.hold({ name: `s${i}` }, 'x'); // due 60 as well
    assert.equal(timers, 1, 'one timer for every deadline');
    mock.timers.tick(19); // t = 39
    assert.deepEqual(written, []);
    mock.timers.tick(1); // t = 40
    assert.deepEqual(written, ['a:a1', 'b:b1']);
    mock.timers.tick(19); // t = 59
    assert.equal(written.length, 2);
    mock.timers.tick(1); // t = 60
    assert.equal(written.length, 103);
    assert.equal(written[2], 'c:c1');
    assert.equal(timers, 2);
    assert.equal(held.size, 0);
  } finally {
    globalThis.setTimeout = setTimeoutMocked;
    held.close();
  }
});

test('a socket released early leaves nothing in the queue that is sent again', () => {
  const held = echoes(40);
  held.hold(a, 'a1');
  held.release(a);
  held.hold(a, 'a2'); // a new hold, with a deadline of its own
  mock.timers.tick(40);
  assert.deepEqual(written, ['a:a1', 'a:a2']);
  held.close();
});

test('a dropped socket (gone) sends nothing; the others still leave', () => {
  const held = echoes(40);
  held.hold(a, 'a1');
  held.hold(b, 'b1');
  held.drop(a);
  held.drop(c); // holds nothing: no-op
  mock.timers.tick(40);
  assert.deepEqual(written, ['b:b1']);
  held.close();
});

test('close sends everything held, in the order held, and leaves no timer; it is idempotent', () => {
  const held = echoes(40);
  held.hold(b, 'b1');
  held.hold(a, 'a1');
  held.hold(b, 'b2');
  held.close();
  assert.deepEqual(written, ['b:b1', 'b:b2', 'a:a1']);
  held.close();
  mock.timers.tick(1000);
  assert.deepEqual(written, ['b:b1', 'b:b2', 'a:a1']);
  assert.equal(held.size, 0);
  // Still usable: a later hold starts the timer again.
  held.hold(c, 'c1');
  mock.timers.tick(40);
  assert.deepEqual(written.at(-1), 'c:c1');
  held.close();
});

test('a delay of 0 holds nothing', () => {
  const held = echoes(0);
  held.hold(a, 'a1');
  assert.deepEqual(written, ['a:a1']);
  assert.equal(held.size, 0);
  held.close();
});

test('a delay that is no number of milliseconds is refused', () => {
  assert.throws(() => echoes(-1), TypeError);
  assert.throws(() => echoes(Number.NaN), TypeError);
});

test('an echo is a chat message event from the socket’s own side, nothing else', () => {
  const message = (from: 'visitor' | 'advisor') =>
    ({
      type: 'chat.event',
      seq: 3,
      event: { kind: 'message', id: 'm1', from, text: 'Hallo', at: 1 },
    }) as const;
  assert.equal(isOwnMessage('visitor', message('visitor')), true);
  assert.equal(isOwnMessage('visitor', message('advisor')), false);
  assert.equal(isOwnMessage('advisor', { ...message('advisor'), chatId: 'c1' }), true);
  assert.equal(isOwnMessage('advisor', { ...message('visitor'), chatId: 'c1' }), false);
  assert.equal(
    isOwnMessage('visitor', { type: 'chat.event', seq: 4, event: { kind: 'ended', by: 'visitor', at: 2 } }),
    false,
  );
  assert.equal(isOwnMessage('visitor', { type: 'chat.typing', typing: true }), false);
});

test('a long queue is trimmed as it is sent, and keeps its order', () => {
  const held = echoes(40);
  const sockets = Array.from({ length: 3000 }, (_, i) => ({ name: `s${i}` }));
  for (const socket of sockets.slice(0, 2000)) held.hold(socket, 'x'); // due 40
  mock.timers.tick(20);
  for (const socket of sockets.slice(2000)) held.hold(socket, 'y'); // due 60
  mock.timers.tick(20);
  assert.equal(written.length, 2000);
  held.hold(sockets[0] as Socket, 'z'); // due 80, behind the rest
  mock.timers.tick(20);
  assert.equal(written.length, 3000);
  mock.timers.tick(20);
  assert.deepEqual(written.slice(1999, 2001), ['s1999:x', 's2000:y']);
  assert.deepEqual(written.at(-1), 's0:z');
  assert.equal(held.size, 0);
  held.close();
});

test('an echo that is due leaves with the next echo held, without waiting for the timer', () => {
  // The clock apart from the timers: the loop is busy, and the timer's turn has not come when the next echo does.
  let clock = 0;
  const held = new HeldEchoes<Socket>(40, write, () => clock);
  held.hold(a, 'a1'); // due 40
  clock = 39;
  held.hold(b, 'b1'); // due 79; a1 is not due yet
  assert.deepEqual(written, []);
  clock = 40;
  held.hold(c, 'c1');
  assert.deepEqual(written, ['a:a1']);
  clock = 79;
  mock.timers.tick(40); // the timer, at last: b1 is due, c1 (80) within a quarter of the delay
  assert.deepEqual(written, ['a:a1', 'b:b1', 'c:c1']);
  assert.equal(held.size, 0);
  held.close();
});
