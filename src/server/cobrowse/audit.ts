/**
 * The audit trail of co-browsing: who, when, how long; no IP address, no code, no content. For now one log line
 * per record; a store can take the same records later without touching the callers.
 */
import type { Logger } from '../log.js';

export type EndedBy = 'visitor' | 'advisor' | 'timeout' | 'server' | 'void';
export type Reached = 'offered' | 'joined' | 'consented' | 'live';

export type AuditRecord =
  | { event: 'cobrowse.code.created'; advisorId: string; sessionId: string }
  | {
      event: 'cobrowse.session';
      advisorId: string;
      sessionId: string;
      /** When the session went live; absent when it never did. */
      startedAt: number | undefined;
      endedAt: number;
      /** Time live (0 when it never was). */
      durationMs: number;
      endedBy: EndedBy;
      reached: Reached;
    };

export type Audit = (record: AuditRecord) => void;

export function createAudit(log: Logger): Audit {
  return (record) => {
    const { event, ...fields } = record;
    log.info(event, fields);
  };
}
