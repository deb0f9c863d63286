import { LitElement, css, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { advisorTexts } from '../i18n/advisor.js';
import type { AdvisorTexts } from '../i18n/advisor.js';
import type { VisitorCard } from '../protocol/messages.js';
import { LocalizeController } from '../dom/localize.js';
import { define } from '../dom/define.js';
import { baseStyles } from './styles.js';
import { memberBadge, memberBadgeStyles } from './visitor-name.js';

/**
 * Who the advisor is talking to. An anonymous visitor: the card says so and shows the nickname the visitor chose.
 * A member from the member area: a "verified member" badge, the name and the insurance number, all from the
 * signed token's claims as the server verified them (never from anything typed in the browser). The number is
 * monospace and can be copied with one click (or is selected for copying by hand where the clipboard is refused).
 * Everything is rendered as text.
 *
 * @tag lotse-visitor-card
 * @prop {VisitorCard | undefined} visitor - The visitor as the server describes them.
 * @csspart kind - The line that says what kind of visitor this is ("Anonym", or the "verified member" badge).
 * @csspart nickname - The visitor's nickname (isolated: `dir="auto"`, `unicode-bidi: isolate`).
 * @csspart member-name - A member's verified name (isolated like the nickname).
 * @csspart insurance-number - A member's insurance number (monospace).
 * @csspart copy-number - The button that copies the insurance number.
 * @cssprop [--lotse-verified=#1b5e20] - Text and border colour of the "verified member" badge.
 * @cssprop [--lotse-verified-background=#e8f5e9] - Background of the "verified member" badge.
 */
export class LotseVisitorCard extends LitElement {
  static override styles = [
    baseStyles,
    memberBadgeStyles,
    css`
      :host {
        display: block;
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0.2rem 0.75rem;
        margin: 0;
      }
      dt {
        color: var(--_muted);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      [part='nickname'],
      [part='member-name'] {
        unicode-bidi: isolate;
      }
      [part~='member-name'] {
        font-weight: 600;
      }
      .number {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.5rem;
        align-items: center;
      }
      [part='insurance-number'] {
        font-family: var(--lotse-mono-font, ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace);
        letter-spacing: 0.05em;
        user-select: all;
      }
      [part='copy-number'] {
        min-height: 2rem;
        padding: 0.1rem 0.6rem;
      }
      .copied {
        margin: 0.25rem 0 0;
        color: var(--_muted);
        font-size: 0.9em;
      }
      .copied:empty {
        display: none;
      }
      [part~='kind'] {
        display: inline-flex;
        margin: 0 0 0.4rem;
        padding: 0.1rem 0.5rem;
        border-radius: var(--_radius);
        background: var(--_subtle);
      }
    `,
  ];

  @property({ attribute: false }) visitor: VisitorCard | undefined;

  /** What became of the last copy of the insurance number (a polite status). */
  @state() private copied: 'copied' | 'selected' | undefined;
  #localize = new LocalizeController(this);

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('visitor')) this.copied = undefined;
  }

  override render(): TemplateResult {
    const texts = advisorTexts(this.#localize.lang);
    return html`<section aria-label=${texts.visitorCardLabel}>
      ${this.visitor === undefined ? '' : this.renderCard(this.visitor, texts)}
    </section>`;
  }

  protected renderCard(visitor: VisitorCard, texts: AdvisorTexts): TemplateResult {
    switch (visitor.kind) {
      case 'anonymous':
        return html`<p part="kind">${texts.anonymous}</p>
          <dl>
            <dt>${texts.nicknameLabel}</dt>
            <dd part="nickname" dir="auto">${visitor.nickname}</dd>
          </dl>`;
      case 'member':
        return html`<p>${memberBadge(visitor, texts, 'kind member-badge')}</p>
          <dl>
            <dt>${texts.memberNameLabel}</dt>
            <dd part="member-name" dir="auto">${visitor.name}</dd>
            <dt>${texts.insuranceNumberLabel}</dt>
            <dd class="number">
              <span part="insurance-number">${visitor.insuranceNumber}</span>
              <button type="button" class="secondary" part="copy-number" aria-label=${texts.copyNumberLabel}
                @click=${() => void this.copyNumber(visitor.insuranceNumber)}>${texts.copyNumber}</button>
            </dd>
          </dl>
          <p class="copied" role="status">${
            this.copied === undefined ? nothing : this.copied === 'copied' ? texts.numberCopied : texts.numberSelected
          }</p>`;
    }
  }

  /** To the clipboard; where that is refused, the number is selected so that Ctrl+C copies it. */
  private async copyNumber(number: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(number);
      this.copied = 'copied';
    } catch {
      const element = this.renderRoot.querySelector('[part="insurance-number"]');
      if (element !== null) getSelection()?.selectAllChildren(element);
      this.copied = 'selected';
    }
  }
}

define('lotse-visitor-card', LotseVisitorCard);

declare global {
  interface HTMLElementTagNameMap {
    'lotse-visitor-card': LotseVisitorCard;
  }
}
