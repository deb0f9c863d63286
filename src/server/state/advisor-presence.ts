/**
 * What each advisor chose to show (available or away) and whether any advisor is available: advisor state that
 * every node needs (the wait estimate a visitor is told depends on it), while the advisors' sockets stay on the
 * node that holds them (`chat/advisors.ts`). An advisor has a record while ANY node has a console of it that said
 * hello: each node joins the advisors it holds (`join`, `leave`), and a record goes with the last node that held
 * it. A node's hold on an advisor lapses `ttlMs` after the node last touched it (`touch`, from its heartbeat), so
 * the advisors of a node that died do not stay present for ever.
 *
 * Redis (`state/redis/advisor-presence.ts`): one Lua script per operation over a hash per advisor (its choice and
 * name), a sorted set per advisor of the nodes that hold it (by deadline) and a set of the advisors with a record.
 * `MemoryAdvisorPresence` is the one-process version; several of them on one `MemoryPresenceState` act as the nodes
 * of one service (tests).
 */

export type Presence = 'available' | 'away';

export interface PresenceRecord {
  readonly presence: Presence;
  /** The advisor's display name, from its token. */
  readonly name: string;
}

export interface AdvisorPresence {
  /** How often this node must `touch` the advisors it holds; `undefined` when a hold never lapses. */
  readonly touchEveryMs: number | undefined;
  /**
   * This node holds a console of the advisor that said hello: the advisor is present, with its name; a new record
   * shows it available, an existing one keeps its choice. Resolves with the record.
   */
  join(id: string, name: string): Promise<PresenceRecord>;
  /** This node holds no console of the advisor any more; its record goes when no other node holds one. */
  leave(id: string): Promise<void>;
  /** The advisor's choice (it has a record: nothing happens when it has none). */
  set(id: string, presence: Presence): Promise<void>;
  /** The advisor's record; `undefined` while no node holds a console of it that said hello. */
  get(id: string): Promise<PresenceRecord | undefined>;
  /** Whether any advisor with a record chose `available` (opening hours are each node's own concern). */
  anyAvailable(): Promise<boolean>;
  /** This node still holds these advisors: their holds last another `ttlMs`. */
  touch(ids: readonly string[]): Promise<void>;
  /** Up to `max` advisors with a record who chose `available`, with their names (a transfer's choice). */
  available(max: number): Promise<{ id: string; name: string }[]>;
}

interface Advisor {
  record: PresenceRecord;
  /** The nodes that hold the advisor, with the time each hold lapses. */
  readonly nodes: Map<string, number>;
}

/** The records of one service in memory: one node's, or the nodes' of a test. */
export class MemoryPresenceState {
  readonly advisors = new Map<string, Advisor>();
}

export interface MemoryAdvisorPresenceOptions {
  /** This node (several nodes share one `state`). */
  readonly nodeId?: string;
  readonly state?: MemoryPresenceState;
  /** How long a hold lasts after its last touch; absent: for ever (one node: its holds cannot outlive it). */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

export class MemoryAdvisorPresence implements AdvisorPresence {
  readonly touchEveryMs: number | undefined;
  readonly #state: MemoryPresenceState;
  readonly #nodeId: string;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: MemoryAdvisorPresenceOptions = {}) {
    this.#state = options.state ?? new MemoryPresenceState();
    this.#nodeId = options.nodeId ?? 'local';
    this.#ttlMs = options.ttlMs ?? Infinity;
    this.#now = options.now ?? Date.now;
    this.touchEveryMs = options.ttlMs === undefined ? undefined : Math.max(1, Math.floor(options.ttlMs / 3));
  }

  /** Advisors with a record. */
  get size(): number {
    return [...this.#state.advisors.keys()].filter((id) => this.#live(id) !== undefined).length;
  }

  join(id: string, name: string): Promise<PresenceRecord> {
    const advisor = this.#live(id) ?? { record: { presence: 'available', name }, nodes: new Map<string, number>() };
    advisor.record = { presence: advisor.record.presence, name };
    advisor.nodes.set(this.#nodeId, this.#now() + this.#ttlMs);
    this.#state.advisors.set(id, advisor);
    return Promise.resolve(advisor.record);
  }

  leave(id: string): Promise<void> {
    this.#state.advisors.get(id)?.nodes.delete(this.#nodeId);
    this.#live(id);
    return Promise.resolve();
  }

  set(id: string, presence: Presence): Promise<void> {
    const advisor = this.#live(id);
    if (advisor !== undefined) advisor.record = { presence, name: advisor.record.name };
    return Promise.resolve();
  }

  get(id: string): Promise<PresenceRecord | undefined> {
    return Promise.resolve(this.#live(id)?.record);
  }

  anyAvailable(): Promise<boolean> {
    const ids = [...this.#state.advisors.keys()];
    return Promise.resolve(ids.some((id) => this.#live(id)?.record.presence === 'available'));
  }

  available(max: number): Promise<{ id: string; name: string }[]> {
    const ids = [...this.#state.advisors.keys()];
    const out = ids
      .map((id) => ({ id, record: this.#live(id)?.record }))
      .filter(({ record }) => record?.presence === 'available')
      .map(({ id, record }) => ({ id, name: record!.name }));
    return Promise.resolve(out.slice(0, Math.max(0, max)));
  }

  touch(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const nodes = this.#state.advisors.get(id)?.nodes;
      if (nodes?.has(this.#nodeId)) nodes.set(this.#nodeId, this.#now() + this.#ttlMs);
    }
    return Promise.resolve();
  }

  /** The advisor while some node holds it; its lapsed holds, and its record when none is left, go. */
  #live(id: string): Advisor | undefined {
    const advisor = this.#state.advisors.get(id);
    if (advisor === undefined) return undefined;
    const now = this.#now();
    for (const [node, deadline] of advisor.nodes) if (deadline <= now) advisor.nodes.delete(node);
    if (advisor.nodes.size > 0) return advisor;
    this.#state.advisors.delete(id);
    return undefined;
  }
}
