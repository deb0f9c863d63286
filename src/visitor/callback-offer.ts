/**
 * The closed launcher's callback offer, a chunk of its own: `<lotse-chat>` imports it only when the chat is closed,
 * the server offers callbacks (`callback: true` in `/availability`) and the visitor clicked. It puts
 * `<lotse-callback>` after the launcher button in the launcher's shadow root (so Tab goes from the launcher into
 * it) and moves the launcher's closed notice into it as its first line: the launcher keeps writing the notice's
 * text and `hidden`, and the panel follows its `hidden`. Escape and Cancel close it and give the launcher the focus.
 */
import './lotse-callback.js';
import type { LotseCallback } from './lotse-callback.js';

/** The notice inside the panel is a line of it, not a bubble of its own. */
const CSS =
  'lotse-callback>[part~="closed-notice"]{position:static;inline-size:auto;max-inline-size:none;margin:0 0 8px;padding:0;border:0;box-shadow:none}';

interface Launcher extends HTMLElement {
  readonly server: string;
  hide(): void;
}

function addStyles(root: ShadowRoot): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    const style = document.createElement('style');
    style.textContent = CSS;
    root.append(style);
  }
}

/** Shows the offer in the launcher whose closed notice is `notice` (once; later calls only follow the notice). */
export function offerCallback(launcher: Launcher, notice: HTMLElement): void {
  const root = notice.getRootNode();
  if (!(root instanceof ShadowRoot)) return;
  let panel = root.querySelector('lotse-callback');
  if (panel === null) {
    const created: LotseCallback = document.createElement('lotse-callback');
    panel = created;
    created.server = launcher.server;
    created.topic = launcher.getAttribute('topic');
    const button = root.querySelector<HTMLButtonElement>('button[part~="launcher"]');
    const close = (): void => {
      launcher.hide();
      button?.focus();
    };
    created.onCancel = close;
    created.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') close();
    });
    addStyles(root);
    if (button === null) root.append(created);
    else button.after(created);
    created.append(notice);
    new MutationObserver(() => {
      created.hidden = notice.hidden;
    }).observe(notice, { attributes: true, attributeFilter: ['hidden'] });
  }
  panel.hidden = notice.hidden;
}
