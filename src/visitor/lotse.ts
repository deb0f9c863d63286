/**
 * The script-tag entry, served as `<server>/lotse/lotse.js`: only the launcher. The pop-up and everything behind
 * it is a dynamic `import()` on the first click. (A re-export rather than a bare import, so that a bundler that
 * trusts `sideEffects` cannot drop the registration.)
 */
export { LotseChat } from './lotse-chat.js';
