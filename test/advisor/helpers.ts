/** Shared set-up for the advisor console tests: a console on a fake socket, and queries across shadow roots. */
import { fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import '../../src/advisor/index.js';
import type { LotseAdvisorConsole } from '../../src/advisor/lotse-advisor-console.js';
import type { QueueItem, SequencedEvent } from '../../src/protocol/messages.js';
import { FakeSocket, FakeWebSocket } from './fake-socket.js';

export const SERVER = 'https://lotse.example/beratung';

/** Every element matching `selector` in `root` and in all shadow roots below it. */
export function all<E extends Element = HTMLElement>(root: ParentNode, selector: string): E[] {
  const found = [...root.querySelectorAll<E>(selector)];
  for (const element of root.querySelectorAll('*')) {
    if (element.shadowRoot !== null) found.push(...all<E>(element.shadowRoot, selector));
  }
  return found;
}

export function one<E extends Element = HTMLElement>(root: ParentNode, selector: string): E {
  const found = all<E>(root, selector);
  if (found.length !== 1) throw new Error(`expected one ${selector}, found ${found.length}`);
  return found[0] as E;
}

export function text(element: Node): string {
  return (element.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Waits until the console and every Lit element inside it have rendered. */
export async function settled(root: LotseAdvisorConsole): Promise<void> {
  for (let pass = 0; pass < 3; pass += 1) {
    await root.updateComplete;
    await Promise.all(
      all<LitElement>(root.renderRoot, '*')
        .filter((e) => e instanceof LitElement)
        .map((e) => e.updateComplete),
    );
  }
}

/** A console with a token on a fake socket that the "server" has opened and welcomed. */
export async function signedIn(options: { lang?: string; offset?: number; style?: string } = {}): Promise<{
  el: LotseAdvisorConsole;
  socket: FakeSocket;
}> {
  FakeSocket.instances = [];
  const wrapper = await fixture<HTMLElement>(html`<div lang=${options.lang ?? 'de'} style=${options.style ?? ''}>
    <lotse-advisor-console server=${SERVER} .webSocket=${FakeWebSocket} .token=${'token-1'}></lotse-advisor-console>
  </div>`);
  const el = wrapper.querySelector('lotse-advisor-console') as LotseAdvisorConsole;
  const socket = FakeSocket.last;
  socket.open();
  socket.receive({
    type: 'advisor.welcome',
    advisor: { id: 'a-1', name: 'Anna Beraterin' },
    presence: 'available',
    now: Date.now() + (options.offset ?? 0),
  });
  await settled(el);
  return { el, socket };
}

export function queueItem(chatId: string, nickname: string, since: number, firstMessage?: string): QueueItem {
  return {
    chatId,
    visitor: { kind: 'anonymous', nickname },
    since,
    ...(firstMessage === undefined ? {} : { firstMessage }),
  };
}

export function visitorMessage(seq: number, id: string, text: string): SequencedEvent {
  return { seq, event: { kind: 'message', id, from: 'visitor', text, at: Date.now() } };
}

/** Accepts `chatId` from the queue and lets the server assign it with a join event. */
export async function assign(
  el: LotseAdvisorConsole,
  socket: FakeSocket,
  chatId: string,
  nickname: string,
  events: SequencedEvent[] = [],
): Promise<void> {
  socket.receive({
    type: 'chat.assigned',
    chatId,
    visitor: { kind: 'anonymous', nickname },
    events: [{ seq: 1, event: { kind: 'joined', advisor: 'Anna Beraterin', at: Date.now() } }, ...events],
  });
  await settled(el);
}

export function key(target: Element, init: KeyboardEventInit): void {
  target.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, composed: true, cancelable: true, ...init }));
}

/** On a narrow console (regions as tabs), shows `region`; side by side, every region is shown already. */
export function showRegion(el: LotseAdvisorConsole, region: 'lists' | 'conversation' | 'context'): void {
  el.renderRoot.querySelector<HTMLButtonElement>(`#region-tab-${region}`)?.click();
}

/** The element that has the focus, through every shadow root. */
export function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}
