/**
 * The advisor's canned responses as the console holds them: the team's and the advisor's own, as the server last
 * listed them (`snippets.list`, after every change), whether the server has a store for them at all, and the last
 * refusal of a save. Asked for on every (re)connect; the server answers each change with the whole list, and sends
 * it unasked when an admin changed the team's.
 */
import { ErrorCode } from '../protocol/errors.js';
import type { AdvisorToServer, ServerToAdvisor } from '../protocol/messages.js';
import type { Outgoing } from '../protocol/parse.js';
import type { Snippet, SnippetLang } from '../protocol/snippets.js';

export type { Snippet, SnippetLang } from '../protocol/snippets.js';

type List = Extract<ServerToAdvisor, { type: 'snippets.list' }>;

export interface SnippetDraft {
  /** Absent: a new one. */
  id?: string | undefined;
  shortcut: string;
  lang: SnippetLang;
  text: string;
}

export interface AdvisorSnippetsOptions {
  /** False when there is no socket to send on. */
  send: (message: Outgoing<AdvisorToServer>) => boolean;
  changed: () => void;
}

export class AdvisorSnippets {
  /** `undefined` until the server first answered; `false`: the server has no store for them. */
  available: boolean | undefined;
  team: readonly Snippet[] = [];
  personal: readonly Snippet[] = [];
  limits: List['limits'] = { maxTextLength: 1000, maxPersonal: 0 };
  /** The last save or delete the server refused (its message), until the next list after a successful change. */
  refused: string | undefined;
  /** Bumped on every list, so that elements can tell a new one. */
  revision = 0;
  /** The advisor's name as the server knows it (`advisor.welcome`), for `{{advisor}}`. */
  advisorName = '';

  readonly #options: AdvisorSnippetsOptions;

  constructor(options: AdvisorSnippetsOptions) {
    this.#options = options;
  }

  /** Asks for the list (on every connect, and when the console wants it fresh). */
  request(): boolean {
    return this.#options.send({ type: 'snippets.get' });
  }

  /** Saves one of the advisor's own; false without a socket. */
  save(draft: SnippetDraft): boolean {
    this.refused = undefined;
    const { id, shortcut, lang, text } = draft;
    return this.#options.send({ type: 'snippets.save', ...(id === undefined ? {} : { id }), shortcut, lang, text });
  }

  remove(id: string): boolean {
    this.refused = undefined;
    return this.#options.send({ type: 'snippets.delete', id });
  }

  handle(message: List): void {
    this.available = message.available;
    this.team = message.team;
    this.personal = message.personal;
    this.limits = message.limits;
    this.revision += 1;
    this.#options.changed();
  }

  /** Whether an error was about snippets (and is now held in `refused`). */
  handleError(error: { code: string; message: string; ref?: string | undefined }): boolean {
    if (error.code !== ErrorCode.SnippetRefused && !error.ref?.startsWith('snippets.')) return false;
    this.refused = error.message;
    this.#options.changed();
    return true;
  }
}
