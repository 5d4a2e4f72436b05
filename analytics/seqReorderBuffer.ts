// Puts one camera's inference results back in seq order: several workers finish frames out of order, a
// killed worker's frame is published twice, and frames dropped by backpressure leave gaps that never fill.
//
// The rule, deterministic given the arrival order (no clock: capture times are the only time):
//  - an item with seq ≤ the last released seq is stale (a duplicate, or arrived after its gap was given up)
//    and dropped; so is one whose seq is already buffered;
//  - items are released while the lowest buffered seq is the next one expected;
//  - a gap is given up (the lowest buffered item released anyway) once the newest buffered item was captured
//    maxWaitMs or more after the last released one, or more than maxBuffered items wait;
//  - the very first item waits the same way, since a lower seq may still be in flight;
//  - a lower seq captured after the last released item means the source restarted its numbering: what is
//    buffered is released and ordering starts again from that item.
import { ValidationError } from '../core/errors.ts';

export interface Sequenced {
  seq: number;
  /** Capture time, epoch ms. */
  capturedAtMs: number;
}

export interface SeqReorderOptions {
  /** Capture-time span after which a missing seq is given up. Default 2000 ms. */
  maxWaitMs?: number;
  /** Items held at most while waiting for a gap. Default 64. */
  maxBuffered?: number;
}

export class SeqReorderBuffer<T extends Sequenced> {
  private readonly maxWaitMs: number;
  private readonly maxBuffered: number;
  /** Ascending by seq. */
  private buffered: T[] = [];
  private lastSeq: number | null = null;
  private lastCapturedAtMs = -Infinity;
  /** Duplicates and items that came after their gap was given up. */
  staleDropped = 0;
  /** Missing seqs given up on. */
  seqsSkipped = 0;
  /** Times the source's numbering restarted. */
  restarts = 0;

  constructor(options: SeqReorderOptions = {}) {
    this.maxWaitMs = options.maxWaitMs ?? 2000;
    this.maxBuffered = options.maxBuffered ?? 64;
    if (!(this.maxWaitMs >= 0) || !(this.maxBuffered >= 1)) {
      throw new ValidationError('maxWaitMs must be ≥ 0 and maxBuffered ≥ 1', { field: 'maxWaitMs' });
    }
  }

  get size(): number {
    return this.buffered.length;
  }

  /** Seq of the last item released, null before the first. */
  get lastReleasedSeq(): number | null {
    return this.lastSeq;
  }

  /** Takes one arrival; returns the items it lets out, in seq order. */
  push(item: T): T[] {
    if (!Number.isFinite(item.seq) || !Number.isFinite(item.capturedAtMs)) {
      throw new ValidationError(`seq ${item.seq} / capturedAtMs ${item.capturedAtMs} must be finite`, { field: 'seq' });
    }
    const released: T[] = [];
    if (this.lastSeq !== null && item.seq <= this.lastSeq) {
      if (!(item.capturedAtMs > this.lastCapturedAtMs)) {
        this.staleDropped += 1;
        return released;
      }
      this.restarts += 1;
      released.push(...this.buffered);
      this.buffered = [];
      this.lastSeq = null;
    }
    const at = this.insertionIndex(item.seq);
    if (this.buffered[at]?.seq === item.seq) {
      this.staleDropped += 1;
      return released;
    }
    this.buffered.splice(at, 0, item);
    this.releaseReady(released);
    return released;
  }

  /** Everything still buffered, in seq order (shutdown without a successor). */
  drain(): T[] {
    const rest = this.buffered;
    this.buffered = [];
    const last = rest[rest.length - 1];
    if (last) this.markReleased(last);
    return rest;
  }

  private releaseReady(released: T[]): void {
    while (this.buffered.length > 0) {
      const head = this.buffered[0]!;
      const expected = this.lastSeq !== null && head.seq === this.lastSeq + 1;
      if (!expected && !this.gapExpired(head)) return;
      if (!expected && this.lastSeq !== null) this.seqsSkipped += head.seq - this.lastSeq - 1;
      this.buffered.shift();
      this.markReleased(head);
      released.push(head);
    }
  }

  private gapExpired(head: T): boolean {
    if (this.buffered.length > this.maxBuffered) return true;
    const referenceMs = this.lastSeq === null ? head.capturedAtMs : this.lastCapturedAtMs;
    let newestMs = -Infinity;
    for (const item of this.buffered) newestMs = Math.max(newestMs, item.capturedAtMs);
    return newestMs - referenceMs >= this.maxWaitMs;
  }

  private markReleased(item: T): void {
    this.lastSeq = item.seq;
    this.lastCapturedAtMs = Math.max(this.lastCapturedAtMs, item.capturedAtMs);
  }

  private insertionIndex(seq: number): number {
    let lo = 0;
    let hi = this.buffered.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.buffered[mid]!.seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
