/**
 * Estimates the offset between the visitor's clock and ours from ping/pong samples over the data channel (the
 * NTP idea, simplified): we send `a` (our clock), the visitor answers with `b` (theirs); assuming the way there
 * and back take equally long, the visitor read its clock at our `(a + now) / 2`. The sample with the shortest
 * round trip has the least room for asymmetry, so it wins.
 */
export interface ClockSample {
  /** The visitor's clock minus ours, in ms. */
  offset: number;
  /** Round trip of the probe, in ms. */
  rtt: number;
}

export class ClockProbe {
  best: ClockSample | undefined;
  samples = 0;

  /** Takes a pong; returns true when the estimate changed. */
  add(a: number, b: number, now: number = Date.now()): boolean {
    const rtt = now - a;
    if (!(rtt >= 0) || !Number.isFinite(b)) return false; // a pong for a ping we never sent, or from the future
    this.samples += 1;
    if (this.best !== undefined && this.best.rtt <= rtt) return false;
    this.best = { offset: b - (a + now) / 2, rtt };
    return true;
  }

  reset(): void {
    this.best = undefined;
    this.samples = 0;
  }
}
