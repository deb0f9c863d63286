// Type-level test of `emit` (src/dom/define.ts) and of the declared events (src/dom/events/, one per file). Never
// run: `tsc` checks it in `npm run lint` ("type check"). Each `@ts-expect-error` line must fail to compile, so a
// call that compiles although its name is undeclared or its detail wrong fails the type check ("unused directive").
import { emit } from '../../src/dom/define.js';
import type { LotseEventName } from '../../src/dom/define.js';
import type { LotseChatEndEvent } from '../../src/visitor/index.js';
import type { LotseAdvisorChatEndEvent } from '../../src/advisor/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

/** Every public event, and no other `lotse-*` name in the global event map. */
export type AllDeclared = Expect<
  Equal<
    LotseEventName,
    | 'lotse-chat-open'
    | 'lotse-chat-close'
    | 'lotse-chat-start'
    | 'lotse-chat-end'
    | 'lotse-connection-change'
    | 'lotse-member-token-expired'
    | 'lotse-request-cobrowse'
    | 'lotse-cobrowse-change'
    | 'lotse-cobrowse-end'
    | 'lotse-advisor-chat-accept'
    | 'lotse-advisor-chat-end'
    | 'lotse-advisor-cobrowse-change'
    | 'lotse-advisor-cobrowse-frame'
    | 'lotse-advisor-sign-out'
    | 'lotse-snippet-insert'
  >
>;
/** Listeners get the declared event: visitor and advisor no longer share a name with two shapes. */
export type VisitorEnd = Expect<Equal<GlobalEventHandlersEventMap['lotse-chat-end'], LotseChatEndEvent>>;
export type AdvisorEnd = Expect<Equal<GlobalEventHandlersEventMap['lotse-advisor-chat-end'], LotseAdvisorChatEndEvent>>;

export function declaredNamesWithTheirDetails(target: EventTarget, name: string, either: boolean): void {
  emit(target, 'lotse-chat-open', {});
  emit(target, 'lotse-chat-start', { termsVersion: '2026-01' });
  emit(target, 'lotse-chat-end', { reason: 'ended', by: 'gone' });
  emit(target, 'lotse-chat-end', { reason: 'lost' });
  emit(target, 'lotse-request-cobrowse', {}, { cancelable: true });
  emit(target, 'lotse-cobrowse-change', { state: 'startcode' });
  emit(target, 'lotse-advisor-chat-end', { chatId: 'c1', reason: 'ended', by: 'advisor' });
  emit(target, 'lotse-advisor-cobrowse-change', { sessionId: 's1', state: 'offered' });
  emit(target, 'lotse-connection-change', { state: 'connected' });

  // @ts-expect-error an undeclared name
  emit(target, 'lotse-chat-opened', {});
  // @ts-expect-error a name of before the split: the advisor's chats end with `lotse-advisor-chat-end`
  emit(target, 'lotse-chat-accept', { chatId: 'c1' });
  // @ts-expect-error a DOM event, not a Lotse one
  emit(target, 'click', {});
  // @ts-expect-error any string
  emit(target, name, {});
  // @ts-expect-error one of two names: the detail cannot be checked
  emit(target, either ? 'lotse-chat-open' : 'lotse-chat-start', {});
  // @ts-expect-error a required field missing
  emit(target, 'lotse-chat-start', {});
  // @ts-expect-error a field of the wrong type
  emit(target, 'lotse-chat-start', { termsVersion: 1 });
  // @ts-expect-error a detail for an event that carries none
  emit(target, 'lotse-chat-open', { open: true });
  // @ts-expect-error the advisor's detail under the visitor's name
  emit(target, 'lotse-chat-end', { chatId: 'c1', reason: 'ended' });
  // @ts-expect-error an advisor state for the visitor's co-browse change
  emit(target, 'lotse-cobrowse-change', { state: 'offered' });
  // @ts-expect-error the advisor's co-browse change without its session
  emit(target, 'lotse-advisor-cobrowse-change', { state: 'live' });
  // @ts-expect-error a chat end by someone who cannot end a chat
  emit(target, 'lotse-advisor-chat-end', { chatId: 'c1', reason: 'ended', by: 'void' });
}

export function listenersSeeTheDetail(element: HTMLElement): void {
  element.addEventListener('lotse-advisor-chat-end', (event) => {
    const chatId: string = event.detail.chatId;
    void chatId;
  });
  element.addEventListener('lotse-chat-end', (event) => {
    // @ts-expect-error the visitor never learns the chat id
    void event.detail.chatId;
  });
}
