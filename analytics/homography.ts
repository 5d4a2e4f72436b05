// Image→ground projective mapping from a camera's 4-point calibration (pixels → metres on the road),
// solved as the 8×8 linear system of the DLT with h33 = 1 by Gaussian elimination with partial pivoting.
import { ValidationError } from '../core/errors.ts';
import type { GroundCalibration, PointM, PointPx } from '../core/geometry.ts';

export class Homography {
  /** Row-major 3×3, h33 = 1. */
  readonly matrix: readonly number[];

  private constructor(matrix: number[]) {
    this.matrix = matrix;
  }

  /** Throws ValidationError when the points are degenerate (three collinear, repeated). */
  static fromCalibration(calibration: GroundCalibration): Homography {
    return Homography.fromPoints(calibration.imagePoints, calibration.groundPoints);
  }

  static fromPoints(from: readonly PointPx[], to: readonly PointM[]): Homography {
    if (from.length !== 4 || to.length !== 4) {
      throw new ValidationError('a homography needs exactly 4 point pairs', { field: 'calibration' });
    }
    // For each pair: u = (h0 x + h1 y + h2) / (h6 x + h7 y + 1), v likewise with h3..h5.
    const a: number[][] = [];
    for (let i = 0; i < 4; i++) {
      const { x, y } = from[i]!;
      const { x: u, y: v } = to[i]!;
      a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
      a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
    }
    const h = solveLinear(a);
    if (!h)
      throw new ValidationError('calibration points are degenerate (three are collinear or repeated)', {
        field: 'calibration',
      });
    return new Homography([...h, 1]);
  }

  project(p: PointPx): PointM {
    const m = this.matrix;
    const w = m[6]! * p.x + m[7]! * p.y + m[8]!;
    return { x: (m[0]! * p.x + m[1]! * p.y + m[2]!) / w, y: (m[3]! * p.x + m[4]! * p.y + m[5]!) / w };
  }
}

/** Solves an n×(n+1) augmented system in place; null when singular. */
export function solveLinear(augmented: number[][]): number[] | null {
  const n = augmented.length;
  const scale = Math.max(1e-300, ...augmented.flat().map(Math.abs));
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) {
      if (Math.abs(augmented[row]![col]!) > Math.abs(augmented[pivot]![col]!)) pivot = row;
    }
    if (Math.abs(augmented[pivot]![col]!) < 1e-12 * scale) return null;
    [augmented[col], augmented[pivot]] = [augmented[pivot]!, augmented[col]!];
    const pivotRow = augmented[col]!;
    for (let row = 0; row < n; row++) {
      if (row === col) continue;
      const r = augmented[row]!;
      const factor = r[col]! / pivotRow[col]!;
      if (factor === 0) continue;
      for (let k = col; k <= n; k++) r[k] = r[k]! - factor * pivotRow[k]!;
    }
  }
  return augmented.map((row, i) => row[n]! / row[i]!);
}
