/**
 * Read receipts from the console, as a Lit reactive controller: after every render of the console (new events, a
 * tab chosen) and when the page becomes visible again, it tells the session that the advisor has read the chat in
 * front, but only while the page is visible (`document.visibilityState`): a console in a background tab or a
 * minimised window has read nothing. The session sends `chat.read` only when there is something new.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class ReadController implements ReactiveController {
  #host: ReactiveControllerHost & Element;
  #front: () => string | undefined;
  #markRead: (chatId: string) => void;
  #document: Document | undefined;

  constructor(
    host: ReactiveControllerHost & Element,
    front: () => string | undefined,
    markRead: (chatId: string) => void,
  ) {
    this.#host = host;
    this.#front = front;
    this.#markRead = markRead;
    host.addController(this);
  }

  hostConnected(): void {
    this.#document = this.#host.ownerDocument;
    this.#document.addEventListener('visibilitychange', this.#check);
  }

  hostDisconnected(): void {
    this.#document?.removeEventListener('visibilitychange', this.#check);
    this.#document = undefined;
  }

  hostUpdated(): void {
    this.#check();
  }

  #check = (): void => {
    const chatId = this.#front();
    if (chatId !== undefined && this.#document?.visibilityState === 'visible') this.#markRead(chatId);
  };
}
