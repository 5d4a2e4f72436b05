// A busy two-way street for the end-to-end counting tests: motorbike, car and bus lanes both ways,
// paths that cross, a turning car, U-turns, pedestrians, and vehicles parked beside and on the line.
import type { TrafficClass } from '../../core/detections.ts';
import { type Path, Rng, type SceneObject, curvedPath, stationaryPath, straightPath } from './scene.ts';

export const SIZES: Record<TrafficClass, { widthPx: number; heightPx: number }> = {
  person: { widthPx: 24, heightPx: 60 },
  bicycle: { widthPx: 26, heightPx: 44 },
  motorbike: { widthPx: 34, heightPx: 44 },
  car: { widthPx: 90, heightPx: 75 },
  bus: { widthPx: 150, heightPx: 140 },
  truck: { widthPx: 130, heightPx: 120 },
};

/** The counting line across the street: moving down the image is 'in', moving up is 'out'. */
export const STREET_LINE = { p0: { x: 40, y: 360 }, p1: { x: 1240, y: 360 }, leftToRight: 'in', rightToLeft: 'out' };

export const STREET_DURATION_S = 40;

function object(name: string, className: TrafficClass, path: Path): SceneObject {
  return { name, className, ...SIZES[className], path };
}

interface Lane {
  x: number;
  down: boolean;
  classes: TrafficClass[];
  speedPxPerS: number;
}

const LANES: Lane[] = [
  { x: 150, down: true, classes: ['motorbike', 'motorbike', 'bicycle'], speedPxPerS: 150 },
  { x: 270, down: true, classes: ['motorbike'], speedPxPerS: 170 },
  { x: 380, down: true, classes: ['car', 'car', 'bus', 'truck'], speedPxPerS: 120 },
  { x: 700, down: false, classes: ['car', 'bus', 'car'], speedPxPerS: 110 },
  { x: 820, down: false, classes: ['motorbike'], speedPxPerS: 160 },
  { x: 940, down: false, classes: ['motorbike', 'bicycle'], speedPxPerS: 140 },
];

export interface StreetOptions {
  /** Seed of lane traffic (classes, start times, speeds). Default 7. */
  seed?: number;
  /** Headway range within a lane, seconds. Default [2.5, 4]: dense, several motorbikes on screen per lane. */
  headwayS?: [number, number];
}

export function streetScene(options: StreetOptions = {}): SceneObject[] {
  const rng = new Rng(options.seed ?? 7);
  const [minHeadwayS, maxHeadwayS] = options.headwayS ?? [2.5, 4];
  const objects: SceneObject[] = [];
  LANES.forEach((lane, laneIndex) => {
    // Same speed within a lane (±4 %) and a headway of seconds, so nobody overtakes through another.
    for (let startS = rng.uniform(0, 2); startS < 26; startS += rng.uniform(minHeadwayS, maxHeadwayS)) {
      const className = lane.classes[Math.floor(rng.next() * lane.classes.length)]!;
      const { heightPx } = SIZES[className];
      const speed =
        lane.speedPxPerS * rng.uniform(0.96, 1.04) * (className === 'bus' || className === 'truck' ? 0.85 : 1);
      const top = { x: lane.x, y: -10 };
      const bottom = { x: lane.x, y: 730 + heightPx };
      const path = lane.down ? straightPath(top, bottom, speed, startS) : straightPath(bottom, top, speed, startS);
      objects.push(object(`lane${laneIndex}-${startS.toFixed(1)}`, className, path));
    }
  });
  // Two motorbikes whose paths cross (and boxes overlap) 100 px below the line, both heading down.
  objects.push(object('x-pair-a', 'motorbike', straightPath({ x: 430, y: -10 }, { x: 560, y: 780 }, 150, 3)));
  objects.push(object('x-pair-b', 'motorbike', straightPath({ x: 620, y: -10 }, { x: 430, y: 780 }, 150 * 1.045, 3)));
  // A car and a motorbike in opposite directions passing each other right on the line.
  objects.push(object('meet-car', 'car', straightPath({ x: 1060, y: -10 }, { x: 960, y: 780 }, 120, 12)));
  objects.push(object('meet-motorbike', 'motorbike', straightPath({ x: 960, y: 780 }, { x: 1060, y: -10 }, 120, 12)));
  // A car turning from the left edge into the street, crossing the line heading down.
  objects.push(
    object('turning-car', 'car', curvedPath({ x: -40, y: 120 }, { x: 100, y: 120 }, { x: 100, y: 790 }, 110, 5)),
  );
  // U-turns: one short of the line (no count), one beyond it (in, then out again).
  objects.push(
    object(
      'u-turn-short',
      'motorbike',
      curvedPath({ x: 1030, y: -10 }, { x: 1080, y: 560 }, { x: 1130, y: -10 }, 140, 2),
    ),
  );
  objects.push(
    object(
      'u-turn-deep',
      'motorbike',
      curvedPath({ x: 1030, y: -10 }, { x: 1080, y: 1000 }, { x: 1130, y: -10 }, 140, 22),
    ),
  );
  // Pedestrians on the pavement both ways, passing each other.
  objects.push(object('walker-down', 'person', straightPath({ x: 1215, y: -10 }, { x: 1215, y: 790 }, 45, 0)));
  objects.push(object('walker-up', 'person', straightPath({ x: 1188, y: 790 }, { x: 1188, y: -10 }, 45, 8)));
  // Parked: one beside the line, one standing on it for the whole scene.
  objects.push(object('parked-car', 'car', stationaryPath({ x: 1120, y: 640 }, 0, STREET_DURATION_S)));
  objects.push(object('car-on-line', 'car', stationaryPath({ x: 600, y: 361 }, 0, STREET_DURATION_S)));
  return objects;
}
