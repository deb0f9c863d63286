/**
 * What counts as a valid chat text and nickname, shared by the composer (which normalises before it queues, so
 * nothing the visitor wrote is refused later) and the server's schemas (which refuse what was not normalised).
 */
import { MAX_NICKNAME_LENGTH, MAX_TEXT_LENGTH, MIN_NICKNAME_LENGTH } from './limits.js';

/**
 * What a text may not contain: control characters but tab and line feed, and lone UTF-16 surrogates (`\p{Cs}`
 * under the `u` flag matches only unpaired ones). A lone surrogate is not Unicode: PostgreSQL refuses it in a
 * `jsonb` column, and a member chat's transcript would fail to store.
 */
export const TEXT_FORBIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F\p{Cs}]/u;
/** A nickname has no control, format (zero-width, bidi overrides) or lone surrogate characters. */
export const NICKNAME_FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}]/u;

/**
 * A chat text as it goes on the wire: line breaks unified, vertical tab and form feed (which word processors
 * paste) turned into line breaks, other control characters removed, trimmed. May be empty: then there is
 * nothing to send.
 */
export function normaliseText(text: string): string {
  return (
    text
      .replace(/\r\n?|[\u000B\u000C\u2028\u2029]/g, '\n')
      .replace(/[\u0000-\u0008\u000E-\u001F\u007F]/g, '')
      // A lone surrogate (a broken emoji from a bad paste) becomes the replacement character, as a decoder would.
      .replace(/\p{Cs}/gu, '\uFFFD')
      .trim()
  );
}

/** Why a nickname is not acceptable, or undefined when it is. */
export function nicknameProblem(nickname: string): 'short' | 'long' | 'characters' | undefined {
  const trimmed = nickname.trim();
  if (NICKNAME_FORBIDDEN.test(trimmed)) return 'characters';
  if (trimmed.length < MIN_NICKNAME_LENGTH) return 'short';
  if (trimmed.length > MAX_NICKNAME_LENGTH) return 'long';
  return undefined;
}

/** True when a normalised text can be sent as it is. */
export function textFits(text: string): boolean {
  return text.length > 0 && text.length <= MAX_TEXT_LENGTH && !TEXT_FORBIDDEN.test(text);
}
