/**
 * The callback request, offered while the chat is closed: loaded on demand by the launcher
 * (`callback-offer.ts`), never on a page view. It shows the launcher's closed notice (its slotted first line) and a
 * "Rückruf anfordern" button; the button opens a form: phone number, preferred window (from the server's windows
 * within the opening hours), a topic where the server has topics (optional; the page's preset), the operator's
 * consent text with its own checkbox. The pop-up loads it too (`busy`) when the server refused a chat for want of
 * room: it then asks the server for the offer at once and shows itself only when there is one; and (`queued`) while
 * the visitor's chat waits long in the queue, offering a small "Rückruf statt warten" under the queue text, said once
 * by its own polite status region. Nothing of the visitor is sent
 * before that box is ticked and the form submitted: until then the only request is `GET /callback` for the windows.
 * No name is asked for. Errors are tied to their fields (`aria-describedby`, `aria-invalid`), and the first one
 * takes the focus.
 */
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { fetchCallbackOffer, sendCallbackRequest } from '../client/callback.js';
import type { CallbackOffer } from '../client/callback.js';
import { callbackText } from '../i18n/callback.js';
import type { CallbackText } from '../i18n/callback.js';
import { langOf } from '../i18n/locale.js';
import { define } from '../dom/define.js';
import { normalisePhone } from '../protocol/phone.js';
import { MAX_PHONE_INPUT_LENGTH } from '../protocol/phone.js';
import { callbackStyles } from './callback-styles.js';

type Step = 'offer' | 'loading' | 'form' | 'sending' | 'done' | 'none';
type Field = 'phone' | 'window' | 'topic' | 'consent';
type Errors = Partial<Record<Field | 'form', string>>;

/** `Donnerstag, 24. Dezember, 08:00–09:00 Uhr` in the hours' time zone. */
export function windowText(slot: { from: number; to: number }, text: CallbackText, timeZone: string): string {
  const format = (options: Intl.DateTimeFormatOptions, at: number): string => {
    try {
      return new Intl.DateTimeFormat(text.locale, { ...options, timeZone }).format(at);
    } catch {
      return new Intl.DateTimeFormat(text.locale, options).format(at);
    }
  };
  const time: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
  return text.window(
    format({ weekday: 'long', day: 'numeric', month: 'long' }, slot.from),
    format(time, slot.from),
    format(time, slot.to),
  );
}

/**
 * Callback request form (Rückrufservice) for the closed chat, created by `<lotse-chat>` inside its shadow root;
 * for a full queue, created by `<lotse-chat-popup>` in its end view (`busy`); and for a long wait, created by
 * `<lotse-chat-popup>` in its conversation view while the chat waits (`queued`).
 *
 * @tag lotse-callback
 * @attr {string} server - Base URL of the Lotse server (set by the launcher).
 * @attr {string} topic - The page's topic (the launcher's `topic`): preselected in the form when the server offers
 *   it. The visitor may choose another or none; only a topic the server offers is sent.
 * @attr {boolean} busy - In the pop-up after the server refused a chat for want of room (`LOTSE_ERR_BUSY`,
 *   `LOTSE_ERR_TOO_MANY_WAITING`): says that every advisor is busy, and shows nothing at all unless the server offers
 *   callbacks with at least one window (it asks `GET /callback` when connected; nothing of the visitor is sent).
 * @attr {boolean} queued - In the pop-up while the visitor's chat waits long in the queue: offers "Rückruf statt
 *   warten" (a small button) where the server offers callbacks with at least one window (asked like `busy`), and
 *   says so once in a polite status region, without taking the focus.
 * @slot - The launcher's closed notice.
 * @csspart callback-open - The "Rückruf anfordern" ("Rückruf statt warten" when `queued`) button.
 * @csspart callback-form - The form.
 * @csspart callback-phone - The phone number field.
 * @csspart callback-window - The window choice.
 * @csspart callback-topic - The topic choice (only where the server has topics).
 * @csspart callback-consent - The consent checkbox.
 * @csspart callback-submit - The submit button.
 * @csspart callback-done - The confirmation.
 */
export class LotseCallback extends LitElement {
  static override styles = callbackStyles;

  @property() server = '';
  @property() topic: string | null = null;
  @property({ type: Boolean, reflect: true }) busy = false;
  @property({ type: Boolean, reflect: true }) queued = false;
  /**
   * Set by the pop-up (`queued`) once the chat no longer waits (an advisor took it): the offer's button goes, a form
   * already open stays usable.
   */
  @property({ attribute: false }) withdrawn = false;
  /** Called when the visitor cancels the form (the launcher closes the panel and takes the focus back). */
  onCancel: (() => void) | undefined;
  /** Called with the confirmation once the server accepted a request (the pop-up ends the waiting chat). */
  onDone: ((confirmation: string) => void) | undefined;

  @state() private step: Step = 'offer';
  @state() private offer: CallbackOffer | undefined;
  @state() private errors: Errors = {};
  @state() private confirmation = '';

  /** What the visitor typed and chose (kept across a re-render, never stored). */
  #phone = '';
  #window = '';
  #topic = '';
  #consent = false;
  /** Where the focus goes after the next render. */
  #focus: string | undefined;

  get #text(): CallbackText {
    return callbackText(langOf(this));
  }

  /** In the pop-up: offered only when the server takes callbacks now (the answer decides whether anything shows). */
  protected override firstUpdated(): void {
    // Not in connectedCallback: properties set before this element was defined arrive with the first update.
    if (this.busy || this.queued)
      void fetchCallbackOffer(this.server, langOf(this)).then((offer) => (this.offer = offer));
  }

  override render(): TemplateResult {
    const text = this.#text;
    const said = this.queued && !this.withdrawn && (this.offer?.slots.length ?? 0) > 0 ? text.insteadSaid : '';
    return html`<slot></slot>${this.#body(text)}${
      this.queued ? html`<p class="visually-hidden" role="status">${said}</p>` : nothing
    }`;
  }

  #body(text: CallbackText): TemplateResult | typeof nothing {
    switch (this.step) {
      case 'offer':
        if ((this.busy || this.queued) && !this.offer?.slots.length) return nothing;
        if (this.queued)
          return this.withdrawn
            ? nothing
            : html`<button type="button" class="secondary" id="open" part="callback-open" @click=${this.#open}>
                ${text.instead}
              </button>`;
        return html`${this.busy ? html`<p>${text.busy}</p>` : nothing}
          <button type="button" class="primary" id="open" part="callback-open" @click=${this.#open}>
            ${text.open}
          </button>`;
      case 'loading':
        return html`<p role="status">${text.loading}</p>`;
      case 'none':
        return html`<p role="status" id="none" tabindex="-1">${text.errors.none}</p>`;
      case 'done':
        return html`<p role="status" id="done" part="callback-done" tabindex="-1">${this.confirmation}</p>`;
      default:
        return this.#form(text);
    }
  }

  #form(text: CallbackText): TemplateResult {
    const offer = this.offer;
    const { errors } = this;
    const timeZone = offer?.timeZone ?? 'UTC';
    const describe = (field: Field, hint?: string): string =>
      [hint, errors[field] === undefined ? undefined : `${field}-error`].filter(Boolean).join(' ');
    const error = (field: Field): TemplateResult | typeof nothing =>
      errors[field] === undefined ? nothing : html`<p class="error" id="${field}-error">${errors[field]}</p>`;
    return html`<form part="callback-form" novalidate aria-labelledby="callback-heading" @submit=${this.#submit}>
      <h2 id="callback-heading" tabindex="-1">${text.heading}</h2>
      <p>${text.intro}</p>
      <div class="field">
        <label for="phone">${text.phoneLabel}</label>
        <input
          id="phone"
          part="callback-phone"
          type="tel"
          inputmode="tel"
          autocomplete="tel"
          required
          maxlength=${MAX_PHONE_INPUT_LENGTH}
          .value=${this.#phone}
          aria-invalid=${errors.phone === undefined ? 'false' : 'true'}
          aria-describedby=${describe('phone', 'phone-hint')}
          @input=${(event: Event) => (this.#phone = (event.target as HTMLInputElement).value)}
        />
        <p class="hint" id="phone-hint">${text.phoneHint}</p>
        ${error('phone')}
      </div>
      <div class="field">
        <label for="window">${text.windowLabel}</label>
        <select
          id="window"
          part="callback-window"
          required
          aria-invalid=${errors.window === undefined ? 'false' : 'true'}
          aria-describedby=${describe('window') || nothing}
          @change=${(event: Event) => (this.#window = (event.target as HTMLSelectElement).value)}
        >
          <option value="" ?selected=${this.#window === ''}>${text.windowPlaceholder}</option>
          ${(offer?.slots ?? []).map(
            (slot) =>
              html`<option value=${String(slot.from)} ?selected=${this.#window === String(slot.from)}>
                ${windowText(slot, text, timeZone)}
              </option>`,
          )}
        </select>
        ${error('window')}
      </div>
      ${(offer?.topics.length ?? 0) === 0 ? nothing : this.#topicField(text, offer?.topics ?? [])}
      <fieldset class="field" style="border:0;padding:0;margin:0">
        <legend><strong>${text.consentHeading}</strong></legend>
        <p class="consent-text" id="consent-text">${offer?.consent.text ?? ''}</p>
        <label class="check">
          <input
            id="consent"
            part="callback-consent"
            type="checkbox"
            required
            .checked=${this.#consent}
            aria-invalid=${errors.consent === undefined ? 'false' : 'true'}
            aria-describedby=${describe('consent', 'consent-text')}
            @change=${(event: Event) => (this.#consent = (event.target as HTMLInputElement).checked)}
          />
          <span>${text.consentLabel}</span>
        </label>
        ${error('consent')}
      </fieldset>
      ${errors.form === undefined ? nothing : html`<p class="error" role="alert" id="form-error">${errors.form}</p>`}
      <div class="actions">
        <button type="submit" class="primary" part="callback-submit" ?disabled=${this.step === 'sending'}>
          ${this.step === 'sending' ? text.sending : text.submit}
        </button>
        <button type="button" class="secondary" @click=${this.#cancel}>${text.cancel}</button>
      </div>
    </form>`;
  }

  #topicField(text: CallbackText, topics: { id: string; label: string }[]): TemplateResult {
    const invalid = this.errors.topic !== undefined;
    return html`<div class="field">
      <label for="topic">${text.topicLabel}</label>
      <select
        id="topic"
        part="callback-topic"
        aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby=${invalid ? 'topic-error' : nothing}
        @change=${(event: Event) => (this.#topic = (event.target as HTMLSelectElement).value)}
      >
        <option value="" ?selected=${this.#topic === ''}>${text.topicNone}</option>
        ${topics.map(
          (topic) => html`<option value=${topic.id} ?selected=${this.#topic === topic.id}>${topic.label}</option>`,
        )}
      </select>
      ${invalid ? html`<p class="error" id="topic-error">${this.errors.topic}</p>` : nothing}
    </div>`;
  }

  /** The page's topic when the offer has it; none otherwise. */
  #presetTopic(offer: CallbackOffer): void {
    this.#topic = offer.topics.some((topic) => topic.id === this.topic) ? (this.topic ?? '') : '';
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const id = this.#focus;
    if (id === undefined) return;
    this.#focus = undefined;
    this.renderRoot.querySelector<HTMLElement>(`#${id}`)?.focus();
  }

  #open = async (): Promise<void> => {
    this.step = 'loading';
    const offer = await fetchCallbackOffer(this.server, langOf(this));
    this.offer = offer;
    if (offer === undefined || offer.slots.length === 0) {
      this.step = 'none';
      this.#focus = 'none';
      return;
    }
    this.#presetTopic(offer);
    this.step = 'form';
    this.#focus = 'callback-heading';
  };

  #cancel = (): void => {
    this.step = 'offer';
    this.errors = {};
    // In the pop-up the offer stays, and its button takes the focus; the launcher closes its panel itself. An offer
    // withdrawn meanwhile (an advisor took the chat) has no button left: the pop-up's own control takes the focus.
    if (this.onCancel !== undefined) this.onCancel();
    else if (this.withdrawn) ((this.getRootNode() as ShadowRoot).host as HTMLElement | undefined)?.focus();
    else this.#focus = 'open';
  };

  #submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (this.step === 'sending') return;
    const text = this.#text;
    const errors: Errors = {};
    const phone = normalisePhone(this.#phone);
    if (phone === undefined) errors.phone = text.errors.phone;
    const window = Number(this.#window);
    if (!(window > 0)) errors.window = text.errors.window;
    if (!this.#consent) errors.consent = text.errors.consent;
    if (!this.#show(errors) || phone === undefined) return;
    const offer = this.offer;
    if (offer === undefined) return;
    this.step = 'sending';
    const topic = this.#topic === '' ? undefined : this.#topic;
    const lang = langOf(this);
    const answer = await sendCallbackRequest(this.server, {
      phone: this.#phone,
      window,
      topic,
      consent: offer.consent.version,
      lang,
    });
    if (answer.ok) {
      this.confirmation = text.done(windowText(answer, text, offer.timeZone), phone);
      this.step = 'done';
      this.#focus = 'done';
      this.#phone = '';
      // Once the confirmation has the focus: the pop-up then moves it on with its end view.
      await this.updateComplete;
      this.onDone?.(this.confirmation);
      return;
    }
    this.step = 'form';
    if (answer.error === 'window' || answer.error === 'consent' || answer.error === 'topic') {
      // The windows (the consent text, the topics) changed meanwhile: fetched anew, and the visitor chooses
      // (agrees) again.
      this.offer = (await fetchCallbackOffer(this.server, lang)) ?? offer;
      if (answer.error !== 'topic') this.#window = '';
      if (answer.error === 'consent') this.#consent = false;
      if (answer.error === 'topic') this.#topic = '';
    }
    this.#show(
      answer.error === 'phone'
        ? { phone: text.errors.phone }
        : answer.error === 'window'
          ? { window: text.errors.staleWindow }
          : answer.error === 'topic'
            ? { topic: text.errors.topic }
            : answer.error === 'consent'
              ? { consent: text.errors.consent }
              : { form: text.errors[answer.error] },
    );
  };

  /** Shows these errors and moves the focus to the first field with one; true when there are none. */
  #show(errors: Errors): boolean {
    this.errors = errors;
    const first = (['phone', 'window', 'topic', 'consent', 'form'] as const).find(
      (field) => errors[field] !== undefined,
    );
    if (first === undefined) return true;
    this.#focus = first === 'form' ? 'form-error' : first;
    return false;
  }
}

define('lotse-callback', LotseCallback);

declare global {
  interface HTMLElementTagNameMap {
    'lotse-callback': LotseCallback;
  }
}
