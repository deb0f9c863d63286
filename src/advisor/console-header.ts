/**
 * The console's top bar: the advisor's name, the presence switch, the keyboard shortcuts (a disclosure), the
 * connection state, and co-browsing for a phone call (at the right end, above the context region where its webcode
 * appears when the regions stand side by side). The console's own tools go here: `tools` (the notification
 * settings) after the shortcuts.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { AdvisorSession } from '../client/advisor-session.js';
import type { CobrowseSession } from '../client/cobrowse-advisor.js';
import type { AdvisorTexts } from '../i18n/advisor.js';
import { busy } from './cobrowse-actions.js';

export interface HeaderActions {
  setPresence(presence: 'available' | 'away'): void;
  offerPhone(): void;
}

export function consoleHeader(
  session: AdvisorSession,
  phone: CobrowseSession[],
  texts: AdvisorTexts,
  actions: HeaderActions,
  tools: TemplateResult | typeof nothing = nothing,
): TemplateResult {
  const available = session.presence === 'available';
  return html`<header part="header">
    <p part="advisor-name">${session.advisor?.name ?? nothing}</p>
    <button type="button" role="switch" part="presence" aria-checked=${available ? 'true' : 'false'}
      @click=${() => actions.setPresence(available ? 'away' : 'available')}>
      <span class="track" aria-hidden="true"></span>${texts.presenceLabel}
    </button>
    <details part="shortcuts">
      <summary>${texts.layout.shortcutsHeading}</summary>
      <dl>${texts.layout.shortcuts.map(([keys, what]) => html`<dt><kbd>${keys}</kbd></dt><dd>${what}</dd>`)}</dl>
    </details>
    ${tools}
    <p role="status" part="status">${texts.connection[session.connection]}</p>
    <button type="button" part="cobrowse-offer-phone" class="secondary"
      ?disabled=${session.connection !== 'connected' || phone.some((c) => c.chatId === undefined && busy(c))}
      @click=${() => actions.offerPhone()}>${texts.cobrowse.offerPhone}</button>
  </header>`;
}
