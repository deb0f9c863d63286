/**
 * Notifications in the console, as a Lit reactive controller: a new chat in the queue, and a new visitor message
 * in a chat that is not in front (another chat is selected, or the page is hidden), get
 * - a short tone (`notify-sound.ts`; on by default, switchable);
 * - a desktop notification, once the advisor has allowed it with a click on the settings control (the browser's
 *   permission prompt is only ever asked for from that click) and only while the console's page is hidden or
 *   without focus. It carries no visitor text (neither nickname nor message) unless the advisor turned the preview
 *   on: a notification is read by whoever passes the screen, and the operating system may keep it;
 * - a count in the document title, "(3) …", restored when everything has been seen: a chat's messages when the
 *   chat is in front in a visible page, the queue when the advisor clicks or types in the visible console (or the
 *   waiting chat leaves the queue).
 *
 * The console calls `observe()` after every change of the session. The settings live in `notify-settings.ts`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AdvisorChat, AdvisorSession } from '../client/advisor-session.js';
import type { NotifyTexts } from '../i18n/advisor.js';
import type { QueueItem } from '../protocol/messages.js';
import { NotifySound } from './notify-sound.js';
import { advisorStorage, loadNotifySettings, saveNotifySettings } from './notify-settings.js';
import type { NotifySettings } from './notify-settings.js';
import { visitorName } from './visitor-name.js';

export type NotifyPermission = NotificationPermission | 'unsupported';

export interface NotifyOptions {
  /** The chat in front (selected), if any. */
  front: () => string | undefined;
  texts: () => NotifyTexts;
  /** Brings a chat to the front (a click on its desktop notification). */
  select: (chatId: string) => void;
}

type Attention = { kind: 'queue'; item: QueueItem } | { kind: 'message'; chat: AdvisorChat; text: string };

/** How many queue ids are remembered, so that a queue sent again after a reconnect does not ring again. */
const REMEMBERED = 500;
/** The longest visitor text a preview shows. */
const PREVIEW_CHARS = 120;

function notificationApi(): typeof Notification | undefined {
  return typeof globalThis.Notification === 'function' ? globalThis.Notification : undefined;
}

function visitorTexts(chat: AdvisorChat): string[] {
  const texts: string[] = [];
  for (const { event } of chat.log.events)
    if (event.kind === 'message' && event.from === 'visitor') texts.push(event.text);
  return texts;
}

function clip(text: string): string {
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
}

export class NotifyController implements ReactiveController {
  settings: NotifySettings = loadNotifySettings(advisorStorage());
  permission: NotifyPermission = notificationApi()?.permission ?? 'unsupported';

  #host: ReactiveControllerHost & HTMLElement;
  #options: NotifyOptions;
  #sound = new NotifySound();
  /** Queue ids already announced (insertion order, bounded). */
  #announced = new Set<string>();
  /** Waiting chats announced but not yet seen. */
  #queueUnseen = new Set<string>();
  /** Per chat: how many visitor messages are known, and how many of them arrived unseen. */
  #known = new Map<string, number>();
  #unread = new Map<string, number>();
  #baseTitle: string | undefined;
  #document: Document | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, options: NotifyOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    this.#document = this.#host.ownerDocument;
    this.#document.addEventListener('visibilitychange', this.#seen);
    this.#host.addEventListener('pointerdown', this.#queueSeen);
    this.#host.addEventListener('keydown', this.#queueSeen);
  }

  hostDisconnected(): void {
    this.#document?.removeEventListener('visibilitychange', this.#seen);
    this.#host.removeEventListener('pointerdown', this.#queueSeen);
    this.#host.removeEventListener('keydown', this.#queueSeen);
    this.#restoreTitle();
    this.#document = undefined;
    this.#sound.close();
  }

  hostUpdated(): void {
    this.#seen();
  }

  /** How many new chats and messages the advisor has not seen yet (the count in the title). */
  get count(): number {
    let count = this.#queueUnseen.size;
    for (const unread of this.#unread.values()) count += unread;
    return count;
  }

  /** Changes one setting and keeps it; turning the sound on plays the tone once, so the advisor hears it. */
  set(key: keyof NotifySettings, value: boolean): void {
    this.settings = { ...this.settings, [key]: value };
    saveNotifySettings(advisorStorage(), this.settings);
    if (key === 'sound' && value) this.#sound.play();
    this.#host.requestUpdate();
  }

  /** Asks the browser for permission to show desktop notifications: call it from the advisor's click only. */
  async requestPermission(): Promise<void> {
    const api = notificationApi();
    if (api === undefined) return;
    try {
      this.permission = await api.requestPermission();
    } catch {
      this.permission = api.permission;
    }
    if (this.permission === 'granted') this.set('desktop', true);
    else this.#host.requestUpdate();
  }

  /** Compares the session with what was known: announces what is new, and updates the title. */
  observe(session: AdvisorSession | undefined): void {
    if (session === undefined) return;
    const found: Attention[] = [];
    const waiting = new Set<string>();
    for (const item of session.queue) {
      waiting.add(item.chatId);
      if (this.#announced.has(item.chatId)) continue;
      this.#announce(item.chatId);
      this.#queueUnseen.add(item.chatId);
      found.push({ kind: 'queue', item });
    }
    for (const id of this.#queueUnseen) if (!waiting.has(id)) this.#queueUnseen.delete(id);
    for (const chat of session.chats.values()) {
      const texts = visitorTexts(chat);
      const known = this.#known.get(chat.chatId);
      this.#known.set(chat.chatId, Math.max(known ?? 0, texts.length));
      if (known === undefined || texts.length <= known || this.#inFront(chat.chatId)) continue;
      this.#unread.set(chat.chatId, (this.#unread.get(chat.chatId) ?? 0) + texts.length - known);
      found.push({ kind: 'message', chat, text: texts[texts.length - 1] ?? '' });
    }
    for (const map of [this.#known, this.#unread])
      for (const id of map.keys()) if (!session.chats.has(id)) map.delete(id);
    if (found.length > 0) this.#alert(found);
    this.#title();
  }

  #announce(chatId: string): void {
    this.#announced.add(chatId);
    if (this.#announced.size > REMEMBERED) {
      const oldest = this.#announced.values().next().value;
      if (oldest !== undefined) this.#announced.delete(oldest);
    }
  }

  #visible(): boolean {
    return this.#document?.visibilityState === 'visible';
  }

  #inFront(chatId: string): boolean {
    return this.#visible() && this.#options.front() === chatId;
  }

  #alert(found: Attention[]): void {
    if (this.settings.sound) this.#sound.play();
    const api = notificationApi();
    const document = this.#document;
    if (!this.settings.desktop || api === undefined || api.permission !== 'granted' || document === undefined) return;
    if (document.visibilityState === 'visible' && document.hasFocus()) return;
    const last = found[found.length - 1];
    if (last === undefined) return;
    const texts = this.#options.texts();
    const preview = this.settings.preview;
    let title: string;
    let body: string;
    if (last.kind === 'queue') {
      const first = last.item.firstMessage;
      title = texts.newChatTitle;
      body = preview
        ? texts.newChatPreview(visitorName(last.item.visitor), first === undefined ? undefined : clip(first))
        : texts.newChatBody;
    } else {
      title = texts.newMessageTitle;
      body = preview ? texts.newMessagePreview(visitorName(last.chat.visitor), clip(last.text)) : texts.newMessageBody;
    }
    try {
      const notification = new api(title, { body, tag: 'lotse-advisor', silent: this.settings.sound });
      notification.onclick = () => {
        globalThis.focus();
        if (last.kind === 'message') this.#options.select(last.chat.chatId);
        notification.close();
      };
    } catch {
      // Some browsers allow notifications only from a service worker: the tone and the title still tell.
    }
  }

  /** What is in front of a visible page has been seen. */
  #seen = (): void => {
    const front = this.#options.front();
    if (this.#visible() && front !== undefined && this.#unread.delete(front)) this.#title();
  };

  #queueSeen = (): void => {
    if (!this.#visible() || this.#queueUnseen.size === 0) return;
    this.#queueUnseen.clear();
    this.#title();
  };

  #title(): void {
    const document = this.#document;
    if (document === undefined) return;
    const count = this.count;
    if (count === 0) {
      this.#restoreTitle();
      return;
    }
    this.#baseTitle ??= document.title;
    document.title = this.#options.texts().titleCount(count, this.#baseTitle);
  }

  #restoreTitle(): void {
    if (this.#baseTitle === undefined || this.#document === undefined) return;
    this.#document.title = this.#baseTitle;
    this.#baseTitle = undefined;
  }
}
