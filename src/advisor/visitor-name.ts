/**
 * How the advisor's elements name a visitor: an anonymous visitor by the nickname they chose, a member by the
 * name from the verified token, with a "verified member" badge wherever the name stands on its own (queue, tab,
 * visitor card), so that no one takes a typed nickname for a verified name.
 */
import { css, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { AdvisorTexts } from '../i18n/advisor.js';
import type { VisitorCard } from '../protocol/messages.js';

export function visitorName(visitor: VisitorCard): string {
  return visitor.kind === 'member' ? visitor.name : visitor.nickname;
}

const check = html`<svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
  <path d="M6.4 11.6 2.8 8l1.1-1.1 2.5 2.5 5.7-5.7 1.1 1.1z" fill="currentColor" />
</svg>`;

/** The badge of a verified member (its text is its accessible name); nothing for an anonymous visitor. */
export function memberBadge(
  visitor: VisitorCard,
  texts: AdvisorTexts,
  part = 'member-badge',
): TemplateResult | typeof nothing {
  return visitor.kind === 'member'
    ? html`<span class="member-badge" part=${part}>${check}${texts.member}</span>`
    : nothing;
}

export const memberBadgeStyles = css`
  .member-badge {
    display: inline-flex;
    gap: 0.25rem;
    align-items: center;
    padding: 0.05rem 0.45rem;
    border: 1px solid currentColor;
    border-radius: var(--_radius);
    color: var(--lotse-verified, #1b5e20);
    background: var(--lotse-verified-background, #e8f5e9);
    font-size: 0.85em;
    font-weight: 600;
    white-space: nowrap;
  }
  .member-badge svg {
    width: 1em;
    height: 1em;
  }
`;
