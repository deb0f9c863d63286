/**
 * The console's three regions and, on a narrow console, the tabs between them: the queue and the advisor's chats
 * (`lists`), the conversation, and the chat's context (visitor card, co-browsing, notes). Wide, the regions are
 * labelled sections side by side; narrow, they are the panels of a tab list (the usual tablist keyboard: arrow
 * keys, Home, End; a tab is shown as soon as it has the focus).
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { AdvisorTexts } from '../i18n/advisor.js';

export type Region = 'lists' | 'conversation' | 'context';

export const REGIONS: readonly Region[] = ['lists', 'conversation', 'context'];

/** The attributes of a region's element: a labelled section side by side, or a tab panel. */
export interface RegionAttributes {
  role: string | typeof nothing;
  label: string | typeof nothing;
  labelledby: string | typeof nothing;
  hidden: boolean;
}

export function regionAttributes(region: Region, wide: boolean, shown: Region, texts: AdvisorTexts): RegionAttributes {
  return wide
    ? { role: nothing, label: texts.layout.regions[region], labelledby: nothing, hidden: false }
    : { role: 'tabpanel', label: nothing, labelledby: `region-tab-${region}`, hidden: region !== shown };
}

/** The tab list of a narrow console; `waiting` is shown on the lists tab, so nobody waits unseen. */
export function regionTabs(
  shown: Region,
  waiting: number,
  texts: AdvisorTexts,
  select: (region: Region, focus: boolean) => void,
): TemplateResult {
  const key = (event: KeyboardEvent): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const index = REGIONS.indexOf(shown);
    const target: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: REGIONS.length - 1,
    };
    const next = target[event.key];
    if (next === undefined) return;
    event.preventDefault();
    select(REGIONS[(next + REGIONS.length) % REGIONS.length] ?? 'lists', true);
  };
  return html`<div role="tablist" part="region-tabs" aria-label=${texts.layout.regionTabs} @keydown=${key}>
    ${REGIONS.map(
      (region) => html`<button type="button" role="tab" part="region-tab" id=${`region-tab-${region}`}
        aria-controls=${`region-${region}`} aria-selected=${region === shown ? 'true' : 'false'}
        tabindex=${region === shown ? '0' : '-1'} @click=${() => select(region, false)}>
        ${texts.layout.regions[region]}${
          region === 'lists' && waiting > 0
            ? html`<span part="region-count" aria-hidden="true">${waiting}</span><span class="visually-hidden"
                >, ${texts.layout.waitingBadge(waiting)}</span>`
            : nothing
        }
      </button>`,
    )}
  </div>`;
}
