/**
 * The chat area of the server configuration: the terms of use a visitor confirms, and how long a chat survives a
 * gone visitor, a gone advisor or silence. Top-level entries of the whole schema, every setting with its
 * environment variable, default and description (`fields.ts`); the type is inferred from them.
 */
import * as v from 'valibot';
import { DEFAULT_TERMS_TEXT, DEFAULT_TERMS_VERSION } from './chat-terms.js';
import { setting } from './fields.js';
import { topicsSchema } from './topics.js';
import { positive, termsSchema } from './values.js';

/** The top-level entries of this area, spread into the whole schema (`lotse-config.ts`). */
export const chatEntries = {
  terms: termsSchema({
    path: 'terms',
    versionEnv: 'LOTSE_TERMS_VERSION',
    versionDescription: 'version of the terms of use; a visitor must confirm exactly this one',
    textDescription: 'terms of use as plain text, paragraphs separated by blank lines',
    defaults: { version: DEFAULT_TERMS_VERSION, text: DEFAULT_TERMS_TEXT },
  }),
  chat: v.strictObject(
    {
      abandonAfterSeconds: v.optional(
        setting(
          positive(),
          "the navigation grace period: a visitor whose page has been gone this long (no socket: a link, a reload, a closed tab, a lost network) does not come back; the chat ends (`by: 'gone'`) and is deleted. Within it, any page of the site resumes the chat",
          { env: 'LOTSE_CHAT_ABANDON_AFTER_SECONDS' },
        ),
        120,
      ),
      advisorGraceSeconds: v.optional(
        setting(positive(), 'an advisor gone this long gives the chat back to the queue', {
          env: 'LOTSE_CHAT_ADVISOR_GRACE_SECONDS',
        }),
        60,
      ),
      idleMinutes: v.optional(
        setting(positive(), 'a chat without a message this long ends', { env: 'LOTSE_CHAT_IDLE_MINUTES' }),
        30,
      ),
      topics: v.optional(
        setting(
          topicsSchema(),
          "the topics a page may set on its widget (`<lotse-chat topic>`) and an advisor token may name (`topics` claim), each `id:Label DE:Label EN` (id: lower-case letters, digits, `-`); chats of an advisor's topics come first in that advisor's queue, and a chat may be handed to a topic. A topic not listed here files the chat under the general queue. The callback form offers them as an optional choice (a request naming another is refused). Demo: `leistungen`, `beitraege`, `mitgliedschaft`",
          { env: 'LOTSE_TOPICS', envNote: ' (comma-separated `id:Label DE:Label EN`)', shownDefault: 'none' },
        ),
        [],
      ),
    },
    'must be an object',
  ),
};

/** The chat area: terms of use and chat timeouts. */
export type ChatConfig = v.InferOutput<v.StrictObjectSchema<typeof chatEntries, undefined>>;
