/**
 * Every part of `<lotse-chat-popup>`, as the `exportparts` list the pop-up puts on itself, so that a page can style
 * `lotse-chat::part(composer)` through the launcher that holds it. (Set by the pop-up rather than the launcher: the
 * launcher loads on every page view and carries nothing it does not need before a click.) Keep it in step with the
 * pop-up's `@csspart` list (a test checks that every part the pop-up renders is in here).
 */
export const POPUP_PARTS =
  'collapse,terms,terms-checkbox,terms-accept,terms-retry,nickname,nickname-error,nickname-submit,member,' +
  'advisor,waiting,status,log,message,message-visitor,message-advisor,message-pending,notice,typing,' +
  'problem,composer,send,end,ended,rating,rating-score,rating-skip,copy,transcript,close,queue,sound,elsewhere,' +
  'take-over,read,callback-done';
