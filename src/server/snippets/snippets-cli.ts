/**
 * `lotse snippets list|add|update|remove`: the team's canned responses, on the store as the other store commands
 * (with the embedded store: server stopped). The same checks and bounds as `/admin/snippets`.
 */
import { UsageError } from '../cli/args.js';
import { CONFIG_OPTION, storageConfigFrom } from '../cli/command.js';
import type { Command } from '../cli/command.js';
import { openStore } from '../store/index.js';
import {
  SnippetRefusedError,
  TEAM,
  addSnippet,
  listSnippets,
  parseSnippetInput,
  removeSnippet,
  updateSnippet,
} from './snippet-store.js';
import type { Snippet, SnippetInput } from './snippet-store.js';

const ACTIONS = ['list', 'add', 'update', 'remove'] as const;

/** One line per snippet: id, language, shortcut, and the text on one line. */
export function formatSnippets(snippets: readonly Snippet[]): string {
  if (snippets.length === 0) return 'no team snippets\n';
  return snippets.map((s) => `${s.id}  ${s.lang}  /${s.shortcut}  ${s.text.replace(/\s*\n\s*/g, ' ⏎ ')}\n`).join('');
}

function inputOf(text: (name: string) => string | undefined): SnippetInput {
  try {
    return parseSnippetInput({ shortcut: text('shortcut'), lang: text('lang'), text: text('text') });
  } catch (error) {
    throw new UsageError(`lotse snippets: ${error instanceof Error ? error.message : 'bad snippet'}`);
  }
}

export const snippets: Command = {
  name: 'snippets',
  usage: 'snippets list|add|update|remove [ID] [--shortcut NAME] [--lang de|en] [--text TEXT] [--json] [--config FILE]',
  summary:
    "the team's canned responses: list them, add one (--shortcut, --lang, --text), update one (ID and all three) " +
    'or remove one (ID); with the embedded store: server stopped',
  options: [
    { name: 'shortcut', value: 'NAME', help: 'what the advisor types after "/" (lower-case letters, digits, - and _)' },
    { name: 'lang', value: 'de|en', help: 'the language of the text' },
    { name: 'text', value: 'TEXT', help: 'the text; {{visitor}} and {{advisor}} are filled in when inserted' },
    { name: 'json', help: 'list as JSON' },
    CONFIG_OPTION,
  ],
  positionals: 2,
  async run(args, io) {
    const [action, id] = args.positionals;
    if (!ACTIONS.some((known) => known === action)) {
      throw new UsageError(`lotse snippets: name one of ${ACTIONS.join(', ')} (lotse snippets --help)`);
    }
    const needsId = action === 'update' || action === 'remove';
    if (needsId !== (id !== undefined)) {
      throw new UsageError(`lotse snippets ${action}: ${needsId ? 'needs an ID' : 'takes no ID'}`);
    }
    const input = action === 'add' || action === 'update' ? inputOf((name) => args.text(name)) : undefined;
    const config = storageConfigFrom(args, io);
    const db = await openStore(config.storage);
    try {
      if (action === 'list') {
        const list = await listSnippets(db, TEAM);
        io.out.write(args.flag('json') ? `${JSON.stringify(list, null, 2)}\n` : formatSnippets(list));
      } else if (action === 'remove' && id !== undefined) {
        if (!(await removeSnippet(db, TEAM, id))) throw new Error(`no team snippet ${id}`);
        io.out.write(`removed ${id}\n`);
      } else if (input !== undefined) {
        const saved =
          id === undefined
            ? await addSnippet(db, TEAM, input, config.snippets)
            : await updateSnippet(db, TEAM, id, input, config.snippets);
        io.out.write(`${action === 'add' ? 'added' : 'updated'} ${saved.id}\n`);
      }
    } catch (error) {
      throw error instanceof SnippetRefusedError ? new Error(error.message) : error;
    } finally {
      await db.close();
    }
    return 0;
  },
};
