/**
 * The launcher's one request before consent: is the chat open? `GET <server>/availability`, without a cookie, and
 * the closed notice's text from its answer. Part of the launcher, so it stays tiny: no Lit, no protocol code.
 */
import type { LauncherText } from '../i18n/launcher.js';
import { serverBase } from '../dom/server-base.js';

const WEEK_MS = 6 * 86_400_000;

/** The chat is closed: when it opens again (epoch ms) and the time zone of the hours, where the server says. */
export interface Closed {
  nextOpen?: number;
  timeZone?: string;
  /** The server takes callback requests (`callback: true`). */
  callback?: boolean;
}

/**
 * Asks the server whether the chat is open: one request, no cookie. `undefined` when open, and when the answer
 * is missing or odd (the server refuses a chat while closed anyway).
 */
export async function fetchClosed(server: string): Promise<Closed | undefined> {
  try {
    const base = serverBase(server);
    if (base === undefined) return undefined;
    const response = await fetch(new URL('availability', base), { credentials: 'omit' });
    const data = (await response.json()) as {
      open?: unknown;
      nextOpen?: unknown;
      timeZone?: unknown;
      callback?: unknown;
    } | null;
    if (!response.ok || data?.open !== false) return undefined;
    const at = typeof data.nextOpen === 'string' ? Date.parse(data.nextOpen) : Number.NaN;
    const closed: Closed = { callback: data.callback === true };
    if (at > 0) closed.nextOpen = at;
    if (typeof data.timeZone === 'string') closed.timeZone = data.timeZone;
    return closed;
  } catch {
    return undefined;
  }
}

/** `Montag, 08:00` / `Monday 08:00` in the hours' time zone; with the date when it is more than six days away. */
function whenText(at: number, locale: string, timeZone: string | undefined): string {
  const options: Intl.DateTimeFormatOptions = { weekday: 'long', hour: '2-digit', minute: '2-digit' };
  if (at - Date.now() > WEEK_MS) Object.assign(options, { day: 'numeric', month: 'long' });
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(at);
  } catch {
    return new Intl.DateTimeFormat(locale, options).format(at);
  }
}

/** The closed notice's text, in the language of `text`. */
export function closedText(closed: Closed, text: LauncherText): string {
  return closed.nextOpen === undefined
    ? text.closed
    : `${text.closed} ${text.back(whenText(closed.nextOpen, text.locale, closed.timeZone))}`;
}
