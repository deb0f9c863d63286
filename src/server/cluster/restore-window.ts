/**
 * Whether the shared state may lack what other nodes hold, because Redis restarted and they have not written it back
 * yet (`shared-state-restore.ts`): what the shared state does not know is not taken for unknown meanwhile.
 */
export interface RestoreWindow {
  readonly restoring: boolean;
  /** Resolves once the node is not `restoring` (at once when it is not). */
  settled(): Promise<void>;
}

/** A node without Redis: nothing is ever lost. */
export const NEVER_RESTORING: RestoreWindow = { restoring: false, settled: () => Promise.resolve() };
