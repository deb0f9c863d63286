/**
 * Texts of the webcode field of `<lotse-cobrowse webcode-field>`. Loaded on every page view with the eager
 * element, so it stays tiny; the co-browse view has its own catalogue (`cobrowse.ts`).
 */
import { catalogue } from './locale.js';

const de = {
  label: 'Webcode für Co-Browsing',
  submit: 'Co-Browsing öffnen',
  invalid: 'Bitte geben Sie den 6-stelligen Webcode ein, den Ihnen die Beratung genannt hat.',
};

export const webcodeText = catalogue(de, {
  label: 'Co-browsing webcode',
  submit: 'Open co-browsing',
  invalid: 'Please enter the 6-digit webcode the advisor gave you.',
});
