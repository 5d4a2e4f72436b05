import { describe, expect, it } from 'vitest';
import { ByteTracker } from '../../../analytics/byteTracker.ts';
import { PolygonZone, type ZoneEvent } from '../../../analytics/polygonZone.ts';
import { ValidationError } from '../../../core/errors.ts';
import { tracksAt } from '../../../harness/scenes/fixtures.ts';
import {
  FRAME,
  NO_NOISE,
  REALISTIC_NOISE,
  SCENE_START_MS,
  type SceneObject,
  sampleScene,
  stationaryPath,
  straightPath,
} from '../../../harness/scenes/scene.ts';
import { SIZES } from '../../../harness/scenes/trafficScene.ts';

const ZONE = {
  id: 'junction',
  polygon: [
    { x: 300, y: 200 },
    { x: 700, y: 200 },
    { x: 700, y: 500 },
    { x: 300, y: 500 },
  ],
};

describe('PolygonZone', () => {
  it.each([2, 5, 10])(
    'measures a 5 s stay (inside from t = 2 s to t = 7 s) within one frame interval at %i fps',
    (fps) => {
      // Bottom-centre reaches x = 300 at t = 2 s and x = 700 at t = 7 s (80 px/s).
      const car: SceneObject = {
        name: 'car',
        className: 'car',
        ...SIZES.car,
        path: straightPath({ x: 140, y: 400 }, { x: 1000, y: 400 }, 80, 0),
      };
      const frames = sampleScene([car], {
        fps,
        durationS: 11,
        seed: 3,
        noise: { ...REALISTIC_NOISE, dropRate: 0, clutterPerFrame: 0 },
      });
      const tracker = new ByteTracker({ frameSizePx: FRAME });
      const zone = new PolygonZone(ZONE);
      const events: ZoneEvent[] = [];
      const occupancy: number[] = [];
      for (const frame of frames) {
        const update = zone.update(tracker.update(frame.detections, frame.timestampMs));
        events.push(...update.events);
        occupancy.push(update.occupancy);
      }
      const intervalMs = 1000 / fps;
      expect(events.map((e) => e.kind)).toEqual(['enter', 'exit']);
      expect(Math.abs(events[0]!.timestampMs - (SCENE_START_MS + 2000))).toBeLessThanOrEqual(intervalMs);
      expect(Math.abs(events[1]!.timestampMs - (SCENE_START_MS + 7000))).toBeLessThanOrEqual(intervalMs);
      expect(Math.abs(events[1]!.dwellMs - 5000)).toBeLessThanOrEqual(intervalMs);
      expect(Math.max(...occupancy)).toBe(1);
      expect(occupancy.at(-1)).toBe(0);
    },
  );

  it('counts occupancy per class and reports the current dwell of each member', () => {
    const objects: SceneObject[] = [
      { name: 'car-a', className: 'car', ...SIZES.car, path: stationaryPath({ x: 400, y: 300 }, 0, 10) },
      { name: 'car-b', className: 'car', ...SIZES.car, path: stationaryPath({ x: 600, y: 450 }, 3, 10) },
      { name: 'bike', className: 'motorbike', ...SIZES.motorbike, path: stationaryPath({ x: 500, y: 400 }, 0, 10) },
      { name: 'walker-outside', className: 'person', ...SIZES.person, path: stationaryPath({ x: 900, y: 400 }, 0, 10) },
    ];
    const frames = sampleScene(objects, {
      fps: 5,
      durationS: 8,
      seed: 5,
      noise: { ...NO_NOISE, positionStdFrac: 0.02 },
    });
    const tracker = new ByteTracker();
    const zone = new PolygonZone(ZONE);
    let last = zone.update(tracker.update(frames[0]!.detections, frames[0]!.timestampMs));
    for (const frame of frames.slice(1)) last = zone.update(tracker.update(frame.detections, frame.timestampMs));
    expect(last.occupancy).toBe(3);
    expect(last.occupancyByClass).toMatchObject({ car: 2, motorbike: 1, person: 0 });
    const dwellsS = last.dwells.map((d) => Math.round(d.dwellMs / 1000));
    expect(dwellsS.sort()).toEqual([5, 8, 8]);
  });

  it('ends the stay of a member whose track dies at its last sighting inside', () => {
    const zone = new PolygonZone(ZONE);
    zone.update(tracksAt(1000, [{ id: 7, x: 400, y: 300 }]));
    zone.update(tracksAt(1500, [{ id: 7, x: 420, y: 300 }]));
    zone.update(tracksAt(2000, [{ id: 7, x: 440, y: 300, state: 'lost' }]));
    const update = zone.update(tracksAt(2500, []));
    expect(update.events).toEqual([
      expect.objectContaining({ kind: 'exit', trackId: 7, timestampMs: 1500, dwellMs: 500 }),
    ]);
    expect(update.occupancy).toBe(0);
  });

  it('keeps a lost member in the zone while it coasts', () => {
    const zone = new PolygonZone(ZONE);
    zone.update(tracksAt(1000, [{ id: 7, x: 400, y: 300 }]));
    expect(zone.update(tracksAt(1500, [{ id: 7, x: 900, y: 300, state: 'lost' }])).occupancy).toBe(1);
  });

  it('reports a tentative track only once confirmed, with the time it entered', () => {
    const zone = new PolygonZone(ZONE);
    expect(zone.update(tracksAt(1000, [{ id: 3, x: 400, y: 300, state: 'tentative' }])).occupancy).toBe(0);
    const update = zone.update(tracksAt(1500, [{ id: 3, x: 410, y: 300 }]));
    expect(update.events).toEqual([expect.objectContaining({ kind: 'enter', trackId: 3, timestampMs: 1000 })]);
    expect(update.dwells[0]!.dwellMs).toBe(500);
  });

  it('debounces the boundary with minFramesOutside, dating the exit at the first sighting outside', () => {
    const zone = new PolygonZone(ZONE, { minFramesOutside: 2 });
    const events: ZoneEvent[] = [];
    const xs = [400, 690, 710, 690, 710, 720, 730];
    xs.forEach((x, k) => events.push(...zone.update(tracksAt(1000 + k * 100, [{ id: 1, x, y: 300 }])).events));
    expect(events.map((e) => [e.kind, e.timestampMs])).toEqual([
      ['enter', 1000],
      ['exit', 1400],
    ]);
  });

  it('uses the configured anchor', () => {
    const byCentre = new PolygonZone(ZONE, { anchor: 'center' });
    const box = [380, 460, 420, 520] as const; // bottom below the zone, centre inside
    expect(byCentre.contains(box)).toBe(true);
    expect(new PolygonZone(ZONE).contains(box)).toBe(false);
  });

  it('rejects a zone with fewer than 3 points', () => {
    expect(
      () =>
        new PolygonZone({
          id: 'z',
          polygon: [
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ],
        }),
    ).toThrow(ValidationError);
  });
});
