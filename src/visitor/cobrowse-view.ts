/**
 * The visitor's co-browse view, loaded by `<lotse-cobrowse>` on first use: the start view (webcode check, terms
 * and consent, start code), then, while the session runs, the border around the viewport, the live bar and the
 * advisor's pointer; at the end a short notice. Holds no networking and no recording: the session comes through
 * `CobrowseController`, the terms through `TermsController`, the page's language through `LocalizeController`.
 * A Lit element, as everything Lotse loads after a click; the steps are templates (`cobrowse-steps.ts`).
 */
import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { CobrowseVisitor } from '../client/cobrowse-visitor.js';
import { define, emit } from '../dom/define.js';
import { LocalizeController } from '../dom/localize.js';
import { serverBase, socketUrl } from '../dom/server-url.js';
import { cobrowseText, loadCobrowseText } from '../i18n/cobrowse.js';
import type { CobrowseText } from '../i18n/cobrowse.js';
import type { Lang } from '../i18n/locale.js';
import { CobrowseController } from './cobrowse-controller.js';
import type { CobrowseSetup } from './cobrowse-controller.js';
import type { LotseCobrowsePointer } from './cobrowse-pointer.js';
import './cobrowse-pointer.js';
import { endedView, errorStep, liveView, startCodeStep, statusStep, termsStep } from './cobrowse-steps.js';
import { cobrowseStyles } from './cobrowse-styles.js';
import { LiveBarPlacement } from './live-bar.js';
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
 * @attr {string} server - Base URL of the Lotse server (also the `server` property).
 * @attr {string} block - More elements never to record (CSS selectors; also the `block` property).
 * @attr {string} mask - More elements whose text is masked (CSS selectors; also the `mask` property).
 * @fires {CustomEvent<LotseCobrowseChangeDetail>} lotse-cobrowse-change - The phase changed. Detail: `{ state }`.
 * @fires {CustomEvent<LotseCobrowseEndDetail>} lotse-cobrowse-end - The session is over. Detail: `{ by }`.
 */
export class LotseCobrowseView extends LitElement {
  static override styles = cobrowseStyles;

  /** Attributes as properties, declared without decorators (as in the pop-up). */
  static override properties = { server: {}, block: {}, mask: {} };

  /**
   * TEST ONLY: fake WebSocket, peer link, recorder and storage for every session of every view (the view is
   * created inside `<lotse-cobrowse>` on first use, so a test cannot reach it before). Never set it in production.
   * @internal
   */
  static testOnly: CobrowseSetup | undefined;

  /** Base URL of the Lotse server. */
  server = '';
  /** More elements never to record (CSS selectors). */
  block = '';
  /** More elements whose text is masked (CSS selectors). */
  mask = '';

  #accepted = false;
  #webcodeInvalid = false;
  #localize = new LocalizeController(this);
  #terms = new TermsController(this, 'cobrowse-terms.js');
  #session = new CobrowseController(this, {
    phase: (phase) => emit(this, 'lotse-cobrowse-change', { state: phase }),
    end: (by) => emit(this, 'lotse-cobrowse-end', { by }),
    pointer: (pointer) => this.#pointer?.move(pointer),
  });
  /** The live view's pointer, while it shows. */
  #pointer: LotseCobrowsePointer | undefined;
  #step = '';
  #hadFocus = false;
  #focusNext = false;
  #noticeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Where the live bar sits, and what keeps clear of it. */
  #bar = new LiveBarPlacement(() => {
    try {
      return LotseCobrowseView.testOnly?.storage ?? sessionStorage;
    } catch {
      return undefined;
    }
  });

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#noticeTimer);
    this.#bar.follow(null);
  }

  /** The running session, for tests and diagnostics. */
  get session(): CobrowseVisitor | undefined {
    return this.#session.session;
  }

  /**
   * Checks a webcode on a new session and shows the start view. False when it is not one or a session runs, and
   * when the view is not in the document (its `<lotse-cobrowse>` was removed while the view loaded): nothing would
   * ever end that session.
   */
  join(webcode: string): boolean {
    const url = this.#url();
    if (url === undefined || !this.isConnected) return false;
    const ok = this.#session.join(url, webcode, this.#setup());
    if (ok) {
      this.#accepted = false;
      this.#webcodeInvalid = false;
      this.#terms.reset();
      void this.#terms.load(this.server, this.#localize.lang);
      this.#focusNext = true;
    } else {
      this.focus();
    }
    this.requestUpdate();
    return ok;
  }

  /** Comes back into a session kept from before a reload (in the document only, as `join`). */
  resume(): boolean {
    const url = this.#url();
    return url !== undefined && this.isConnected && this.#session.resume(url, this.#setup());
  }

  /** Moves focus to the current step's main control. */
  override focus(options?: FocusOptions): void {
    const target =
      this.renderRoot.querySelector<HTMLElement>('[data-autofocus]') ??
      this.renderRoot.querySelector<HTMLElement>('[part~="cobrowse-end"]');
    target?.focus(options);
  }

  /**
   * Renders only once the page language's texts are here (English is a chunk of its own); in German when that chunk
   * cannot be loaded (a network gone or a CSP that blocks it): a view in the other language beats none.
   */
  protected override async scheduleUpdate(): Promise<unknown> {
    await loadCobrowseText(this.#localize.lang).catch(() => undefined);
    return super.scheduleUpdate();
  }

  override willUpdate(): void {
    this.#hadFocus = this.matches(':focus-within');
    // The terms follow the page's language while the visitor reads them (loaded anew in the other one).
    if (this.#session.session?.phase === 'terms') this.#terms.want(this.server, this.#localize.lang);
  }

  override render(): TemplateResult | typeof nothing {
    const session = this.#session.session;
    const lang = this.#localize.lang;
    const text = cobrowseText(lang);
    const phase = session?.phase;
    if (session === undefined || (phase === 'idle' && session.problem === undefined)) return nothing;
    if (phase === 'connecting' || phase === 'live') {
      return liveView({
        text,
        live: phase === 'live',
        advisor: session.advisor ?? text.someone,
        pointerName: session.advisor ?? text.pointerSomeone,
        corner: this.#bar.corner,
        onEnd: this.#end,
        onMove: this.#move,
      });
    }
    if (phase === 'ended') return endedView(text, text.endedBy[session.endedBy ?? 'void'], this.#dismiss);
    // The start view: one dialog for all its steps; its body changes with the phase.
    return html`<section class="dialog" part="dialog" role="dialog" aria-labelledby="cobrowse-title" tabindex="-1">
      <h2 id="cobrowse-title">${text.title}</h2>
      ${this.#body(session, lang, text)}
    </section>`;
  }

  #body(session: CobrowseVisitor, lang: Lang, text: CobrowseText): TemplateResult {
    switch (session.phase) {
      case 'checking':
        return statusStep(text.checking, this.#cancel, text);
      case 'terms':
        return termsStep({
          text,
          advisor: session.advisor ?? text.someone,
          terms: this.#terms.state,
          accepted: this.#accepted,
          onToggle: this.#onToggle,
          onStart: this.#onStart,
          onRetryTerms: this.#onRetryTerms,
          onCancel: this.#cancel,
        });
      case 'startcode':
        return startCodeStep({
          text,
          code: session.startCode,
          until: session.expiresAt === undefined ? undefined : timeOf(session.expiresAt, lang),
          onCancel: this.#cancel,
        });
      default: {
        const problem = session.problem;
        return errorStep({
          text,
          message:
            problem === 'invalid-code' ? text.invalidCode : problem === 'refused' ? text.refused : text.connectionLost,
          invalid: this.#webcodeInvalid,
          onSubmit: this.#onRetry,
          onCancel: this.#dismiss,
        });
      }
    }
  }

  /** After a render: focus moves with the step, and the ended notice goes by itself. */
  override updated(): void {
    this.#pointer = this.renderRoot.querySelector('lotse-cobrowse-pointer') ?? undefined;
    const session = this.#session.session;
    const step = session === undefined ? '' : `${session.phase}:${session.startCode ?? ''}`;
    if (step !== this.#step) {
      const phase = session?.phase;
      this.#step = step;
      if (this.#focusNext || this.#hadFocus) this.focus();
      this.#focusNext = false;
      clearTimeout(this.#noticeTimer);
      if (phase === 'ended') {
        this.#noticeTimer = setTimeout(this.#autoDismiss, ENDED_NOTICE_MS);
        this.#bar.forget();
      }
      this.#bar.follow(this.renderRoot.querySelector<HTMLElement>('[part~="live-bar"]'));
    }
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
    this.#accepted = (event.target as HTMLInputElement).checked;
    this.requestUpdate();
  };

  /** The click that starts everything: only now is consent sent, and only after it can recording ever start. */
  #onStart = (): void => {
    const terms = this.#terms.state;
    if (!this.#accepted || terms.status !== 'ready') return;
    this.#session.consent(terms.terms.version);
  };

  #onRetryTerms = (): void => {
    void this.#terms.load(this.server, this.#localize.lang);
  };

  #onRetry = (event: SubmitEvent): void => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('webcode') as HTMLInputElement;
    this.#webcodeInvalid = !this.join(input.value);
    this.requestUpdate();
    if (this.#webcodeInvalid) input.focus();
  };

  /** Before the session is live: end it on the server too, and close the view. */
  #cancel = (): void => {
    this.#session.end();
    this.#dismiss();
  };

  #end = (): void => {
    this.#session.end();
  };

  /** The live bar to the other bottom corner, for the rest of the session; focus stays on the button. */
  #move = (): void => {
    this.#bar.corner = this.#bar.corner === 'end' ? 'start' : 'end';
    this.requestUpdate();
    void this.updateComplete.then(this.#bar.measure);
  };

  #dismiss = (): void => {
    clearTimeout(this.#noticeTimer);
    this.#session.close();
    this.#webcodeInvalid = false;
    this.requestUpdate();
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
