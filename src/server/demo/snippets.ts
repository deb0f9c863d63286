/**
 * The demo's team canned responses, German and English, seeded into the store when it has no team snippets yet
 * (so an operator's own are never mixed with these, and a restart adds nothing). Demo mode only: production starts
 * with none.
 */
import { TEAM, addSnippet, listSnippets } from '../snippets/snippet-store.js';
import type { SnippetInput } from '../snippets/snippet-store.js';
import type { SnippetsConfig } from '../config/snippets.js';
import type { Db } from '../store/sql.js';

export const DEMO_SNIPPETS: readonly SnippetInput[] = [
  {
    shortcut: 'gruss',
    lang: 'de',
    text: 'Guten Tag {{visitor}}, mein Name ist {{advisor}}. Wie kann ich Ihnen helfen?',
  },
  { shortcut: 'gruss', lang: 'en', text: 'Hello {{visitor}}, my name is {{advisor}}. How can I help you?' },
  {
    shortcut: 'moment',
    lang: 'de',
    text: 'Einen Moment bitte, {{visitor}}, ich sehe das für Sie nach.',
  },
  { shortcut: 'moment', lang: 'en', text: 'One moment please, {{visitor}}, I will look that up for you.' },
  {
    shortcut: 'rueckruf',
    lang: 'de',
    text: 'Gern rufen wir Sie zurück. Nennen Sie mir bitte, wann Sie am besten erreichbar sind.',
  },
  { shortcut: 'callback', lang: 'en', text: 'We are happy to call you back. When is the best time to reach you?' },
  { shortcut: 'danke', lang: 'de', text: 'Vielen Dank für Ihre Nachricht, {{visitor}}. Einen schönen Tag noch!' },
  { shortcut: 'thanks', lang: 'en', text: 'Thank you for your message, {{visitor}}. Have a nice day!' },
];

/** Adds the demo's snippets unless the team has some already. */
export async function seedDemoSnippets(db: Db, limits: SnippetsConfig): Promise<void> {
  if ((await listSnippets(db, TEAM)).length > 0) return;
  for (const snippet of DEMO_SNIPPETS.slice(0, limits.maxTeam)) {
    await addSnippet(db, TEAM, { ...snippet, text: snippet.text.slice(0, limits.maxTextLength) }, limits);
  }
}
