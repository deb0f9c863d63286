/**
 * What the hub does for member chats beyond what it does for every chat: the verifier of member tokens (absent:
 * member chat is off), the new chat built from a verified token (card and server-side member record), and the
 * record of the chat as it goes: transcript rows (`transcripts.ts`) and audit start/end under the member's
 * pseudonym. The hub calls in for every chat at start, at each appended event, at assignment and at the end; each
 * hook returns at once for an anonymous chat, so nothing of one is recorded.
 *
 * The visitor's address: with member chat on and an audit log, each visitor socket's address is reduced at connect
 * to the audit's keyed hash (HMAC-SHA256 of the address, an IPv6 one by its /64, under a random key held in memory
 * only and replaced every 24 hours; `transport/client-key.ts`); the address itself is not kept. The hash stays with
 * the socket in memory and is written only if that socket starts a member chat: into the chat's `member_chat.start`
 * audit record and the member's last transaction (kept for `audit.retentionDays`). A resume records no address.
 */
import type { ChatEvent, VisitorCard } from '../../protocol/messages.js';
import type { AuditLog } from '../audit/audit-log.js';
import { createChat } from '../chat/chat.js';
import type { Chat, ChatMember, VisitorPeer } from '../chat/chat.js';
import type { LotseConfig } from '../config/lotse-config.js';
import type { Logger } from '../log.js';
import { memberPseudonymizer } from './pseudonym.js';
import type { MemberPseudonymizer } from './pseudonym.js';
import type { MemberVerifier, VerifiedMember } from './token.js';
import { TranscriptStore } from './transcripts.js';
import type { TranscriptEndedBy } from './transcripts.js';

/** The hub's options for member chat (`HubOptions` extends these). */
export interface MemberHubOptions {
  /** Absent: member chat is off, and a `chat.start` with a member token gets `LOTSE_ERR_TOKEN_INVALID`. */
  memberVerifier?: MemberVerifier | undefined;
  /** Member chat start (with the visitor's address hash) and end are recorded here. */
  auditLog?: AuditLog | undefined;
  /** After a member chat's end and its `webhook_deliveries` row were committed (the deliverer's kick). */
  onMemberChatFiled?: ((chatId: string) => void) | undefined;
  /**
   * Whether ended member chats are filed somewhere (a configured webhook, or a plugin's receiver), so that each end
   * queues a delivery; `member.webhook.url` is set, by default.
   */
  transcriptsFiled?: boolean | undefined;
}

export interface MemberChatsOptions extends MemberHubOptions {
  config: LotseConfig;
  log: Logger;
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
    this.verifier = options.memberVerifier;
    this.#audit = options.auditLog;
    this.#pseudonymOf = memberPseudonymizer(config.advisorTokens.secret);
    this.transcripts = new TranscriptStore({
      db: null,
      log: options.log,
      retentionDays: config.member.transcriptRetentionDays,
      // A transcript is filed when there is somewhere to file it.
      deliveries: options.transcriptsFiled ?? config.member.webhook.url !== undefined,
      ...(options.onMemberChatFiled === undefined ? {} : { onFiled: options.onMemberChatFiled }),
      now: options.now,
    });
  }

  get enabled(): boolean {
    return this.verifier !== undefined;
  }

  /**
   * A new chat for a verified member: the visitor card (what advisors see) from the token's claims only, and the
   * server-side member record (`sub`, pseudonym). The hub starts it like any other (`ChatHub.startMemberChat`).
   */
  newChat(verified: VerifiedMember, peer: VisitorPeer, now: number, startId: string | undefined): Chat {
    const card: VisitorCard = { kind: 'member', name: verified.name, insuranceNumber: verified.insuranceNumber };
    const member: ChatMember = { sub: verified.sub, pseudonym: this.#pseudonymOf(verified.sub), lastAdvisor: undefined };
    return createChat(card, peer, now, startId, member);
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
