/**
 * What the console says once a chat was handed on (`chat.transferred`): "Der Chat wurde an … weitergeleitet", with
 * the colleague's name or the topic's label. The chat itself has left the console by then.
 */
import type { AdvisorSession } from '../client/advisor-session.js';
import type { AdvisorTexts } from '../i18n/advisor.js';
import type { Lang } from '../i18n/locale.js';
import { topicLabel } from './lotse-advisor-transfer.js';

export function transferStatus(session: AdvisorSession, texts: AdvisorTexts, lang: Lang): string {
  const done = session.transferred;
  if (done === undefined) return '';
  return texts.transfer.done(done.topic === undefined ? done.to : topicLabel(session.topics, done.topic, lang));
}
