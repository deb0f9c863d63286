/** Unit test of the reconnecting socket alone, with a fake WebSocket and fake timers. */
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { Connection } from '../../src/client/connection.js';
import type { ConnectionState, WebSocketLike } from '../../src/client/connection.js';
import {
  CLIENT_PING_INTERVAL_MS,
  CLIENT_PONG_TIMEOUT_MS,
  RECONNECT_BASE_MS,
  RECONNECT_MAX_MS,
} from '../../src/protocol/limits.js';
import { CloseCode } from '../../src/protocol/errors.js';

class FakeSocket extends EventTarget {
  static made: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    super();
    FakeSocket.made.push(this);
  }
  send(frame: string) {
    this.sent.push(frame);
  }
  close(code = 1000) {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    this.dispatchEvent(Object.assign(new Event('close'), { code }));
  }
  open() {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
  }
  receive(data: string) {
    this.dispatchEvent(Object.assign(new Event('message'), { data }));
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.dispatchEvent(Object.assign(new Event('close'), { code }));
  }
}

const last = () => FakeSocket.made.at(-1)!;

function make(overrides: { random?: () => number; window?: EventTarget } = {}) {
  const states: ConnectionState[] = [];
  const received: unknown[] = [];
  const invalid: string[] = [];
  let opens = 0;
  const connection = new Connection<{ type: string }>({
    url: 'ws://lotse.test/ws/visitor',
    protocols: () => ['extra'],
    parse: (raw) =>
      raw.startsWith('{')
        ? { ok: true, message: JSON.parse(raw) }
        : { ok: false, code: 'LOTSE_ERR_MALFORMED', message: 'bad' },
    onOpen: () => (opens += 1),
    onMessage: (message) => received.push(message),
    onState: (state) => states.push(state),
    onInvalid: (error) => invalid.push(error.code),
    pingFrame: '{"type":"session.ping"}',
    WebSocket: FakeSocket as unknown as WebSocketLike,
    random: overrides.random ?? (() => 1),
    events: { window: overrides.window ?? new EventTarget() },
  });
  return { connection, states, received, invalid, opens: () => opens };
}

describe('Connection', () => {
  beforeEach(() => {
    FakeSocket.made = [];
    mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  });
  afterEach(() => mock.timers.reset());

  it('asks for lotse.v1 and the extra protocols, calls onOpen, parses every frame', () => {
    const t = make();
    t.connection.connect();
    assert.deepEqual(last().protocols, ['lotse.v1', 'extra']);
    last().open();
    assert.equal(t.opens(), 1);
    last().receive('{"type":"chat.typing"}');
    last().receive('garbage');
    assert.deepEqual(t.received, [{ type: 'chat.typing' }]);
    assert.deepEqual(t.invalid, ['LOTSE_ERR_MALFORMED']);
    assert.equal(t.connection.send('x'), true);
    t.connection.close();
  });

  it('backs off exponentially with full jitter up to the cap, and resets after success', () => {
    const t = make({ random: () => 0.999 });
    t.connection.connect();
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 8; attempt += 1) {
      const before = FakeSocket.made.length;
      last().drop();
      const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** (attempt - 1));
      mock.timers.tick(Math.floor(0.999 * ceiling) - 1);
      assert.equal(FakeSocket.made.length, before, `attempt ${attempt} waits`);
      mock.timers.tick(1);
      assert.equal(FakeSocket.made.length, before + 1, `attempt ${attempt} retries`);
      delays.push(ceiling);
    }
    assert.equal(delays.at(-1), RECONNECT_MAX_MS);
    last().open();
    const afterSuccess = FakeSocket.made.length;
    last().drop();
    mock.timers.tick(Math.floor(0.999 * RECONNECT_BASE_MS));
    assert.equal(FakeSocket.made.length, afterSuccess + 1, 'the first retry after a success waits the base delay only');
    t.connection.close();
  });

  it('retries at once when the browser comes back online', () => {
    const win = new EventTarget();
    const t = make({ window: win });
    t.connection.connect();
    last().open();
    last().drop();
    const count = FakeSocket.made.length;
    win.dispatchEvent(new Event('online'));
    assert.equal(FakeSocket.made.length, count + 1);
    t.connection.close();
  });

  it('treats a socket without answer to its ping as dead and reconnects', () => {
    const t = make();
    t.connection.connect();
    last().open();
    const first = last();
    mock.timers.tick(CLIENT_PING_INTERVAL_MS);
    assert.deepEqual(first.sent, ['{"type":"session.ping"}']);
    mock.timers.tick(CLIENT_PONG_TIMEOUT_MS);
    assert.notEqual(last(), first, 'a new socket was opened');
    assert.equal(first.readyState, 3);
    t.connection.close();
  });

  it('does not reconnect after a final close code, and close() is idempotent and leaves no timer', () => {
    const t = make();
    t.connection.connect();
    last().open();
    last().drop(CloseCode.Policy);
    assert.equal(t.states.at(-1), 'closed');
    const count = FakeSocket.made.length;
    mock.timers.tick(RECONNECT_MAX_MS * 2);
    assert.equal(FakeSocket.made.length, count);
    t.connection.close();
    t.connection.close();
    assert.throws(() => t.connection.connect(), /LOTSE_ERR_CLOSED/);
  });

  it('stays closed after the server closed an idle socket (4004): no retry loop', () => {
    const win = new EventTarget();
    const t = make({ window: win });
    t.connection.connect();
    last().open();
    last().drop(CloseCode.Idle);
    assert.equal(t.states.at(-1), 'closed');
    const count = FakeSocket.made.length;
    mock.timers.tick(RECONNECT_MAX_MS * 4);
    win.dispatchEvent(new Event('online'));
    assert.equal(FakeSocket.made.length, count, 'no socket was opened again');
    t.connection.close();
  });
});
