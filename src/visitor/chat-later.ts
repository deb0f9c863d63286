/**
 * What the chat pop-up needs only once there is a chat, never to open: the ended view, the transcript's copying
 * and the texts of the problems a running chat can meet. A chunk of its own, loaded by the pop-up by dynamic
 * `import()` as soon as a chat is started (or comes back from an earlier page of the tab): so the pop-up's opening
 * carries none of it (its budget, `visitor_popup_open_gzip_bytes`), and it is here before the chat ends, also
 * when the connection is gone by then (a lost chat still offers its transcript).
 */
export { CopyController, transcript } from './copy-controller.js';
export { endedView } from './ended-view.js';
export { laterText, problemText } from '../i18n/chat-later.js';
