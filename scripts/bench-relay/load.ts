// The load of the relay bench, in a child process of its own (`scripts/bench-relay.ts`): every visitor and advisor
// socket, raw `ws`, kept cheap.
import WebSocket from 'ws';
import { ORIGIN, PER_SECOND, SECRET, TEXT_LENGTH, arg, send } from './shared.js';
import type { FromParent, Kind } from './shared.js';

export async function load(): Promise<void> {
  const kind = arg('kind') as Kind;
  // One server, or several nodes (`--ports`, bench-relay/two-nodes.ts): chat c's visitor on the c-th of them in
  // turn, its advisor on the next, so that with two nodes every chat has one side on each.
  const ports = (arg('ports') ?? arg('port') ?? '').split(',').map(Number);
  const chats = Number(arg('chats'));
  const termsVersion = arg('terms') ?? '';
  const text = 'x'.repeat(TEXT_LENGTH);
  const base = (c: number, side: 'visitor' | 'advisor'): string =>
    `ws://127.0.0.1:${ports[(c + (side === 'advisor' ? 1 : 0)) % ports.length]}`;

  let delivered = 0;
  let offered = 0;
  let samples: number[] = [];
  let running = false;
  const timers: NodeJS.Timeout[] = [];
  const sockets: WebSocket[] = [];

  const open = (url: string, protocols: string[] = []): Promise<WebSocket> => {
    const socket = new WebSocket(url, protocols, {
      origin: ORIGIN,
      perMessageDeflate: false,
      skipUTF8Validation: true,
    });
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
  };
  interface Frame {
    type?: string;
    chatId?: string;
    event?: { kind?: string };
  }
  const next = (socket: WebSocket, test: (m: Frame) => boolean): Promise<Frame> =>
    new Promise((resolve) => {
      const listener = (data: Buffer): void => {
        const m = JSON.parse(data.toString('utf8')) as Frame;
        if (!test(m)) return;
        socket.off('message', listener);
        resolve(m);
      };
      socket.on('message', listener);
    });

  interface Wired {
    visitor: WebSocket;
    advisor: WebSocket;
    chatId: string;
  }

  /** A chat ready for traffic: both sockets open, the advisor holds it. */
  const wire = async (c: number, token: string | undefined): Promise<Wired> => {
    if (kind !== 'lotse') {
      const visitor = await open(`${base(c, 'visitor')}/visitor?chat=c${c}`);
      const paired = next(visitor, (m) => m.type === 'paired');
      const advisor = await open(`${base(c, 'advisor')}/advisor?chat=c${c}`);
      await paired;
      return { visitor, advisor, chatId: `c${c}` };
    }
    const visitor = await open(`${base(c, 'visitor')}/ws/visitor`, ['lotse.v1']);
    const started = next(visitor, (m) => m.type === 'chat.started');
    visitor.send(JSON.stringify({ v: 1, type: 'chat.start', nickname: `Gast ${c}`, termsVersion, lang: 'de' }));
    const { chatId } = (await started) as { chatId: string };
    const advisor = await open(`${base(c, 'advisor')}/ws/advisor`, ['lotse.v1', `lotse.bearer.${token}`]);
    const welcome = next(advisor, (m) => m.type === 'advisor.welcome');
    advisor.send(JSON.stringify({ v: 1, type: 'advisor.hello', chats: [] }));
    await welcome;
    const joined = next(visitor, (m) => m.type === 'chat.event' && m.event?.kind === 'joined');
    advisor.send(JSON.stringify({ v: 1, type: 'queue.accept', chatId }));
    await joined;
    return { visitor, advisor, chatId };
  };

  let tokens: string[] = [];
  if (kind === 'lotse') {
    const { mintAdvisorToken, defaults } = await import('../../src/server/index.js');
    const tokenConfig = { ...defaults, advisorTokens: { ...defaults.advisorTokens, secret: SECRET } };
    tokens = await Promise.all(
      Array.from({ length: chats }, (_, c) =>
        mintAdvisorToken({ id: `bench-${c}`, name: `Bench ${c}` }, tokenConfig, 3600),
      ),
    );
  }
  const wired: Wired[] = [];
  // In batches: a thousand handshakes at once would only measure the accept backlog.
  for (let c = 0; c < chats; c += 50) {
    const batch = Array.from({ length: Math.min(50, chats - c) }, (_, i) => wire(c + i, tokens[c + i]));
    wired.push(...(await Promise.all(batch)));
  }

  // Frames are read with string searches, not JSON.parse, and written by concatenation: the load stays cheap.
  // Both servers write an event's fields in the order `…"event":{"kind":"message","id":"…","from":"…",…`.
  const idOf = (frame: string): string | undefined => {
    if (!frame.includes('"kind":"message"')) return undefined;
    const start = frame.indexOf('"id":"') + 6;
    return frame.slice(start, frame.indexOf('"', start));
  };
  for (const { visitor, advisor, chatId } of wired) {
    const sentAt = new Map<string, number>();
    const prefix = `-${chatId.slice(-12)}-`;
    const answerHead = `{"v":1,"type":"chat.message","chatId":"${chatId}","id":"a`;
    const tail = `","text":"${text}"}`;
    let n = 0;
    advisor.on('message', (data: Buffer) => {
      const frame = data.toString('latin1');
      const id = idOf(frame);
      if (id === undefined || !frame.includes('"from":"visitor"')) return;
      delivered += 1;
      if (!running) return;
      offered += 1;
      advisor.send(answerHead + id.slice(1) + tail);
    });
    visitor.on('message', (data: Buffer) => {
      const frame = data.toString('latin1');
      const id = idOf(frame);
      if (id === undefined || !frame.includes('"from":"advisor"')) return;
      delivered += 1;
      const key = id.slice(1);
      const started = sentAt.get(key);
      if (started === undefined) return;
      sentAt.delete(key);
      samples.push(performance.now() - started);
    });
    const tick = (): void => {
      if (!running) return;
      const key = `${prefix}${String(n++).padStart(6, '0')}`;
      sentAt.set(key, performance.now());
      offered += 1;
      visitor.send(`{"v":1,"type":"chat.message","id":"v${key}${tail}`);
    };
    // Spread over the interval, so that the chats do not all write in the same millisecond.
    timers.push(
      setTimeout(() => timers.push(setInterval(tick, 1000 / PER_SECOND)), Math.random() * (1000 / PER_SECOND)),
    );
  }
  let cpuAtMark = process.cpuUsage();

  process.on('message', (message: FromParent) => {
    if (message.type === 'start') {
      running = true;
      send({ type: 'started' });
    } else if (message.type === 'mark') {
      delivered = 0;
      offered = 0;
      samples = [];
      cpuAtMark = process.cpuUsage();
      send({ type: 'marked' });
    } else if (message.type === 'report') {
      const cpu = process.cpuUsage(cpuAtMark);
      send({ type: 'report', delivered, offered, samples, loadCpuMs: (cpu.user + cpu.system) / 1000 });
    } else if (message.type === 'stop') {
      running = false;
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.terminate();
      setTimeout(() => process.exit(0), 100);
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready' });
}
