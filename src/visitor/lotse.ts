/**
 * The script-tag entry, served as `<server>/lotse/lotse.js`: only the launcher and the eager half of co-browsing
 * (`<lotse-cobrowse>`, the search-form hook, the resume after a reload). The chat pop-up and the co-browse view
 * are dynamic `import()`s on first use. (Re-exports rather than bare imports, so that a bundler that trusts
 * `sideEffects` cannot drop the registrations.)
 */
import { handleWebcode } from './lotse-cobrowse.js';

export { LotseChat } from './lotse-chat.js';
export { LotseCobrowse, handleWebcode } from './lotse-cobrowse.js';

declare global {
  interface Window {
    /** For pages that load Lotse by script tag: `window.Lotse.handleWebcode(query)` in their own search code. */
    Lotse?: { handleWebcode: (query: string) => boolean };
  }
}

window.Lotse = { ...window.Lotse, handleWebcode };
