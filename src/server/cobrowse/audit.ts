/**
 * The audit trail of co-browsing: who, when, how long; no IP address, no code, no content. Start and end are
 * written to the audit log (the store); each record also leaves a log line without personal data (the session id,
 * durations and states, but not the advisor).
 */
import type { AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../log.js';

export type EndedBy = 'visitor' | 'advisor' | 'timeout' | 'server' | 'void';
export type Reached = 'offered' | 'joined' | 'consented' | 'live';

export type AuditRecord =
  | { event: 'cobrowse.code.created'; advisorId: string; sessionId: string }
  | { event: 'cobrowse.started'; advisorId: string; sessionId: string }
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

/** `auditLog` absent: log lines only (tests of the hub alone). */
export function createAudit(log: Logger, auditLog?: AuditLog): Audit {
  return (record) => {
    const { event, advisorId, ...fields } = record;
    log.info(event, fields);
    if (record.event === 'cobrowse.started') auditLog?.cobrowseStarted(advisorId, record.sessionId);
    if (record.event === 'cobrowse.session') {
      // A session that never went live was offered and ended: the end is recorded, with how far it got.
      const { durationMs, endedBy, reached } = record;
      auditLog?.cobrowseEnded(advisorId, record.sessionId, { durationMs, endedBy, reached });
    }
  };
}
