// A fixed pool of onnxruntime-node sessions on one model file, each on its own thread (sessionThread.mjs):
// a frame borrows a session and its reusable input (packed RGB bytes, inference/packedRgbInput.ts), so N frames
// infer at once, no input buffer is allocated per frame, and the event loop (Redis, BullMQ, decoding the next
// frame) runs while a frame infers.
import { Worker } from 'node:worker_threads';
import type ort from 'onnxruntime-node';
import { ModelUnavailableError } from '../core/errors.ts';
import type { ModelOutput } from './decoders/types.ts';
import { PACKED_RGB_INPUT } from './packedRgbInput.ts';

export interface SessionPoolOptions {
  /** The graph's bytes, rewritten at load to take packed RGB (inference/onnxGraph.ts). */
  model: Uint8Array;
  /** Named in errors (the file the bytes came from). */
  modelPath: string;
  /** Outputs fetched per run, in the order run() returns them. */
  outputNames: readonly string[];
  /** Dims of the packed uint8 input, [batch, height, width, 3]. */
  inputDims: readonly number[];
  /** Sessions in the pool (frames inferred concurrently); default 1. */
  size?: number;
  /** onnxruntime intra-op threads per session; default 1. */
  intraOpThreads?: number;
}

/**
 * The session options every pool session is made with (bench/inferenceThroughput.ts's raw onnxruntime uses the
 * same). Intra-op threads do not spin while idle: on a small box a spinning thread takes the core the next
 * frame's JPEG decode needs.
 */
export function sessionOptionsFor(intraOpThreads: number): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
}

/** Messages of sessionThread.mjs. */
type ThreadReady = { ready: true; inputNames: string[]; outputNames: string[] } | { ready: false; error: string };
type ThreadReply = { input: Uint8Array; outputs: ModelOutput[] } | { input: Uint8Array; error: string };

const THREAD_URL = new URL('./sessionThread.mjs', import.meta.url);

class SessionThread {
  /** The slot's packed RGB input; away (transferred to the thread) while a run is in flight. */
  input: Uint8Array;
  private pending: { resolve: (reply: ThreadReply) => void; reject: (err: Error) => void } | null = null;
  private exited: Error | null = null;

  private constructor(
    private readonly thread: Worker,
    elements: number,
  ) {
    this.input = new Uint8Array(elements);
    thread.unref();
    thread.on('message', (reply: ThreadReply) => {
      const pending = this.pending;
      this.pending = null;
      pending?.resolve(reply);
    });
    const fail = (err: Error) => {
      this.exited ??= err;
      const pending = this.pending;
      this.pending = null;
      pending?.reject(new ModelUnavailableError(`inference thread stopped: ${err.message}`));
    };
    thread.on('error', fail);
    thread.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  }

  static async start(options: SessionPoolOptions, elements: number): Promise<SessionThread> {
    const thread = new Worker(THREAD_URL, {
      workerData: {
        model: options.model,
        sessionOptions: sessionOptionsFor(options.intraOpThreads ?? 1),
        inputName: PACKED_RGB_INPUT,
        outputNames: [...options.outputNames],
        inputDims: [...options.inputDims],
      },
    });
    const ready = await new Promise<ThreadReady>((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`inference thread exited with code ${code}`));
      thread.once('error', reject);
      thread.once('exit', onExit);
      thread.once('message', (message: ThreadReady) => {
        thread.off('error', reject);
        thread.off('exit', onExit);
        resolve(message);
      });
    }).catch(async (err: Error) => {
      await thread.terminate();
      throw err;
    });
    if (!ready.ready) {
      await thread.terminate();
      throw new Error(ready.error);
    }
    if (
      !ready.inputNames.includes(PACKED_RGB_INPUT) ||
      !options.outputNames.every((name) => ready.outputNames.includes(name))
    ) {
      await thread.terminate();
      throw new ModelUnavailableError(
        `${options.modelPath} has inputs [${ready.inputNames.join(', ')}] and outputs [${ready.outputNames.join(', ')}], ` +
          `expected ${PACKED_RGB_INPUT} → ${options.outputNames.join(', ')}`,
      );
    }
    return new SessionThread(
      thread,
      options.inputDims.reduce((a, b) => a * b, 1),
    );
  }

  /** Runs the model on `this.input` (handed to the thread and back, not copied); outputs in outputNames order. */
  async run(): Promise<ModelOutput[]> {
    if (this.exited) throw new ModelUnavailableError(`inference thread stopped: ${this.exited.message}`);
    // Referenced only while a frame is in flight: an idle pool does not keep the process alive (as sessions did
    // on the main thread), an awaited run does.
    this.thread.ref();
    const reply = await new Promise<ThreadReply>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.thread.postMessage({ input: this.input }, [this.input.buffer as ArrayBuffer]);
    }).finally(() => this.thread.unref());
    this.input = reply.input;
    if ('error' in reply) throw new Error(`onnxruntime: ${reply.error}`);
    return reply.outputs;
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.thread.once('exit', () => resolve()));
    this.thread.postMessage({ close: true });
    // The thread releases its session and ends; terminate() if it has not within a second.
    const timer = setTimeout(() => void this.thread.terminate(), 1000);
    await exited;
    clearTimeout(timer);
  }
}

export class SessionPool {
  private readonly idle: SessionThread[] = [];
  private readonly waiters: Array<(slot: SessionThread) => void> = [];
  private closed = false;
  private onDrained: (() => void) | null = null;
  private closing: Promise<void> | null = null;

  private constructor(private readonly slots: SessionThread[]) {
    this.idle.push(...slots);
  }

  static async create(options: SessionPoolOptions): Promise<SessionPool> {
    const size = options.size ?? 1;
    const elements = options.inputDims.reduce((a, b) => a * b, 1);
    const started = await Promise.allSettled(
      Array.from({ length: size }, () => SessionThread.start(options, elements)),
    );
    const slots = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.allSettled(slots.map((slot) => slot.close()));
      const err = failed.reason as Error;
      if (err instanceof ModelUnavailableError) throw err;
      throw new ModelUnavailableError(`cannot load ${options.modelPath}: ${err.message}`);
    }
    return new SessionPool(slots);
  }

  get size(): number {
    return this.slots.length;
  }

  /** Borrows a session, lets `fill` write the packed input in place, runs the model and returns its outputs. */
  async run(fill: (input: Uint8Array) => void): Promise<ModelOutput[]> {
    const slot = await this.acquire();
    try {
      fill(slot.input);
      return await slot.run();
    } finally {
      this.release(slot);
    }
  }

  private acquire(): Promise<SessionThread> {
    if (this.closed) return Promise.reject(new ModelUnavailableError('session pool is closed'));
    const slot = this.idle.pop();
    if (slot) return Promise.resolve(slot);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(slot: SessionThread): void {
    const next = this.waiters.shift();
    if (next) next(slot);
    else this.idle.push(slot);
    if (this.closed && this.idle.length === this.slots.length) this.onDrained?.();
  }

  /** Releases every session (and its thread) once the runs in flight have finished; idempotent. */
  close(): Promise<void> {
    this.closing ??= this.drainAndRelease();
    return this.closing;
  }

  private async drainAndRelease(): Promise<void> {
    this.closed = true;
    if (this.idle.length < this.slots.length) await new Promise<void>((resolve) => (this.onDrained = resolve));
    await Promise.allSettled(this.slots.map((slot) => slot.close()));
  }
}
