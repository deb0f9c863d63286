/**
 * Migration 3, `snippets`: the canned responses. `owner` is the advisor's id for a personal snippet and NULL for a
 * team one. The advisor's texts only: nothing of a visitor or a chat is ever stored here. A shortcut is unique per
 * owner (or the team) and language, so `/gruss` may exist once in German and once in English.
 */
import type { Migration } from '../store/migrations.js';

export const SNIPPETS_MIGRATION: Migration = {
  id: 3,
  name: 'snippets',
  sql: `
    CREATE TABLE snippets (
      id text PRIMARY KEY,
      owner text,
      shortcut text NOT NULL,
      lang text NOT NULL CHECK (lang IN ('de', 'en')),
      text text NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );
    CREATE UNIQUE INDEX snippets_shortcut ON snippets ((coalesce(owner, '')), lang, shortcut);
  `,
};
