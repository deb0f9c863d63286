/**
 * The visitor's co-browse view, loaded by `<lotse-cobrowse>` on first use: the start view (webcode check, terms
 * and consent, start code), then, while the session runs, the border around the viewport, the live bar and the
 * advisor's pointer; at the end a short notice. Holds no networking and no recording: the session comes through
 * `CobrowseController`, the terms through `TermsController`.
 */
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CobrowseVisitor } from '../client/cobrowse-visitor.js';
import { define, emit } from '../dom/define.js';
import { serverBase, socketUrl } from '../dom/server-url.js';
import { cobrowseText } from '../i18n/cobrowse.js';
import type { CobrowseText } from '../i18n/cobrowse.js';
import { langOf } from '../i18n/locale.js';
import type { Lang } from '../i18n/locale.js';
import { CobrowseController } from './cobrowse-controller.js';
import type { CobrowseSetup } from './cobrowse-controller.js';
import './cobrowse-pointer.js';
import type { LotseCobrowsePointer } from './cobrowse-pointer.js';
import { endedView, errorStep, liveView, startCodeStep, statusStep, termsStep } from './cobrowse-steps.js';
import { cobrowseStyles } from './cobrowse-styles.js';
import { TermsController } from './terms-controller.js';

/** The ended notice goes by itself after this long, unless focus is in it. */
const ENDED_NOTICE_MS = 10_000;

const times = new Map<Lang, Intl.DateTimeFormat>();
function timeOf(at: number, lang: Lang): string {
  let format = times.get(lang);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'de-DE', { hour: '2-digit', minute: '2-digit' });
    times.set(lang, format);
  }
  return format.format(at);
}

/**
 * Created by `<lotse-cobrowse>` inside its shadow root, which the recording blocks: nothing shown here (start
 * code, live bar, pointer) is ever sent to the advisor. Its parts are exported by `<lotse-cobrowse>`.
 *
 * @tag lotse-cobrowse-view
 * @prop {string} server - Base URL of the Lotse server.
 * @prop {string} block - More elements never to record (CSS selectors).
 * @prop {string} mask - More elements whose text is masked (CSS selectors).
 * @fires lotse-cobrowse-change - The phase changed. Detail: `{ state }`.
 * @fires lotse-cobrowse-end - The session is over. Detail: `{ by }`.
 */
export class LotseCobrowseView extends LitElement {
  static override styles = cobrowseStyles;

  @property() server = '';
  @property() block = '';
  @property() mask = '';

  /**
   * TEST ONLY: fake WebSocket, peer link, recorder and storage for every session of every view (the view is
   * created inside `<lotse-cobrowse>` on first use, so a test cannot reach it before). Never set it in production.
   * @internal
   */
  static testOnly: CobrowseSetup | undefined;

  @state() private accepted = false;
  @state() private webcodeInvalid = false;

  #terms = new TermsController(this, 'cobrowse-terms.js');
  #session = new CobrowseController(this, {
    phase: (phase) => emit(this, 'lotse-cobrowse-change', { state: phase }),
    end: (by) => emit(this, 'lotse-cobrowse-end', { by }),
    pointer: (pointer) => this.renderRoot.querySelector<LotseCobrowsePointer>('lotse-cobrowse-pointer')?.move(pointer),
  });
  #step = '';
  #focusNext = false;
  #hadFocus = false;
  #noticeTimer: ReturnType<typeof setTimeout> | undefined;

  /** The running session, for tests and diagnostics. */
  get session(): CobrowseVisitor | undefined {
    return this.#session.session;
  }

  /** Checks a webcode on a new session and shows the start view. False when it is not one or a session runs. */
  join(webcode: string): boolean {
    const url = this.#url();
    if (url === undefined) return false;
    const ok = this.#session.join(url, webcode, this.#setup());
    if (ok) {
      this.accepted = false;
      this.webcodeInvalid = false;
      this.#terms.reset();
      void this.#terms.load(this.server);
      this.#focusNext = true;
    } else {
      this.focus();
    }
    return ok;
  }

  /** Comes back into a session kept from before a reload. */
  resume(): boolean {
    const url = this.#url();
    return url !== undefined && this.#session.resume(url, this.#setup());
  }

  /** Moves focus to the current step's main control. */
  override focus(options?: FocusOptions): void {
    const target =
      this.renderRoot.querySelector<HTMLElement>('[data-autofocus]') ??
      this.renderRoot.querySelector<HTMLElement>('[part~="cobrowse-end"]');
    target?.focus(options);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#noticeTimer);
  }

  override willUpdate(_changed: PropertyValues<this>): void {
    this.#hadFocus = this.matches(':focus-within');
  }

  override render(): TemplateResult | typeof nothing {
    const session = this.#session.session;
    if (session === undefined) return nothing;
    const lang = langOf(this);
    const text = cobrowseText(lang);
    const advisor = session.advisor ?? text.someone;
    switch (session.phase) {
      case 'idle':
        return session.problem === undefined ? nothing : this.#dialog(text, errorStep({
          text,
          message: session.problem === 'invalid-code' ? text.invalidCode : session.problem === 'refused' ? text.refused : text.connectionLost,
          invalid: this.webcodeInvalid,
          onSubmit: this.#onRetry,
          onCancel: this.#dismiss,
        }));
      case 'checking':
        return this.#dialog(text, statusStep(text.checking, this.#cancel, text));
      case 'terms':
        return this.#dialog(text, termsStep({
          text,
          lang,
          advisor: session.advisor ?? text.someone,
          terms: this.#terms.state,
          accepted: this.accepted,
          onToggle: this.#onToggle,
          onStart: this.#onStart,
          onRetryTerms: this.#onRetryTerms,
          onCancel: this.#cancel,
        }));
      case 'startcode':
        return this.#dialog(text, startCodeStep({
          text,
          code: session.startCode,
          until: session.expiresAt === undefined ? undefined : timeOf(session.expiresAt, lang),
          onCancel: this.#cancel,
        }));
      case 'connecting':
      case 'live':
        return html`${liveView(text, session.phase === 'live', advisor, this.#end)}
          <lotse-cobrowse-pointer part="pointer">${session.advisor ?? text.pointerSomeone}</lotse-cobrowse-pointer>`;
      case 'ended':
        return endedView(text, text.endedBy[session.endedBy ?? 'void'], this.#dismiss);
    }
  }

  override updated(): void {
    const session = this.#session.session;
    const step = session === undefined ? '' : `${session.phase}:${session.startCode ?? ''}`;
    if (step !== this.#step) {
      const phase = session?.phase;
      this.#step = step;
      if (this.#focusNext || this.#hadFocus) this.focus();
      this.#focusNext = false;
      clearTimeout(this.#noticeTimer);
      if (phase === 'ended') this.#noticeTimer = setTimeout(this.#autoDismiss, ENDED_NOTICE_MS);
    }
  }

  #dialog(text: CobrowseText, body: TemplateResult): TemplateResult {
    return html`<section class="dialog" part="dialog" role="dialog" aria-labelledby="cobrowse-title" tabindex="-1">
      <h2 id="cobrowse-title">${text.title}</h2>
      ${body}
    </section>`;
  }

  #url(): string | undefined {
    const base = serverBase(this.server);
    return base === undefined ? undefined : socketUrl(base, 'visitor');
  }

  #setup(): CobrowseSetup {
    return {
      ...(this.block.trim() === '' ? {} : { block: this.block }),
      ...(this.mask.trim() === '' ? {} : { mask: this.mask }),
      ...LotseCobrowseView.testOnly,
    };
  }

  #onToggle = (event: Event): void => {
    this.accepted = (event.target as HTMLInputElement).checked;
  };

  /** The click that starts everything: only now is consent sent, and only after it can recording ever start. */
  #onStart = (): void => {
    const terms = this.#terms.state;
    if (!this.accepted || terms.status !== 'ready') return;
    this.#session.consent(terms.terms.version);
  };

  #onRetryTerms = (): void => {
    void this.#terms.load(this.server);
  };

  #onRetry = (event: SubmitEvent): void => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('webcode') as HTMLInputElement;
    this.webcodeInvalid = !this.join(input.value);
    if (this.webcodeInvalid) input.focus();
  };

  /** Before the session is live: end it on the server too, and close the view. */
  #cancel = (): void => {
    this.#session.end();
    this.#dismiss();
  };

  #end = (): void => {
    this.#session.end();
  };

  #dismiss = (): void => {
    clearTimeout(this.#noticeTimer);
    this.#session.close();
    this.webcodeInvalid = false;
  };

  #autoDismiss = (): void => {
    if (!this.matches(':focus-within')) this.#dismiss();
  };
}

define('lotse-cobrowse-view', LotseCobrowseView);

declare global {
  interface HTMLElementTagNameMap {
    'lotse-cobrowse-view': LotseCobrowseView;
  }
}
