// Seqs marked skipped (dropped by backpressure, rejected by a worker) are passed at once, never waited for,
// while a seq that may still come (a dead worker's frame, until taken over) is waited for as before.
import { describe, expect, it } from 'vitest';
import { SeqReorderBuffer } from '../../../analytics/seqReorderBuffer.ts';
import { StateSnapshotRegistry } from '../../../analytics/stateSnapshot.ts';

type Item = { seq: number; capturedAtMs: number };
const item = (seq: number, capturedAtMs = seq * 200): Item => ({ seq, capturedAtMs });
const seqs = (items: Item[]) => items.map((i) => i.seq);
const pushAll = (buffer: SeqReorderBuffer<Item>, arrivals: number[]) =>
  arrivals.flatMap((seq) => seqs(buffer.push(item(seq))));
const registry = () => new StateSnapshotRegistry().register(SeqReorderBuffer);

/** A buffer that has released 1…3 (the first item waited its maxWaitMs). */
function started(maxWaitMs = 20_000, maxBuffered = 1000): SeqReorderBuffer<Item> {
  const buffer = new SeqReorderBuffer<Item>({ maxWaitMs, maxBuffered });
  pushAll(buffer, [1, 2, 3]);
  buffer.drain();
  return buffer;
}

describe('SeqReorderBuffer with skip entries', () => {
  it('releases what waited behind a skipped seq at once, whichever comes first', () => {
    const buffer = started();
    expect(pushAll(buffer, [5, 6, 8])).toEqual([]);
    expect(seqs(buffer.skip(4))).toEqual([5, 6]);
    expect(seqs(buffer.skip(7))).toEqual([8]);
    // Skips ahead of the items: 9 and 10 are passed as soon as they are next.
    expect(seqs(buffer.skip(10))).toEqual([]);
    expect(seqs(buffer.skip(9))).toEqual([]);
    expect(pushAll(buffer, [11])).toEqual([11]);
    expect(buffer.markedSkipped).toBe(4);
    expect(buffer.seqsSkipped).toBe(0);
    expect(buffer.size).toBe(0);
  });

  it('still waits maxWaitMs for a seq not known skipped (a frame a dead worker held)', () => {
    const buffer = started(1000);
    buffer.skip(4);
    expect(pushAll(buffer, [6, 7])).toEqual([]);
    // 5 comes late (taken over) but within the wait: nothing lost.
    expect(pushAll(buffer, [5])).toEqual([5, 6, 7]);
    buffer.skip(8);
    expect(pushAll(buffer, [10, 11])).toEqual([]);
    // 9 never comes: given up once 12 (2400 ms) is 1000 ms after 7; 8 counts as marked, only 9 as given up.
    expect(pushAll(buffer, [12])).toEqual([10, 11, 12]);
    expect(buffer.seqsSkipped).toBe(1);
    expect(buffer.markedSkipped).toBe(2);
  });

  it('ignores a skip of a seq passed or buffered, and lets a result win over its own skip', () => {
    const buffer = started();
    expect(pushAll(buffer, [5])).toEqual([]);
    expect(seqs(buffer.skip(5))).toEqual([]);
    expect(seqs(buffer.skip(2))).toEqual([]);
    buffer.skip(6);
    expect(pushAll(buffer, [6])).toEqual([]);
    expect(pushAll(buffer, [4])).toEqual([4, 5, 6]);
    expect(buffer.markedSkipped).toBe(0);
  });

  it('drops a result arriving after its seq was passed as skipped, without taking it for a restart', () => {
    const buffer = started();
    buffer.skip(4);
    expect(pushAll(buffer, [5])).toEqual([5]);
    buffer.skip(6);
    // Captured after 5 and numbered ≤ the seqs passed: late, not a new numbering.
    expect(seqs(buffer.push(item(6)))).toEqual([]);
    expect(buffer.staleDropped).toBe(1);
    expect(buffer.restarts).toBe(0);
    expect(pushAll(buffer, [7])).toEqual([7]);
    // A real restart (lower than the last released item, captured later) is still one; seq 0 needs no wait.
    expect(seqs(buffer.push({ seq: 0, capturedAtMs: 99_000 }))).toEqual([0]);
    expect(buffer.restarts).toBe(1);
  });

  it('releases a first item numbered 0 at once (a numbering starts at 0), and waits for any other', () => {
    const buffer = new SeqReorderBuffer<Item>({ maxWaitMs: 20_000 });
    expect(pushAll(buffer, [1, 0, 2])).toEqual([0, 1, 2]);
    const midStream = new SeqReorderBuffer<Item>({ maxWaitMs: 20_000 });
    expect(pushAll(midStream, [500, 501])).toEqual([]);
  });

  it("passes a camera's first seqs known skipped from 0 (dropped in a start-up burst) without waiting", () => {
    const buffer = new SeqReorderBuffer<Item>({ maxWaitMs: 20_000, maxBuffered: 64 });
    // The queue kept the newest of the burst: 0–2 were dropped, their skips read before any result.
    for (const seq of [0, 1, 2]) expect(seqs(buffer.skip(seq))).toEqual([]);
    expect(pushAll(buffer, [4, 3, 5])).toEqual([3, 4, 5]);
    expect(buffer.markedSkipped).toBe(3);
    expect(buffer.seqsSkipped).toBe(0);
    // The results may come first: the skips release them.
    const resultsFirst = new SeqReorderBuffer<Item>({ maxWaitMs: 20_000, maxBuffered: 64 });
    expect(pushAll(resultsFirst, [2, 3])).toEqual([]);
    expect(seqs(resultsFirst.skip(1))).toEqual([]);
    expect(seqs(resultsFirst.skip(0))).toEqual([2, 3]);
    // Before any result, a late one for a seq passed as skipped is dropped: no released item dates a restart.
    const onlySkips = new SeqReorderBuffer<Item>({ maxWaitMs: 20_000, maxBuffered: 64 });
    onlySkips.skip(0);
    onlySkips.skip(1);
    expect(seqs(onlySkips.push(item(1, 99_000)))).toEqual([]);
    expect(onlySkips.staleDropped).toBe(1);
    expect(onlySkips.restarts).toBe(0);
    expect(pushAll(onlySkips, [2])).toEqual([2]);
  });

  it("passes a restarted numbering's first seqs skipped before its first result (a new ingest process)", () => {
    // The old numbering reached 500; a new ingest process numbers from 0 and the queue drops its 0–2, whose skips
    // read as stale (at or below 500) until seq 3, captured later than 500, shows the numbering restarted.
    const buffer = new SeqReorderBuffer<Item>({ maxWaitMs: 20_000, maxBuffered: 64 });
    expect(seqs(buffer.push(item(0)))).toEqual([0]);
    expect(seqs(buffer.skip(1))).toEqual([]);
    expect(pushAll(buffer, [2])).toEqual([2]);
    expect(seqs(buffer.push(item(500, 600)))).toEqual([]);
    expect(seqs(buffer.drain())).toEqual([500]);
    for (const seq of [0, 1, 2]) expect(seqs(buffer.skip(seq))).toEqual([]);
    expect(seqs(buffer.push(item(3, 200_000)))).toEqual([3]);
    expect(buffer.restarts).toBe(1);
    expect(seqs(buffer.push(item(4, 200_200)))).toEqual([4]);
    // Skips already stale in the old numbering (read before its last release) are not carried into the new one.
    const late = new SeqReorderBuffer<Item>({ maxWaitMs: 20_000, maxBuffered: 64 });
    pushAll(late, [0]);
    late.skip(1);
    pushAll(late, [2, 3]);
    late.skip(1); // a duplicate skip entry, read before 3 was released
    pushAll(late, [4]);
    expect(seqs(late.push(item(2, 200_000)))).toEqual([]);
    expect(late.restarts).toBe(1);
    expect(seqs(late.push(item(0, 199_800)))).toEqual([0]);
  });

  it('still waits for a first item when the skips before it do not reach down to 0', () => {
    const buffer = new SeqReorderBuffer<Item>({ maxWaitMs: 20_000, maxBuffered: 64 });
    buffer.skip(1);
    buffer.skip(2);
    expect(pushAll(buffer, [3, 4])).toEqual([]);
    expect(pushAll(buffer, [0])).toEqual([0, 3, 4]);
  });

  it('keeps at most maxBuffered skips before the first item', () => {
    const buffer = new SeqReorderBuffer<Item>({ maxWaitMs: 1000, maxBuffered: 4 });
    for (let seq = 1; seq <= 10; seq++) buffer.skip(seq);
    const node = registry().snapshot(buffer) as { p: { knownSkipped: { $a: number[] } } };
    expect(node.p.knownSkipped.$a).toEqual([7, 8, 9, 10]);
  });

  it('snapshots exactly with skips pending, and restores a snapshot written before skips existed', () => {
    const buffer = started();
    pushAll(buffer, [6, 8]);
    buffer.skip(7);
    const reg = registry();
    const copy = reg.restore<SeqReorderBuffer<Item>>(JSON.parse(JSON.stringify(reg.snapshot(buffer))));
    expect(JSON.stringify(reg.snapshot(copy))).toBe(JSON.stringify(reg.snapshot(buffer)));
    expect(seqs(copy.skip(4))).toEqual([]);
    expect(pushAll(copy, [5])).toEqual([5, 6, 8]);

    // The old layout (a checkpoint written before skips): no knownSkipped, skippedThroughSeq, seqsMarkedSkipped,
    // staleSkipsSinceRelease.
    const old = started();
    pushAll(old, [5]);
    const node = JSON.parse(JSON.stringify(reg.snapshot(old))) as { p: Record<string, unknown> };
    for (const key of ['knownSkipped', 'skippedThroughSeq', 'seqsMarkedSkipped', 'staleSkipsSinceRelease'])
      delete node.p[key];
    const restored = reg.restore<SeqReorderBuffer<Item>>(node as never);
    expect(seqs(restored.skip(4))).toEqual([5]);
    expect(restored.markedSkipped).toBe(1);
    expect(pushAll(restored, [6, 5])).toEqual([6]);
    expect(restored.staleDropped).toBe(1);
  });
});
