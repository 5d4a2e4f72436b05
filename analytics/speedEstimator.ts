// Ground speed of each track in km/h: its anchor projected through the camera's homography, velocity
// fitted by least squares over a sliding time window. Null when the camera has no calibration.
import type { AnchorPoint, PointM } from '../core/geometry.ts';
import { anchorOf } from './geometry.ts';
import type { Homography } from './homography.ts';
import type { Tracks } from './tracks.ts';

export interface SpeedEstimatorOptions {
  /** Sightings older than this before the newest are dropped. Default 2000 ms. */
  windowMs?: number;
  /** No speed until the window spans this much time. Default 900 ms (3 sightings at 2 fps). */
  minSpanMs?: number;
  /** Default 'bottomCenter': the point on the road, which is where the homography is valid. */
  anchor?: AnchorPoint;
}

export interface TrackSpeed {
  trackId: number;
  /** Null without calibration or before the window holds enough sightings. */
  speedKmh: number | null;
}

interface Sighting {
  tMs: number;
  ground: PointM;
}

export class SpeedEstimator {
  private readonly homography: Homography | null;
  private readonly windowMs: number;
  private readonly minSpanMs: number;
  private readonly anchor: AnchorPoint;
  private readonly history = new Map<number, Sighting[]>();
  private readonly latest = new Map<number, number | null>();

  constructor(homography: Homography | null, options: SpeedEstimatorOptions = {}) {
    this.homography = homography;
    this.windowMs = options.windowMs ?? 2000;
    this.minSpanMs = options.minSpanMs ?? 900;
    this.anchor = options.anchor ?? 'bottomCenter';
  }

  get calibrated(): boolean {
    return this.homography !== null;
  }

  /** Speeds of every live track at this update, ids ascending. */
  update(tracks: Tracks): TrackSpeed[] {
    const alive = new Set<number>();
    const speeds: TrackSpeed[] = [];
    for (const track of tracks.tracks) {
      alive.add(track.id);
      if (this.homography && track.detectionIndex >= 0) {
        const sightings = this.history.get(track.id) ?? [];
        sightings.push({ tMs: tracks.timestampMs, ground: this.homography.project(anchorOf(track.box, this.anchor)) });
        while (sightings.length > 2 && tracks.timestampMs - sightings[0]!.tMs > this.windowMs) sightings.shift();
        this.history.set(track.id, sightings);
        this.latest.set(track.id, fitSpeedKmh(sightings, this.minSpanMs));
      }
      speeds.push({ trackId: track.id, speedKmh: this.latest.get(track.id) ?? null });
    }
    for (const id of this.history.keys()) if (!alive.has(id)) this.history.delete(id);
    for (const id of this.latest.keys()) if (!alive.has(id)) this.latest.delete(id);
    return speeds;
  }

  /** Last known speed of a track, null when unknown. */
  speedOf(trackId: number): number | null {
    return this.latest.get(trackId) ?? null;
  }
}

/** Least-squares slope of x(t) and y(t): robust to per-frame jitter, unlike first-to-last displacement. */
function fitSpeedKmh(sightings: readonly Sighting[], minSpanMs: number): number | null {
  const n = sightings.length;
  if (n < 2 || sightings[n - 1]!.tMs - sightings[0]!.tMs < minSpanMs) return null;
  // Times relative to the first sighting: epoch ms squared would lose precision.
  const t0 = sightings[0]!.tMs;
  let tMean = 0,
    xMean = 0,
    yMean = 0;
  for (const s of sightings) {
    tMean += (s.tMs - t0) / 1000 / n;
    xMean += s.ground.x / n;
    yMean += s.ground.y / n;
  }
  let stt = 0,
    stx = 0,
    sty = 0;
  for (const s of sightings) {
    const dt = (s.tMs - t0) / 1000 - tMean;
    stt += dt * dt;
    stx += dt * (s.ground.x - xMean);
    sty += dt * (s.ground.y - yMean);
  }
  if (stt === 0) return null;
  return Math.hypot(stx / stt, sty / stt) * 3.6;
}
