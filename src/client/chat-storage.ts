/**
 * What the visitor's chat keeps in the browser so that it outlives the page: one entry in `sessionStorage` (tab
 * scoped, gone with the tab) under `lotse-chat`, written only after the visitor confirmed the terms and started a
 * chat, removed when the chat ends. Never a cookie, never `localStorage`.
 *
 * It holds what is needed to come back and nothing of the conversation: the chat id and its resume secret (or,
 * before the server answered the start, the start itself with its idempotency key), the last event the visitor has
 * seen, whether the pop-up was open and the sound on, and the outbox: messages the visitor wrote that the server
 * has not confirmed yet (usually none; each leaves the outbox, and storage, the moment its echo arrives). The
 * history comes back from the server on every resume. A member chat keeps no token: the page's provider gives a
 * fresh one on every resume.
 *
 * Storage that throws (disabled, sandboxed, full) simply means that the chat does not survive a navigation.
 */
import {
  CLIENT_ID_PATTERN,
  MAX_NICKNAME_LENGTH,
  MAX_OUTBOX,
  MAX_TEXT_LENGTH,
  RESUME_TOKEN_LENGTH,
  TOPIC_PATTERN,
} from '../protocol/limits.js';
import type { PendingMessage } from './chat-log.js';

/** Also read, as a literal, by the launcher (which may not import client code) to know whether to load the chat. */
export const CHAT_STORAGE_KEY = 'lotse-chat';

/** The `chat.start` the chat was started with: repeated with the same `startId` if no answer came before the navigation. */
export interface StoredStart {
  startId: string;
  termsVersion: string;
  lang: 'de' | 'en';
  /** Anonymous chat only: the nickname, for the visitor's own transcript and a repeated start. */
  nickname?: string;
  /** The page's topic, for a repeated start. */
  topic?: string;
}

export interface StoredChat {
  /** The server the chat runs on (base URL): another server's entry is not ours. */
  server: string;
  start: StoredStart;
  member: boolean;
  /** Known once the server answered the start. */
  chatId?: string;
  resumeToken?: string;
  /** The last sequence number the visitor has seen (pop-up open in a visible tab): what is after it is unread. */
  seen: number;
  open: boolean;
  sound: boolean;
  outbox: PendingMessage[];
}

function defaultStorage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

const isString = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;
const isId = (value: unknown): value is string => typeof value === 'string' && CLIENT_ID_PATTERN.test(value);

/**
 * The stored entry, if every field has the right shape; `undefined` otherwise. (Written only by this module, but a
 * page's own script could write anything there: it is read like input.)
 */
function parse(raw: string): StoredChat | undefined {
  try {
    const entry = JSON.parse(raw) as StoredChat;
    const { server, start, chatId, resumeToken, seen, open, sound, member, outbox } = entry;
    const ok =
      isString(server, 2000) &&
      isId(start.startId) &&
      isString(start.termsVersion, 200) &&
      (start.lang === 'de' || start.lang === 'en') &&
      (start.nickname === undefined || isString(start.nickname, MAX_NICKNAME_LENGTH)) &&
      (start.topic === undefined || (typeof start.topic === 'string' && TOPIC_PATTERN.test(start.topic))) &&
      [member, open, sound].every((flag) => typeof flag === 'boolean') &&
      Number.isInteger(seen) &&
      seen >= 0 &&
      (chatId === undefined
        ? resumeToken === undefined
        : isId(chatId) && resumeToken?.length === RESUME_TOKEN_LENGTH) &&
      Array.isArray(outbox) &&
      outbox.length <= MAX_OUTBOX &&
      outbox.every((item) => isId(item.id) && isString(item.text, MAX_TEXT_LENGTH) && item.text !== '');
    if (!ok) return undefined;
    // Only the known fields, whatever else the entry had.
    const stored: StoredChat = {
      server,
      start: { startId: start.startId, termsVersion: start.termsVersion, lang: start.lang },
      member,
      seen,
      open,
      sound,
      outbox: outbox.map(({ id, text }) => ({ id, text })),
    };
    if (start.nickname !== undefined) stored.start.nickname = start.nickname;
    if (start.topic !== undefined) stored.start.topic = start.topic;
    if (chatId !== undefined) Object.assign(stored, { chatId, resumeToken });
    return stored;
  } catch {
    // Not JSON, or not an object where one belongs (`start`, an outbox item): not ours, or damaged.
    return undefined;
  }
}

/** The stored chat for this server, if there is one of the right shape; a malformed entry is removed. */
export function readStoredChat(
  server: string,
  storage: Storage | undefined = defaultStorage(),
): StoredChat | undefined {
  let raw: string | null;
  try {
    raw = storage?.getItem(CHAT_STORAGE_KEY) ?? null;
  } catch {
    return undefined;
  }
  if (raw === null) return undefined;
  const stored = parse(raw);
  if (stored === undefined) clearStoredChat(storage);
  return stored?.server === server ? stored : undefined;
}

export function writeStoredChat(chat: StoredChat, storage: Storage | undefined = defaultStorage()): void {
  try {
    storage?.setItem(CHAT_STORAGE_KEY, JSON.stringify(chat));
  } catch {
    // No storage (or full): the chat goes on, it just cannot survive a navigation.
  }
}

export function clearStoredChat(storage: Storage | undefined = defaultStorage()): void {
  try {
    storage?.removeItem(CHAT_STORAGE_KEY);
  } catch {
    // nothing to clear
  }
}
