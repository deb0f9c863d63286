// What the relay bench's processes share (`scripts/bench-relay.ts`): the load's shape, the messages between the
// parent and its children, and the arguments.

/** The secret the Lotse server and the load's advisor tokens share. */
export const SECRET = 'bench-relay-secret-bench-relay-secret-1234';
export const ORIGIN = 'https://bench.invalid';
/** Messages a second each way per chat, and their length. */
export const PER_SECOND = 8;
export const TEXT_LENGTH = 120;

export const arg = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

/** `--echo-delay=MS`: this checkout's Lotse server with that `echoDelayMs` (not `--base`'s, which may not know it). */
export const echoDelayArgs = (): string[] => {
  const delay = arg('echo-delay');
  return delay === undefined ? [] : [`--echo-delay=${delay}`];
};

/** `lotse-two-nodes`: two Lotse nodes on one Redis, each chat across them (two-nodes.ts, `--two-nodes`). */
export type Kind = 'bare' | 'bare-echo' | 'lotse' | 'lotse-base' | 'lotse-two-nodes';
export type FromParent = { type: 'cpu' } | { type: 'stop' } | { type: 'start' } | { type: 'mark' } | { type: 'report' };

/** To the parent, over IPC. */
export const send = (message: unknown): void => {
  process.send?.(message);
};

export interface Usage {
  user: number;
  system: number;
  reads: number;
  writes: number;
  waitedNs: number;
  rss: number;
  /** CPU (µs) of the process's threads so far, by thread name and user or system (`--threads`). */
  threads?: Record<string, number>;
  /** Garbage collections so far, by kind: count and ms on the main thread (`--threads`). */
  gc?: Record<string, { count: number; ms: number }>;
}
