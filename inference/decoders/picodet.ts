// PP-PicoDet output adapter (GFL head, 4 strides): class maps [1,N,C] (sigmoid applied) for strides 8/16/32/64,
// then box maps [1,N,4×8]: per side (l, t, r, b) a distribution over 8 bins; softmax, expectation × stride is the
// distance from the cell centre ((gx+0.5)s, (gy+0.5)s). Score = best class probability; no objectness.
import { ValidationError } from '../../core/errors.ts';
import { CandidateList } from '../candidates.ts';
import { boxesToSource } from '../geometry.ts';
import type { DecodeMeta, ModelOutput } from './types.ts';

export const PICODET_STRIDES = [8, 16, 32, 64] as const;
/** Bins per box side (reg_max + 1). */
export const PICODET_BINS = 8;

/** Cells of a stride's map: stride-2 convolutions round up, so 9 rows at stride 64 for a 544 px high input. */
export function picodetGrid(
  inputWidthPx: number,
  inputHeightPx: number,
  stride: number,
): { cols: number; rows: number } {
  return { cols: Math.ceil(inputWidthPx / stride), rows: Math.ceil(inputHeightPx / stride) };
}

export function fromPicodet(outputs: readonly ModelOutput[], meta: DecodeMeta): CandidateList {
  const { inputWidthPx, inputHeightPx } = meta.letterbox;
  const levels = PICODET_STRIDES.length;
  if (outputs.length !== 2 * levels) {
    throw new ValidationError(`PicoDet takes ${2 * levels} outputs (class maps, then box maps), got ${outputs.length}`);
  }
  const sideValues = 4 * PICODET_BINS;
  const list = new CandidateList();
  const distances = new Float64Array(4);
  PICODET_STRIDES.forEach((stride, level) => {
    const { cols, rows } = picodetGrid(inputWidthPx, inputHeightPx, stride);
    const classes = outputs[level]!;
    const boxes = outputs[levels + level]!;
    checkDims(classes, cols * rows, meta.classCount, stride, meta);
    checkDims(boxes, cols * rows, sideValues, stride, meta);
    const scores = classes.data;
    for (let cell = 0, n = cols * rows; cell < n; cell++) {
      const o = cell * meta.classCount;
      let bestClass = 0;
      let bestScore = scores[o]!;
      for (let k = 1; k < meta.classCount; k++) {
        const s = scores[o + k]!;
        if (s > bestScore) {
          bestScore = s;
          bestClass = k;
        }
      }
      if (bestScore < meta.minScore) continue;
      expectedDistances(boxes.data, cell * sideValues, distances);
      const cx = ((cell % cols) + 0.5) * stride;
      const cy = (Math.floor(cell / cols) + 0.5) * stride;
      list.push(
        cx - distances[0]! * stride,
        cy - distances[1]! * stride,
        cx + distances[2]! * stride,
        cy + distances[3]! * stride,
        bestScore,
        bestClass,
      );
    }
  });
  boxesToSource(list.boxes, list.count, meta.letterbox);
  return list;
}

/** Per side, the expectation of the bin index under the softmax of its logits (in cells). */
function expectedDistances(data: Float32Array, offset: number, out: Float64Array): void {
  for (let side = 0; side < 4; side++) {
    const base = offset + side * PICODET_BINS;
    let max = -Infinity;
    for (let b = 0; b < PICODET_BINS; b++) max = Math.max(max, data[base + b]!);
    let sum = 0;
    let weighted = 0;
    for (let b = 0; b < PICODET_BINS; b++) {
      const e = Math.exp(data[base + b]! - max);
      sum += e;
      weighted += e * b;
    }
    out[side] = weighted / sum;
  }
}

function checkDims(output: ModelOutput, cells: number, width: number, stride: number, meta: DecodeMeta): void {
  const [batch, n, c] = output.dims;
  if (output.dims.length !== 3 || batch !== 1 || n !== cells || c !== width) {
    const { inputWidthPx, inputHeightPx } = meta.letterbox;
    throw new ValidationError(
      `PicoDet stride ${stride} output dims [${output.dims.join(',')}] do not match [1,${cells},${width}] for a ${inputWidthPx}x${inputHeightPx} input`,
    );
  }
}
