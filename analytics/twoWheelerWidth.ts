// How wide a two-wheeler seen from the front or behind looks at each image row, learned from this camera's own
// confirmed two-wheeler tracks: on a flat road the width grows linearly with the row of the box's bottom, so a
// least-squares line through the samples (recent ones weigh more) speaks for rows where few riders were seen.
// A four-wheeler's box is 2.5 or more of those widths (a car ~1.7 m wide, a rider ~0.65 m); the model's "truck"
// or "car" no wider than two of them at its row is a two-wheeler it misread: a motorbike with a cargo rack
// (vn_wrong_way.mp4), a rider seen from behind at low resolution.
import type { BoxXyxy } from './geometry.ts';

export interface TwoWheelerWidthOptions {
  /** Samples (weighted) the line needs before it speaks. Default 10. */
  minSamples?: number;
  /** Spread (standard deviation) of the samples' rows the line needs, px. Default 30. */
  minRowSpreadPx?: number;
  /** Weight kept by the older samples at each new one: 0.995 remembers the last ~200. Default 0.995. */
  decay?: number;
  /** Widest box, in two-wheeler widths at its row, still read as a two-wheeler. Default 2. */
  maxRatio?: number;
  /** Only boxes at most this wide for their height teach (seen from the front or behind, not from the side). Default 0.8. */
  maxLearnAspect?: number;
}

export class TwoWheelerWidth {
  private readonly minSamples: number;
  private readonly minRowSpreadPx: number;
  private readonly decay: number;
  private readonly maxRatio: number;
  private readonly maxLearnAspect: number;
  /** Weighted sums of the samples: count, row, width, row², row × width. */
  private n = 0;
  private sumY = 0;
  private sumW = 0;
  private sumYY = 0;
  private sumYW = 0;

  constructor(options: TwoWheelerWidthOptions = {}) {
    this.minSamples = options.minSamples ?? 10;
    this.minRowSpreadPx = options.minRowSpreadPx ?? 30;
    this.decay = options.decay ?? 0.995;
    this.maxRatio = options.maxRatio ?? 2;
    this.maxLearnAspect = options.maxLearnAspect ?? 0.8;
  }

  /** Learns from a two-wheeler detection on a confirmed two-wheeler track; side views (wide boxes) are skipped. */
  learn(box: BoxXyxy): void {
    const width = box[2] - box[0];
    const height = box[3] - box[1];
    if (!(width > 0 && height > 0) || width > this.maxLearnAspect * height) return;
    const y = box[3];
    const d = this.decay;
    this.n = this.n * d + 1;
    this.sumY = this.sumY * d + y;
    this.sumW = this.sumW * d + width;
    this.sumYY = this.sumYY * d + y * y;
    this.sumYW = this.sumYW * d + y * width;
  }

  /** The width of a two-wheeler whose box ends at row `bottomPx`, or null while the line is not known. */
  widthAt(bottomPx: number): number | null {
    if (this.n < this.minSamples) return null;
    const meanY = this.sumY / this.n;
    const meanW = this.sumW / this.n;
    const varY = this.sumYY / this.n - meanY * meanY;
    if (!(varY >= this.minRowSpreadPx * this.minRowSpreadPx)) return null;
    const slope = (this.sumYW / this.n - meanY * meanW) / varY;
    const width = meanW + slope * (bottomPx - meanY);
    return width > 0 ? width : null;
  }

  /** Whether a box is no wider than maxRatio two-wheelers at its row; false while the line is not known. */
  fitsTwoWheeler(box: BoxXyxy): boolean {
    const width = this.widthAt(box[3]);
    return width !== null && box[2] - box[0] <= this.maxRatio * width;
  }
}
