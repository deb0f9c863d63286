/**
 * The one thing co-browsing keeps in the browser: `{sessionId, resumeToken}` in `sessionStorage` under
 * `lotse-cobrowse`, written when the session starts and removed when it ends, so that a reload or a same-origin
 * navigation can come back into the session. Nothing else, nowhere else. Storage that throws (disabled, sandboxed)
 * simply means no resume.
 */
import { RESUME_TOKEN_LENGTH } from '../protocol/limits.js';

/** Also read, as a literal, by the eager `<lotse-cobrowse>` (which may not import client code). */
export const STORAGE_KEY = 'lotse-cobrowse';

export interface StoredSession {
  sessionId: string;
  resumeToken: string;
}

const ID = /^[A-Za-z0-9_-]{8,64}$/;

function defaultStorage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

/** The stored session, if there is one of the right shape; a malformed entry is removed. */
export function readSession(storage: Storage | undefined = defaultStorage()): StoredSession | undefined {
  let raw: string | null;
  try {
    raw = storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return undefined;
  }
  if (raw === null) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null) {
      const { sessionId, resumeToken } = value as Record<string, unknown>;
      if (
        typeof sessionId === 'string' &&
        ID.test(sessionId) &&
        typeof resumeToken === 'string' &&
        resumeToken.length === RESUME_TOKEN_LENGTH
      ) {
        return { sessionId, resumeToken };
      }
    }
  } catch {
    // fall through: not ours or damaged
  }
  clearSession(storage);
  return undefined;
}

export function writeSession(session: StoredSession, storage: Storage | undefined = defaultStorage()): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify({ sessionId: session.sessionId, resumeToken: session.resumeToken }));
  } catch {
    // No storage: the session works, it just cannot survive a reload.
  }
}

export function clearSession(storage: Storage | undefined = defaultStorage()): void {
  try {
    storage?.removeItem(STORAGE_KEY);
  } catch {
    // nothing to clear
  }
}
