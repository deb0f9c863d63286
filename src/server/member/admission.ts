/**
 * Who may start a member chat: the verifier of member tokens (absent: member chat is off), the one-chat-per-token
 * claim in the limit state, and the new chat's card and member record, built from the verified token only. The
 * visitor handler (`chat/visitor-handler.ts`) asks; the hub starts the chat like any other.
 *
 * What is recorded of a member chat as it goes (its transcript, its audit records) is not here: those subscribe to
 * the chat lifecycle (`member/transcript-writer.ts`, `audit/chat-audit.ts`).
 */
import type { VisitorCard } from '../../protocol/messages.js';
import type { ChatMember } from '../chat/chat.js';
import type { Logger } from '../log.js';
import { LimitStoreFullError } from '../state/limit-store.js';
import type { LimitStore } from '../state/limit-store.js';
import type { MemberPseudonymizer } from './pseudonym.js';
import { MemberTokenError, verifyMemberToken } from './token.js';
import type { MemberVerifier, VerifiedMember } from './token.js';

export interface MemberAdmissionOptions {
  /** Absent: member chat is off, and a `chat.start` with a member token gets `LOTSE_ERR_TOKEN_INVALID`. */
  verifier: MemberVerifier | undefined;
  /** Where used tokens are remembered (`state/limit-store.ts`), shared by every node one day. */
  limitStore: LimitStore;
  /** The audit log's name for a member (`pseudonym.ts`). */
  pseudonymOf: MemberPseudonymizer;
  log: Logger;
  now: () => number;
}

export class MemberAdmission {
  readonly #verifier: MemberVerifier | undefined;
  readonly #limitStore: LimitStore;
  readonly #pseudonymOf: MemberPseudonymizer;
  readonly #log: Logger;
  readonly #now: () => number;

  constructor(options: MemberAdmissionOptions) {
    this.#verifier = options.verifier;
    this.#limitStore = options.limitStore;
    this.#pseudonymOf = options.pseudonymOf;
    this.#log = options.log;
    this.#now = options.now;
  }

  get enabled(): boolean {
    return this.#verifier !== undefined;
  }

  /** The member a token names; rejects with a `MemberTokenError` (reason `off` while member chat is off). */
  async verify(token: string): Promise<VerifiedMember> {
    if (this.#verifier === undefined) throw new MemberTokenError('invalid', 'off');
    return verifyMemberToken(token, this.#verifier);
  }

  /**
   * A member token starts at most one chat: its id is claimed in the limit state until the token expires (and the
   * clock tolerance with it). A resume with it, or the same start repeated, is no new chat and claims nothing.
   * A full limit state refuses (fails closed) with its own answer: the server is busy, the token is not used.
   */
  async claim(member: VerifiedMember): Promise<'claimed' | 'used' | 'full'> {
    const tolerance = (this.#verifier?.clockToleranceSeconds ?? 0) * 1000;
    try {
      return (await this.#limitStore.claim(tokenKey(member), member.expiresAt - this.#now() + tolerance))
        ? 'claimed'
        : 'used';
    } catch (error) {
      if (!(error instanceof LimitStoreFullError)) throw error;
      this.#log.warn('limits.store_full');
      return 'full';
    }
  }

  /** Gives a claim back when the start it was made for was refused after all (no chat came of it). */
  async release(member: VerifiedMember): Promise<void> {
    await this.#limitStore.release(tokenKey(member)).catch(() => this.#log.warn('limits.release_failed'));
  }

  /** A new member chat's card (what advisors see, from the token's claims only) and server-side member record. */
  chatOf(verified: VerifiedMember): { card: VisitorCard; member: ChatMember } {
    return {
      card: { kind: 'member', name: verified.name, insuranceNumber: verified.insuranceNumber },
      member: { sub: verified.sub, pseudonym: this.#pseudonymOf(verified.sub) },
    };
  }
}

const tokenKey = (member: VerifiedMember): string => `member-token:${member.tokenId}`;
