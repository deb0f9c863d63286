/**
 * The advisor's session alone (no element), on the fake socket, the test playing the server: the visitor's
 * presence and read receipts per chat, and the advisor's own presence while the chat is closed.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { AdvisorSession } from '../../src/client/advisor-session.js';
import type { SequencedEvent } from '../../src/protocol/messages.js';
import { FakeSocket, FakeWebSocket } from './fake-socket.js';
import { visitorMessage } from './helpers.js';

const CHAT = 'chat-aaaa-1';
const joined: SequencedEvent = { seq: 1, event: { kind: 'joined', advisor: 'Anna', at: Date.now() } };

let sessions: AdvisorSession[] = [];

function connected(): { session: AdvisorSession; socket: FakeSocket } {
  FakeSocket.instances = [];
  const session = new AdvisorSession({
    url: 'wss://lotse.example/ws/advisor',
    token: () => 'token-1',
    WebSocket: FakeWebSocket,
    random: () => 0,
    events: { window: new EventTarget() },
  });
  sessions.push(session);
  session.connect();
  const socket = FakeSocket.last;
  socket.open();
  socket.receive({
    type: 'advisor.welcome',
    advisor: { id: 'a-1', name: 'Anna' },
    presence: 'available',
    now: Date.now(),
  });
  return { session, socket };
}

function assigned(socket: FakeSocket, events: SequencedEvent[] = [joined], away?: true): void {
  socket.receive({
    type: 'chat.assigned',
    chatId: CHAT,
    visitor: { kind: 'anonymous', nickname: 'Kim' },
    events,
    ...(away === undefined ? {} : { away }),
  });
}

const reads = (socket: FakeSocket) => socket.sentOf('chat.read').map(({ chatId, seq }) => ({ chatId, seq }));

afterEach(() => {
  for (const session of sessions) session.close();
  sessions = [];
});

describe("AdvisorSession: the visitor's presence", () => {
  it('keeps per chat whether the visitor is away, from chat.assigned and chat.presence', async () => {
    const { session, socket } = connected();
    assigned(socket, [joined], true);
    const chat = session.chats.get(CHAT)!;
    expect(chat.away).to.equal(true);
    let changes = 0;
    session.subscribe(() => (changes += 1));
    socket.receive({ type: 'chat.presence', chatId: CHAT, present: true });
    expect(chat.away).to.equal(false);
    expect(changes, 'the console re-renders').to.equal(1);
    socket.receive({ type: 'chat.presence', chatId: CHAT, present: false });
    expect(chat.away).to.equal(true);
    // A presence for a chat this session does not hold changes nothing.
    socket.receive({ type: 'chat.presence', chatId: 'chat-zzzz-9', present: true });
    expect(session.chats.has('chat-zzzz-9')).to.equal(false);
    expect(changes).to.equal(2);
  });

  it('a chat assigned without away has the visitor there', () => {
    const { session, socket } = connected();
    assigned(socket);
    expect(session.chats.get(CHAT)!.away).to.equal(false);
  });
});

describe('AdvisorSession: read receipts', () => {
  it("keeps the visitor's read position as the highest that came", () => {
    const { session, socket } = connected();
    assigned(socket, [joined, visitorMessage(2, 'msg-visitor-1', 'Hallo')]);
    const chat = session.chats.get(CHAT)!;
    expect(chat.visitorRead).to.equal(0);
    socket.receive({ type: 'chat.read', chatId: CHAT, seq: 2 });
    expect(chat.visitorRead).to.equal(2);
    // A reloaded page may start lower: the position never goes back.
    socket.receive({ type: 'chat.read', chatId: CHAT, seq: 1 });
    expect(chat.visitorRead).to.equal(2);
    socket.receive({ type: 'chat.read', chatId: 'chat-zzzz-9', seq: 5 });
    expect(session.chats.size).to.equal(1);
  });

  it("markRead sends the chat's last seq only when it is further than what was sent", () => {
    const { session, socket } = connected();
    assigned(socket, [joined, visitorMessage(2, 'msg-visitor-1', 'Hallo')]);
    session.markRead(CHAT);
    session.markRead(CHAT);
    expect(reads(socket)).to.deep.equal([{ chatId: CHAT, seq: 2 }]);
    socket.receive({ type: 'chat.event', chatId: CHAT, ...visitorMessage(3, 'msg-visitor-2', 'Noch da?') });
    session.markRead(CHAT);
    session.markRead(CHAT);
    expect(reads(socket)).to.deep.equal([
      { chatId: CHAT, seq: 2 },
      { chatId: CHAT, seq: 3 },
    ]);
    expect(session.chats.get(CHAT)!.advisorRead).to.equal(3);
    session.markRead('chat-zzzz-9');
    expect(reads(socket)).to.have.length(2);
  });

  it('sends no read while offline (and sends it once back), and none for an ended chat', async () => {
    const { session, socket } = connected();
    assigned(socket);
    session.markRead(CHAT);
    expect(reads(socket)).to.deep.equal([{ chatId: CHAT, seq: 1 }]);
    socket.receive({ type: 'chat.event', chatId: CHAT, ...visitorMessage(2, 'msg-visitor-1', 'Hallo') });
    socket.close(1006);
    session.markRead(CHAT);
    expect(session.chats.get(CHAT)!.advisorRead, 'not sent, so not counted').to.equal(1);

    await waitUntil(() => FakeSocket.instances.length === 2, 'no reconnect');
    const again = FakeSocket.last;
    again.open();
    session.markRead(CHAT);
    expect(reads(again), 'not before the server has sent the chat again').to.deep.equal([]);
    assigned(again, []);
    session.markRead(CHAT);
    expect(reads(again).at(-1)).to.deep.equal({ chatId: CHAT, seq: 2 });

    again.receive({
      type: 'chat.event',
      chatId: CHAT,
      seq: 3,
      event: { kind: 'ended', by: 'visitor', at: Date.now() },
    });
    const before = reads(again).length;
    session.markRead(CHAT);
    expect(reads(again)).to.have.length(before);
  });

  it('says its read position again when the visitor comes back, and only when it has read anything', () => {
    const { session, socket } = connected();
    assigned(socket, [joined, visitorMessage(2, 'msg-visitor-1', 'Hallo')]);
    socket.receive({ type: 'chat.presence', chatId: CHAT, present: false });
    socket.receive({ type: 'chat.presence', chatId: CHAT, present: true });
    expect(reads(socket), 'nothing read yet: nothing to say').to.deep.equal([]);

    session.markRead(CHAT);
    socket.receive({ type: 'chat.presence', chatId: CHAT, present: false });
    expect(reads(socket)).to.deep.equal([{ chatId: CHAT, seq: 2 }]);
    socket.receive({ type: 'chat.presence', chatId: CHAT, present: true });
    expect(reads(socket), 'the new page has lost it: said again').to.deep.equal([
      { chatId: CHAT, seq: 2 },
      { chatId: CHAT, seq: 2 },
    ]);
    // "Present" without having been away (a second socket taking over) is no new page.
    socket.receive({ type: 'chat.presence', chatId: CHAT, present: true });
    expect(reads(socket)).to.have.length(2);
  });

  it('after a reconnect says its read position again unless the visitor is away', async () => {
    const { session, socket } = connected();
    assigned(socket, [joined, visitorMessage(2, 'msg-visitor-1', 'Hallo')]);
    session.markRead(CHAT);
    socket.close(1006);
    await waitUntil(() => FakeSocket.instances.length === 2, 'no reconnect');
    const second = FakeSocket.last;
    second.open();
    assigned(second, [], true);
    expect(reads(second), 'the page is away: it hears it when it comes back').to.deep.equal([]);
    second.receive({ type: 'chat.presence', chatId: CHAT, present: true });
    expect(reads(second)).to.deep.equal([{ chatId: CHAT, seq: 2 }]);

    second.close(1006);
    await waitUntil(() => FakeSocket.instances.length === 3, 'no second reconnect');
    const third = FakeSocket.last;
    third.open();
    assigned(third, []);
    // The page may have changed while this console was offline.
    expect(reads(third)).to.deep.equal([{ chatId: CHAT, seq: 2 }]);
  });
});

describe("AdvisorSession: the advisor's own presence", () => {
  it("shows away while the chat is closed, without taking it as the advisor's choice", () => {
    const { session, socket } = connected();
    session.setPresence('available');
    socket.receive({ type: 'advisor.presence', status: 'away', closed: true });
    expect(session.presence).to.equal('away');
    socket.receive({ type: 'advisor.presence', status: 'available' });
    expect(session.presence).to.equal('available');
    socket.receive({
      type: 'advisor.welcome',
      advisor: { id: 'a-1', name: 'Anna' },
      presence: 'away',
      now: Date.now(),
      closed: true,
    });
    expect(session.presence).to.equal('away');
    expect(
      socket.sentOf('advisor.presence').map((m) => m.status),
      'nothing to correct while closed',
    ).to.deep.equal(['available']);
    socket.receive({
      type: 'advisor.welcome',
      advisor: { id: 'a-1', name: 'Anna' },
      presence: 'away',
      now: Date.now(),
    });
    expect(session.presence).to.equal('available');
    expect(socket.sentOf('advisor.presence').map((m) => m.status)).to.deep.equal(['available', 'available']);
  });
});

describe("AdvisorSession: pacing below the server's budget", () => {
  /** A session welcomed with this budget, holding `CHAT`; what it sent so far is forgotten. */
  function paced(rate: { burst: number; perSecond: number }): { session: AdvisorSession; socket: FakeSocket } {
    const { session, socket } = connected();
    socket.receive({
      type: 'advisor.welcome',
      advisor: { id: 'a-1', name: 'Anna' },
      presence: 'available',
      now: Date.now(),
      rate,
    });
    assigned(socket);
    socket.sent.length = 0;
    return { session, socket };
  }
  const texts = (socket: FakeSocket) => socket.sentOf('chat.message').map((m) => m.text);

  it('sends half the announced burst at once, the rest in order as the budget refills; typing coalesced', async () => {
    const { session, socket } = paced({ burst: 8, perSecond: 25 }); // paced at 4 at once, then 20 a second
    for (let i = 0; i < 10; i++) {
      session.input(CHAT);
      session.send(CHAT, `Antwort ${i}`);
    }
    expect(socket.sent.length, 'four frames at once').to.equal(4);
    await waitUntil(() => texts(socket).length === 10, 'every answer goes out', { timeout: 3000 });
    expect(texts(socket)).to.deep.equal(Array.from({ length: 10 }, (_, i) => `Antwort ${i}`));
    expect(socket.sentOf('chat.typing').length, 'typing coalesced while waiting').to.be.below(10);
    expect(socket.sentOf('chat.typing').at(-1)?.typing).to.equal(false);
  });

  it('after a slow-down notice sends nothing for retryAfterMs, then the outbox again in order, each once', async () => {
    const { session, socket } = paced({ burst: 200, perSecond: 200 });
    for (let i = 0; i < 3; i++) session.send(CHAT, `Antwort ${i}`);
    expect(texts(socket)).to.deep.equal(['Antwort 0', 'Antwort 1', 'Antwort 2']);
    // The server took the first, refused the rest.
    const first = socket.sentOf('chat.message')[0]!;
    socket.receive({
      type: 'chat.event',
      chatId: CHAT,
      seq: 2,
      event: { kind: 'message', id: first.id, from: 'advisor', text: first.text, at: Date.now() },
    });
    socket.receive({
      type: 'error',
      code: 'LOTSE_ERR_RATE_LIMITED',
      message: 'slow down',
      ref: 'chat.message',
      retryAfterMs: 300,
    });
    socket.sent.length = 0;
    session.send(CHAT, 'Antwort 3');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(socket.sent, 'nothing during the wait').to.deep.equal([]);
    await waitUntil(() => texts(socket).length === 3, 'the outbox again', { timeout: 2000 });
    expect(texts(socket)).to.deep.equal(['Antwort 1', 'Antwort 2', 'Antwort 3']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(texts(socket), 'each once').to.have.length(3);
    expect(socket.readyState).to.equal(1);
  });

  it('after a slow-down notice sends an unanswered accept and the chosen presence again', async () => {
    const { session, socket } = paced({ burst: 200, perSecond: 200 });
    session.setPresence('away');
    session.accept('chat-waiting');
    // Both went out, and the server's wait began before them: it dropped them.
    socket.receive({
      type: 'error',
      code: 'LOTSE_ERR_RATE_LIMITED',
      message: 'slow down',
      ref: 'advisor.presence',
      retryAfterMs: 200,
    });
    socket.sent.length = 0;
    await waitUntil(() => socket.sentOf('queue.accept').length === 1, 'the accept again', { timeout: 2000 });
    expect(socket.sentOf('queue.accept')[0]?.chatId).to.equal('chat-waiting');
    expect(socket.sentOf('advisor.presence').map((m) => m.status)).to.deep.equal(['away']);
    // An accept the server answered is not sent again after the next notice.
    socket.receive({
      type: 'chat.assigned',
      chatId: 'chat-waiting',
      visitor: { kind: 'anonymous', nickname: 'Kim' },
      events: [joined],
    });
    socket.receive({
      type: 'error',
      code: 'LOTSE_ERR_RATE_LIMITED',
      message: 'slow down',
      ref: 'chat.read',
      retryAfterMs: 100,
    });
    socket.sent.length = 0;
    await waitUntil(() => socket.sentOf('advisor.presence').length === 1, 'the presence again', { timeout: 2000 });
    expect(socket.sentOf('queue.accept'), 'no accept of a chat already held').to.deep.equal([]);
  });
});
