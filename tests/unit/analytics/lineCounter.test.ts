import { describe, expect, it } from 'vitest';
import { LineCounter } from '../../../analytics/lineCounter.ts';
import { ValidationError } from '../../../core/errors.ts';
import { type TrackSpec, tracksAt } from '../../../harness/scenes/fixtures.ts';

// Horizontal line at y = 100 from x = 0 to x = 200: moving down the image is left → right ('in').
const LINE = {
  id: 'gate',
  points: [
    { x: 0, y: 100 },
    { x: 200, y: 100 },
  ],
};

function feed(counter: LineCounter, frames: TrackSpec[][], stepMs = 500) {
  return frames.flatMap((specs, k) => counter.update(tracksAt(1_000_000 + k * stepMs, specs)));
}

const path = (id: number, ys: number[], extra: Partial<TrackSpec> = {}) => ys.map((y) => [{ id, x: 100, y, ...extra }]);

describe('LineCounter', () => {
  it('counts a motorbike that jumps across the line between two 2 fps frames, once, as in', () => {
    const counter = new LineCounter(LINE);
    const crossings = feed(counter, path(1, [20, 60, 150, 230]));
    expect(crossings).toHaveLength(1);
    expect(crossings[0]).toMatchObject({
      lineId: 'gate',
      trackId: 1,
      direction: 'in',
      fromSide: 'left',
      className: 'motorbike',
    });
    expect(counter.count('in', 'motorbike')).toBe(1);
    expect(counter.count('out')).toBe(0);
  });

  it('names both directions from the config and counts the way back as out', () => {
    const counter = new LineCounter({ ...LINE, directions: { leftToRight: 'southbound', rightToLeft: 'northbound' } });
    feed(counter, path(1, [300, 200, 40, 10]));
    expect(counter.counts().northbound!.motorbike).toBe(1);
    expect(counter.counts().southbound!.motorbike).toBe(0);
  });

  it('counts a box that stops on the line at most once, and not at all while it stands there', () => {
    const counter = new LineCounter(LINE);
    const standing = [98, 101, 99, 102, 100, 97, 103, 99, 101, 100];
    expect(feed(counter, path(1, [20, 60, ...standing]))).toHaveLength(0);
    const moved = feed(counter, path(1, [20, 60, ...standing, 160, 220]));
    expect(moved.length).toBeLessThanOrEqual(1);
  });

  it('counts a box jittering back and forth across the line (by a quarter of its height) at most once', () => {
    const counter = new LineCounter(LINE);
    const jitter = Array.from({ length: 30 }, (_, k) => (k % 2 === 0 ? 89 : 111));
    const crossings = feed(counter, path(1, [20, 50, ...jitter]));
    expect(crossings.length).toBeLessThanOrEqual(1);
  });

  it('counts a track first seen inside the dead band once it settles beyond the line (its one 2 fps sighting before it)', () => {
    const counter = new LineCounter(LINE);
    const crossings = feed(counter, path(1, [97, 160, 230]));
    expect(crossings.map((c) => c.direction)).toEqual(['in']);
  });

  it('counts nothing for a track first seen inside the band that stands on the line or turns back', () => {
    const standing = new LineCounter(LINE);
    expect(feed(standing, path(1, [97, 102, 99, 103, 98, 101, 100]))).toHaveLength(0);
    const turning = new LineCounter(LINE);
    expect(feed(turning, path(1, [97, 60, 20]))).toHaveLength(0);
  });

  it('with minFramesOnSide 2, ignores even a wide jitter that never stays two frames on a side', () => {
    const counter = new LineCounter(LINE, { minFramesOnSide: 2 });
    const jitter = Array.from({ length: 30 }, (_, k) => (k % 2 === 0 ? 70 : 130));
    expect(feed(counter, path(1, [20, 50, ...jitter]))).toHaveLength(0);
  });

  it('counts every crossing of a quick U-turn made before the class is settled, in order', () => {
    const counter = new LineCounter(LINE, { minHitsToCount: 10 });
    const crossings = feed(
      counter,
      path(1, [20, 60, 160, 200, 60, 20]).map((specs, k) => specs.map((s) => ({ ...s, hits: k + 1 }))),
    );
    expect(crossings).toHaveLength(0);
    const more = feed(counter, [[]]);
    expect(more.map((c) => c.direction)).toEqual(['in', 'out']);
  });

  it('never counts jitter inside the dead band, however long', () => {
    const counter = new LineCounter(LINE);
    const jitter = Array.from({ length: 100 }, (_, k) => 100 + (k % 3) - 1 + (k % 2 ? 3 : -3));
    expect(feed(counter, path(1, [20, ...jitter]))).toHaveLength(0);
  });

  it('counts a U-turn across the line in, then out; one short of the line counts nothing', () => {
    const counter = new LineCounter(LINE);
    const crossings = feed(counter, [...path(1, [20, 60, 140, 180, 130, 60, 20]), ...path(2, [20, 60, 90, 60, 20])]);
    expect(crossings.map((c) => `${c.trackId}:${c.direction}`)).toEqual(['1:in', '1:out']);
  });

  it('does not count a track that goes round the end of the line', () => {
    const counter = new LineCounter(LINE);
    const around = [
      [{ id: 1, x: 100, y: 40 }],
      [{ id: 1, x: 230, y: 60 }],
      [{ id: 1, x: 240, y: 140 }],
      [{ id: 1, x: 150, y: 160 }],
    ];
    expect(feed(counter, around)).toHaveLength(0);
  });

  it('holds a crossing made while tentative and counts it when the track is confirmed', () => {
    const counter = new LineCounter(LINE);
    const crossings = feed(counter, [
      [{ id: 1, x: 100, y: 40, state: 'tentative' }],
      [{ id: 1, x: 100, y: 160, state: 'tentative' }],
      [{ id: 1, x: 100, y: 200, state: 'confirmed' }],
    ]);
    expect(crossings).toHaveLength(1);
    expect(crossings[0]!.timestampMs).toBe(1_000_500);
  });

  it('holds a crossing until the track has minHitsToCount sightings, then counts it with the class it has then', () => {
    const counter = new LineCounter(LINE, { minHitsToCount: 4 });
    const crossings = feed(counter, [
      [{ id: 1, x: 100, y: 40, hits: 1, className: 'bicycle', state: 'tentative' }],
      [{ id: 1, x: 100, y: 160, hits: 2, className: 'bicycle' }],
      [{ id: 1, x: 100, y: 200, hits: 3, className: 'bicycle' }],
      [{ id: 1, x: 100, y: 240, hits: 4, className: 'motorbike' }],
    ]);
    expect(crossings.map((c) => [c.className, c.timestampMs])).toEqual([['motorbike', 1_000_500]]);
  });

  it('counts a held crossing of a confirmed track that dies before minHitsToCount, with its last class', () => {
    const counter = new LineCounter(LINE, { minHitsToCount: 5 });
    const crossings = feed(counter, [[{ id: 1, x: 100, y: 40, hits: 1 }], [{ id: 1, x: 100, y: 160, hits: 2 }], []]);
    expect(crossings.map((c) => [c.trackId, c.direction, c.className])).toEqual([[1, 'in', 'motorbike']]);
  });

  it('counts nothing for a track that dies tentative', () => {
    const counter = new LineCounter(LINE);
    const crossings = feed(counter, [
      [{ id: 1, x: 100, y: 40, state: 'tentative' }],
      [{ id: 1, x: 100, y: 160, state: 'tentative' }],
      [],
      [{ id: 1, x: 100, y: 200, state: 'confirmed' }],
    ]);
    expect(crossings).toHaveLength(0);
  });

  it('ignores coasting (lost) predictions and counts from sightings only', () => {
    const counter = new LineCounter(LINE);
    const crossings = feed(counter, [
      [{ id: 1, x: 100, y: 40 }],
      [{ id: 1, x: 100, y: 160, state: 'lost' }],
      [{ id: 1, x: 100, y: 60 }],
    ]);
    expect(crossings).toHaveLength(0);
  });

  it('counts per class with the class the track has when it crosses', () => {
    const counter = new LineCounter(LINE);
    feed(counter, [
      ...path(1, [20, 180], { className: 'car', heightPx: 75 }),
      ...path(2, [20, 180], { className: 'bus' }),
    ]);
    expect(counter.counts().in).toMatchObject({ car: 1, bus: 1, motorbike: 0 });
  });

  it('counts crossings of any segment of a polyline, with the side of the segment crossed', () => {
    const bent = new LineCounter({
      id: 'bent',
      points: [
        { x: 0, y: 100 },
        { x: 100, y: 100 },
        { x: 200, y: 200 },
      ],
    });
    const crossings = feed(bent, [[{ id: 1, x: 170, y: 100 }], [{ id: 1, x: 130, y: 200 }]]);
    expect(crossings.map((c) => c.direction)).toEqual(['in']);
  });

  it('uses the configured anchor point of the box', () => {
    // A 44 px tall box whose bottom crosses the line but whose top stays above it.
    const byTop = new LineCounter(LINE, { anchor: 'topCenter' });
    const byBottom = new LineCounter(LINE);
    const frames = path(1, [60, 130]);
    expect(feed(byTop, frames)).toHaveLength(0);
    expect(feed(byBottom, frames)).toHaveLength(1);
  });

  it('rejects a line without two distinct points', () => {
    expect(
      () =>
        new LineCounter({
          id: 'dot',
          points: [
            { x: 5, y: 5 },
            { x: 5, y: 5 },
          ],
        }),
    ).toThrow(ValidationError);
  });

  it('counts a car crossing as the stream stops, last seen past the line inside the band, when every track ends', () => {
    const counter = new LineCounter(LINE);
    // Box height 60: the band is 9 px; the last sighting is 6 px past the line.
    expect(feed(counter, path(1, [20, 40, 60, 80, 95, 106], { heightPx: 60 }))).toHaveLength(0);
    const ended = counter.endAll();
    expect(ended.map((c) => [c.direction, c.className])).toEqual([['in', 'motorbike']]);
    expect(counter.count('in')).toBe(1);
  });

  it('counts a car boxed twice in each frame (as a car and as a truck) once as it crosses', () => {
    const counter = new LineCounter(LINE);
    const frames = [20, 60, 150, 230].map((y) => [
      { id: 1, x: 100, y, className: 'car' as const, heightPx: 60, widthPx: 80 },
      { id: 2, x: 102, y: y + 2, className: 'truck' as const, heightPx: 62, widthPx: 82 },
    ]);
    expect(feed(counter, frames).map((c) => c.className)).toEqual(['car']);
  });

  it('counts two cars crossing side by side twice, even when one is read as a truck', () => {
    const counter = new LineCounter(LINE);
    const frames = [20, 60, 150, 230].map((y) => [
      { id: 1, x: 60, y, className: 'car' as const, heightPx: 60, widthPx: 80 },
      { id: 2, x: 150, y, className: 'truck' as const, heightPx: 60, widthPx: 80 },
    ]);
    expect(feed(counter, frames).map((c) => c.className)).toEqual(['car', 'truck']);
  });

  it('does not count a car stopped just past the line, within the jitter floor, when every track ends', () => {
    const counter = new LineCounter(LINE);
    // Box height 60: the band is 9 px, the jitter floor 4 px; the last sighting is 3 px past the line.
    feed(counter, path(1, [20, 40, 60, 80, 95, 103], { heightPx: 60 }));
    expect(counter.endAll()).toHaveLength(0);
  });

  it('counts nothing when every track ends while a parked car jitters across the line', () => {
    const counter = new LineCounter(LINE);
    feed(counter, path(1, [80, 92, 96, 103, 99, 104, 97, 106], { heightPx: 60 }));
    expect(counter.endAll()).toHaveLength(0);
    expect(counter.count('in') + counter.count('out')).toBe(0);
  });
});
