// Constant-velocity Kalman filter of one box: state [cx, cy, w, h, vcx, vcy, vw, vh] in px and px/s,
// predicted over real elapsed time so it holds at 2 fps as well as at 30.
import type { BoxXyxy } from './geometry.ts';

export interface KalmanBoxOptions {
  /** Detector noise, std of each measured coordinate as a fraction of the box scale √(w·h). Default 0.05. */
  measurementStdFrac?: number;
  /** Random acceleration of the centre, box scales per s². Default 1 (a car turning at a junction). */
  positionAccelStdFrac?: number;
  /** Random acceleration of width and height, box scales per s². Default 0.5. */
  sizeAccelStdFrac?: number;
  /** Velocity std of a newborn track, box scales per s; sets how far the second sighting may be. Default 3. */
  initialVelocityStdFrac?: number;
}

const DEFAULTS: Required<KalmanBoxOptions> = {
  measurementStdFrac: 0.05,
  positionAccelStdFrac: 1,
  sizeAccelStdFrac: 0.5,
  initialVelocityStdFrac: 3,
};

/** Noise scales with box size (far objects move fewer pixels); floor keeps tiny boxes sane. */
const MIN_SCALE_PX = 6;

/**
 * Fastest plausible change of a box's size, as a fraction of that size per second: a motorbike riding away
 * at 40 km/h from 20 m halves in about a second. A detector that boxes a rider with the bike in one frame and
 * without it in the next gives a size velocity far beyond that; extrapolated while the track coasts, it
 * collapsed a motorbike's box to 1 px in three frames at 5 fps, and no detection could continue the track.
 */
const MAX_SIZE_RATE_PER_S = 0.8;

/**
 * F, Q and R act on each coordinate separately (x with vx, y with vy, …), so the 8×8 covariance stays
 * block-diagonal in four 2×2 (position, velocity) blocks: the filter below is the full 8-state filter
 * written as those four blocks, exact rather than approximate, and cheap for 50 objects a frame.
 */
export class KalmanBoxFilter {
  /** cx, cy, w, h, vcx, vcy, vw, vh */
  readonly mean = new Float64Array(8);
  /** Per axis k (cx, cy, w, h): [var(pos), cov(pos, vel), var(vel)] at 3k…3k+2. */
  private readonly cov = new Float64Array(12);
  private readonly options: Required<KalmanBoxOptions>;

  /**
   * prior: a velocity to start from (px/s) with its std as a fraction of the scale per second, when
   * something (the flow of traffic at this place) says where the box is going.
   */
  constructor(
    box: BoxXyxy,
    options: KalmanBoxOptions = {},
    prior?: { velocityPxPerS: { x: number; y: number }; stdFrac: number },
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.mean[0] = (box[0] + box[2]) / 2;
    this.mean[1] = (box[1] + box[3]) / 2;
    this.mean[2] = Math.max(1, box[2] - box[0]);
    this.mean[3] = Math.max(1, box[3] - box[1]);
    const scale = this.scalePx();
    const posVar = (2 * this.options.measurementStdFrac * scale) ** 2;
    if (prior) {
      this.mean[4] = prior.velocityPxPerS.x;
      this.mean[5] = prior.velocityPxPerS.y;
    }
    for (let axis = 0; axis < 4; axis++) {
      const velStdFrac =
        axis >= 2
          ? this.options.initialVelocityStdFrac / 4
          : prior
            ? prior.stdFrac
            : this.options.initialVelocityStdFrac;
      const velStd = velStdFrac * scale;
      this.cov[axis * 3] = posVar;
      this.cov[axis * 3 + 1] = 0;
      this.cov[axis * 3 + 2] = velStd * velStd;
    }
  }

  scalePx(): number {
    return Math.max(MIN_SCALE_PX, Math.sqrt(this.mean[2]! * this.mean[3]!));
  }

  /**
   * Advances the state by dtS seconds (white-noise acceleration model). In perspective a vehicle's image speed
   * follows its size: one riding away at a steady speed slows in the image as its box shrinks (and one coming
   * closer speeds up), so the centre's velocity is scaled by the box's predicted change of scale over the step,
   * and the centre moves by the mean of the two velocities. For motion straight in depth the exact factor is
   * that change squared; the first power is used, as the size rate is the noisiest part of the state (a rider
   * boxed with and without the bike), and squared it turned a car into a truck on us_street_dusk and
   * miscounted a synthetic 2 fps street. A box of steady size (traffic crossing the view) moves as before; the
   * covariance keeps the constant-velocity propagation.
   */
  predict(dtS: number): void {
    if (!(dtS > 0)) return;
    // Re-limited at every step, so a coasting box shrinks geometrically instead of reaching zero.
    this.limitSizeVelocity();
    const scale = this.scalePx();
    const grownScale = Math.sqrt(
      Math.max(1, this.mean[2]! + dtS * this.mean[6]!) * Math.max(1, this.mean[3]! + dtS * this.mean[7]!),
    );
    const perspective = Math.max(MIN_SCALE_PX, grownScale) / scale;
    for (let axis = 0; axis < 4; axis++) {
      const accelStd = (axis < 2 ? this.options.positionAccelStdFrac : this.options.sizeAccelStdFrac) * scale;
      const q = accelStd * accelStd;
      if (axis < 2) {
        const v = this.mean[axis + 4]!;
        this.mean[axis] = this.mean[axis]! + (dtS * v * (1 + perspective)) / 2;
        this.mean[axis + 4] = v * perspective;
      } else this.mean[axis] = this.mean[axis]! + dtS * this.mean[axis + 4]!;
      const k = axis * 3;
      const pp = this.cov[k]!,
        pv = this.cov[k + 1]!,
        vv = this.cov[k + 2]!;
      this.cov[k] = pp + 2 * dtS * pv + dtS * dtS * vv + (q * dtS ** 4) / 4;
      this.cov[k + 1] = pv + dtS * vv + (q * dtS ** 3) / 2;
      this.cov[k + 2] = vv + q * dtS * dtS;
    }
    // A shrinking box must not invert; it stays a box however long it coasts.
    this.mean[2] = Math.max(1, this.mean[2]!);
    this.mean[3] = Math.max(1, this.mean[3]!);
  }

  /** Width and height rates beyond MAX_SIZE_RATE_PER_S of the size are detector noise, not motion. */
  private limitSizeVelocity(): void {
    for (const axis of [2, 3]) {
      const limit = MAX_SIZE_RATE_PER_S * this.mean[axis]!;
      this.mean[axis + 4] = Math.max(-limit, Math.min(limit, this.mean[axis + 4]!));
    }
  }

  /** Folds in a measured box. */
  update(box: BoxXyxy): void {
    const measured = boxToMeasurement(box);
    const r = this.measurementVariance();
    for (let axis = 0; axis < 4; axis++) {
      const k = axis * 3;
      const pp = this.cov[k]!,
        pv = this.cov[k + 1]!,
        vv = this.cov[k + 2]!;
      const s = pp + r;
      const gainPos = pp / s;
      const gainVel = pv / s;
      const innovation = measured[axis]! - this.mean[axis]!;
      this.mean[axis] = this.mean[axis]! + gainPos * innovation;
      this.mean[axis + 4] = this.mean[axis + 4]! + gainVel * innovation;
      this.cov[k] = (1 - gainPos) * pp;
      this.cov[k + 1] = (1 - gainPos) * pv;
      this.cov[k + 2] = vv - gainVel * pv;
    }
    this.mean[2] = Math.max(1, this.mean[2]!);
    this.mean[3] = Math.max(1, this.mean[3]!);
    this.limitSizeVelocity();
  }

  /** Std (px) of where the next measured centre may fall: the larger axis of the innovation covariance. */
  centreInnovationStdPx(): number {
    return Math.sqrt(Math.max(this.cov[0]!, this.cov[3]!) + this.measurementVariance());
  }

  box(): BoxXyxy {
    const cx = this.mean[0]!,
      cy = this.mean[1]!,
      w = this.mean[2]!,
      h = this.mean[3]!;
    return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
  }

  /** Velocity of the box centre in px/s. */
  velocityPxPerS(): { x: number; y: number } {
    return { x: this.mean[4]!, y: this.mean[5]! };
  }

  private measurementVariance(): number {
    return (this.options.measurementStdFrac * this.scalePx()) ** 2;
  }
}

function boxToMeasurement(box: BoxXyxy): [number, number, number, number] {
  return [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2, Math.max(1, box[2] - box[0]), Math.max(1, box[3] - box[1])];
}
