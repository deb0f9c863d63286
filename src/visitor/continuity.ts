/**
 * The chat outlives the page: after every change the pop-up's chat is kept in `sessionStorage`
 * (`client/chat-storage.ts`: ids, resume secret, outbox, what was seen, open or not, tone on or not; never the
 * conversation), and removed when the chat has ended. When the page goes away (`pagehide`) the entry is written a
 * last time and the socket is closed at once, so the advisor hears at once that the visitor left. A page restored
 * from the back-forward cache (`pageshow` with `persisted`) comes back from storage, which the pages in between may
 * have changed, exactly like a newly loaded page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { clearStoredChat, writeStoredChat } from '../client/chat-storage.js';
import type { ChatController } from './chat-controller.js';
import type { Attention } from './attention.js';

type Host = ReactiveControllerHost & HTMLElement & { readonly open: boolean };

export interface ContinuityParts {
  chat: ChatController;
  attention: Attention;
  /** The server's base URL the chat runs on (the entry names it), or `undefined` without a valid one. */
  server: () => string | undefined;
  /** Back from the back-forward cache: come back from storage again. */
  restore: () => void;
}

export class Continuity implements ReactiveController {
  #host: Host;
  #parts: ContinuityParts;
  /** The socket was closed for `pagehide`: a `pageshow` from the back-forward cache comes back. */
  #hidden = false;

  constructor(host: Host, parts: ContinuityParts) {
    this.#host = host;
    this.#parts = parts;
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('pagehide', this.#onPagehide);
    window.addEventListener('pageshow', this.#onPageshow);
  }

  hostDisconnected(): void {
    window.removeEventListener('pagehide', this.#onPagehide);
    window.removeEventListener('pageshow', this.#onPageshow);
  }

  hostUpdated(): void {
    this.save();
  }

  /** Writes the entry for the running chat, or removes it once the chat has ended. Without a chat: nothing. */
  save(): void {
    const chat = this.#parts.chat.chat;
    if (chat === undefined) return;
    if (chat.phase === 'ended') {
      clearStoredChat();
      return;
    }
    const snapshot = chat.snapshot();
    const server = this.#parts.server();
    if (snapshot === undefined || server === undefined) return;
    const { seen, sound } = this.#parts.attention;
    writeStoredChat({ server, ...snapshot, member: chat.member, seen, open: this.#host.open, sound });
  }

  /** The visitor closed the ended chat: nothing of it stays. */
  forget(): void {
    clearStoredChat();
  }

  #onPagehide = (): void => {
    if (this.#parts.chat.chat === undefined) return;
    this.save();
    this.#hidden = true;
    // Closed now rather than by the browser some time later (or never, for a page kept in the back-forward cache).
    this.#parts.chat.close();
  };

  #onPageshow = (event: PageTransitionEvent): void => {
    if (!event.persisted || !this.#hidden) return;
    this.#hidden = false;
    this.#parts.restore();
  };
}
