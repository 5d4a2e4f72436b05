// Issue 17 on synthetic streets with known truth: riders are part of their vehicle, a track's class is
// stable, a vehicle lost and found at the line counts once, and the sample rate does not change the count.
import { describe, expect, it } from 'vitest';
import { CameraPipeline } from '../../../analytics/cameraPipeline.ts';
import { LineCounter } from '../../../analytics/lineCounter.ts';
import type { Track, Tracks } from '../../../analytics/tracks.ts';
import type { CameraAnalysis } from '../../../core/cameraAnalysis.ts';
import { Detections, TRAFFIC_CLASSES, type TrafficClass } from '../../../core/detections.ts';
import { FRAME, Rng, SCENE_START_MS } from '../../../harness/scenes/scene.ts';

/** Across the street at y = 360: moving down the image is 'in', up is 'out'. */
const ANALYSIS: CameraAnalysis = {
  widthPx: FRAME.widthPx,
  heightPx: FRAME.heightPx,
  lines: [
    {
      id: 'street',
      points: [
        { x: 40, y: 360 },
        { x: 1240, y: 360 },
      ],
      directions: { leftToRight: 'in', rightToLeft: 'out' },
    },
  ],
  zones: [],
  calibration: null,
};

type Box = [number, number, number, number];
interface Shown {
  className: TrafficClass;
  box: Box;
  score?: number;
}

/** A road user: what the detector shows of it in frame k at scene time tS (nothing when out of view). */
type Actor = (tS: number, k: number, rng: Rng) => Shown[];

/** Bottom-centre y of an object moving straight down (or up) at x from y0 at speed, starting at startS. */
function yAt(tS: number, y0: number, speedPxPerS: number, startS: number): number | null {
  if (tS < startS) return null;
  const y = y0 + (tS - startS) * speedPxPerS;
  return y < -10 || y > FRAME.heightPx + 60 ? null : y;
}

const boxAt = (x: number, bottom: number, widthPx: number, heightPx: number, rng: Rng, jitterPx = 1): Box => {
  const j = () => rng.normal() * jitterPx;
  return [x - widthPx / 2 + j(), bottom - heightPx + j(), x + widthPx / 2 + j(), bottom + j()];
};

/**
 * A motorbike and its rider as YOLOX-Nano sees them on a Vietnamese street: the rider (head to seat) in
 * every frame, the bike (its lower 44 px) only where bikeSeen says.
 */
function rider(x: number, y0: number, speedPxPerS: number, startS: number, bikeSeen: (k: number) => boolean): Actor {
  return (tS, k, rng) => {
    const bottom = yAt(tS, y0, speedPxPerS, startS);
    if (bottom === null) return [];
    const shown: Shown[] = [{ className: 'person', box: boxAt(x, bottom - 14, 30, 56, rng), score: 0.8 }];
    if (bikeSeen(k)) shown.push({ className: 'motorbike', box: boxAt(x, bottom, 34, 44, rng), score: 0.45 });
    return shown;
  };
}

function single(
  className: TrafficClass,
  x: number,
  y0: number,
  speedPxPerS: number,
  startS: number,
  size: [number, number],
  seen: (k: number) => boolean = () => true,
): Actor {
  return (tS, k, rng) => {
    const bottom = yAt(tS, y0, speedPxPerS, startS);
    if (bottom === null || !seen(k)) return [];
    return [{ className, box: boxAt(x, bottom, size[0], size[1], rng), score: 0.85 }];
  };
}

const PERSON_SIZE: [number, number] = [24, 60];
const CAR_SIZE: [number, number] = [90, 75];

/** direction → class → count of what a CameraPipeline counts on the actors sampled at fps. */
function count(actors: Actor[], fps: number, durationS: number, seed = 1): Record<string, Record<string, number>> {
  const pipeline = new CameraPipeline('street', ANALYSIS, { widthPx: FRAME.widthPx, heightPx: FRAME.heightPx });
  const rng = new Rng(seed);
  const counts: Record<string, Record<string, number>> = {};
  for (let k = 0; k <= durationS * fps; k++) {
    const tS = k / fps;
    const shown = actors.flatMap((actor) => actor(tS, k, rng));
    const detections = new Detections({
      boxes: Float32Array.from(shown.flatMap((s) => s.box)),
      scores: Float32Array.from(shown.map((s) => s.score ?? 0.85)),
      classIds: Uint8Array.from(shown.map((s) => TRAFFIC_CLASSES.indexOf(s.className))),
    });
    const out = pipeline.process({
      capturedAtMs: SCENE_START_MS + Math.round(tS * 1000),
      frameWidthPx: FRAME.widthPx,
      frameHeightPx: FRAME.heightPx,
      detections,
    });
    for (const crossing of out!.crossings) {
      counts[crossing.direction] ??= {};
      counts[crossing.direction]![crossing.className] = (counts[crossing.direction]![crossing.className] ?? 0) + 1;
    }
  }
  return counts;
}

const FPS = [5, 10, 15];

describe('riders are part of their vehicle', () => {
  it.each(FPS)('counts a rider whose bike is detected one frame in three once, as a motorbike (%i fps)', (fps) => {
    expect(count([rider(300, 0, 150, 0, (k) => k % 3 === 0)], fps, 6)).toEqual({ in: { motorbike: 1 } });
  });

  it.each(FPS)(
    'counts a rider whose bike is detected only in the first frames once, as a motorbike (%i fps)',
    (fps) => {
      expect(count([rider(300, 0, 150, 0, (k) => k < 3)], fps, 6)).toEqual({ in: { motorbike: 1 } });
    },
  );

  it.each(FPS)('counts a pedestrian crossing the line at walking speed as a person (%i fps)', (fps) => {
    // 45 px/s with a 60 px box: 0.75 box heights per second.
    expect(count([single('person', 640, 300, 45, 0, PERSON_SIZE)], fps, 4)).toEqual({ in: { person: 1 } });
  });

  it.each(FPS)(
    'counts a person track moving at vehicle speed (its bike never seen) as a motorbike, never as a pedestrian (%i fps)',
    (fps) => {
      // 200 px/s with a 60 px box: 3.3 box heights per second, away from the camera.
      expect(count([single('person', 640, 700, -200, 0, PERSON_SIZE)], fps, 5)).toEqual({ out: { motorbike: 1 } });
    },
  );

  it.each(FPS)('counts a motorbike whose box is read as a person now and then once, as a motorbike (%i fps)', (fps) => {
    const bike: Actor = (tS, k, rng) => {
      const bottom = yAt(tS, 0, 150, 0);
      if (bottom === null) return [];
      return [{ className: k % 4 === 1 ? 'person' : 'motorbike', box: boxAt(400, bottom, 34, 60, rng), score: 0.8 }];
    };
    expect(count([bike], fps, 6)).toEqual({ in: { motorbike: 1 } });
  });

  it.each(FPS)('drops a "car" box that is a rider read as a vehicle: one motorbike, no car (%i fps)', (fps) => {
    const riderAlsoCar: Actor = (tS, k, rng) => {
      const shown = rider(500, 0, 150, 0, (n) => n % 2 === 0)(tS, k, rng);
      const person = shown.find((s) => s.className === 'person');
      if (person && k % 2 === 1)
        shown.push({
          className: 'car',
          box: [person.box[0] - 1, person.box[1] + 4, person.box[2] + 2, person.box[3] + 6],
          score: 0.65,
        });
      return shown;
    };
    expect(count([riderAlsoCar], fps, 6)).toEqual({ in: { motorbike: 1 } });
  });
});

describe('one vehicle, one count', () => {
  it.each(FPS)('counts a car whose detections are missing for 2 frames near the line once (%i fps)', (fps) => {
    // The car's bottom is within 30 px of the line during the gap.
    const gap = (k: number) => {
      const bottom = (k / fps) * 120;
      return !(bottom > 330 && bottom < 400 && Math.abs(bottom - 360) < (2 * 120) / fps);
    };
    expect(count([single('car', 600, 0, 120, 0, CAR_SIZE, gap)], fps, 8)).toEqual({ in: { car: 1 } });
  });

  it('counts a car once when its track is lost just past the line and a new track takes it up just before it', () => {
    const line = new LineCounter(
      {
        id: 'street',
        points: [
          { x: 40, y: 360 },
          { x: 1240, y: 360 },
        ],
      },
      { minHitsToCount: 1 },
    );
    const T0 = SCENE_START_MS;
    const car = (id: number, bottom: number, firstSeenMs: number, hits: number): Track => ({
      id,
      classId: TRAFFIC_CLASSES.indexOf('car'),
      className: 'car',
      box: [555, bottom - 75, 645, bottom],
      velocityPxPerS: { x: 0, y: 120 },
      score: 0.9,
      ageUpdates: hits,
      hits,
      missedUpdates: 0,
      state: hits >= 2 ? 'confirmed' : 'tentative',
      firstSeenMs,
      lastSeenMs: firstSeenMs,
      detectionIndex: 0,
    });
    const update = (timestampMs: number, tracks: Track[]): Tracks => ({
      timestampMs,
      tracks,
      detections: Detections.empty(),
    });
    let counted = 0;
    // Track 1 crosses (300 → 390) and is lost; the detector's box of the same car is found again, its
    // bottom a little higher (350, just before the line), and the tracker starts track 2 there.
    [300, 330, 390].forEach(
      (bottom, k) => (counted += line.update(update(T0 + k * 100, [car(1, bottom, T0, k + 1)])).length),
    );
    counted += line.update(update(T0 + 400, [])).length;
    [350, 380, 410, 440].forEach(
      (bottom, k) => (counted += line.update(update(T0 + 500 + k * 100, [car(2, bottom, T0 + 500, k + 1)])).length),
    );
    expect(counted).toBe(1);
    expect(line.count('in', 'car')).toBe(1);
  });

  it('counts two cars crossing side by side, and a car following another through the same place, each once', () => {
    const following = [single('car', 600, 0, 120, 0, CAR_SIZE), single('car', 600, -200, 120, 0, CAR_SIZE)];
    const sideBySide = [single('car', 400, 0, 120, 0, CAR_SIZE), single('car', 520, 0, 120, 0, CAR_SIZE)];
    for (const fps of FPS) {
      expect(count(following, fps, 10)).toEqual({ in: { car: 2 } });
      expect(count(sideBySide, fps, 8)).toEqual({ in: { car: 2 } });
    }
  });
});

describe('the sample rate does not change the count', () => {
  /** A motorbike street both ways: riders whose bikes are seen at random, pedestrians on foot, cars. */
  function riderStreet(seed: number): Actor[] {
    const rng = new Rng(seed);
    const actors: Actor[] = [];
    for (let i = 0; i < 12; i++) {
      const down = i % 2 === 0;
      const x = 150 + i * 80;
      const share = [0, 1 / 3, 0.6, 1][i % 4]!;
      const bikeRng = new Rng(seed * 100 + i);
      const seen = new Map<number, boolean>();
      // Whether the bike is seen is drawn per frame: each rate sees it in other frames, at the same share.
      const bikeSeen = (k: number) => share > 0 && (seen.get(k) ?? (seen.set(k, bikeRng.next() < share), seen.get(k)!));
      actors.push(
        rider(x, down ? -20 : 760, down ? rng.uniform(130, 180) : -rng.uniform(130, 180), rng.uniform(0, 4), bikeSeen),
      );
    }
    actors.push(single('person', 1180, 250, 45, 0, PERSON_SIZE), single('person', 1220, 480, -40, 1, PERSON_SIZE));
    actors.push(single('car', 60, -20, 120, 1, CAR_SIZE), single('car', 1100, 780, -110, 2, CAR_SIZE));
    return actors;
  }
  const TRUTH = { in: { motorbike: 6, car: 1, person: 1 }, out: { motorbike: 6, car: 1, person: 1 } };

  it.each([1, 2, 3, 4, 5])('counts the same, and the truth, at 5, 10 and 15 fps (scene %i)', (seed) => {
    for (const fps of FPS) expect(count(riderStreet(seed), fps, 10, seed)).toEqual(TRUTH);
  });
});
