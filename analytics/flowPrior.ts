// Where traffic goes, learned per grid cell from confirmed tracks: a newborn track starts with the
// velocity of its cell's traffic, so at 2 fps its second sighting is looked for downstream, not around it.
import type { Track } from './tracks.ts';

export interface FlowPriorOptions {
  /** Side of a grid cell, px. Default 64 (a lane is one or two cells wide at analysis resolution). */
  cellPx?: number;
  /** Weight of each new sample in a cell's running mean. Default 0.2. */
  learningRate?: number;
  /** Samples a cell needs before it speaks. Default 3. */
  minSamples?: number;
  /** Agreement of directions (mean resultant length of unit vectors, 0…1) a cell needs. Default 0.9. */
  minAgreement?: number;
}

interface Cell {
  vx: number;
  vy: number;
  ux: number;
  uy: number;
  samples: number;
}

/** Two-way traffic in one cell disagrees on direction and then gives no prior at all. */
export class FlowPrior {
  private readonly cellPx: number;
  private readonly learningRate: number;
  private readonly minSamples: number;
  private readonly minAgreement: number;
  private readonly cells = new Map<number, Cell>();

  constructor(options: FlowPriorOptions = {}) {
    this.cellPx = options.cellPx ?? 64;
    this.learningRate = options.learningRate ?? 0.2;
    this.minSamples = options.minSamples ?? 3;
    this.minAgreement = options.minAgreement ?? 0.9;
  }

  /**
   * Learns from a track whose velocity is established, at its box centre or at an earlier centre of the
   * same track (where tracks are born, which at 2 fps they have left by the time they are established).
   */
  learn(track: Track, at?: { x: number; y: number }): void {
    const speed = Math.hypot(track.velocityPxPerS.x, track.velocityPxPerS.y);
    const key = at
      ? this.keyOf(at.x, at.y)
      : this.keyOf((track.box[0] + track.box[2]) / 2, (track.box[1] + track.box[3]) / 2);
    const a = this.learningRate;
    const unitX = speed > 0 ? track.velocityPxPerS.x / speed : 0;
    const unitY = speed > 0 ? track.velocityPxPerS.y / speed : 0;
    const cell = this.cells.get(key);
    if (!cell) {
      this.cells.set(key, { vx: track.velocityPxPerS.x, vy: track.velocityPxPerS.y, ux: unitX, uy: unitY, samples: 1 });
      return;
    }
    cell.vx += a * (track.velocityPxPerS.x - cell.vx);
    cell.vy += a * (track.velocityPxPerS.y - cell.vy);
    cell.ux += a * (unitX - cell.ux);
    cell.uy += a * (unitY - cell.uy);
    cell.samples += 1;
  }

  /**
   * The velocity (px/s) of traffic at a place when it agrees on a direction, else null: the place's own
   * cell when it has enough samples, otherwise the 3×3 cells around it pooled by sample count.
   */
  velocityAt(xPx: number, yPx: number): { x: number; y: number } | null {
    const own = this.cells.get(this.keyOf(xPx, yPx));
    if (own && own.samples >= this.minSamples) return this.agreed([own]);
    const around: Cell[] = [];
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const cell = this.cells.get(this.keyOf(xPx + dx * this.cellPx, yPx + dy * this.cellPx));
        if (cell) around.push(cell);
      }
    }
    return this.agreed(around);
  }

  private agreed(cells: Cell[]): { x: number; y: number } | null {
    let samples = 0,
      vx = 0,
      vy = 0,
      ux = 0,
      uy = 0;
    for (const cell of cells) {
      samples += cell.samples;
      vx += cell.vx * cell.samples;
      vy += cell.vy * cell.samples;
      ux += cell.ux * cell.samples;
      uy += cell.uy * cell.samples;
    }
    if (samples < this.minSamples || Math.hypot(ux, uy) / samples < this.minAgreement) return null;
    return { x: vx / samples, y: vy / samples };
  }

  private keyOf(xPx: number, yPx: number): number {
    // Cells far outside any frame share edge keys; 1e5 columns is beyond any camera's width in cells.
    const col = Math.max(-50_000, Math.min(50_000, Math.floor(xPx / this.cellPx)));
    const row = Math.max(-50_000, Math.min(50_000, Math.floor(yPx / this.cellPx)));
    return row * 100_001 + col;
  }
}
