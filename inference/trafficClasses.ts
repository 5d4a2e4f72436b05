// From a model's own classes to the engine's traffic classes (core/detections.ts), by class name so a
// user's model with another class order maps too; per-class score thresholds decide what is published.
import type { Config } from '../core/config.ts';
import { Detections, TRAFFIC_CLASSES, type TrafficClass } from '../core/detections.ts';
import type { RawDetections } from './candidates.ts';

const NAME_TO_TRAFFIC: Readonly<Record<string, TrafficClass>> = {
  person: 'person',
  pedestrian: 'person',
  bicycle: 'bicycle',
  motorcycle: 'motorbike',
  motorbike: 'motorbike',
  car: 'car',
  bus: 'bus',
  truck: 'truck',
};

/** For each model class id, the traffic class id (index into TRAFFIC_CLASSES), or -1 when not a traffic class. */
export function trafficClassMap(classNames: readonly string[]): Int8Array {
  const map = new Int8Array(classNames.length).fill(-1);
  classNames.forEach((name, id) => {
    const traffic = NAME_TO_TRAFFIC[name.toLowerCase()];
    if (traffic) map[id] = TRAFFIC_CLASSES.indexOf(traffic);
  });
  return map;
}

export type ScoreThresholds = Config['inference']['scoreThresholds'];

/** The traffic detections among raw ones: mapped classes only, each above its class threshold. */
export function toTrafficDetections(raw: RawDetections, classMap: Int8Array, thresholds: ScoreThresholds): Detections {
  const byTrafficId = TRAFFIC_CLASSES.map((name) => thresholds[name]);
  return selectTraffic(raw, classMap, (traffic, score) => score >= byTrafficId[traffic]!);
}

/**
 * Classes published faint: the two-wheeler group only, where small riders score low. Faint car, bus and truck
 * boxes turned a car's track into a truck (us_street_dusk.mp4, counted as a truck) and add nothing measured.
 */
const FAINT_CLASSES = new Set(
  (['person', 'bicycle', 'motorbike'] as const).map((name) => TRAFFIC_CLASSES.indexOf(name)),
);

/** The faint traffic detections: two-wheeler-group classes scoring from faintMinScore up to (not reaching) their class threshold. */
export function toFaintDetections(
  raw: RawDetections,
  classMap: Int8Array,
  thresholds: ScoreThresholds,
  faintMinScore: number,
): Detections {
  const byTrafficId = TRAFFIC_CLASSES.map((name) => thresholds[name]);
  return selectTraffic(
    raw,
    classMap,
    (traffic, score) => FAINT_CLASSES.has(traffic) && score >= faintMinScore && score < byTrafficId[traffic]!,
  );
}

function selectTraffic(
  raw: RawDetections,
  classMap: Int8Array,
  kept: (trafficClassId: number, score: number) => boolean,
): Detections {
  const keep: number[] = [];
  for (let i = 0; i < raw.scores.length; i++) {
    const traffic = classMap[raw.classIds[i]!] ?? -1;
    if (traffic >= 0 && kept(traffic, raw.scores[i]!)) keep.push(i);
  }
  const boxes = new Float32Array(keep.length * 4);
  const scores = new Float32Array(keep.length);
  const classIds = new Uint8Array(keep.length);
  keep.forEach((i, k) => {
    boxes.set(raw.boxes.subarray(i * 4, i * 4 + 4), k * 4);
    scores[k] = raw.scores[i]!;
    classIds[k] = classMap[raw.classIds[i]!]!;
  });
  return new Detections({ boxes, scores, classIds });
}
