// A fixed pool of onnxruntime-node sessions on one model file: each frame borrows a session and its
// reusable input tensor, so N frames infer at once and no tensor buffer is allocated per frame.
import ort from 'onnxruntime-node';
import { ModelUnavailableError } from '../core/errors.ts';
import type { ModelOutput } from './decoders/types.ts';

export interface SessionPoolOptions {
  modelPath: string;
  inputName: string;
  outputName: string;
  /** Input dims, e.g. [1, 3, 416, 416]. */
  inputDims: readonly number[];
  /** Sessions in the pool (frames inferred concurrently); default 1. */
  size?: number;
  /** onnxruntime intra-op threads per session; default 1. */
  intraOpThreads?: number;
}

interface Slot {
  session: ort.InferenceSession;
  input: Float32Array;
}

export class SessionPool {
  private readonly idle: Slot[] = [];
  private readonly waiters: Array<(slot: Slot) => void> = [];
  private closed = false;
  private onDrained: (() => void) | null = null;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly options: SessionPoolOptions,
    private readonly slots: Slot[],
  ) {
    this.idle.push(...slots);
  }

  static async create(options: SessionPoolOptions): Promise<SessionPool> {
    const size = options.size ?? 1;
    const elements = options.inputDims.reduce((a, b) => a * b, 1);
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: options.intraOpThreads ?? 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    };
    const slots: Slot[] = [];
    try {
      for (let i = 0; i < size; i++) {
        const session = await ort.InferenceSession.create(options.modelPath, sessionOptions);
        slots.push({ session, input: new Float32Array(elements) });
        if (!session.inputNames.includes(options.inputName) || !session.outputNames.includes(options.outputName)) {
          throw new ModelUnavailableError(
            `${options.modelPath} has inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}], ` +
              `the manifest names ${options.inputName} → ${options.outputName}`,
          );
        }
      }
    } catch (err) {
      await Promise.allSettled(slots.map((slot) => slot.session.release()));
      if (err instanceof ModelUnavailableError) throw err;
      throw new ModelUnavailableError(`cannot load ${options.modelPath}: ${(err as Error).message}`);
    }
    return new SessionPool(options, slots);
  }

  get size(): number {
    return this.slots.length;
  }

  /** Borrows a session, lets `fill` write the input tensor in place, runs the model and returns its output. */
  async run(fill: (input: Float32Array) => void): Promise<ModelOutput> {
    const slot = await this.acquire();
    try {
      fill(slot.input);
      const feeds = { [this.options.inputName]: new ort.Tensor('float32', slot.input, this.options.inputDims as number[]) };
      const results = await slot.session.run(feeds, [this.options.outputName]);
      const output = results[this.options.outputName]!;
      return { data: output.data as Float32Array, dims: output.dims };
    } finally {
      this.release(slot);
    }
  }

  private acquire(): Promise<Slot> {
    if (this.closed) return Promise.reject(new ModelUnavailableError('session pool is closed'));
    const slot = this.idle.pop();
    if (slot) return Promise.resolve(slot);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(slot: Slot): void {
    const next = this.waiters.shift();
    if (next) next(slot);
    else this.idle.push(slot);
    if (this.closed && this.idle.length === this.slots.length) this.onDrained?.();
  }

  /** Releases every session once the runs in flight have finished; idempotent. */
  close(): Promise<void> {
    this.closing ??= this.drainAndRelease();
    return this.closing;
  }

  private async drainAndRelease(): Promise<void> {
    this.closed = true;
    if (this.idle.length < this.slots.length) await new Promise<void>((resolve) => (this.onDrained = resolve));
    await Promise.allSettled(this.slots.map((slot) => slot.session.release()));
  }
}
