/**
 * Node's own process metrics (CPU, memory, heap, event loop lag, GC, handles), `lotse_`-prefixed. They describe
 * the process, not one server, so there is one registry of them per process, made at the first scrape: a second
 * server in the same process (tests, embedding) shows the same figures and starts no second GC observer.
 */
import { Registry, collectDefaultMetrics } from 'prom-client';

let shared: Registry | undefined;

export function processRegistry(): Registry {
  if (shared === undefined) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared, prefix: 'lotse_' });
  }
  return shared;
}
