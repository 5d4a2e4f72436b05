// A background round repeated on a timer until closed: the next round is scheduled only when the previous
// one has finished (rounds never overlap), a failed round is logged and the next one tries again, and close()
// waits for a round in flight. Used by the outbox senders and the report schedule.
import type { Logger } from './logger.ts';

export interface PollLoopOptions {
  /** One round; its failure is logged with `failureMessage`. */
  round: () => Promise<unknown>;
  intervalMs: number;
  /** Delay of the first round after start(). Default 0. */
  firstDelayMs?: number;
  logger: Logger;
  failureMessage: string;
}

export class PollLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private closed = false;
  private closing: Promise<void> | null = null;

  constructor(private readonly options: PollLoopOptions) {}

  get isClosed(): boolean {
    return this.closed;
  }

  start(): void {
    if (this.closed || this.timer) return;
    const tick = async () => {
      this.running = this.options
        .round()
        .catch((err: unknown) => this.options.logger.warn({ err }, this.options.failureMessage));
      await this.running;
      this.running = null;
      if (!this.closed) this.timer = setTimeout(tick, this.options.intervalMs);
    };
    this.timer = setTimeout(tick, this.options.firstDelayMs ?? 0);
  }

  /** Stops the timer and waits for a round in flight. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      await this.running;
    })();
    return this.closing;
  }
}
