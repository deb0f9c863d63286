/**
 * Clock times as both element families show them: hours and minutes, 24-hour clock in both languages
 * (`de-DE`, `en-GB`), e.g. `12:03`. One formatter per language, made on first use.
 */
import type { Lang } from './locale.js';

const formats = new Map<Lang, Intl.DateTimeFormat>();

/** Hours and minutes of an epoch time in the given language, e.g. `12:03`. */
export function timeOf(at: number, lang: Lang): string {
  let format = formats.get(lang);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'de-DE', { hour: '2-digit', minute: '2-digit' });
    formats.set(lang, format);
  }
  return format.format(at);
}
