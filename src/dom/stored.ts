/**
 * Whether this tab's `sessionStorage` has an entry under `key`: how the eager launcher and co-browse element know,
 * without loading any client code, that a chat or session of an earlier page waits to be resumed. Only reads;
 * storage that throws (disabled, sandboxed) counts as empty.
 */
export function stored(key: string): boolean {
  try {
    return sessionStorage.getItem(key) !== null;
  } catch {
    return false;
  }
}
