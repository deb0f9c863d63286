/**
 * Styles of the co-browse view: the start view (a non-modal dialog at the bottom corner opposite the chat
 * launcher), the live border (it takes no pointer events) and the compact live bar at a bottom corner (`live-bar.ts`),
 * the ended notice. Lengths in px; inputs at least 16px. One rule a line.
 */
import { css } from 'lit';
import { buttonStyles } from './button-styles.js';

export const cobrowseStyles = css`:host{all:initial;display:contents;font-family:var(--lotse-font,system-ui,-apple-system,'Segoe UI',Roboto,sans-serif);font-size:16px;line-height:1.45;color:#1a1a1a}
*,*::before,*::after{box-sizing:border-box}
.dialog,[part~=ended]{position:fixed;inset-block-end:var(--lotse-inset-block-end,16px);inset-inline-start:var(--lotse-inset-inline-start,16px);z-index:var(--lotse-z-index,2147483000);display:flex;flex-direction:column;gap:12px;inline-size:min(420px,calc(100vw - 32px));max-block-size:calc(100vh - 32px);overflow-y:auto;padding:16px;background:#fff;border:1px solid #c4c9cc;border-radius:var(--lotse-radius,12px);box-shadow:0 8px 32px rgb(0 0 0/.25);font:inherit;color:inherit}
.dialog:focus{outline:none}
h2{margin:0;font-size:18px}
h3{margin:0 0 8px;font-size:16px}
p{margin:0}
[part~=terms]{max-block-size:40vh;overflow-y:auto;padding:8px;border:1px solid #c4c9cc;border-radius:8px}
[part~=terms] p{white-space:pre-line;overflow-wrap:anywhere}
[part~=terms] p+p{margin-block-start:8px}
.check{display:flex;gap:8px;align-items:flex-start;cursor:pointer;font-weight:600}
.check input{flex:none;inline-size:20px;block-size:20px;margin:2px 0 0;accent-color:var(--lotse-accent,#00594f)}
.actions{display:flex;flex-wrap:wrap;gap:8px}
${buttonStyles}
:focus-visible{outline:3px solid var(--lotse-focus-ring,#1a1a1a);outline-offset:2px}
label.field{display:flex;flex-direction:column;gap:4px;font-weight:600}
input[type=text]{font:inherit;font-size:max(16px,1em);inline-size:12ch;min-block-size:44px;padding:8px;border:1px solid #6b6b6b;border-radius:6px}
[aria-invalid=true]{border-color:#b00020}
.error{color:#b00020}
.hint{color:#4d4d4d;font-size:14px}
[part~=start-code]{display:flex;gap:.6em;justify-content:center;margin:4px 0;font-family:ui-monospace,'SF Mono',Menlo,Consolas,monospace;font-size:36px;font-weight:700;letter-spacing:.12em}
.visually-hidden{position:absolute;inline-size:1px;block-size:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
[part~=live-border]{position:fixed;inset:0;z-index:var(--lotse-z-index,2147483000);border:4px solid var(--lotse-live-color,#c2410c);pointer-events:none}
[part~=live-bar]{position:fixed;inset-block-end:var(--lotse-inset-block-end,16px);inset-inline-start:var(--lotse-inset-inline-start,16px);z-index:var(--lotse-z-index,2147483000);display:flex;align-items:center;gap:8px;max-inline-size:min(460px,calc(100vw - 32px));padding:4px 4px 4px 12px;border-radius:12px;background:var(--lotse-live-color,#c2410c);color:#fff;font-size:15px;font-weight:600;line-height:1.3;box-shadow:0 2px 8px rgb(0 0 0/.3)}
[part~=live-bar][data-corner=end]{inset-inline:auto var(--lotse-inset-inline-end,16px)}
[part~=live-bar] button{border:2px solid #fff;background:#fff;color:#1a1a1a;font-weight:700}
[part~=live-bar] [part~=live-move]{background:transparent;color:#fff}
[part~=live-bar] :focus-visible{outline-color:#fff;outline-offset:2px}
.spinner{display:inline-block;inline-size:16px;block-size:16px;margin-inline-end:8px;vertical-align:-2px;border:2px solid currentColor;border-inline-end-color:transparent;border-radius:50%}
@media (prefers-reduced-motion:no-preference){.spinner{animation:spin .9s linear infinite}}
@keyframes spin{to{transform:rotate(1turn)}}
@media (forced-colors:active){[part~=live-border],[part~=live-bar]{border-color:Highlight}}`;

/** The advisor's pointer (`cobrowse-pointer.ts`): arrow, ring and name label. */
export const pointerStyles = css`:host{position:fixed;inset-block-start:0;left:0;inline-size:24px;block-size:24px;z-index:var(--lotse-z-index,2147483000);pointer-events:none;will-change:transform;font-family:var(--lotse-font,system-ui,-apple-system,'Segoe UI',Roboto,sans-serif);font-size:14px;line-height:1.3}
:host([hidden]){display:none}
.ring{position:absolute;left:-16px;top:-16px;inline-size:32px;block-size:32px;border:3px solid var(--lotse-live-color,#c2410c);border-radius:50%;background:color-mix(in srgb,var(--lotse-live-color,#c2410c) 20%,transparent);box-shadow:0 0 0 2px #fff;box-sizing:border-box}
svg{position:absolute;left:0;top:0;inline-size:24px;block-size:24px;fill:var(--lotse-live-color,#c2410c);stroke:#fff;stroke-width:1.5}
.label{position:absolute;left:20px;top:22px;padding:2px 8px;border-radius:10px;background:var(--lotse-live-color,#c2410c);color:#fff;white-space:nowrap;font-weight:600}
@media (prefers-reduced-motion:no-preference){.ring{animation:pulse 1.6s ease-out infinite}}
@keyframes pulse{50%{transform:scale(1.25)}}`;
