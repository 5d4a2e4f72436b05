// Rectangles and the letterbox transform between source pixels and a model's input pixels.
// Pure arithmetic, shared by the preprocessor (forward) and the decoders' output mapping (inverse).
import type { FrameSizePx, RectPx } from '../core/geometry.ts';

/** Where a source rectangle lands in the model input: scaled by `scale`, pasted at (0,0), padded right/bottom. */
export interface Letterbox {
  region: RectPx;
  scale: number;
  resizedWidthPx: number;
  resizedHeightPx: number;
  inputWidthPx: number;
  inputHeightPx: number;
}

export function computeLetterbox(region: RectPx, inputWidthPx: number, inputHeightPx: number): Letterbox {
  const scale = Math.min(inputWidthPx / region.widthPx, inputHeightPx / region.heightPx);
  // Truncation as in YOLOX's own preprocess (int(w * r)), at least one pixel.
  const resizedWidthPx = Math.max(1, Math.min(inputWidthPx, Math.floor(region.widthPx * scale)));
  const resizedHeightPx = Math.max(1, Math.min(inputHeightPx, Math.floor(region.heightPx * scale)));
  return { region, scale, resizedWidthPx, resizedHeightPx, inputWidthPx, inputHeightPx };
}

/** Maps xyxy boxes (model input pixels) in place to source pixels, clamped to the letterboxed region. */
export function boxesToSource(boxes: Float32Array, count: number, letterbox: Letterbox): void {
  const { region, scale } = letterbox;
  const maxX = region.x + region.widthPx;
  const maxY = region.y + region.heightPx;
  for (let i = 0; i < count; i++) {
    const o = i * 4;
    boxes[o] = clamp(boxes[o]! / scale + region.x, region.x, maxX);
    boxes[o + 1] = clamp(boxes[o + 1]! / scale + region.y, region.y, maxY);
    boxes[o + 2] = clamp(boxes[o + 2]! / scale + region.x, region.x, maxX);
    boxes[o + 3] = clamp(boxes[o + 3]! / scale + region.y, region.y, maxY);
  }
}

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

/** Intersection area of boxes i and j of an xyxy array. */
export function intersectionArea(boxes: Float32Array, i: number, j: number): number {
  const w = Math.min(boxes[i * 4 + 2]!, boxes[j * 4 + 2]!) - Math.max(boxes[i * 4]!, boxes[j * 4]!);
  const h = Math.min(boxes[i * 4 + 3]!, boxes[j * 4 + 3]!) - Math.max(boxes[i * 4 + 1]!, boxes[j * 4 + 1]!);
  return w > 0 && h > 0 ? w * h : 0;
}

export function boxArea(boxes: Float32Array, i: number): number {
  return Math.max(0, boxes[i * 4 + 2]! - boxes[i * 4]!) * Math.max(0, boxes[i * 4 + 3]! - boxes[i * 4 + 1]!);
}

/** Clamps a rectangle to the frame and rounds it to whole pixels; null when nothing is left. */
/** Whether `rect` is the whole frame (no crop). */
export function isWholeFrame(rect: RectPx, frame: FrameSizePx): boolean {
  return rect.x === 0 && rect.y === 0 && rect.widthPx === frame.widthPx && rect.heightPx === frame.heightPx;
}

export function clampRect(rect: RectPx, frameWidthPx: number, frameHeightPx: number): RectPx | null {
  const x1 = Math.max(0, Math.floor(rect.x));
  const y1 = Math.max(0, Math.floor(rect.y));
  const x2 = Math.min(frameWidthPx, Math.ceil(rect.x + rect.widthPx));
  const y2 = Math.min(frameHeightPx, Math.ceil(rect.y + rect.heightPx));
  if (x2 - x1 < 2 || y2 - y1 < 2) return null;
  return { x: x1, y: y1, widthPx: x2 - x1, heightPx: y2 - y1 };
}
