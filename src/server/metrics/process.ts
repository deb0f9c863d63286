/**
 * Node's own process metrics (CPU, memory, heap, event loop lag, GC, file descriptor limit), `lotse_`-prefixed.
 * They describe the process, not one server, so there is one registry of them per process, made at the first
 * scrape: a second server in the same process (tests, embedding) shows the same figures and starts no second GC
 * observer.
 *
 * Left out: those that walk every handle or file descriptor at each scrape, synchronously. With 4,000 sockets
 * (8,000 handles in the process) they took 27 ms (open fds) and 34 ms (active handles) and 13 ms (active
 * resources) per scrape, a pause for every socket of the node that grows with its sockets; `lotse_connections`
 * counts the sockets instead, against `lotse_process_max_fds`.
 */
import { Registry, collectDefaultMetrics } from 'prom-client';

const PREFIX = 'lotse_';
const LEFT_OUT = [
  'process_open_fds',
  'nodejs_active_handles',
  'nodejs_active_handles_total',
  'nodejs_active_resources',
  'nodejs_active_resources_total',
];

let shared: Registry | undefined;

export function processRegistry(): Registry {
  if (shared === undefined) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared, prefix: PREFIX });
    for (const name of LEFT_OUT) shared.removeSingleMetric(`${PREFIX}${name}`);
  }
  return shared;
}
