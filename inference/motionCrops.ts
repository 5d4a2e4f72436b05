// Motion gating (Frigate's idea): the model runs only on square crops around where the picture moved, each crop
// seen at the same scale as the whole frame would be (a crop of cropModelPx model pixels), so a small object is
// no smaller than without gating. Where the crops would cost nearly as much as the whole frame, the whole frame runs.
import type { FrameSizePx, RectPx } from '../core/geometry.ts';
import { clampRect } from './geometry.ts';

export interface MotionCropOptions {
  /** Side of a crop in model pixels (a size the model accepts). */
  cropModelPx: number;
  /** Model input size of the whole frame: sets the scale crops are seen at and what "the whole frame" costs. */
  wholeModelPx: FrameSizePx;
  /** Margin added around each moving box, as a share of the crop's side in source pixels. */
  marginFrac: number;
  /** Crops costing more than this share of the whole frame's model pixels: run the whole frame instead. */
  maxCostShare: number;
}

/** What to run on a frame: nothing (nothing moved), crops, or the whole frame. */
export type GatedRegions = { kind: 'none' } | { kind: 'crops'; crops: RectPx[] } | { kind: 'whole' };

/**
 * The square crops (source pixels, inside the frame) covering the moving boxes, or the whole frame, or nothing.
 * Every moving box, with its margin, lies whole in one crop (an object cut by a crop's border is dropped there,
 * so a box larger than a crop sends the frame whole); boxes whose union fits one crop share it.
 */
export function motionCrops(moving: readonly RectPx[], frame: FrameSizePx, options: MotionCropOptions): GatedRegions {
  if (moving.length === 0) return { kind: 'none' };
  const scale = Math.min(options.wholeModelPx.widthPx / frame.widthPx, options.wholeModelPx.heightPx / frame.heightPx);
  const side = Math.round(options.cropModelPx / scale);
  // A frame no larger than a crop in either direction gains nothing from one.
  if (side >= frame.widthPx || side >= frame.heightPx) return { kind: 'whole' };
  const margin = options.marginFrac * side;
  const boxes = moving.flatMap((b) => clampRect(pad(b, margin), frame.widthPx, frame.heightPx) ?? []);
  if (boxes.length === 0) return { kind: 'none' };
  if (boxes.some((b) => b.widthPx > side || b.heightPx > side)) return { kind: 'whole' };
  const groups = mergeWhileFitting(boxes, side);
  const cropCost = groups.length * options.cropModelPx * options.cropModelPx;
  const wholeCost = options.wholeModelPx.widthPx * options.wholeModelPx.heightPx;
  if (cropCost > options.maxCostShare * wholeCost) return { kind: 'whole' };
  return { kind: 'crops', crops: groups.map((b) => cropAround(b, side, frame)) };
}

/** Joins boxes two at a time while their union still fits a crop (nearest first: the smallest union). */
function mergeWhileFitting(boxes: RectPx[], side: number): RectPx[] {
  const groups = [...boxes];
  for (;;) {
    let best: { i: number; j: number; union: RectPx; area: number } | null = null;
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        const union = unionBox(groups[i]!, groups[j]!);
        if (union.widthPx > side || union.heightPx > side) continue;
        const area = union.widthPx * union.heightPx;
        if (!best || area < best.area) best = { i, j, union, area };
      }
    }
    if (!best) return groups;
    groups.splice(best.j, 1);
    groups.splice(best.i, 1, best.union);
  }
}

/** A crop of `side` centred on `box`, moved inside the frame. */
function cropAround(box: RectPx, side: number, frame: FrameSizePx): RectPx {
  const x = Math.round(box.x + box.widthPx / 2 - side / 2);
  const y = Math.round(box.y + box.heightPx / 2 - side / 2);
  return {
    x: Math.min(Math.max(0, x), frame.widthPx - side),
    y: Math.min(Math.max(0, y), frame.heightPx - side),
    widthPx: side,
    heightPx: side,
  };
}

function pad(box: RectPx, margin: number): RectPx {
  return {
    x: box.x - margin,
    y: box.y - margin,
    widthPx: box.widthPx + 2 * margin,
    heightPx: box.heightPx + 2 * margin,
  };
}

function unionBox(a: RectPx, b: RectPx): RectPx {
  const x1 = Math.min(a.x, b.x);
  const y1 = Math.min(a.y, b.y);
  const x2 = Math.max(a.x + a.widthPx, b.x + b.widthPx);
  const y2 = Math.max(a.y + a.heightPx, b.y + b.heightPx);
  return { x: x1, y: y1, widthPx: x2 - x1, heightPx: y2 - y1 };
}
