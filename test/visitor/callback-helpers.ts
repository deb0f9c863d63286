/**
 * Helpers for the pop-up's callback element tests: a stand-in for `fetch` that plays the server's `/callback`
 * (`GET` answered from `fixtures/callback/callback` or refused as callbacks off, `POST` accepted and recorded), a
 * chat on the fake socket of `helpers.ts` up to the server's first answer, and the steps inside `<lotse-callback>`.
 */
import { fixture, html, waitUntil } from '@open-wc/testing';
import type { LotseChatPopup } from '../../src/visitor/chat-popup.js';
import type { LotseCallback } from '../../src/visitor/lotse-callback.js';
import type { LotseChat } from '../../src/visitor/lotse-chat.js';
import { FakeSocket, FakeWebSocket, SERVER, acceptTerms, openPopup, submitNickname } from './helpers.js';

const OFFER = new URL('callback/callback', SERVER).href;

/** What the stand-in server was asked and sent; `offered = false` makes it refuse as a server without callbacks. */
export interface CallbackServer {
  offered: boolean;
  /** The query of each `GET /callback`. */
  readonly asked: string[];
  /** The body of each `POST /callback`. */
  readonly posted: Record<string, unknown>[];
  /** Puts the browser's own `fetch` back. */
  restore(): void;
}

/** Replaces `fetch` until `restore()`: `/callback` goes to the stand-in, everything else to the real `fetch`. */
export function standInCallbackServer(): CallbackServer {
  const nativeFetch = window.fetch;
  const server: CallbackServer = {
    offered: true,
    asked: [],
    posted: [],
    restore: () => {
      window.fetch = nativeFetch;
    },
  };
  window.fetch = (input, init) => {
    const url = new URL(String(input));
    if (!url.pathname.endsWith('/fixtures/callback')) return nativeFetch(input, init);
    if (init?.method === 'POST') {
      server.posted.push(JSON.parse(String(init.body)) as Record<string, unknown>);
      const body = { id: 'cb-test-0001', from: '2026-12-24T07:00:00.000Z', to: '2026-12-24T08:00:00.000Z' };
      return Promise.resolve(new Response(JSON.stringify(body), { status: 201 }));
    }
    server.asked.push(url.search);
    if (!server.offered) return Promise.resolve(new Response('{"error":"LOTSE_ERR_CALLBACKS_OFF"}', { status: 404 }));
    return nativeFetch(OFFER);
  };
  return server;
}

/** Through terms and nickname to an accepted fake socket; the server has not answered `chat.start` yet. */
export async function connectedPopup(lang = 'de', topic = ''): Promise<{ popup: LotseChatPopup; socket: FakeSocket }> {
  const chat = await fixture<LotseChat>(html`<lotse-chat server=${SERVER} lang=${lang} topic=${topic}></lotse-chat>`);
  const popup = await openPopup(chat);
  await acceptTerms(popup);
  popup.testOnlyWebSocket = FakeWebSocket;
  const before = FakeSocket.instances.length;
  await submitNickname(popup, 'Kim');
  const socket = FakeSocket.instances[before];
  if (socket === undefined) throw new Error('no socket');
  socket.accept();
  return { popup, socket };
}

/** The pop-up's `<lotse-callback>`, if it has one. */
export const panelOf = (popup: LotseChatPopup): LotseCallback | null =>
  popup.shadowRoot?.querySelector('lotse-callback') ?? null;

/** An element inside the callback panel's shadow root. */
export const inner = <T extends Element>(panel: LotseCallback, selector: string): T =>
  panel.shadowRoot?.querySelector(selector) as T;

/** The panel's offer button, once it shows. */
export const offerOf = (popup: LotseChatPopup): HTMLButtonElement | null =>
  panelOf(popup)?.shadowRoot?.querySelector('[part~="callback-open"]') ?? null;

/** Waits for the offer (the first open loads the panel's module) and returns its panel, rendered. */
export async function offerShown(popup: LotseChatPopup): Promise<LotseCallback> {
  await waitUntil(() => offerOf(popup), 'no offer', { timeout: 5000 });
  const panel = panelOf(popup) as LotseCallback;
  await panel.updateComplete;
  return panel;
}

/** Clicks the offer and waits for the form, rendered. */
export async function openForm(panel: LotseCallback): Promise<void> {
  inner<HTMLButtonElement>(panel, '[part~="callback-open"]').click();
  await waitUntil(() => inner(panel, 'form'), 'no form');
  await panel.updateComplete;
}

/** Types a phone number into the form, as a person does. */
export function typePhone(panel: LotseCallback, phone: string): void {
  const input = inner<HTMLInputElement>(panel, '#phone');
  input.value = phone;
  input.dispatchEvent(new Event('input'));
}

/** Chooses the call window at `index` (0 is the prompt). */
export function chooseWindow(panel: LotseCallback, index: number): void {
  const select = inner<HTMLSelectElement>(panel, '#window');
  select.selectedIndex = index;
  select.dispatchEvent(new Event('change'));
}

/** Opens the form, fills the phone number, takes the first window and ticks the consent box. */
export async function fillIn(panel: LotseCallback): Promise<void> {
  await openForm(panel);
  typePhone(panel, '030 1234567');
  chooseWindow(panel, 1);
  inner<HTMLInputElement>(panel, '#consent').click();
}
