/**
 * Copying the transcript once the chat has ended (the ended view's "copy" button): to the clipboard, or, where
 * the clipboard is refused, into the ended view's read-only text area, focused and selected to copy by hand.
 * The transcript comes from memory, client side; nothing is fetched or stored.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatLog } from '../client/chat-log.js';
import type { ChatText } from '../i18n/chat.js';
import type { Lang } from '../i18n/locale.js';
import { timeOf } from '../i18n/time.js';
import { entries } from './entries.js';

/** The conversation as plain text, one line per entry: `[12:03] Anna: text`. Pending messages are left out. */
export function transcript(log: ChatLog, text: ChatText, lang: Lang, nickname: string): string {
  return entries(log, text, nickname)
    .filter((entry) => entry.at !== undefined)
    .map((entry) => `[${timeOf(entry.at ?? 0, lang)}] ${entry.who === '' ? '' : `${entry.who}: `}${entry.text}`)
    .join('\n');
}

/** Writes to the clipboard; false when it is missing or refused (no permission, insecure context). */
export async function copyText(text: string): Promise<boolean> {
  const clipboard: Clipboard | undefined = navigator.clipboard;
  if (clipboard === undefined) return false;
  try {
    await clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export type CopyState = 'idle' | 'copied' | 'fallback';

type Host = ReactiveControllerHost & { readonly renderRoot: HTMLElement | DocumentFragment };

export class CopyController implements ReactiveController {
  #host: Host;
  #transcript: () => string;
  #state: CopyState = 'idle';

  /** `transcript` gives the text to copy, made when it is needed (the chat goes on until the end). */
  constructor(host: Host, transcript: () => string) {
    this.#host = host;
    this.#transcript = transcript;
    host.addController(this);
  }

  /** Idle, copied to the clipboard, or shown in the fallback text area. */
  get state(): CopyState {
    return this.#state;
  }

  /** The text for the fallback text area: the transcript once the clipboard refused it, else empty. */
  get fallback(): string {
    return this.#state === 'fallback' ? this.#transcript() : '';
  }

  /** Copies the transcript; when the clipboard refuses, shows it selected in the `#transcript` text area instead. */
  async copy(): Promise<void> {
    if (await copyText(this.#transcript())) {
      this.#set('copied');
      return;
    }
    this.#set('fallback');
    await this.#host.updateComplete;
    const area = this.#host.renderRoot.querySelector<HTMLTextAreaElement>('#transcript');
    area?.focus();
    area?.select();
  }

  /** Forgets the copy (the chat was forgotten). */
  reset(): void {
    this.#set('idle');
  }

  hostConnected(): void {}

  #set(state: CopyState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#host.requestUpdate();
  }
}
