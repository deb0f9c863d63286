/**
 * Texts of the launcher button. Loaded on every page view, so it stays tiny; the pop-up has its own catalogue.
 */
import { catalogue } from './locale.js';

const de = {
  /** Accessible name of the launcher button; its state is told by `aria-expanded`. */
  launcher: 'Chat mit der Beratung',
};

export const launcherText = catalogue(de, {
  launcher: 'Chat with an advisor',
});
