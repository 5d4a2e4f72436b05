import { describe, expect, it } from 'vitest';
import { ByteTracker } from '../../../analytics/byteTracker.ts';
import { Homography } from '../../../analytics/homography.ts';
import { SpeedEstimator } from '../../../analytics/speedEstimator.ts';
import type { PointPx } from '../../../core/geometry.ts';
import { ROAD_CALIBRATION } from '../../../harness/scenes/fixtures.ts';
import { FRAME, type Path, REALISTIC_NOISE, type SceneObject, sampleScene } from '../../../harness/scenes/scene.ts';

const imageToGround = Homography.fromPoints([...ROAD_CALIBRATION.imagePoints], [...ROAD_CALIBRATION.groundPoints]);
const groundToImage = Homography.fromPoints([...ROAD_CALIBRATION.groundPoints], [...ROAD_CALIBRATION.imagePoints]);

/** A vehicle driving along the road (ground y) at a constant ground speed, drawn in perspective. */
function drivingAt(
  speedKmh: number,
  laneXM: number,
  towardsCamera: boolean,
  className: 'car' | 'motorbike',
): SceneObject {
  const speedMps = speedKmh / 3.6;
  const path: Path = (tS) => {
    const yM = towardsCamera ? 40 - speedMps * tS : speedMps * tS;
    if (yM < 0 || yM > 40) return null;
    return groundToImage.project({ x: laneXM, y: yM }) as PointPx;
  };
  // Box size shrinks with distance; the scene generator keeps one size, so use the near-field size and let
  // noise scale with it: speed depends only on the anchor's path.
  const size = className === 'car' ? { widthPx: 90, heightPx: 75 } : { widthPx: 34, heightPx: 44 };
  return { name: `${className}-${speedKmh}`, className, ...size, path };
}

describe('SpeedEstimator', () => {
  it.each([
    [2, 30, 'motorbike'],
    [5, 45, 'car'],
    [10, 60, 'car'],
  ] as const)('reads a known ground speed within 5 %% at %i fps (%i km/h %s)', (fps, speedKmh, className) => {
    const vehicle = drivingAt(speedKmh, 5, fps !== 5, className);
    const frames = sampleScene([vehicle], {
      fps,
      durationS: 40 / (speedKmh / 3.6),
      seed: 9,
      noise: { ...REALISTIC_NOISE, positionStdFrac: 0.01, dropRate: 0.1, clutterPerFrame: 0 },
    });
    const tracker = new ByteTracker({ frameSizePx: FRAME });
    const speed = new SpeedEstimator(imageToGround);
    const readings: number[] = [];
    for (const frame of frames) {
      for (const s of speed.update(tracker.update(frame.detections, frame.timestampMs)))
        if (s.speedKmh !== null) readings.push(s.speedKmh);
    }
    expect(readings.length).toBeGreaterThan(2);
    const late = readings.slice(Math.floor(readings.length / 3));
    for (const reading of late) expect(Math.abs(reading - speedKmh) / speedKmh).toBeLessThan(0.05);
  });

  it('gives null for every track when the camera has no calibration', () => {
    const vehicle = drivingAt(40, 5, true, 'car');
    const frames = sampleScene([vehicle], {
      fps: 5,
      durationS: 3,
      seed: 1,
      noise: { ...REALISTIC_NOISE, dropRate: 0, clutterPerFrame: 0 },
    });
    const tracker = new ByteTracker();
    const speed = new SpeedEstimator(null);
    expect(speed.calibrated).toBe(false);
    const all = frames.flatMap((f) => speed.update(tracker.update(f.detections, f.timestampMs)));
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((s) => s.speedKmh === null)).toBe(true);
  });

  it('reads 0 km/h for a parked vehicle', () => {
    const parked: SceneObject = {
      name: 'parked',
      className: 'car',
      widthPx: 90,
      heightPx: 75,
      path: () => groundToImage.project({ x: 5, y: 10 }),
    };
    const frames = sampleScene([parked], {
      fps: 5,
      durationS: 5,
      seed: 2,
      noise: { ...REALISTIC_NOISE, positionStdFrac: 0.01, dropRate: 0, clutterPerFrame: 0 },
    });
    const tracker = new ByteTracker();
    const speed = new SpeedEstimator(imageToGround);
    let last: number | null = null;
    for (const f of frames) last = speed.update(tracker.update(f.detections, f.timestampMs))[0]?.speedKmh ?? last;
    expect(last).not.toBeNull();
    expect(last!).toBeLessThan(2);
  });
});
