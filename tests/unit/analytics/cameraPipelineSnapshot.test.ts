import { describe, expect, it } from 'vitest';
import type { InferenceResult } from '../../../core/inferenceResult.ts';
import { CameraPipeline } from '../../../analytics/cameraPipeline.ts';
import { MINUTE_MS } from '../../../analytics/minuteCounts.ts';
import { PipelineSnapshotter, type CameraState } from '../../../analytics/pipelineSnapshot.ts';
import { SeqReorderBuffer } from '../../../analytics/seqReorderBuffer.ts';
import { StateSnapshotRegistry } from '../../../analytics/stateSnapshot.ts';
import { trafficResults, TEST_ANALYSIS } from '../analyzer/syntheticTraffic.ts';
import { pipelineFrameOf } from '../../../analytics/pipelineFrameOf.ts';

const START = Date.UTC(2026, 10, 25, 3, 0, 0);

function freshState(): CameraState<InferenceResult> {
  return {
    pipeline: new CameraPipeline('cam', TEST_ANALYSIS, { widthPx: 960, heightPx: 540 }),
    reorder: new SeqReorderBuffer<InferenceResult>({ maxWaitMs: 1000 }),
  };
}

/** Everything a pipeline emits, with typed arrays spelled out so the comparison is byte for byte. */
function feed(state: CameraState<InferenceResult>, results: readonly InferenceResult[]): string[] {
  const out: string[] = [];
  for (const arrival of results) {
    for (const r of state.reorder.push(arrival)) {
      const output = state.pipeline.process(pipelineFrameOf(r));
      out.push(JSON.stringify(output, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v)));
    }
    out.push(JSON.stringify(state.pipeline.flushClosed(state.pipeline.newestCapturedAtMs - 2000)));
  }
  return out;
}

/** Results as several workers deliver them: neighbours swapped, some published twice, some dropped. */
function shuffledArrivals(): InferenceResult[] {
  const results = trafficResults({ cameraId: 'cam', startMs: START, durationMs: 3 * MINUTE_MS, fps: 5 });
  const arrivals: InferenceResult[] = [];
  for (let i = 0; i < results.length; i++) {
    if (i % 97 === 13) continue; // dropped by backpressure
    if (i % 10 === 3 && i + 1 < results.length) {
      arrivals.push(results[i + 1]!, results[i]!);
      i++;
    } else arrivals.push(results[i]!);
    if (i % 41 === 0) arrivals.push(results[i]!); // at-least-once: published again
  }
  return arrivals;
}

describe('camera state snapshots', () => {
  it('a pipeline restored mid-stream emits byte-identical outputs to one that never stopped', () => {
    const arrivals = shuffledArrivals();
    const uninterrupted = feed(freshState(), arrivals);

    for (const cut of [1, 377, 512, arrivals.length - 50]) {
      const first = freshState();
      const before = feed(first, arrivals.slice(0, cut));
      const snapshotter = new PipelineSnapshotter().learnFrom(
        new CameraPipeline('cam', TEST_ANALYSIS, { widthPx: 960, heightPx: 540 }),
      );
      const json = JSON.stringify(snapshotter.snapshot(first));
      const restored = snapshotter.restore<InferenceResult>(JSON.parse(json));
      expect(restored.pipeline).toBeInstanceOf(CameraPipeline);
      // The restored state snapshots to the very same JSON.
      expect(JSON.stringify(snapshotter.snapshot(restored))).toBe(json);
      const after = feed(restored, arrivals.slice(cut));
      expect([...before, ...after]).toEqual(uninterrupted);
    }
  });

  it('counts rows of the shuffled stream equal those of the clean stream', () => {
    const clean = trafficResults({ cameraId: 'cam', startMs: START, durationMs: 3 * MINUTE_MS, fps: 5 });
    const rowsOf = (results: readonly InferenceResult[]) => {
      const state = freshState();
      feed(state, results);
      state.reorder.drain().forEach((r) => state.pipeline.process(pipelineFrameOf(r)));
      return state.pipeline.flushClosed(START + 10 * MINUTE_MS).counts.reduce((sum, row) => sum + row.count, 0);
    };
    expect(rowsOf(shuffledArrivals())).toBe(rowsOf(clean));
  });
});

describe('StateSnapshotRegistry', () => {
  class Point {
    constructor(
      public x: number,
      public y: number,
    ) {}
    norm(): number {
      return Math.hypot(this.x, this.y);
    }
  }

  it('round-trips numbers JSON cannot hold, typed arrays, maps, sets and shared references', () => {
    const registry = new StateSnapshotRegistry().register(Point);
    const shared = new Point(3, 4);
    const value = {
      special: [NaN, Infinity, -Infinity, -0, 0.1 + 0.2, undefined],
      typed: { f32: Float32Array.of(0.1, -0), f64: Float64Array.of(Math.PI, NaN), i32: Int32Array.of(-1, 7) },
      map: new Map<number, Point>([[1, shared]]),
      set: new Set(['a', 'b']),
      again: shared,
    };
    const restored = registry.restore<typeof value>(JSON.parse(JSON.stringify(registry.snapshot(value))));
    expect(restored.special.map(String)).toEqual(['NaN', 'Infinity', '-Infinity', '0', String(0.1 + 0.2), 'undefined']);
    expect(Object.is(restored.special[3], -0)).toBe(true);
    expect(restored.typed.f32).toEqual(value.typed.f32);
    expect(Object.is(restored.typed.f32[1], -0)).toBe(true);
    expect(restored.typed.f64[0]).toBe(Math.PI);
    expect(restored.map.get(1)!.norm()).toBe(5);
    expect(restored.again).toBe(restored.map.get(1));
    expect([...restored.set]).toEqual(['a', 'b']);
  });

  it('refuses state it could not restore, naming where it is', () => {
    class Unregistered {
      n = 1;
    }
    const registry = new StateSnapshotRegistry();
    expect(() => registry.snapshot({ inner: { thing: new Unregistered() } })).toThrow(
      /unregistered class Unregistered at \$\.inner\.thing/,
    );
    expect(() => registry.snapshot({ callback: () => 1 })).toThrow(/function at \$\.callback/);
  });
});
