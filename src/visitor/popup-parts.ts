/**
 * Every part of `<lotse-chat-popup>`, as the `exportparts` list that `<lotse-chat>` puts on the pop-up it creates,
 * so that a page can style `lotse-chat::part(composer)`. A plain string in a module of its own: the launcher
 * imports it statically and must stay free of Lit and of the pop-up. Keep it in step with the pop-up's
 * `@csspart` list (a test checks that every part the pop-up renders is in here).
 */
export const POPUP_PARTS =
  'collapse, terms, terms-checkbox, terms-accept, terms-retry, nickname, nickname-error, nickname-submit, member, ' +
  'advisor, waiting, status, log, message, message-visitor, message-advisor, message-pending, notice, typing, ' +
  'problem, composer, send, end, ended, copy, transcript, close';
