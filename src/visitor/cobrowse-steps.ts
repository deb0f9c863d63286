/**
 * The steps of the co-browse start view, as plain DOM: checking, terms and consent, start code, error with a new
 * try, the live bar, the ended notice. Each step is built once and then brought up to date in place (`update`),
 * so that focus, the checkbox and the live regions stay the same elements while the step lasts; the view builds
 * a new one when the step changes. All text from `i18n/cobrowse.ts`, set as text, never as HTML; the terms as
 * text paragraphs.
 */
import { h, step } from '../dom/build.js';
import type { Step } from '../dom/build.js';
import type { CobrowseText } from '../i18n/cobrowse.js';
import type { Lang } from '../i18n/locale.js';
import { paragraphs } from './terms-controller.js';
import type { TermsState } from './terms-controller.js';
import type { LotseCobrowsePointer } from './cobrowse-pointer.js';
import type { Corner } from './live-bar.js';

const spinner = (): HTMLElement => h('span', { class: 'spinner', 'aria-hidden': 'true' });

const actions = (...buttons: Node[]): HTMLElement => h('div', { class: 'actions' }, ...buttons);

const cancelButton = (text: CobrowseText, onCancel: () => void, autofocus = false): HTMLButtonElement =>
  h('button', { class: 'secondary', part: 'cobrowse-cancel', type: 'button', 'data-autofocus': autofocus, onclick: onCancel }, text.cancel);

/** Puts `next` where `old` is (in the step's content or in place), and returns it. */
function swap(old: ChildNode[], next: ChildNode[]): ChildNode[] {
  old[0]!.before(...next);
  for (const node of old) node.remove();
  return next;
}

export function statusStep(message: string, onCancel: () => void, text: CobrowseText): Step<unknown> {
  return step([h('p', { part: 'cobrowse-status', role: 'status' }, spinner(), message), actions(cancelButton(text, onCancel, true))]);
}

export interface TermsStepProps {
  text: CobrowseText;
  lang: Lang;
  advisor: string;
  terms: TermsState;
  accepted: boolean;
  onToggle: (event: Event) => void;
  onStart: () => void;
  onRetryTerms: () => void;
  onCancel: () => void;
}

/** The terms themselves, a message while they load, or an error with a new try. */
function termsBody({ text, terms, lang, onRetryTerms }: TermsStepProps): ChildNode[] {
  if (terms.status === 'failed') {
    return [
      h('p', { class: 'error', part: 'cobrowse-error', role: 'alert' }, text.termsFailed),
      h('button', { class: 'secondary', type: 'button', onclick: onRetryTerms }, text.retry),
    ];
  }
  if (terms.status !== 'ready') return [h('p', { part: 'cobrowse-status', role: 'status' }, spinner(), text.termsLoading)];
  return [
    h(
      'section',
      { part: 'terms', tabindex: '0', 'aria-labelledby': 'terms-heading' },
      h('h3', { id: 'terms-heading' }, text.termsHeading),
      ...paragraphs(terms.terms.text).map((paragraph) => h('p', {}, paragraph)),
    ),
  ];
}

export function termsStep(props: TermsStepProps): Step<TermsStepProps> {
  const { text } = props;
  const intro = h('p');
  const checkbox = h('input', { type: 'checkbox', part: 'cobrowse-consent', 'data-autofocus': true, onchange: props.onToggle });
  const start = h('button', { class: 'primary', part: 'cobrowse-start', type: 'button', onclick: props.onStart }, text.start);
  let body: ChildNode[] = [h('p')];
  let shown = '';
  const update = (next: TermsStepProps): void => {
    intro.textContent = next.text.intro(next.advisor);
    checkbox.checked = next.accepted;
    start.disabled = !next.accepted || next.terms.status !== 'ready';
    const terms = next.terms;
    const key = terms.status === 'ready' ? `ready:${terms.terms.version}` : terms.status === 'failed' ? 'failed' : 'loading';
    if (key !== shown) {
      shown = key;
      body = swap(body, termsBody(next));
    }
  };
  return step(
    [intro, ...body, h('label', { class: 'check' }, checkbox, h('span', {}, text.consent)), actions(start, cancelButton(text, props.onCancel))],
    update,
  );
}

/** `ACDEFHJK` → `ACDE`, `FHJK`. */
export function groups(code: string): string[] {
  return code.match(/.{1,4}/g) ?? [];
}

export interface StartCodeProps {
  text: CobrowseText;
  code: string | undefined;
  until: string | undefined;
  onCancel: () => void;
}

export function startCodeStep({ text, onCancel }: StartCodeProps): Step<StartCodeProps> {
  // One polite live region, present before the code arrives, so that its arrival is announced.
  const region = h('div', { 'aria-live': 'polite', class: 'code-region' });
  let shown: string | undefined;
  const update = ({ code, until }: StartCodeProps): void => {
    const key = code === undefined ? '' : `${code} ${until ?? ''}`;
    if (key === shown) return;
    shown = key;
    region.replaceChildren(
      ...(code === undefined
        ? [h('p', { part: 'cobrowse-status' }, spinner(), text.startCodeWaiting)]
        : [
            h('h3', {}, text.startCodeHeading),
            h('p', { part: 'start-code', 'aria-hidden': 'true' }, ...groups(code).map((group) => h('span', {}, group))),
            h('p', { class: 'visually-hidden' }, text.startCodeSpoken(code.split('').join(' '))),
            h('p', { part: 'start-code-hint' }, text.startCodeHint, until === undefined ? '' : ` ${text.startCodeValid(until)}`),
          ]),
    );
  };
  return step([region, actions(cancelButton(text, onCancel, true))], update);
}

export interface ErrorStepProps {
  text: CobrowseText;
  message: string;
  invalid: boolean;
  onSubmit: (event: SubmitEvent) => void;
  onCancel: () => void;
}

export function errorStep({ text, message, onSubmit, onCancel }: ErrorStepProps): Step<ErrorStepProps> {
  const input = h('input', {
    type: 'text',
    name: 'webcode',
    part: 'cobrowse-webcode',
    inputmode: 'numeric',
    autocomplete: 'off',
    maxlength: '9',
    'data-autofocus': true,
  });
  const label = h('label', { class: 'field' }, h('span', {}, text.webcodeLabel), input);
  const hint = h('p', { class: 'error', id: 'webcode-hint' }, text.webcodeInvalid);
  const form = h(
    'form',
    { novalidate: true, onsubmit: onSubmit as (event: Event) => void },
    label,
    actions(h('button', { class: 'primary', part: 'cobrowse-retry', type: 'submit' }, text.retry), cancelButton(text, onCancel)),
  );
  const update = ({ invalid }: ErrorStepProps): void => {
    input.setAttribute('aria-invalid', String(invalid));
    if (invalid) {
      input.setAttribute('aria-describedby', 'webcode-hint');
      label.after(hint);
    } else {
      input.removeAttribute('aria-describedby');
      hint.remove();
    }
  };
  return step([h('p', { class: 'error', part: 'cobrowse-error', role: 'alert' }, message), form], update);
}

export interface LiveProps {
  text: CobrowseText;
  live: boolean;
  advisor: string;
  /** The name beside the pointer. */
  pointerName: string;
  /** The bottom corner the bar sits in. */
  corner: Corner;
  onEnd: () => void;
  onMove: () => void;
}

/**
 * Border, live bar and the advisor's pointer; `pointer` to move it without a render. The bar: what is going on,
 * a button that moves it to the other bottom corner (named by where it goes), and "Beenden".
 */
export function liveView({ text, onEnd, onMove }: LiveProps): Step<LiveProps> & { pointer: LotseCobrowsePointer } {
  const status = h('p', { 'aria-live': 'polite' });
  const pointer = h('lotse-cobrowse-pointer', { part: 'pointer' });
  const move = h('button', { part: 'live-move', type: 'button', onclick: onMove });
  let shown: string | undefined;
  const update = ({ live, advisor, pointerName, corner }: LiveProps): void => {
    const key = live ? `live:${advisor}` : '';
    if (key !== shown) {
      shown = key;
      status.replaceChildren(...(live ? [text.live(advisor)] : [spinner(), text.connecting]));
    }
    if (pointer.textContent !== pointerName) pointer.textContent = pointerName;
    bar.dataset['corner'] = corner;
    const label = corner === 'end' ? text.moveStart : text.moveEnd;
    if (move.getAttribute('aria-label') !== label) {
      move.setAttribute('aria-label', label);
      move.title = label;
      move.textContent = corner === 'end' ? '\u2190' : '\u2192';
    }
  };
  const bar = h(
    'div',
    { part: 'live-bar', role: 'region', 'aria-label': text.liveRegion },
    status,
    move,
    h('button', { part: 'cobrowse-end', type: 'button', onclick: onEnd }, text.end),
  );
  return { ...step([h('div', { part: 'live-border', 'aria-hidden': 'true' }), bar, pointer], update), pointer };
}

export function endedView(text: CobrowseText, message: string, onClose: () => void): Step<unknown> {
  const notice = h(
    'div',
    { part: 'ended', role: 'status' },
    h('p', {}, h('strong', {}, message)),
    h('p', { class: 'hint' }, text.endedHint),
    actions(h('button', { class: 'secondary', part: 'cobrowse-close', type: 'button', 'data-autofocus': true, onclick: onClose }, text.close)),
  );
  return step([notice]);
}
