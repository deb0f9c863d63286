/**
 * The canned responses in the store: the team's (`owner` NULL, managed by admins) and each advisor's own. The
 * bounds (`snippets.*` of the configuration) hold across nodes: a new snippet is counted and inserted in one
 * transaction that locks the table against other inserts, so two servers cannot both add the last one allowed.
 */
import { randomUUID } from 'node:crypto';
import * as v from 'valibot';
import { snippetLang, snippetShortcut, snippetText } from '../../protocol/snippets.js';
import type { Snippet, SnippetLang } from '../../protocol/snippets.js';
import type { SnippetsConfig } from '../config/snippets.js';
import { sql } from '../store/sql.js';
import type { Db, Queryable } from '../store/sql.js';

export type { Snippet, SnippetLang } from '../../protocol/snippets.js';

/** Whose a snippet is: the team's, or one advisor's (by the advisor id of the token). */
export type SnippetOwner = { readonly team: true } | { readonly advisorId: string };

export const TEAM: SnippetOwner = { team: true };

export interface SnippetInput {
  readonly shortcut: string;
  readonly lang: SnippetLang;
  readonly text: string;
}

/** Why a save was refused: a shortcut taken in that language, the count at its bound, a text too long, no such one. */
export type SnippetRefusal = 'exists' | 'limit' | 'too_long' | 'unknown';

export class SnippetRefusedError extends Error {
  readonly reason: SnippetRefusal;
  constructor(reason: SnippetRefusal, message: string) {
    super(message);
    this.name = 'SnippetRefusedError';
    this.reason = reason;
  }
}

interface Row {
  id: string;
  shortcut: string;
  lang: SnippetLang;
  text: string;
}

const ownerValue = (owner: SnippetOwner): string | null => ('team' in owner ? null : owner.advisorId);

/** Every snippet of `owner`, by language and shortcut. */
export async function listSnippets(db: Queryable, owner: SnippetOwner): Promise<Snippet[]> {
  const value = ownerValue(owner);
  const rows =
    value === null
      ? await db.query<Row>(sql`SELECT id, shortcut, lang, text FROM snippets WHERE owner IS NULL
          ORDER BY lang, shortcut`)
      : await db.query<Row>(sql`SELECT id, shortcut, lang, text FROM snippets WHERE owner = ${value}
          ORDER BY lang, shortcut`);
  return rows.map(({ id, shortcut, lang, text }) => ({ id, shortcut, lang, text }));
}

function maxOf(owner: SnippetOwner, limits: SnippetsConfig): number {
  return 'team' in owner ? limits.maxTeam : limits.maxPerAdvisor;
}

function checkText(input: SnippetInput, limits: SnippetsConfig): void {
  if (input.text.length > limits.maxTextLength) {
    throw new SnippetRefusedError('too_long', `the text is longer than ${limits.maxTextLength} characters`);
  }
}

async function shortcutTaken(tx: Queryable, owner: SnippetOwner, input: SnippetInput, except?: string) {
  const value = ownerValue(owner) ?? '';
  const rows = await tx.query<{ id: string }>(sql`SELECT id FROM snippets
    WHERE coalesce(owner, '') = ${value} AND lang = ${input.lang} AND shortcut = ${input.shortcut}`);
  return rows.some((row) => row.id !== except);
}

/** Adds a snippet for `owner`; a `SnippetRefusedError` when the shortcut is taken, the bound reached or the text long. */
export async function addSnippet(
  db: Db,
  owner: SnippetOwner,
  input: SnippetInput,
  limits: SnippetsConfig,
  now = new Date(),
): Promise<Snippet> {
  checkText(input, limits);
  const value = ownerValue(owner);
  return db.transaction(async (tx) => {
    // Counted and inserted under one lock: the bound holds with several servers on one database.
    await tx.exec('LOCK TABLE snippets IN SHARE ROW EXCLUSIVE MODE');
    const counted = await tx.query<{ n: number }>(
      value === null
        ? sql`SELECT count(*)::int AS n FROM snippets WHERE owner IS NULL`
        : sql`SELECT count(*)::int AS n FROM snippets WHERE owner = ${value}`,
    );
    const max = maxOf(owner, limits);
    if (Number(counted[0]?.n ?? 0) >= max) {
      throw new SnippetRefusedError('limit', `at most ${max} snippets`);
    }
    if (await shortcutTaken(tx, owner, input)) {
      throw new SnippetRefusedError('exists', `the shortcut ${input.shortcut} (${input.lang}) is taken`);
    }
    const id = randomUUID();
    await tx.query(sql`INSERT INTO snippets (id, owner, shortcut, lang, text, created_at, updated_at)
      VALUES (${id}, ${value}, ${input.shortcut}, ${input.lang}, ${input.text}, ${now}, ${now})`);
    return { id, ...input };
  });
}

/** Replaces the snippet `id` of `owner` (never another's); a `SnippetRefusedError` when there is none or it clashes. */
export async function updateSnippet(
  db: Db,
  owner: SnippetOwner,
  id: string,
  input: SnippetInput,
  limits: SnippetsConfig,
  now = new Date(),
): Promise<Snippet> {
  checkText(input, limits);
  const value = ownerValue(owner) ?? '';
  return db.transaction(async (tx) => {
    await tx.exec('LOCK TABLE snippets IN SHARE ROW EXCLUSIVE MODE');
    if (await shortcutTaken(tx, owner, input, id)) {
      throw new SnippetRefusedError('exists', `the shortcut ${input.shortcut} (${input.lang}) is taken`);
    }
    const rows = await tx.query<{ id: string }>(sql`UPDATE snippets
      SET shortcut = ${input.shortcut}, lang = ${input.lang}, text = ${input.text}, updated_at = ${now}
      WHERE id = ${id} AND coalesce(owner, '') = ${value} RETURNING id`);
    if (rows.length === 0) throw new SnippetRefusedError('unknown', `no snippet ${id}`);
    return { id, ...input };
  });
}

/** Removes the snippet `id` of `owner` (never another's); whether there was one. */
export async function removeSnippet(db: Queryable, owner: SnippetOwner, id: string): Promise<boolean> {
  const value = ownerValue(owner) ?? '';
  const rows = await db.query<{ id: string }>(
    sql`DELETE FROM snippets WHERE id = ${id} AND coalesce(owner, '') = ${value} RETURNING id`,
  );
  return rows.length > 0;
}

const InputSchema = v.object({ shortcut: snippetShortcut, lang: snippetLang, text: snippetText });

/** A snippet as an admin or the CLI gave it, checked as the protocol checks an advisor's; a `RangeError` says why not. */
export function parseSnippetInput(value: unknown): SnippetInput {
  const result = v.safeParse(InputSchema, value);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const field = issue.path?.map((item) => String(item.key)).join('.') ?? 'snippet';
  const why: Record<string, string> = {
    shortcut: 'shortcut must be 1 to 32 lower-case letters, digits, "-" or "_", starting with a letter or digit',
    lang: 'lang must be "de" or "en"',
    text: 'text must be 1 to 2000 characters without control characters',
  };
  throw new RangeError(why[field] ?? 'a snippet is an object with shortcut, lang and text');
}
