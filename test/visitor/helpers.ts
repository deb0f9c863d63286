/**
 * Helpers for the visitor element tests: a fake WebSocket standing in for the Lotse server (real-server flows
 * are the end-to-end tests' job), and shortcuts through the launcher's steps.
 */
import { fixture, html, waitUntil } from '@open-wc/testing';
import type { WebSocketLike } from '../../src/client/connection.js';
import '../../src/visitor/lotse-chat.js';
import type { LotseChatPopup } from '../../src/visitor/chat-popup.js';
import type { LotseChat } from '../../src/visitor/lotse-chat.js';

// Every test starts in a tab without a chat of an "earlier page": a chat a test started is kept in
// sessionStorage, as on a real site, and would otherwise come back in the next test's launcher.
beforeEach(() => sessionStorage.clear());
afterEach(() => sessionStorage.clear());

/** Base URL whose `lotse/terms.js` is the test fixture. */
export const SERVER = new URL('/test/visitor/fixtures/', location.href).href;

/** A WebSocket without a network. The test plays the server: `accept()`, `receive()`, `drop()`. */
export class FakeSocket extends EventTarget {
  static instances: FakeSocket[] = [];
  readyState = 0;
  readonly sent: Record<string, unknown>[] = [];

  constructor(
    readonly url: string,
    readonly protocols?: string[],
  ) {
    super();
    FakeSocket.instances.push(this);
  }

  send(frame: string): void {
    this.sent.push(JSON.parse(frame) as Record<string, unknown>);
  }

  close(code = 1000): void {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    this.dispatchEvent(new CloseEvent('close', { code }));
  }

  accept(): void {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
  }

  receive(message: Record<string, unknown>): void {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify({ v: 1, ...message }) }));
  }

  #seq = 0;

  /** A sequenced chat event from the "server". */
  event(event: Record<string, unknown>): void {
    this.#seq += 1;
    this.receive({ type: 'chat.event', seq: this.#seq, event });
  }

  /** Frames of one type the client sent. */
  sentOf(type: string): Record<string, unknown>[] {
    return this.sent.filter((frame) => frame['type'] === type);
  }
}

export const FakeWebSocket = FakeSocket as unknown as WebSocketLike;

/** The first element with this part in the element's shadow root. */
export function part<T extends HTMLElement = HTMLElement>(host: Element, name: string): T {
  const found = host.shadowRoot?.querySelector<T>(`[part~="${name}"]`);
  if (found === null || found === undefined) throw new Error(`no part "${name}"`);
  return found;
}

export function hasPart(host: Element, name: string): boolean {
  return host.shadowRoot?.querySelector(`[part~="${name}"]`) !== null;
}

export async function launcher(lang?: string): Promise<LotseChat> {
  return fixture<LotseChat>(
    lang === undefined
      ? html`<lotse-chat server=${SERVER}></lotse-chat>`
      : html`<lotse-chat server=${SERVER} lang=${lang}></lotse-chat>`,
  );
}

/** Clicks the launcher and waits for the pop-up and its terms. */
export async function openPopup(chat: LotseChat): Promise<LotseChatPopup> {
  part(chat, 'launcher').click();
  // The first open imports the pop-up's modules, which the test server compiles on demand: measured at about 2 s
  // in Chromium and in Firefox alike on this 2-core machine under load, more than waitUntil's default second.
  await waitUntil(() => chat.shadowRoot?.querySelector('lotse-chat-popup[open]'), 'pop-up did not open', {
    timeout: 5000,
  });
  const popup = part<LotseChatPopup>(chat, 'popup');
  await waitUntil(() => hasPart(popup, 'terms-checkbox'), 'terms did not load', { timeout: 5000 });
  return popup;
}

/** Ticks the checkbox and accepts: the nickname step. */
export async function acceptTerms(popup: LotseChatPopup): Promise<void> {
  part(popup, 'terms-checkbox').click();
  await popup.updateComplete;
  part(popup, 'terms-accept').click();
  await popup.updateComplete;
}

export async function submitNickname(popup: LotseChatPopup, nickname: string): Promise<void> {
  const input = part<HTMLInputElement>(popup, 'nickname');
  input.value = nickname;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  part(popup, 'nickname-submit').click();
  await popup.updateComplete;
}

export interface Started {
  chat: LotseChat;
  popup: LotseChatPopup;
  socket: FakeSocket;
}

/** Through terms and nickname to a started chat on a fake socket, waiting for an advisor. */
export async function startChat(nickname = 'Kim', lang?: string): Promise<Started> {
  const chat = await launcher(lang);
  const popup = await openPopup(chat);
  await acceptTerms(popup);
  popup.testOnlyWebSocket = FakeWebSocket;
  const before = FakeSocket.instances.length;
  await submitNickname(popup, nickname);
  const socket = FakeSocket.instances[before];
  if (socket === undefined) throw new Error('no socket');
  socket.accept();
  socket.receive({ type: 'chat.started', chatId: 'chat-0001', resumeToken: 'r'.repeat(32) });
  await popup.updateComplete;
  return { chat, popup, socket };
}

/** A fixed time on the test day, so that the expected `HH:MM` can be computed the same way. */
export const AT = new Date(2026, 2, 2, 12, 3).getTime();
