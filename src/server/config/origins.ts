/** Exact web origins, as the configuration takes them (`allowedOrigins`, `http.publicOrigin`, `cobrowse.assetOrigins`). */

/** `scheme://host[:port]`, http or https, nothing after it: what `URL.origin` gives back unchanged. */
export function isExactOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

export const originMessage = (issue: { input: unknown }): string =>
  `"${String(issue.input)}" is not an exact origin like https://www.example-kasse.de (scheme, host, optional port; no path, no trailing slash)`;
