import { describe, expect, it } from 'vitest';
import { SeqReorderBuffer } from '../../../analytics/seqReorderBuffer.ts';

const item = (seq: number, capturedAtMs = seq * 200) => ({ seq, capturedAtMs });
const seqs = (items: Array<{ seq: number }>) => items.map((i) => i.seq);

function pushAll(buffer: SeqReorderBuffer<{ seq: number; capturedAtMs: number }>, arrivals: number[]): number[] {
  return arrivals.flatMap((seq) => seqs(buffer.push(item(seq))));
}

describe('SeqReorderBuffer', () => {
  it('releases out-of-order arrivals in seq order', () => {
    const buffer = new SeqReorderBuffer({ maxWaitMs: 1000 });
    // The first item waits (a lower seq may be in flight) until the buffer spans maxWaitMs.
    expect(pushAll(buffer, [2, 1])).toEqual([]);
    expect(pushAll(buffer, [4, 3, 5, 7, 6])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(buffer.size).toBe(0);
  });

  it('drops duplicates, whether already released or still buffered', () => {
    const buffer = new SeqReorderBuffer({ maxWaitMs: 1000 });
    expect(pushAll(buffer, [1, 2, 3, 4, 5, 6])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(pushAll(buffer, [2, 4, 8, 8])).toEqual([]);
    expect(pushAll(buffer, [7])).toEqual([7, 8]);
    expect(buffer.staleDropped).toBe(3);
  });

  it('gives up a gap once a buffered result is maxWaitMs newer than the last released one', () => {
    const buffer = new SeqReorderBuffer({ maxWaitMs: 1000 });
    expect(pushAll(buffer, [1, 2, 3, 4, 5, 6])).toEqual([1, 2, 3, 4, 5, 6]);
    // 7 never comes (dropped by backpressure): 8…10 wait until 11 (2200 ms) is 1000 ms after 6 (1200 ms).
    expect(pushAll(buffer, [8, 9, 10])).toEqual([]);
    expect(pushAll(buffer, [11])).toEqual([8, 9, 10, 11]);
    expect(buffer.seqsSkipped).toBe(1);
    // 7 arriving now is too late: dropped, never released after 11.
    expect(pushAll(buffer, [7, 12])).toEqual([12]);
  });

  it('gives up a gap when more than maxBuffered results wait', () => {
    const buffer = new SeqReorderBuffer({ maxWaitMs: 1_000_000, maxBuffered: 3 });
    expect(pushAll(buffer, [1, 2])).toEqual([]);
    expect(pushAll(buffer, [3, 5, 6])).toEqual([1, 2, 3]);
    expect(pushAll(buffer, [7, 8])).toEqual([5, 6, 7, 8]);
  });

  it('starts over when the source restarts its numbering', () => {
    const buffer = new SeqReorderBuffer({ maxWaitMs: 400 });
    expect(pushAll(buffer, [10, 11, 12, 13])).toEqual([10, 11, 12, 13]);
    // seq 1 captured after 13: a new sequence, not a duplicate.
    expect(seqs(buffer.push({ seq: 1, capturedAtMs: 5000 }))).toEqual([]);
    expect(seqs(buffer.push({ seq: 2, capturedAtMs: 5200 }))).toEqual([]);
    expect(seqs(buffer.push({ seq: 3, capturedAtMs: 5400 }))).toEqual([1, 2, 3]);
    expect(buffer.restarts).toBe(1);
  });

  it('is deterministic given the arrival order', () => {
    const arrivals = [3, 1, 2, 2, 5, 9, 4, 8, 7, 12, 11, 15, 14, 20, 21, 22, 23, 30];
    const a = pushAll(new SeqReorderBuffer({ maxWaitMs: 600 }), arrivals);
    const b = pushAll(new SeqReorderBuffer({ maxWaitMs: 600 }), arrivals);
    expect(a).toEqual(b);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(new Set(a).size).toBe(a.length);
  });
});
