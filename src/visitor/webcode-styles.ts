/**
 * Styles of `<lotse-cobrowse webcode-field>`'s form, loaded on every page view with the eager element: plain CSS
 * text for `adoptStyles` (no Lit before a click), one rule a line, minified in the bundle (`css-literals.mjs`).
 */
export const webcodeCss = `:host{display:block}:host([hidden]){display:none}
form{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-end;font-family:var(--lotse-font,system-ui,sans-serif)}
label{display:flex;flex-direction:column;gap:4px}
input,button{font:inherit;font-size:max(16px,1em);min-block-size:44px;padding:8px 12px;border-radius:6px}
input{border:1px solid #6b6b6b;inline-size:10ch}
button{border:2px solid transparent;background:var(--lotse-accent,#00594f);color:var(--lotse-accent-contrast,#fff);cursor:pointer}
:focus-visible{outline:3px solid var(--lotse-focus-ring,#1a1a1a);outline-offset:2px}
[part~=webcode-error]{flex-basis:100%;margin:0;color:#b00020}[part~=webcode-error]:empty{display:none}`;
