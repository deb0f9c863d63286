/**
 * Value schemas that several configuration areas share, with the error texts every area uses (the tests of each
 * area check them), and the schema of a set of terms (the chat's and co-browsing's: a version and a text per
 * language).
 */
import * as v from 'valibot';
import { setting } from './fields.js';

export const positive = () =>
  v.pipe(v.number('must be a number'), v.finite('must be finite'), v.gtValue(0, 'must be greater than 0'));

export const nonEmpty = () => v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'));

/** A version and a German and English text of terms a visitor confirms, each with its default. */
export function termsSchema(terms: {
  /** Where they sit in the configuration, e.g. `cobrowse.terms`, for the docs' label of the texts. */
  path: string;
  versionEnv: string;
  versionDescription: string;
  textDescription: string;
  defaults: { version: string; text: { de: string; en: string } };
}) {
  return v.strictObject(
    {
      version: v.optional(
        setting(v.pipe(nonEmpty(), v.maxLength(200, 'must be at most 200 characters')), terms.versionDescription, {
          env: terms.versionEnv,
        }),
        terms.defaults.version,
      ),
      text: v.optional(
        setting(
          v.strictObject({ de: nonEmpty(), en: nonEmpty() }, 'must be an object with de and en'),
          terms.textDescription,
          { label: `\`${terms.path}.text.de\`, \`${terms.path}.text.en\``, shownDefault: 'built-in texts' },
        ),
        { de: terms.defaults.text.de, en: terms.defaults.text.en },
      ),
    },
    'must be an object',
  );
}
