import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { attemptsLeft } from '../client/cobrowse-advisor.js';
import type { CobrowseSession, StartResult } from '../client/cobrowse-advisor.js';
import { advisorTexts, errorText, groupWebcode } from '../i18n/advisor.js';
import type { AdvisorTexts, CobrowseTexts } from '../i18n/advisor.js';
import { langOf } from '../i18n/locale.js';
import { ClockController } from './clock-controller.js';
import { panelStyles } from './cobrowse-styles.js';
import { LocalizeController } from '../dom/localize.js';
import { define } from '../dom/define.js';
import './lotse-cobrowse-viewer.js';
import { baseStyles } from './styles.js';
import type { ViewerSource } from './viewer-controller.js';

/** What a co-browse panel may ask of the session; the console hands in its session controller. */
export interface CobrowseActions extends ViewerSource {
  /** Asks for a webcode, for a chat or (without `chatId`) for a phone call. */
  offer(chatId?: string): boolean;
  start(sessionId: string, startCode: string): StartResult;
  end(sessionId: string): void;
  dismiss(sessionId: string): void;
  /** Posts the webcode into the session's chat. */
  post(sessionId: string): 'sent' | 'refused';
}

export const noCobrowseActions: CobrowseActions = {
  offer: () => false,
  start: () => 'offline',
  end: () => undefined,
  dismiss: () => undefined,
  post: () => 'refused',
  attach: () => () => undefined,
  pointer: () => undefined,
  requestSnapshot: () => undefined,
};

const timeFormat = (lang: string) => new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' });

function minutesSeconds(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * One co-browse session of the advisor, from the webcode to the live view: the webcode (to read out or post into
 * the chat), what the visitor is doing, the start code the visitor reads back, and once live the visitor's page
 * with a button to end. Presentational: the session comes in as `session` (re-rendered when `revision` changes),
 * actions go out through `actions`.
 *
 * @tag lotse-cobrowse-panel
 * @prop {CobrowseSession} session - The co-browse session.
 * @prop {number} revision - Bumped by the console whenever the session changed.
 * @prop {number} clockOffset - Server clock minus local clock, in ms (expiry times are the server's).
 * @prop {CobrowseActions} actions - Where start, end, dismiss, post and the viewer go.
 * @csspart webcode - The webcode, grouped "123 456".
 * @csspart webcode-expiry - Until when the webcode works.
 * @csspart webcode-post - Posts the webcode into the chat (only for a session that belongs to a chat).
 * @csspart cobrowse-status - What happens now (`role="status"`); says how the session ended, too.
 * @csspart start-code-input - The start code the visitor reads back.
 * @csspart start-code-time - How long the start code still works.
 * @csspart start-code-submit - Starts co-browsing with the start code.
 * @csspart cobrowse-error - A wrong start code (with attempts left) or another problem (`role="alert"`).
 * @csspart viewer - The live view of the visitor's page.
 * @csspart viewer-status - What the live view shows.
 * @csspart cobrowse-end - Ends a live (or connecting) session.
 * @csspart cobrowse-withdraw - Withdraws an offer that is not live yet.
 * @csspart cobrowse-dismiss - Removes an ended session from the console.
 */
export class LotseCobrowsePanel extends LitElement {
  static override styles = [baseStyles, panelStyles];

  @property({ attribute: false }) session: CobrowseSession | undefined;
  @property({ attribute: false }) revision = 0;
  @property({ attribute: false }) clockOffset = 0;
  @property({ attribute: false }) actions: CobrowseActions = noCobrowseActions;

  @state() private localError: string | undefined;

  @query('[part="start-code-input"]') private input!: HTMLInputElement | null;

  /** Times left (webcode, start code) count down every second. */
  protected clock = new ClockController(this, 1000);
  #localize = new LocalizeController(this);
  #hadFocus = false;
  #lastState: CobrowseSession['state'] | undefined;

  /** Puts the keyboard focus on what matters now in this panel. */
  focusPanel(): void {
    const target =
      this.input ??
      this.renderRoot.querySelector<HTMLElement>(
        '[part="webcode-post"], [part="cobrowse-end"], [part="cobrowse-withdraw"], [part="cobrowse-dismiss"]',
      );
    target?.focus();
  }

  /**
   * Puts the focus on the webcode (an offer the advisor has just made: its result is where they are, and a screen
   * reader reads it with the panel's name), or on what matters now when there is no webcode to show.
   */
  focusWebcode(): void {
    const webcode = this.renderRoot.querySelector<HTMLElement>('[part="webcode"]');
    if (webcode === null) this.focusPanel();
    else webcode.focus();
  }

  protected override willUpdate(): void {
    this.#hadFocus = this.shadowRoot?.activeElement != null;
    if (this.session?.state !== this.#lastState) this.localError = undefined;
  }

  protected override updated(_changed: PropertyValues<this>): void {
    const now = this.session?.state;
    if (now !== this.#lastState) {
      const before = this.#lastState;
      this.#lastState = now;
      // The element that had the focus may be gone with the state: take it to what the new state needs.
      if (before !== undefined && this.#hadFocus && this.shadowRoot?.activeElement == null) this.focusPanel();
    }
  }

  override render(): TemplateResult | typeof nothing {
    const session = this.session;
    if (session === undefined) return nothing;
    const lang = this.#localize.lang;
    const all = advisorTexts(lang);
    const texts = all.cobrowse;
    const now = Date.now() + this.clockOffset;
    const grouped = groupWebcode(session.webcode);
    return html`<section aria-label=${texts.panelLabel(grouped)}>
      ${session.state === 'offered' ? this.renderWebcode(session, grouped, now, texts, lang) : nothing}
      <p part="cobrowse-status" role="status">${this.statusText(session, texts)}</p>
      ${session.state === 'consented' ? this.renderStartCode(session, now, texts) : nothing}
      <div part="cobrowse-error" role="alert">${this.errorText(session, all)}</div>
      ${
        session.state === 'connecting' || session.state === 'live'
          ? html`<lotse-cobrowse-viewer exportparts="viewer, viewer-status" session-id=${session.sessionId}
            .source=${this.actions}></lotse-cobrowse-viewer>`
          : nothing
      }
      <div class="actions">${this.renderActions(session, texts)}</div>
    </section>`;
  }

  private renderWebcode(
    session: CobrowseSession,
    grouped: string,
    now: number,
    texts: CobrowseTexts,
    lang: string,
  ): TemplateResult {
    const expired = session.webcodeExpiresAt <= now;
    // The expiry as the local clock shows it.
    const at = timeFormat(lang).format(session.webcodeExpiresAt - this.clockOffset);
    return html`<div class="webcode">
      <span class="muted" id="webcode-label">${texts.webcodeLabel}</span>
      <span part="webcode" tabindex="-1">${grouped}</span>
      <span part="webcode-expiry">${expired ? texts.webcodeExpired : texts.webcodeExpires(at)}</span>
      ${
        session.chatId !== undefined && !expired
          ? html`<button type="button" part="webcode-post" class="secondary" @click=${() => this.post(session)}>
            ${texts.post}</button>`
          : nothing
      }
    </div>`;
  }

  private renderStartCode(session: CobrowseSession, now: number, texts: CobrowseTexts): TemplateResult {
    const left = (session.startCodeExpiresAt ?? now) - now;
    return html`<form @submit=${(event: SubmitEvent) => this.submit(event, session)}>
      <div class="field">
        <label for="start-code">${texts.startCodeLabel}</label>
        <input id="start-code" part="start-code-input" type="text" name="start-code" autocomplete="off"
          autocapitalize="characters" spellcheck="false" maxlength="40" aria-describedby="start-code-hint start-code-time"
          @input=${() => (this.localError = undefined)} />
        <span class="muted" id="start-code-hint">${texts.startCodeHint}</span>
        <span part="start-code-time" id="start-code-time">${
          left > 0 ? texts.startCodeLeft(minutesSeconds(left)) : texts.startCodeExpired
        }</span>
      </div>
      <button type="submit" part="start-code-submit">${texts.submit}</button>
    </form>`;
  }

  private renderActions(session: CobrowseSession, texts: CobrowseTexts): TemplateResult {
    const id = session.sessionId;
    switch (session.state) {
      case 'connecting':
      case 'live':
        return html`<button type="button" part="cobrowse-end" @click=${() => this.actions.end(id)}>${texts.end}</button>`;
      case 'ended':
        return html`<button type="button" part="cobrowse-dismiss" class="secondary"
          @click=${() => this.actions.dismiss(id)}>${texts.dismiss}</button>`;
      default:
        return html`<button type="button" part="cobrowse-withdraw" class="secondary"
          @click=${() => this.actions.end(id)}>${texts.withdraw}</button>`;
    }
  }

  private statusText(session: CobrowseSession, texts: CobrowseTexts): string {
    switch (session.state) {
      case 'ended':
        return texts.ended[session.endedBy ?? 'server'];
      case 'consented':
        return session.checking ? texts.status.checking : texts.status.consented;
      case 'connecting':
        return session.peers > 1 ? texts.status.reconnecting : texts.status.connecting;
      default:
        return texts.status[session.state];
    }
  }

  private errorText(session: CobrowseSession, texts: AdvisorTexts): string | typeof nothing {
    if (this.localError !== undefined) return this.localError;
    const problem = session.problem;
    if (problem === undefined || session.state === 'ended') return nothing;
    if (problem.code === 'LOTSE_ERR_INVALID_CODE') return texts.cobrowse.wrongCode(attemptsLeft(session));
    return errorText(texts, problem.code);
  }

  private post(session: CobrowseSession): void {
    const texts = advisorTexts(langOf(this)).cobrowse;
    this.localError = this.actions.post(session.sessionId) === 'sent' ? undefined : texts.postRefused;
  }

  private submit(event: SubmitEvent, session: CobrowseSession): void {
    event.preventDefault();
    const input = this.input;
    if (input === null || session.checking) return;
    const texts = advisorTexts(langOf(this)).cobrowse;
    const result = this.actions.start(session.sessionId, input.value);
    this.localError = result === 'format' ? texts.formatError : result === 'offline' ? texts.offline : undefined;
    input.focus();
  }
}

define('lotse-cobrowse-panel', LotseCobrowsePanel);

declare global {
  interface HTMLElementTagNameMap {
    'lotse-cobrowse-panel': LotseCobrowsePanel;
  }
}
