/**
 * Phone numbers of callback requests: what a visitor types (German national `030 1234567`, `(030) 123 45-67`,
 * `0151 2345678`; international `+49 30 1234567`, `0049 30 …`, `+49 (0)30 …`, `+43 1 …`) becomes one E.164 string
 * (`+49301234567`), or is refused. Shared by the visitor's form (an early hint) and the server (the check that
 * counts). Deliberately plain: no number-plan tables (libphonenumber's are hundreds of kilobytes), only the shape
 * E.164 allows and the German rules every German number keeps.
 */

/** Longest input taken at all, before normalising (spaces and separators included). */
export const MAX_PHONE_INPUT_LENGTH = 32;

/**
 * The number in E.164 (`+` and 8 to 15 digits), or `undefined` when it is not a phone number. A number without a
 * country is German (a leading `0` is the trunk prefix and goes). German numbers have 10 to 13 digits with the
 * country code (national significant number 7 to 11 digits: `+49 30 12345` is a short Berlin line, mobile
 * numbers have 10 or 11), and never a `0` right after `+49`.
 */
export function normalisePhone(input: string): string | undefined {
  if (input.length > MAX_PHONE_INPUT_LENGTH) return undefined;
  let text = input.trim();
  // `+49 (0)30 …`: the bracketed trunk prefix is written for callers from inside Germany; it is no digit.
  text = text.replace(/^(\+\d{1,3})\s*\(0\)/, '$1');
  if (!/^\+?[\d\s()/.-]+$/.test(text)) return undefined;
  const plus = text.startsWith('+');
  const digits = text.replace(/\D/g, '');
  let e164: string;
  if (plus) e164 = digits;
  else if (digits.startsWith('00')) e164 = digits.slice(2);
  else if (digits.startsWith('0')) e164 = `49${digits.slice(1)}`;
  else return undefined;
  if (!/^[1-9]\d{7,14}$/.test(e164)) return undefined;
  if (e164.startsWith('49') && !/^49[1-9]\d{6,10}$/.test(e164)) return undefined;
  return `+${e164}`;
}
