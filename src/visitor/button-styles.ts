/** The buttons of the visitor's views, for Lit elements (the chat pop-up); the rules are in `button-css.ts`. */
import { unsafeCSS } from 'lit';
import { buttonCss } from './button-css.js';

export const buttonStyles = unsafeCSS(buttonCss);
