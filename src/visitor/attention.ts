/**
 * How the visitor notices new messages while not looking: what is unread (advisor messages after the last event
 * seen in an open pop-up in a visible tab), told to the launcher for its badge and name (the host's `onUnread`), as a
 * "(2) " before the page title where the page asked for it (`notify-title` on `<lotse-chat>`), and as a short tone
 * when the visitor switched it on. Reading is told to the advisor (`VisitorChat.read`) only while the conversation
 * is really visible.
 *
 * The tone is made with Web Audio (no file to load) and only ever after a user gesture on this page: switching it
 * on is one; on a page the chat came back to with the tone on, the first click or key press on the page arms it.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { VisitorChat } from '../client/visitor-chat.js';

type Host = ReactiveControllerHost &
  HTMLElement & { readonly open: boolean; readonly onUnread: ((count: number) => void) | undefined };

/** Advisor messages after `seen`. */
function unreadOf(chat: VisitorChat | undefined, seen: number): number {
  let count = 0;
  for (const { seq, event } of chat?.log.events ?? [])
    if (seq > seen && event.kind === 'message' && event.from === 'advisor') count += 1;
  return count;
}

/** A short two-note tone through Web Audio. Nothing is created before `arm()`, which must run in a user gesture. */
class Chime {
  #context: AudioContext | undefined;

  arm(): void {
    try {
      this.#context ??= new AudioContext();
      void this.#context.resume();
    } catch {
      // No Web Audio here: no tone.
    }
  }

  get armed(): boolean {
    return this.#context !== undefined;
  }

  play(): void {
    const context = this.#context;
    if (context?.state !== 'running') return;
    const at = context.currentTime;
    const gain = context.createGain();
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.15, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.35);
    gain.connect(context.destination);
    const tone = context.createOscillator();
    tone.frequency.setValueAtTime(660, at);
    tone.frequency.setValueAtTime(880, at + 0.12);
    tone.connect(gain);
    tone.start(at);
    tone.stop(at + 0.36);
  }

  close(): void {
    void this.#context?.close().catch(() => undefined);
    this.#context = undefined;
  }
}

/** The "(2) " before the page title, and the title restored exactly as the page last set it. */
class TitleCount {
  #original: string | undefined;
  #written: string | undefined;

  show(count: number): void {
    if (count === 0) {
      this.clear();
      return;
    }
    // The page changed its title meanwhile: that one is the title to restore.
    if (this.#written === undefined || document.title !== this.#written) this.#original = document.title;
    this.#written = `(${count}) ${this.#original ?? ''}`;
    document.title = this.#written;
  }

  clear(): void {
    if (this.#written !== undefined && document.title === this.#written) document.title = this.#original ?? '';
    this.#written = this.#original = undefined;
  }
}

export class Attention implements ReactiveController {
  /** The last sequence number the visitor has seen; kept with the chat across pages. */
  seen = 0;
  /** The visitor switched the tone on (for this chat only). */
  sound = false;

  #host: Host;
  #chat: () => VisitorChat | undefined;
  #chime = new Chime();
  #title = new TitleCount();
  #unread = 0;
  #heard = 0;

  constructor(host: Host, chat: () => VisitorChat | undefined) {
    this.#host = host;
    this.#chat = chat;
    host.addController(this);
  }

  get unread(): number {
    return this.#unread;
  }

  /** Back from an earlier page: what was seen there, and whether the tone was on (armed by the next gesture). */
  restore(seen: number, sound: boolean): void {
    this.seen = seen;
    this.sound = sound;
    if (sound) this.#armOnGesture();
  }

  /** The visitor's switch (a user gesture: the tone may be prepared now). */
  toggleSound(on: boolean): void {
    this.sound = on;
    if (on) this.#chime.arm();
    this.#host.requestUpdate();
  }

  /** The chat is over and closed: nothing unread, the title as it was, no tone. */
  forget(): void {
    this.seen = 0;
    this.sound = false;
    this.#heard = 0;
    this.#chime.close();
    this.#report(0);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#disarmGesture();
    this.#title.clear();
  }

  hostUpdated(): void {
    const chat = this.#chat();
    if (chat === undefined) return;
    const lastSeq = chat.log.lastSeq;
    if (this.#host.open && document.visibilityState === 'visible' && lastSeq > this.seen) this.seen = lastSeq;
    if (this.#host.open && document.visibilityState === 'visible') chat.read(this.seen);
    // A tone only for messages that arrive live: the history a new page gets is not news.
    const live = chat.sideband.liveAdvisorMessages;
    if (live > this.#heard && this.sound) this.#chime.play();
    this.#heard = live;
    this.#report(unreadOf(chat, this.seen));
  }

  #report(count: number): void {
    const titled = (this.#host.getRootNode() as ShadowRoot).host?.hasAttribute('notify-title') === true;
    if (titled) this.#title.show(count);
    else this.#title.clear();
    if (count === this.#unread) return;
    this.#unread = count;
    this.#host.onUnread?.(count);
  }

  #onVisibility = (): void => this.#host.requestUpdate();

  #onGesture = (): void => {
    this.#disarmGesture();
    if (this.sound) this.#chime.arm();
  };

  #armOnGesture(): void {
    if (this.#chime.armed) return;
    document.addEventListener('pointerdown', this.#onGesture, { capture: true });
    document.addEventListener('keydown', this.#onGesture, { capture: true });
  }

  #disarmGesture(): void {
    document.removeEventListener('pointerdown', this.#onGesture, { capture: true });
    document.removeEventListener('keydown', this.#onGesture, { capture: true });
  }
}
