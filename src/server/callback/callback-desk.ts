/**
 * The callback desk: what the server does with callback requests. It takes a request from `POST /callback`
 * (`callback-routes.ts`) into the store, and keeps the advisors' lists current: each change is told on the node
 * bus (topic `callbacks`, heard by every node, this one too), and each node sends the open list to its own ready
 * advisor sockets (`callback.list`). Claim and done come from an advisor socket (`advisor-handler.ts`); the claim
 * is one conditional UPDATE, so one advisor wins on any node. Audited by ids only, never the phone number.
 */
import { nanoid } from 'nanoid';
import type { Outgoing } from '../../protocol/parse.js';
import type { ServerToAdvisor } from '../../protocol/messages.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { AdvisorPeer } from '../chat/chat.js';
import type { CallbacksConfig } from '../config/callbacks.js';
import type { HoursConfig } from '../config/hours.js';
import type { NodeMessages } from '../cluster/node-messages.js';
import { callbackSlots } from '../hours/slots.js';
import type { Slot } from '../hours/slots.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/sql.js';
import { claimCallback, insertCallback, listOpen, markDone } from './callback-store.js';

const TOPIC = 'callbacks';

export interface CallbackDeskOptions {
  config: CallbacksConfig;
  hours: HoursConfig;
  /** The store, once open (`null`: none, and nothing is offered). */
  db: () => Db | null;
  nodes: NodeMessages;
  /** This node's ready advisor sockets. */
  broadcast: (message: Outgoing<ServerToAdvisor>) => void;
  audit?: AuditLog | undefined;
  log: Logger;
  /** The clock of what is stored (requested, claimed, done). */
  now?: () => number;
  /** The clock of the opening hours, for the windows on offer (tests set it); `now` by default. */
  hoursNow?: () => number;
  /** Whether a done request is filed to the webhook (a URL is configured). */
  file?: () => boolean;
  /** After a done request's delivery row was committed (the deliverer's kick). */
  onFiled?: () => void;
}

export type RequestOutcome =
  { ok: true; id: string; slot: Slot } | { ok: false; code: ErrorCode; status: 409 | 422 | 503 };

export class CallbackDesk {
  readonly #o: CallbackDeskOptions;
  readonly #now: () => number;
  readonly #hoursNow: () => number;

  constructor(options: CallbackDeskOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#hoursNow = options.hoursNow ?? this.#now;
    // Every node hears every change, its own too, and sends the list to its advisors.
    options.nodes.onTopic(TOPIC, () => {
      this.#pushAll().catch(() => options.log.error('callbacks.failed'));
    });
  }

  /** Whether the launcher offers callbacks: switched on, and a store to keep them in. */
  get offered(): boolean {
    return this.#o.config.enabled && this.#o.db() !== null;
  }

  /** The windows a visitor may choose from now. */
  slots(): Slot[] {
    const { slotMinutes, slots, leadMinutes } = this.#o.config;
    return callbackSlots(this.#hoursNow(), this.#o.hours, { slotMinutes, slots, leadMinutes });
  }

  /** A request already parsed, its phone number normalised: stored unless its window or the consent is stale. */
  async request(input: {
    phone: string;
    window: number;
    topic?: string | undefined;
    lang: 'de' | 'en';
    consent: string;
    ipHash: string | null;
  }): Promise<RequestOutcome> {
    const db = this.#o.db();
    if (db === null || !this.#o.config.enabled) return { ok: false, code: ErrorCode.CallbacksOff, status: 503 };
    if (input.consent !== this.#o.config.consent.version)
      return { ok: false, code: ErrorCode.TermsOutdated, status: 409 };
    const slot = this.slots().find((candidate) => candidate.from === input.window);
    if (slot === undefined) return { ok: false, code: ErrorCode.InvalidWindow, status: 422 };
    const id = nanoid();
    const stored = await insertCallback(
      db,
      {
        id,
        phone: input.phone,
        from: slot.from,
        to: slot.to,
        topic: input.topic,
        lang: input.lang,
        consentVersion: input.consent,
        requestedAt: this.#now(),
      },
      this.#o.config,
      this.#o.config.maxOpen,
    );
    if (!stored) return { ok: false, code: ErrorCode.Busy, status: 503 };
    this.#o.audit?.record('callback.requested', 'visitor', { ipHash: input.ipHash, detail: { callbackId: id } });
    this.#o.log.info('callback.requested', { callbackId: id });
    this.#changed();
    return { ok: true, id, slot };
  }

  /** A ready advisor socket said hello: it gets the open list. */
  async hello(peer: AdvisorPeer): Promise<void> {
    const message = await this.#list();
    if (message !== undefined) peer.send(message);
  }

  async claim(peer: AdvisorPeer, id: string): Promise<void> {
    const db = this.#o.db();
    if (db === null) return this.#refuse(peer, ErrorCode.CallbacksOff, id);
    const { id: advisorId, name } = peer.advisor;
    const result = await claimCallback(db, id, { id: advisorId, name }, this.#now());
    if (result === 'taken') return this.#refuse(peer, ErrorCode.AlreadyTaken, id);
    if (result === 'unknown') return this.#refuse(peer, ErrorCode.UnknownCallback, id);
    this.#o.audit?.record('callback.claimed', advisorId, { detail: { callbackId: id } });
    this.#changed();
  }

  async done(peer: AdvisorPeer, id: string): Promise<void> {
    const db = this.#o.db();
    if (db === null) return this.#refuse(peer, ErrorCode.CallbacksOff, id);
    const advisorId = peer.advisor.id;
    const file = this.#o.file?.() ? { idempotencyKey: nanoid() } : undefined;
    const ok = await markDone(db, id, advisorId, this.#now(), this.#o.config.retentionDays, file);
    if (!ok) return this.#refuse(peer, ErrorCode.UnknownCallback, id);
    this.#o.audit?.record('callback.done', advisorId, { detail: { callbackId: id } });
    if (file !== undefined) this.#o.onFiled?.();
    this.#changed();
  }

  #refuse(peer: AdvisorPeer, code: ErrorCode, ref: string): void {
    peer.send({ type: 'error', code, message: 'callback request not available', ref });
  }

  #changed(): void {
    this.#o.nodes.publish(TOPIC, { kind: 'callbacks.changed' });
  }

  async #list(): Promise<Outgoing<ServerToAdvisor> | undefined> {
    const db = this.#o.db();
    if (db === null || !this.#o.config.enabled) return undefined;
    const { items, more } = await listOpen(db);
    return { type: 'callback.list', items, ...(more ? { more: true as const } : {}) };
  }

  async #pushAll(): Promise<void> {
    const message = await this.#list();
    if (message !== undefined) this.#o.broadcast(message);
  }
}
