// Puts one camera's inference results back in seq order: several workers finish frames out of order, a
// killed worker's frame is published twice or late, and dropped or rejected frames leave gaps that never fill.
//
// The rule, deterministic given the arrival order (no clock: capture times are the only time):
//  - an item with seq ≤ the last released seq is stale (a duplicate, or arrived after its gap was given up)
//    and dropped; so is one whose seq is already buffered;
//  - items are released while the lowest buffered seq is the next one expected; a seq known skipped
//    (skip(): dropped by backpressure, rejected by a worker) is passed at once, never waited for;
//  - a gap is given up (the lowest buffered item released anyway) once the newest buffered item was captured
//    maxWaitMs or more after the last released one, or more than maxBuffered items wait;
//    So maxWaitMs only has to cover seqs that may still come: a frame a dead worker held, until taken over;
//  - the very first item waits the same way, since a lower seq may still be in flight, unless it is seq 0:
//    a camera's numbering starts at 0 (ingest/frameEmitter.ts), so nothing can come before it; nor when every
//    seq from 0 up to it is known skipped (a camera's first frames dropped in a start-up burst);
//  - a lower seq captured after the last released item means the source restarted its numbering: what is
//    buffered is released and ordering starts again from that item; skips read as stale since the last release
//    and numbered below it are taken as the new numbering's (its first frames, dropped before any result came).
import { ValidationError } from '../core/errors.ts';

export interface Sequenced {
  seq: number;
  /** Capture time, epoch ms. */
  capturedAtMs: number;
}

export interface SeqReorderOptions {
  /** Capture-time span after which a missing seq (not known skipped) is given up. Default 2000 ms. */
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
  /**
   * Seqs known skipped above the last one passed, ascending, at most maxBuffered. Absent (undefined) in a
   * snapshot written before skips existed: restore never runs this initializer, so read it via skippedSeqs().
   */
  private knownSkipped: number[] | undefined = [];
  /**
   * Highest seq passed as known skipped, when above lastSeq (null otherwise). Kept apart from lastSeq, which
   * stays the last item released: a restart of the numbering is told by a lower seq captured after that item.
   */
  private skippedThroughSeq: number | null | undefined = null;
  /**
   * Skips read at or below the seq passed since the last release, ascending, at most maxBuffered: stale in this
   * numbering, or the first seqs of a restarted one whose first result is still to come. Absent (undefined) in
   * a snapshot written before it existed: read it via staleSkips().
   */
  private staleSkipsSinceRelease: number[] | undefined = [];
  /** Duplicates and items that came after their gap was given up (or after being marked skipped). */
  staleDropped = 0;
  /** Missing seqs given up on (waited for maxWaitMs or maxBuffered). */
  seqsSkipped = 0;
  /** Seqs passed without waiting because they were marked skipped. */
  private seqsMarkedSkipped: number | undefined = 0;
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

  /** Seqs passed without waiting because they were marked skipped (for status). */
  get markedSkipped(): number {
    return this.seqsMarkedSkipped ?? 0;
  }

  /**
   * Takes the news that `seq` will never have an item (dropped, rejected); returns the items that no longer
   * wait for it, in seq order. Ignored for a seq already passed or already buffered (the item wins).
   */
  skip(seq: number): T[] {
    if (!Number.isInteger(seq)) throw new ValidationError(`skipped seq ${seq} must be an integer`, { field: 'seq' });
    const released: T[] = [];
    const passed = this.passedSeq();
    if (passed !== null && seq <= passed) {
      insertBounded(this.staleSkips(), seq, this.maxBuffered);
      return released;
    }
    if (this.buffered[this.insertionIndex(seq)]?.seq === seq) return released;
    // Bounded like the items: before the first item nothing passes them; losing the lowest only means a wait.
    if (!insertBounded(this.skippedSeqs(), seq, this.maxBuffered)) return released;
    this.releaseReady(released);
    return released;
  }

  /** Takes one arrival; returns the items it lets out, in seq order. */
  push(item: T): T[] {
    if (!Number.isFinite(item.seq) || !Number.isFinite(item.capturedAtMs)) {
      throw new ValidationError(`seq ${item.seq} / capturedAtMs ${item.capturedAtMs} must be finite`, { field: 'seq' });
    }
    const released: T[] = [];
    const passed = this.passedSeq();
    if (passed !== null && item.seq <= passed) {
      // Only a released item dates a numbering: behind seqs merely skipped from 0, the item is late.
      if (!(this.lastSeq !== null && item.seq <= this.lastSeq && item.capturedAtMs > this.lastCapturedAtMs)) {
        this.staleDropped += 1;
        return released;
      }
      this.restarts += 1;
      released.push(...this.buffered);
      this.buffered = [];
      this.lastSeq = null;
      this.skippedThroughSeq = null;
      const stale = this.staleSkips();
      this.knownSkipped = stale.slice(0, lowerBound(stale, item.seq));
      this.staleSkipsSinceRelease = [];
    }
    const at = this.insertionIndex(item.seq);
    if (this.buffered[at]?.seq === item.seq) {
      this.staleDropped += 1;
      return released;
    }
    this.buffered.splice(at, 0, item);
    this.dropSkippedAt(item.seq);
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
    for (;;) {
      this.passKnownSkipped();
      const head = this.buffered[0];
      if (!head) return;
      const passed = this.passedSeq();
      const expected = passed === null ? head.seq === 0 : head.seq === passed + 1;
      if (!expected && !this.gapExpired(head)) return;
      if (!expected && passed !== null) this.seqsSkipped += head.seq - passed - 1 - this.countSkippedBelow(head.seq);
      this.buffered.shift();
      this.markReleased(head);
      released.push(head);
    }
  }

  /**
   * Seqs known skipped right after the last one passed are passed now; ones already behind it (inside a gap
   * given up, or before the first item) are forgotten. Both count as marked skipped, not as given up.
   */
  private passKnownSkipped(): void {
    const skipped = this.skippedSeqs();
    let passed = this.passedSeq();
    // Before any item, only a run of skips from 0 passes: nothing is numbered below 0.
    if (passed === null) {
      if (skipped[0] !== 0) return;
      passed = -1;
    }
    while (skipped.length > 0 && skipped[0]! <= passed + 1) {
      const seq = skipped.shift()!;
      this.seqsMarkedSkipped = this.markedSkipped + 1;
      if (seq === passed + 1) {
        passed = seq;
        this.skippedThroughSeq = seq;
      }
    }
  }

  /**
   * The highest seq nothing more is waited for (released or known skipped), null before the first item unless
   * seqs from 0 were passed as skipped.
   */
  private passedSeq(): number | null {
    const through = this.skippedThroughSeq ?? null;
    if (this.lastSeq === null) return through;
    return through !== null && through > this.lastSeq ? through : this.lastSeq;
  }

  private skippedSeqs(): number[] {
    return (this.knownSkipped ??= []);
  }

  private staleSkips(): number[] {
    return (this.staleSkipsSinceRelease ??= []);
  }

  /** Known-skipped seqs below `seq` (a gap given up over them counts only the truly missing ones). */
  private countSkippedBelow(seq: number): number {
    return lowerBound(this.skippedSeqs(), seq);
  }

  /** An item arrived after all for a seq marked skipped: the item wins. */
  private dropSkippedAt(seq: number): void {
    const skipped = this.skippedSeqs();
    const at = lowerBound(skipped, seq);
    if (skipped[at] === seq) skipped.splice(at, 1);
  }

  private gapExpired(head: T): boolean {
    if (this.buffered.length > this.maxBuffered) return true;
    const referenceMs = this.lastSeq === null ? head.capturedAtMs : this.lastCapturedAtMs;
    let newestMs = -Infinity;
    for (const item of this.buffered) newestMs = Math.max(newestMs, item.capturedAtMs);
    return newestMs - referenceMs >= this.maxWaitMs;
  }

  private markReleased(item: T): void {
    if (this.staleSkipsSinceRelease?.length) this.staleSkipsSinceRelease = [];
    this.lastSeq = item.seq;
    this.skippedThroughSeq = null;
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

/** Puts `value` into an ascending array without duplicates, dropping the lowest past `max`; false if already there. */
function insertBounded(sorted: number[], value: number, max: number): boolean {
  const at = lowerBound(sorted, value);
  if (sorted[at] === value) return false;
  sorted.splice(at, 0, value);
  if (sorted.length > max) sorted.shift();
  return true;
}

/** Index of the first element ≥ `value` in an ascending array. */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
