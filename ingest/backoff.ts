// Reconnect delays for a camera: capped exponential backoff with jitter, reset once a run proved stable.
// Pure apart from the injected random source, so tests can pin the jitter.

export interface BackoffOptions {
  /** First delay after a failure. */
  initialMs: number;
  /** No delay ever exceeds this, jitter included. */
  maxMs: number;
  /** Fraction of the delay that is randomised, 0…1 (default 0.2): cameras of one dead switch do not retry in lockstep. */
  jitterRatio?: number;
  /** Uniform random in [0, 1); Math.random by default. */
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly jitterRatio: number;
  private readonly random: () => number;

  constructor(private readonly options: BackoffOptions) {
    this.jitterRatio = Math.min(1, Math.max(0, options.jitterRatio ?? 0.2));
    this.random = options.random ?? Math.random;
  }

  /** Failures since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The delay before the next retry; each call doubles the base delay up to maxMs. */
  nextDelayMs(): number {
    const baseMs = Math.min(this.options.maxMs, this.options.initialMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 32); // 2**32 × initial is far past any max; avoids Infinity
    // Jitter pulls the delay down by up to jitterRatio, so the cap is never exceeded.
    const jitterMs = baseMs * this.jitterRatio * this.random();
    return Math.max(0, Math.round(baseMs - jitterMs));
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** A delay that can be ended early (a supervisor stopping during its backoff); no timer outlives it. */
export function cancellableDelay(delayMs: number): { done: Promise<void>; cancel: () => void } {
  let cancel = () => undefined as void;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, delayMs);
    cancel = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { done, cancel };
}
