/** `lotse-member-token-expired` carries nothing. */
export type LotseMemberTokenExpiredDetail = Record<string, never>;
/**
 * `lotse-member-token-expired` (`<lotse-chat>`, from its pop-up, member chat): the server found the token expired
 * and no fresher one came. The chat and unsent messages wait: set `memberToken` again to go on.
 */
export type LotseMemberTokenExpiredEvent = CustomEvent<LotseMemberTokenExpiredDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'lotse-member-token-expired': LotseMemberTokenExpiredEvent;
  }
}
