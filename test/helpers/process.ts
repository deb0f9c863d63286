/**
 * Stops a server a test started: SIGTERM, then SIGKILL when it has not exited within `graceMs`. A server may
 * refuse a SIGTERM (Redis does while it writes its first AOF: "Writing initial AOF, can't exit"), and a test
 * that waits for it for ever hangs the whole run instead of failing.
 */
import type { ChildProcess } from 'node:child_process';

export function stopProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
