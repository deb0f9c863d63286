/**
 * The advisor's pointer on the visitor's page: a coloured arrow with a ring and the advisor's name, drawn in a
 * fixed layer at the advisor's document coordinates (so it follows the page when the visitor scrolls). Never
 * clickable, hidden from assistive technology, and never recorded (it lives in `<lotse-cobrowse>`'s shadow root,
 * which the recording blocks). Rendered once; a move sets its position without a render.
 */
import { LitElement, html } from 'lit';
import type { TemplateResult } from 'lit';
import type { PointerState } from '../client/cobrowse-visitor.js';
import { define } from '../dom/define.js';
import { pointerStyles } from './cobrowse-styles.js';

/**
 * The arrow's box is 24px square; its top left corner is the advisor's point.
 *
 * @tag lotse-cobrowse-pointer
 * @slot - The advisor's name, shown beside the pointer.
 * @attr {string} data-x - The pointer's last x in document coordinates (CSS px).
 * @attr {string} data-y - The pointer's last y in document coordinates (CSS px).
 * @cssprop [--lotse-live-color=#c2410c] - Colour of the pointer, its ring and its label.
 */
export class LotseCobrowsePointer extends LitElement {
  static override styles = pointerStyles;

  #x = 0;
  #y = 0;
  #moved = false;

  override render(): TemplateResult {
    return html`<span class="ring"></span><svg viewBox="0 0 24 24" focusable="false"><path d="M2 2l7.5 19 2.6-7.4L19.5 11z"></path></svg><span class="label"><slot></slot></span>`;
  }

  /** Moves the pointer to document coordinates; hidden when `visible` is false. */
  move(pointer: PointerState): void {
    this.#moved = true;
    this.#x = pointer.x;
    this.#y = pointer.y;
    this.dataset['x'] = String(pointer.x);
    this.dataset['y'] = String(pointer.y);
    this.hidden = !pointer.visible;
    this.#place();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('aria-hidden', 'true');
    if (!this.#moved) this.hidden = true;
    window.addEventListener('scroll', this.#place, { passive: true });
    this.#place();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('scroll', this.#place);
  }

  #place = (): void => {
    this.style.transform = `translate(${this.#x - window.scrollX}px, ${this.#y - window.scrollY}px)`;
  };
}

define('lotse-cobrowse-pointer', LotseCobrowsePointer);

declare global {
  interface HTMLElementTagNameMap {
    'lotse-cobrowse-pointer': LotseCobrowsePointer;
  }
}
