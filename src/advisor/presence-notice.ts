/**
 * The presence line of one conversation, as a Lit reactive controller: what the line shows, and what its polite
 * live region says. The line shows at once when the visitor's page leaves or comes back. A navigation (a link, a
 * reload) takes well under a second, so a screen reader hears "left" only when the page is still away after
 * `announceAfterMs`, and "back" only when it heard "left": an advisor whose visitor clicks through the site hears
 * nothing. "Back" fades (line and region) after `backVisibleMs`; "left" stays while the page is away.
 * No timer is left running once the host is gone; one that a move in the DOM stopped is started again.
 */
import { html, nothing } from 'lit';
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import type { AdvisorTexts } from '../i18n/advisor.js';
import { withName } from '../dom/bidi.js';

export type PresenceState = 'left' | 'back';

export interface PresenceTiming {
  /** How long the page must be away before a screen reader hears it. */
  announceAfterMs: number;
  /** How long "… ist wieder da" stays on screen (and in the live region). */
  backVisibleMs: number;
}

export const PRESENCE_TIMING: PresenceTiming = { announceAfterMs: 2_000, backVisibleMs: 8_000 };

export class PresenceNotice implements ReactiveController {
  /** What the line shows; nothing while the visitor is there and nothing happened lately. */
  shown: PresenceState | undefined;
  /** What the live region says; lags `shown` (see above). */
  announced: PresenceState | undefined;

  #host: ReactiveControllerHost;
  #timing: () => PresenceTiming;
  #away = false;
  #announceTimer: ReturnType<typeof setTimeout> | undefined;
  #fadeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost, timing: () => PresenceTiming = () => PRESENCE_TIMING) {
    this.#host = host;
    this.#timing = timing;
    host.addController(this);
  }

  /**
   * Called on every render with the visitor's page away (true) or there (false), or `undefined` once the chat is
   * over (the line goes: the end notice says what happened).
   */
  update(away: boolean | undefined): void {
    if (away === undefined) {
      this.reset();
      return;
    }
    if (away === this.#away) return;
    this.#away = away;
    this.#stop();
    if (away) {
      this.shown = 'left';
      this.announced = undefined;
    } else {
      this.shown = 'back';
      this.announced = this.announced === 'left' ? 'back' : undefined;
    }
    this.#start();
  }

  /**
   * The line (shown at once, hidden from screen readers) and the polite live region after it (always in the DOM,
   * so that a change is announced), which speaks later or not at all.
   */
  render(nickname: string, texts: AdvisorTexts): TemplateResult {
    const say = (state: PresenceState | undefined) =>
      state === undefined ? nothing : withName(state === 'left' ? texts.visitorLeft : texts.visitorBack, nickname);
    return html`${
      this.shown === undefined
        ? nothing
        : html`<p part="visitor-presence" class=${this.shown}
        aria-hidden="true">${say(this.shown)}</p>`
    }
      <p role="status" class="visually-hidden" id="presence-status">${say(this.announced)}</p>`;
  }

  /** Forgets everything (another chat, or the chat is over). */
  reset(): void {
    this.#stop();
    this.#away = false;
    this.shown = undefined;
    this.announced = undefined;
  }

  hostConnected(): void {
    this.#start();
  }

  hostDisconnected(): void {
    this.#stop();
  }

  /** The timer the current state needs, unless it runs already. */
  #start(): void {
    if (this.#away && this.announced === undefined && this.#announceTimer === undefined) {
      this.#announceTimer = setTimeout(() => {
        this.#announceTimer = undefined;
        this.announced = 'left';
        this.#host.requestUpdate();
      }, this.#timing().announceAfterMs);
    }
    if (!this.#away && this.shown === 'back' && this.#fadeTimer === undefined) {
      this.#fadeTimer = setTimeout(() => {
        this.#fadeTimer = undefined;
        this.shown = undefined;
        this.announced = undefined;
        this.#host.requestUpdate();
      }, this.#timing().backVisibleMs);
    }
  }

  #stop(): void {
    clearTimeout(this.#announceTimer);
    clearTimeout(this.#fadeTimer);
    this.#announceTimer = undefined;
    this.#fadeTimer = undefined;
  }
}
