/**
 * When the chat pop-up is a full-screen sheet instead of a box above the launcher: on narrow screens (phones) and
 * low ones (phones held sideways, desktops zoomed in), where a box would leave too little room for the
 * conversation. One media query for the pop-up's styles and the launcher's, which hide its button behind the open
 * sheet. Written as the CSS minifier would leave it: it goes into the launcher's bundle.
 */
export const SHEET_MEDIA = '(max-width:480px),(max-height:480px)';
