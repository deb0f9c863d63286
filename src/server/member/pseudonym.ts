/**
 * The member as the audit log names them: a keyed hash of the token's `sub`, never the sub itself, a name or an
 * insurance number. The key is derived from the advisor token secret under a label of its own, so the same member
 * has the same pseudonym across restarts (an audit can follow one member's chats) while nobody without the
 * secret can link a pseudonym to a member id.
 */
import { createHmac } from 'node:crypto';

const LABEL = 'lotse/member-pseudonym/v1';
/** 96 bits: collisions among an insurer's members are not a concern, and the row stays short. */
const HEX_LENGTH = 24;

export type MemberPseudonymizer = (sub: string) => string;

export function memberPseudonymizer(secret: string): MemberPseudonymizer {
  const key = createHmac('sha256', secret).update(LABEL).digest();
  return (sub) => `m_${createHmac('sha256', key).update(sub, 'utf8').digest('hex').slice(0, HEX_LENGTH)}`;
}
