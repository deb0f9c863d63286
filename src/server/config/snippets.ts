/**
 * The snippets area of the server configuration: the bounds of the canned responses (`snippets/`), team and
 * personal. One schema, every setting with its environment variable, default and description (`fields.ts`).
 */
import * as v from 'valibot';
import { MAX_SNIPPETS_LISTED, MAX_TEXT_LENGTH } from '../../protocol/limits.js';
import { defaultsOf, setting } from './fields.js';

const count = (max: number) =>
  v.pipe(
    v.number('must be a number'),
    v.integer('must be an integer'),
    v.minValue(0, `must be 0 to ${max}`),
    v.maxValue(max, `must be 0 to ${max}`),
  );

export const SnippetsConfigSchema = v.strictObject(
  {
    maxTextLength: v.optional(
      setting(
        v.pipe(
          v.number('must be a number'),
          v.integer('must be an integer'),
          v.minValue(1, `must be 1 to ${MAX_TEXT_LENGTH}`),
          v.maxValue(MAX_TEXT_LENGTH, `must be 1 to ${MAX_TEXT_LENGTH}`),
        ),
        `longest text of a canned response, in characters (1 to ${MAX_TEXT_LENGTH}, a chat message's longest)`,
        { env: 'LOTSE_SNIPPETS_MAX_TEXT_LENGTH' },
      ),
      1000,
    ),
    maxPerAdvisor: v.optional(
      setting(
        count(MAX_SNIPPETS_LISTED),
        `most personal canned responses one advisor may keep (0: none; at most ${MAX_SNIPPETS_LISTED})`,
        { env: 'LOTSE_SNIPPETS_MAX_PER_ADVISOR' },
      ),
      50,
    ),
    maxTeam: v.optional(
      setting(
        count(MAX_SNIPPETS_LISTED),
        `most team canned responses (managed with \`/admin/snippets\` and \`lotse snippets\`; at most ${MAX_SNIPPETS_LISTED})`,
        { env: 'LOTSE_SNIPPETS_MAX_TEAM' },
      ),
      100,
    ),
  },
  'must be an object',
);

export type SnippetsConfig = v.InferOutput<typeof SnippetsConfigSchema>;

export const snippetsDefaults = defaultsOf(SnippetsConfigSchema);
