/**
 * The chat's topics (`chat.topics`): what a page may set on its widget (`<lotse-chat topic="leistungen">`) and
 * an advisor's token may name (`topics` claim), each with a German and an English label (the queue shows it, and
 * a visitor whose chat is handed to a topic reads it). One list in the config file or one environment variable:
 * each entry `id:Label DE:Label EN` (the English label may be left out: the German one then stands for both), or
 * in the file `{ "id": …, "label": { "de": …, "en": … } }`. No topics: one general queue, as before.
 */
import * as v from 'valibot';
import { TOPIC_PATTERN } from '../../protocol/limits.js';
import type { Topic } from '../../protocol/messages.js';

const MAX_TOPICS = 50;
const MAX_LABEL = 80;

const label = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.minLength(1, 'a label must not be empty'),
  v.maxLength(MAX_LABEL, `a label must be at most ${MAX_LABEL} characters`),
);
const id = v.pipe(v.string('must be a string'), v.regex(TOPIC_PATTERN, 'an id must be lower-case letters, digits, -'));

/** `id:Label DE:Label EN` (the environment variable's form, also accepted in the file). */
const fromText = v.pipe(
  v.string(),
  v.transform((text) => {
    const [topicId = '', de = '', en] = text.split(':').map((part) => part.trim());
    return { id: topicId, label: { de, en: en === undefined || en === '' ? de : en } };
  }),
);

const topicSchema = v.pipe(
  v.union(
    [fromText, v.strictObject({ id: v.string(), label: v.strictObject({ de: v.string(), en: v.string() }) })],
    'must be "id:Label DE:Label EN" or an object with id and label',
  ),
  v.strictObject({ id, label: v.strictObject({ de: label, en: label }) }),
);

/** The topics' schema: unique ids, at most `MAX_TOPICS`. */
export const topicsSchema = () =>
  v.pipe(
    v.array(topicSchema, 'must be a list'),
    v.maxLength(MAX_TOPICS, `at most ${MAX_TOPICS} topics`),
    v.check((topics) => new Set(topics.map((topic) => topic.id)).size === topics.length, 'topic ids must be unique'),
  );

/** What the demo (`serve --demo`) configures when no topics are: a few of an insurer's. */
export const DEMO_TOPICS: readonly Topic[] = [
  { id: 'leistungen', label: { de: 'Leistungen', en: 'Benefits' } },
  { id: 'beitraege', label: { de: 'Beiträge', en: 'Contributions' } },
  { id: 'mitgliedschaft', label: { de: 'Mitgliedschaft', en: 'Membership' } },
];

/** A configured topic's id, or `undefined` for none or one the configuration does not know (the general queue). */
export function knownTopic(topics: readonly Topic[], topic: string | undefined): string | undefined {
  return topic !== undefined && topics.some((known) => known.id === topic) ? topic : undefined;
}

/** A topic's label in a language; its id when it is not configured (any more). */
export function topicLabel(topics: readonly Topic[], topic: string, lang: 'de' | 'en'): string {
  return topics.find((known) => known.id === topic)?.label[lang] ?? topic;
}
