/**
 * What the hub does for member chats beyond what it does for every chat: the verifier of member tokens (absent:
 * member chat is off), the card and server-side member record built from a verified token, and the record of the
 * chat as it goes: transcript rows (`transcripts.ts`) and audit start/end under the member's pseudonym. The hub
 * calls in at start, at each appended event, at assignment and at the end; anonymous chats never reach this module.
 */
import type { ChatEvent, VisitorCard } from '../../protocol/messages.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Chat, ChatMember, VisitorPeer } from '../chat.js';
import type { LotseConfig } from '../config.js';
import type { Logger } from '../log.js';
import { memberPseudonymizer } from './pseudonym.js';
import type { MemberPseudonymizer } from './pseudonym.js';
import type { MemberVerifier, VerifiedMember } from './token.js';
import { TranscriptStore } from './transcripts.js';
import type { TranscriptEndedBy } from './transcripts.js';

export interface MemberChatsOptions {
  config: LotseConfig;
  log: Logger;
  /** Absent: member chat is off, and a `chat.start` with a member token gets `LOTSE_ERR_TOKEN_INVALID`. */
  verifier?: MemberVerifier | undefined;
  auditLog?: AuditLog | undefined;
  /** After a member chat's end and its delivery row were committed (the deliverer's kick). */
  onFiled?: ((chatId: string) => void) | undefined;
  now: () => number;
}

export class MemberChats {
  readonly verifier: MemberVerifier | undefined;
  /** Without a store (`useStore(null)`, the default) nothing is written and member chats live in memory only. */
  readonly transcripts: TranscriptStore;
  readonly #audit: AuditLog | undefined;
  readonly #pseudonymOf: MemberPseudonymizer;
  /** Each visitor socket's pseudonymised address (the audit's day key), for a member chat's start record. */
  readonly #ipHashes = new WeakMap<VisitorPeer, string>();

  constructor(options: MemberChatsOptions) {
    const { config } = options;
    this.verifier = options.verifier;
    this.#audit = options.auditLog;
    this.#pseudonymOf = memberPseudonymizer(config.advisorTokens.secret);
    this.transcripts = new TranscriptStore({
      db: null,
      log: options.log,
      retentionDays: config.member.transcriptRetentionDays,
      // A transcript is filed when there is somewhere to file it: the configured webhook, or the demo's receiver.
      deliveries: config.member.webhook.url !== undefined || config.demo,
      ...(options.onFiled === undefined ? {} : { onFiled: options.onFiled }),
      now: options.now,
    });
  }

  get enabled(): boolean {
    return this.verifier !== undefined;
  }

  /** The visitor card (what advisors see) and the server-side member record of a verified member. */
  identity(verified: VerifiedMember): { card: VisitorCard; member: ChatMember } {
    return {
      card: { kind: 'member', name: verified.name, insuranceNumber: verified.insuranceNumber },
      member: { sub: verified.sub, pseudonym: this.#pseudonymOf(verified.sub), lastAdvisor: undefined },
    };
  }

  /**
   * A visitor socket opened: with member chat on, its address is reduced to the audit's keyed hash at once (the
   * address itself is not kept), in case the socket starts a member chat.
   */
  visitorConnected(peer: VisitorPeer, address: string): void {
    if (this.enabled && this.#audit !== undefined) this.#ipHashes.set(peer, this.#audit.ipHashOfAddress(address));
  }

  /** A member chat started: its transcript row, and the audit record with the visitor's pseudonymised address. */
  started(chat: Chat, peer: VisitorPeer): void {
    const { member, visitor } = chat;
    if (member === undefined || visitor.kind !== 'member') return;
    this.transcripts.started({
      chatId: chat.id,
      sub: member.sub,
      name: visitor.name,
      insuranceNumber: visitor.insuranceNumber,
      startedAt: chat.startedAt,
    });
    this.#audit?.memberChatStarted(member.pseudonym, chat.id, this.#ipHashes.get(peer) ?? null);
  }

  appended(chat: Chat, seq: number, event: ChatEvent): void {
    if (chat.member !== undefined) this.transcripts.appended(chat.id, seq, event);
  }

  assigned(chat: Chat, advisor: { id: string; name: string }): void {
    if (chat.member !== undefined) chat.member.lastAdvisor = { id: advisor.id, name: advisor.name };
  }

  /** Before the chat is wiped: the transcript's end (and delivery), and the audit record. */
  ended(chat: Chat, by: TranscriptEndedBy, endedAt: number): void {
    const { member } = chat;
    if (member === undefined) return;
    this.transcripts.ended({ chatId: chat.id, endedAt, endedBy: by, advisor: member.lastAdvisor });
    this.#audit?.memberChatEnded(member.pseudonym, chat.id, { durationMs: endedAt - chat.startedAt, endedBy: by });
  }
}
