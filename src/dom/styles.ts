/**
 * Styles for the shadow root of a plain (Lit-free) element: a constructable stylesheet, which a strict CSP
 * (`style-src 'self'`, no `'unsafe-inline'`) allows, or a `<style>` where the browser has none. One sheet per
 * text, shared by every element that uses it.
 */
const sheets = new Map<string, CSSStyleSheet>();

/** Gives the shadow root its styles; returns the `<style>` element it had to add, if any. */
export function adoptStyles(root: ShadowRoot, css: string): HTMLStyleElement | undefined {
  if ('adoptedStyleSheets' in Document.prototype && 'replaceSync' in CSSStyleSheet.prototype) {
    let sheet = sheets.get(css);
    if (sheet === undefined) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      sheets.set(css, sheet);
    }
    root.adoptedStyleSheets = [sheet];
    return undefined;
  }
  const style = document.createElement('style');
  style.textContent = css;
  root.append(style);
  return style;
}
