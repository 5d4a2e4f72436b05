import { describe, expect, it } from 'vitest';
import { ByteTracker } from '../../../analytics/byteTracker.ts';
import { LineCounter, type LineCrossing } from '../../../analytics/lineCounter.ts';
import type { Tracks } from '../../../analytics/tracks.ts';
import { FRAME, REALISTIC_NOISE, type SceneNoise, sampleScene, trueLineCounts } from './scene.ts';
import { STREET_DURATION_S, STREET_LINE, streetScene } from './trafficScene.ts';

function countStreet(fps: number, seed: number, noise: SceneNoise, objects = streetScene()) {
  const frames = sampleScene(objects, { fps, durationS: STREET_DURATION_S, seed, noise });
  const tracker = new ByteTracker({ frameSizePx: FRAME });
  const line = new LineCounter({ id: 'street', points: [STREET_LINE.p0, STREET_LINE.p1] });
  const crossings: LineCrossing[] = [];
  const outputs: Tracks[] = [];
  for (const frame of frames) {
    const tracks = tracker.update(frame.detections, frame.timestampMs);
    outputs.push(tracks);
    crossings.push(...line.update(tracks));
  }
  return { frames, crossings, outputs, counts: line.counts() };
}

/** direction → class → count, zero entries dropped, so truth and counts compare directly. */
function nonZero(counts: Record<string, Partial<Record<string, number>>>): Record<string, Record<string, number>> {
  return Object.fromEntries(
    Object.entries(counts).map(([direction, perClass]) => [direction, Object.fromEntries(Object.entries(perClass).filter(([, n]) => n))]),
  ) as Record<string, Record<string, number>>;
}

describe('counting a busy two-way street end to end (tracker + line)', () => {
  const objects = streetScene();
  const truth = nonZero(trueLineCounts(objects, STREET_LINE, STREET_DURATION_S));

  it('has the traffic the scene promises: both directions, motorbikes, cars, buses, trucks, bicycles, pedestrians', () => {
    expect(Object.keys(truth.in!).sort()).toEqual(['bicycle', 'bus', 'car', 'motorbike', 'person', 'truck']);
    expect(Object.keys(truth.out!).sort()).toEqual(['bicycle', 'car', 'motorbike', 'person']);
  });

  describe.each([5, 10])('at %i fps with 20 %% dropped detections, 10 %% low scores, 5 %% class flips and clutter', (fps) => {
    it.each([1, 2, 3])('counts every crossing exactly per class and direction (noise seed %i)', (seed) => {
      expect(nonZero(countStreet(fps, seed, REALISTIC_NOISE).counts)).toEqual(truth);
    });
  });

  it.each([1, 2, 3])('counts every crossing exactly at 2 fps, where a motorbike jumps ~2 lengths a frame, with clean detection (seed %i)', (seed) => {
    const clean: SceneNoise = { positionStdFrac: 0.03, dropRate: 0, lowScoreRate: 0, classFlipRate: 0, clutterPerFrame: 0 };
    expect(nonZero(countStreet(2, seed, clean).counts)).toEqual(truth);
  });

  it('never counts the parked car or the car standing on the line', () => {
    const { frames, crossings, outputs } = countStreet(5, 1, REALISTIC_NOISE);
    const parkedIndices = new Set([objects.findIndex((o) => o.name === 'parked-car'), objects.findIndex((o) => o.name === 'car-on-line')]);
    const parkedTracks = new Set<number>();
    frames.forEach((frame, k) => {
      frame.objectOf.forEach((objectIndex, i) => {
        const id = outputs[k]!.detections.trackIds[i]!;
        if (parkedIndices.has(objectIndex) && id > 0) parkedTracks.add(id);
      });
    });
    expect(parkedTracks.size).toBeGreaterThan(0);
    expect(crossings.filter((c) => parkedTracks.has(c.trackId))).toEqual([]);
  });

  it('is deterministic: the same input gives the same tracks, ids and crossings', () => {
    const a = countStreet(5, 2, REALISTIC_NOISE);
    const b = countStreet(5, 2, REALISTIC_NOISE);
    expect(b.crossings).toEqual(a.crossings);
    expect(b.outputs.map((o) => o.tracks)).toEqual(a.outputs.map((o) => o.tracks));
  });
});
