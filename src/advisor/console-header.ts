/**
 * The console's top bar: the advisor's name, the presence switch, the keyboard shortcuts (a disclosure), the
 * connection state, co-browsing for a phone call (at the right end, above the context region where its webcode
 * appears when the regions stand side by side) and, for an advisor the console signed in itself, "Abmelden". The
 * console's own tools go here: `tools` (the notification settings) after the shortcuts.
 *
 * One line from 1280 px: where the header is narrower than about 1400 px, the disclosures and "Abmelden" show their
 * icon alone, and below about 1120 px the phone co-browse button too (`console-styles.ts`); their text stays in
 * the accessibility tree (their name) and in a tooltip. Narrower still, the header wraps.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { AdvisorSession } from '../client/advisor-session.js';
import type { CobrowseSession } from '../client/cobrowse-advisor.js';
import type { AdvisorTexts } from '../i18n/advisor.js';
import { busy } from './cobrowse-actions.js';
import { keyboardIcon, phoneIcon, signOutIcon } from './icons.js';

export interface HeaderActions {
  setPresence(presence: 'available' | 'away'): void;
  offerPhone(): void;
  /** Absent: the host signed the advisor in, and no "Abmelden" is offered. */
  signOut?: (() => void) | undefined;
}

/** An icon and its text, which a narrow header hides visually (the text stays the control's name). */
export function labelled(icon: TemplateResult, label: string): TemplateResult {
  return html`${icon}<span class="label">${label}</span>`;
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
    <details part="shortcuts" class="collapsible">
      <summary title=${texts.layout.shortcutsHeading}>${labelled(keyboardIcon, texts.layout.shortcutsHeading)}</summary>
      <dl>${texts.layout.shortcuts.map(([keys, what]) => html`<dt><kbd>${keys}</kbd></dt><dd>${what}</dd>`)}</dl>
    </details>
    ${tools}
    <p role="status" part="status">${texts.connection[session.connection]}</p>
    <button type="button" part="cobrowse-offer-phone" class="secondary with-icon" title=${texts.cobrowse.offerPhone}
      ?disabled=${session.connection !== 'connected' || phone.some((c) => c.chatId === undefined && busy(c))}
      @click=${() => actions.offerPhone()}>${labelled(phoneIcon, texts.cobrowse.offerPhone)}</button>
    ${
      actions.signOut === undefined
        ? nothing
        : html`<button type="button" part="sign-out" class="secondary with-icon collapsible" title=${texts.signOut}
          @click=${actions.signOut}>${labelled(signOutIcon, texts.signOut)}</button>`
    }
  </header>`;
}
