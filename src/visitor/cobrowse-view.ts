/**
 * The visitor's co-browse view, loaded by `<lotse-cobrowse>` on first use: the start view (webcode check, terms
 * and consent, start code), then, while the session runs, the border around the viewport, the live bar and the
 * advisor's pointer; at the end a short notice. Holds no networking and no recording: the session comes through
 * `CobrowseController`, the terms through `TermsController`.
 *
 * A plain custom element, not a Lit one, like `<lotse-cobrowse>` itself: everything the visitor loads for
 * co-browsing counts, and Lit alone was some 6 KB (gzip) of it. It keeps the shape of one, though: reactive
 * controllers, `requestUpdate()` (one render a microtask at most) and `updateComplete`. The steps are built once
 * and brought up to date in place (`cobrowse-steps.ts`), so that focus and live regions stay where they are.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CobrowseVisitor } from '../client/cobrowse-visitor.js';
import { Slot, h, step } from '../dom/build.js';
import type { Step } from '../dom/build.js';
import { define, emit } from '../dom/define.js';
import { serverBase, socketUrl } from '../dom/server-url.js';
import { adoptStyles } from '../dom/styles.js';
import { cobrowseText } from '../i18n/cobrowse.js';
import type { CobrowseText } from '../i18n/cobrowse.js';
import { langOf } from '../i18n/locale.js';
import type { Lang } from '../i18n/locale.js';
import { CobrowseController } from './cobrowse-controller.js';
import type { CobrowseSetup } from './cobrowse-controller.js';
import type { LotseCobrowsePointer } from './cobrowse-pointer.js';
import './cobrowse-pointer.js';
import { endedView, errorStep, liveView, startCodeStep, statusStep, termsStep } from './cobrowse-steps.js';
import type { LiveProps } from './cobrowse-steps.js';
import { cobrowseCss } from './cobrowse-styles.js';
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
export class LotseCobrowseView extends HTMLElement implements ReactiveControllerHost {
  static get observedAttributes(): string[] {
    return ['server', 'block', 'mask'];
  }

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

  #root: ShadowRoot;
  #controllers: ReactiveController[] = [];
  #accepted = false;
  #webcodeInvalid = false;
  #terms = new TermsController(this, 'cobrowse-terms.js');
  #session = new CobrowseController(this, {
    phase: (phase) => emit(this, 'lotse-cobrowse-change', { state: phase }),
    end: (by) => emit(this, 'lotse-cobrowse-end', { by }),
    pointer: (pointer) => this.#pointer?.move(pointer),
  });
  #updating: Promise<boolean> | undefined;
  /** What the shadow root shows; then, set when they are built, the start view's body and the live view's pointer. */
  #top: Slot;
  #body: Slot | undefined;
  #pointer: LotseCobrowsePointer | undefined;
  #step = '';
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

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    const style = adoptStyles(this.#root, cobrowseCss);
    this.#top = new Slot((content) => this.#root.replaceChildren(...(style ? [style] : []), ...(content ? [content] : [])));
  }

  connectedCallback(): void {
    for (const controller of this.#controllers) controller.hostConnected?.();
    this.requestUpdate();
  }

  disconnectedCallback(): void {
    for (const controller of this.#controllers) controller.hostDisconnected?.();
    clearTimeout(this.#noticeTimer);
    this.#bar.follow(null);
  }

  attributeChangedCallback(name: 'server' | 'block' | 'mask', _old: string | null, value: string | null): void {
    this[name] = value ?? '';
  }

  addController(controller: ReactiveController): void {
    this.#controllers.push(controller);
    if (this.isConnected) controller.hostConnected?.();
  }

  removeController(controller: ReactiveController): void {
    this.#controllers = this.#controllers.filter((known) => known !== controller);
  }

  /** Renders once, in a microtask, however often it is asked before. */
  requestUpdate(): void {
    this.#updating ??= Promise.resolve().then(() => {
      this.#updating = undefined;
      this.#render();
      return true;
    });
  }

  /** Resolves once the last requested render is done. */
  get updateComplete(): Promise<boolean> {
    return this.#updating ?? Promise.resolve(true);
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
      void this.#terms.load(this.server, langOf(this));
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
      this.#root.querySelector<HTMLElement>('[data-autofocus]') ??
      this.#root.querySelector<HTMLElement>('[part~="cobrowse-end"]');
    target?.focus(options);
  }

  #render(): void {
    const hadFocus = this.matches(':focus-within');
    const session = this.#session.session;
    const lang = langOf(this);
    const text = cobrowseText(lang);
    const phase = session?.phase;
    if (session === undefined || (phase === 'idle' && session.problem === undefined)) {
      this.#top.show('', () => undefined, undefined);
    } else if (phase === 'connecting' || phase === 'live') {
      this.#top.show(`live:${lang}`, this.#live, {
        text,
        live: phase === 'live',
        advisor: session.advisor ?? text.someone,
        pointerName: session.advisor ?? text.pointerSomeone,
        corner: this.#bar.corner,
        onEnd: this.#end,
        onMove: this.#move,
      });
    } else if (phase === 'ended') {
      const message = text.endedBy[session.endedBy ?? 'void'];
      this.#top.show(`ended:${message}`, () => endedView(text, message, this.#dismiss), undefined);
    } else {
      this.#top.show(`dialog:${lang}`, () => this.#newDialog(text), undefined);
      this.#showBody(session, lang, text);
    }
    this.#updated(hadFocus);
  }

  #live = (props: LiveProps): Step<LiveProps> => {
    const live = liveView(props);
    this.#pointer = live.pointer;
    return live;
  };

  /** The start view: one dialog for all its steps (its body, `#body`, changes with the phase). */
  #newDialog(text: CobrowseText): Step<undefined> {
    const dialog = h(
      'section',
      { class: 'dialog', part: 'dialog', role: 'dialog', 'aria-labelledby': 'cobrowse-title', tabindex: '-1' },
      h('h2', { id: 'cobrowse-title' }, text.title),
    );
    this.#body = new Slot((content) => dialog.replaceChildren(dialog.firstChild!, ...(content ? [content] : [])));
    return step([dialog]);
  }

  #showBody(session: CobrowseVisitor, lang: Lang, text: CobrowseText): void {
    const body = this.#body!;
    switch (session.phase) {
      case 'checking':
        return body.show('checking', () => statusStep(text.checking, this.#cancel, text), undefined);
      case 'terms':
        return body.show('terms', termsStep, {
          text,
          lang,
          advisor: session.advisor ?? text.someone,
          terms: this.#terms.state,
          accepted: this.#accepted,
          onToggle: this.#onToggle,
          onStart: this.#onStart,
          onRetryTerms: this.#onRetryTerms,
          onCancel: this.#cancel,
        });
      case 'startcode':
        return body.show('startcode', startCodeStep, {
          text,
          code: session.startCode,
          until: session.expiresAt === undefined ? undefined : timeOf(session.expiresAt, lang),
          onCancel: this.#cancel,
        });
      default: {
        const problem = session.problem;
        return body.show(`idle:${problem}`, errorStep, {
          text,
          message: problem === 'invalid-code' ? text.invalidCode : problem === 'refused' ? text.refused : text.connectionLost,
          invalid: this.#webcodeInvalid,
          onSubmit: this.#onRetry,
          onCancel: this.#dismiss,
        });
      }
    }
  }

  /** After a render: focus moves with the step, and the ended notice goes by itself. */
  #updated(hadFocus: boolean): void {
    const session = this.#session.session;
    const step = session === undefined ? '' : `${session.phase}:${session.startCode ?? ''}`;
    if (step !== this.#step) {
      const phase = session?.phase;
      this.#step = step;
      if (this.#focusNext || hadFocus) this.focus();
      this.#focusNext = false;
      clearTimeout(this.#noticeTimer);
      if (phase === 'ended') {
        this.#noticeTimer = setTimeout(this.#autoDismiss, ENDED_NOTICE_MS);
        this.#bar.forget();
      }
      this.#bar.follow(this.#root.querySelector<HTMLElement>('[part~="live-bar"]'));
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
    void this.#terms.load(this.server, langOf(this));
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
