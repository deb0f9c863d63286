import { LitElement, css, html } from 'lit';
import type { TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { advisorTexts } from '../i18n/advisor.js';
import type { AdvisorTexts } from '../i18n/advisor.js';
import { langOf } from '../i18n/locale.js';
import type { VisitorCard } from '../protocol/messages.js';
import { define } from '../dom/define.js';
import { baseStyles } from './styles.js';

/**
 * Who the advisor is talking to. Today only anonymous visitors exist: the card says so and shows the nickname the
 * visitor chose. A verified member (name and insurance number from the signed token's claims, never from anything
 * typed in the browser) becomes one more `kind` of `VisitorCard` and one more branch of `renderCard`.
 *
 * @tag lotse-visitor-card
 * @prop {VisitorCard | undefined} visitor - The visitor as the server describes them.
 * @csspart kind - The line that says what kind of visitor this is ("Anonym").
 * @csspart nickname - The visitor's nickname (isolated: `dir="auto"`, `unicode-bidi: isolate`).
 */
export class LotseVisitorCard extends LitElement {
  static override styles = [
    baseStyles,
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
      [part='nickname'] {
        unicode-bidi: isolate;
      }
      [part='kind'] {
        display: inline-block;
        margin: 0 0 0.4rem;
        padding: 0.1rem 0.5rem;
        border-radius: var(--_radius);
        background: var(--_subtle);
      }
    `,
  ];

  @property({ attribute: false }) visitor: VisitorCard | undefined;

  override render(): TemplateResult {
    const texts = advisorTexts(langOf(this));
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
    }
  }
}

define('lotse-visitor-card', LotseVisitorCard);

declare global {
  interface HTMLElementTagNameMap {
    'lotse-visitor-card': LotseVisitorCard;
  }
}
