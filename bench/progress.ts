// The progress bar the bench draws on stderr while it runs (one redrawn line on a terminal, a line every
// few seconds when piped into a log), so a long sweep shows which phase it is in and how it is doing.

const BAR_WIDTH = 28;
const PIPED_EVERY_MS = 5000;

export class ProgressBar {
  private lastPipedAtMs = 0;
  private lastPipedPhase = '';
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  /** `fraction` of the phase done (0…1), and a short note of live figures. */
  update(phase: string, fraction: number, note = ''): void {
    const done = Math.max(0, Math.min(1, fraction));
    const filled = Math.round(done * BAR_WIDTH);
    const line = `${phase.padEnd(22)} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${String(Math.round(done * 100)).padStart(3)}% ${note}`;
    if (this.stream.isTTY) {
      this.stream.write(
        `\r${line.slice(0, (this.stream.columns || 120) - 1).padEnd((this.stream.columns || 120) - 1)}`,
      );
      this.drawn = true;
    } else if (phase !== this.lastPipedPhase || Date.now() - this.lastPipedAtMs >= PIPED_EVERY_MS) {
      // Piped: a phase's first line, then one every few seconds.
      this.lastPipedAtMs = Date.now();
      this.lastPipedPhase = phase;
      this.stream.write(`${line}\n`);
    }
  }

  /** Ends the redrawn line so the next output starts on its own line. */
  finish(message?: string): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
    if (message) this.stream.write(`${message}\n`);
  }
}
