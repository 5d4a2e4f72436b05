// pdfkit lays a report out synchronously: 0.1 s for a province's day, over a second for its month on a busy
// box, all of it a stall of the event loop that renders it. The scheduler runs in the analyzer (whose loop turns
// frames into alerts) and on-demand reports in the api (whose loop serves the alert feed and the wall), so PDFs
// are laid out on a thread of their own. Starting the thread (tsx, pdfkit, fonts) costs ~0.6 s, so it stays
// for the scheduler's run of reports and goes once idle: reports are made a few times a day.
import { Worker } from 'node:worker_threads';
import { ReportRenderError } from '../core/errors.ts';
import type { ReportPdfInput } from './reportPdf.ts';

const THREAD_URL = new URL('./reportPdfThread.mjs', import.meta.url);
const DEFAULT_IDLE_MS = 30_000;

type ThreadReply = { id: number; pdf: Uint8Array } | { id: number; error: string };
type Pending = { thread: Worker; resolve: (pdf: Buffer) => void; reject: (err: Error) => void };

export class ReportPdfRenderer {
  private thread: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  /** @param idleMs how long the thread waits for the next report before it goes. */
  constructor(private readonly idleMs = DEFAULT_IDLE_MS) {}

  render(input: ReportPdfInput): Promise<Buffer> {
    clearTimeout(this.idleTimer);
    const thread = this.thread ?? this.start();
    thread.ref();
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, { thread, resolve, reject });
      thread.postMessage({ id, input });
    });
  }

  /** Ends the thread; a render in flight is answered with a ReportRenderError. Safe to call twice. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const thread = this.thread;
    this.thread = null;
    await thread?.terminate();
  }

  private start(): Worker {
    const thread = new Worker(THREAD_URL);
    thread.on('message', (reply: ThreadReply) => {
      const pending = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if ('pdf' in reply) pending?.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength));
      else pending?.reject(new ReportRenderError(`report PDF not rendered: ${reply.error}`));
      if (this.pending.size === 0 && this.thread === thread) this.idle(thread);
    });
    // Only this thread's renders: after close() a new thread may already hold the next ones.
    const stopped = (why: string) => {
      if (this.thread === thread) this.thread = null;
      for (const [id, pending] of this.pending) {
        if (pending.thread !== thread) continue;
        this.pending.delete(id);
        pending.reject(new ReportRenderError(`report PDF not rendered: ${why}`));
      }
    };
    thread.on('error', (err) => stopped(err.message));
    thread.on('exit', (code) => stopped(`report thread exited with code ${code}`));
    this.thread = thread;
    return thread;
  }

  /** An idle thread keeps no process alive, and goes after idleMs. */
  private idle(thread: Worker): void {
    thread.unref();
    this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
    this.idleTimer.unref();
  }
}
