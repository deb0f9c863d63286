/**
 * The console's notification tone, made with the Web Audio API: two short sine notes with a soft envelope, no
 * audio file to ship or to allow under the host's CSP. The AudioContext is created on the first tone only (never
 * while the sound is off) and reused; a tone within a second of the last one is skipped, so that a burst of
 * messages gives one tone and not a rattle. `close()` releases the context and is idempotent.
 */
const NOTES = [880, 1175];
const NOTE_SECONDS = 0.12;
const GAP_MS = 1000;

export class NotifySound {
  #context: AudioContext | undefined;
  #last = -Infinity;

  play(): void {
    const now = performance.now();
    if (now - this.#last < GAP_MS) return;
    const Context = globalThis.AudioContext as typeof AudioContext | undefined;
    if (Context === undefined) return;
    this.#last = now;
    try {
      this.#context ??= new Context();
      const context = this.#context;
      if (context.state === 'suspended') context.resume().catch(() => undefined);
      NOTES.forEach((frequency, index) => {
        const start = context.currentTime + index * NOTE_SECONDS;
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        oscillator.type = 'sine';
        oscillator.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, start);
        gain.gain.exponentialRampToValueAtTime(0.2, start + 0.01);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + NOTE_SECONDS);
        oscillator.connect(gain).connect(context.destination);
        oscillator.start(start);
        oscillator.stop(start + NOTE_SECONDS);
      });
    } catch {
      // No audio output (or the browser refused it): the title count and the notification still tell.
    }
  }

  close(): void {
    const context = this.#context;
    this.#context = undefined;
    context?.close().catch(() => undefined);
  }
}
