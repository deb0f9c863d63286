/**
 * The advisor's pointer on the visitor's page: a coloured arrow with a ring and the advisor's name, drawn in a
 * fixed layer at the advisor's document coordinates (so it follows the page when the visitor scrolls). Never
 * clickable, hidden from assistive technology, and never recorded (it lives in `<lotse-cobrowse>`'s shadow root,
 * which the recording blocks).
 */
import { LitElement, css, html } from 'lit';
import type { TemplateResult } from 'lit';
import { define } from '../dom/define.js';
import type { PointerState } from '../client/cobrowse-visitor.js';

/**
 * @tag lotse-cobrowse-pointer
 * @slot - The advisor's name, shown beside the pointer.
 * @attr data-x - The pointer's last x in document coordinates (CSS px).
 * @attr data-y - The pointer's last y in document coordinates (CSS px).
 * @cssprop [--lotse-live-color=#c2410c] - Colour of the pointer, its ring and its label.
 */
export class LotseCobrowsePointer extends LitElement {
  static override styles = css`
    :host {
      position: fixed;
      inset-block-start: 0;
      left: 0;
      /* The arrow's box: its top left corner is the advisor's point. */
      inline-size: 24px;
      block-size: 24px;
      z-index: var(--lotse-z-index, 2147483000);
      pointer-events: none;
      will-change: transform;
      font-family: var(--lotse-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
      font-size: 14px;
      line-height: 1.3;
    }
    :host([hidden]) {
      display: none;
    }
    .ring {
      position: absolute;
      left: -16px;
      top: -16px;
      inline-size: 32px;
      block-size: 32px;
      border: 3px solid var(--lotse-live-color, #c2410c);
      border-radius: 50%;
      background: color-mix(in srgb, var(--lotse-live-color, #c2410c) 20%, transparent);
      box-shadow: 0 0 0 2px #fff;
      box-sizing: border-box;
    }
    svg {
      position: absolute;
      left: 0;
      top: 0;
      inline-size: 24px;
      block-size: 24px;
      fill: var(--lotse-live-color, #c2410c);
      stroke: #fff;
      stroke-width: 1.5;
    }
    .label {
      position: absolute;
      left: 20px;
      top: 22px;
      padding: 2px 8px;
      border-radius: 10px;
      background: var(--lotse-live-color, #c2410c);
      color: #fff;
      white-space: nowrap;
      font-weight: 600;
    }
    @media (prefers-reduced-motion: no-preference) {
      .ring {
        animation: pulse 1.6s ease-out infinite;
      }
    }
    @keyframes pulse {
      50% {
        transform: scale(1.25);
      }
    }
  `;

  #x = 0;
  #y = 0;
  #moved = false;

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

  override render(): TemplateResult {
    return html`<span class="ring"></span>
      <svg viewBox="0 0 24 24" focusable="false"><path d="M2 2l7.5 19 2.6-7.4L19.5 11z" /></svg>
      <span class="label"><slot></slot></span>`;
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
