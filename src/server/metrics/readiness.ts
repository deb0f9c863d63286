/**
 * `/readyz`'s checks: a list the composition root adds to (the store; Redis), each run with a timeout. Ready means
 * every check passed within it and the server is not closing: a node being shut down fails readiness first, so that
 * a load balancer sends it nothing new while it drains. A check still running from an earlier probe is not started
 * again: the new probe waits for the same run (a hanging store gets one query, not one per probe).
 */

export interface ReadinessCheck {
  /** Shown in the failure list (`store`, `redis`): a short fixed word, never anything secret. */
  readonly name: string;
  /** Resolves when ready; rejects (or resolves `false`) when not. */
  check(): Promise<unknown>;
}

export interface ReadinessResult {
  readonly ready: boolean;
  /** The names of the checks that failed or took too long; `closing` while the server shuts down. */
  readonly failed: readonly string[];
}

const NAME = /^[a-z][a-z0-9_-]{0,31}$/;

export class Readiness {
  readonly #checks: ReadinessCheck[] = [];
  readonly #running = new Map<ReadinessCheck, Promise<boolean>>();
  readonly #timeoutMs: number;
  #closing = false;

  constructor(options: { timeoutMs: number }) {
    this.#timeoutMs = options.timeoutMs;
  }

  /** Adds a check; the returned function removes it again. */
  add(check: ReadinessCheck): () => void {
    if (!NAME.test(check.name)) throw new TypeError(`readiness check name must match ${String(NAME)}: ${check.name}`);
    if (this.#checks.some((each) => each.name === check.name))
      throw new TypeError(`readiness check added twice: ${check.name}`);
    this.#checks.push(check);
    return () => {
      const index = this.#checks.indexOf(check);
      if (index >= 0) this.#checks.splice(index, 1);
    };
  }

  /** From now on not ready (the server is closing). */
  markClosing(): void {
    this.#closing = true;
  }

  async run(): Promise<ReadinessResult> {
    if (this.#closing) return { ready: false, failed: ['closing'] };
    const checks = [...this.#checks];
    const passed = await Promise.all(checks.map((check) => this.#withTimeout(this.#runOnce(check))));
    const failed = checks.filter((_, index) => !passed[index]).map((check) => check.name);
    if (this.#closing) failed.push('closing');
    return { ready: failed.length === 0, failed };
  }

  #runOnce(check: ReadinessCheck): Promise<boolean> {
    let running = this.#running.get(check);
    if (running === undefined) {
      running = Promise.resolve()
        .then(() => check.check())
        .then(
          (result) => result !== false,
          () => false,
        )
        .finally(() => this.#running.delete(check));
      this.#running.set(check, running);
    }
    return running;
  }

  async #withTimeout(passed: Promise<boolean>): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.#timeoutMs);
    });
    try {
      return await Promise.race([passed, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
