/**
 * Styles for the shadow root of a plain (Lit-free) element, the launcher's and `<lotse-cobrowse>`'s: a
 * constructable stylesheet, which a strict CSP (`style-src 'self'`, no `'unsafe-inline'`) allows, or a `<style>`
 * where the browser has none (Safari before 16.4, whose `CSSStyleSheet` constructor throws). One sheet per text,
 * shared by every element that uses it.
 */
const sheets = new Map<string, CSSStyleSheet>();

/** Gives the shadow root its styles. */
export function adoptStyles(root: ShadowRoot, css: string): void {
  try {
    let sheet = sheets.get(css);
    if (sheet === undefined) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      sheets.set(css, sheet);
    }
    root.adoptedStyleSheets = [sheet];
  } catch {
    const style = document.createElement('style');
    style.textContent = css;
    root.append(style);
  }
}
