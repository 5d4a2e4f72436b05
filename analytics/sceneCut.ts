// Scene cuts: a frame that does not continue the previous one (the clip looped, the source restarted, a
// gap in capture time, the picture jumped). Every track ends at a cut, so nothing is counted or alerted across it.
//
// The rules, frame by frame (pure: capture time, seq and image statistics arrive as arguments):
//  - timeBackwards / timeGap: capture time went back, or jumped forward by more than maxGapMs;
//  - seqRestart: the seq went back (a new ingest process numbers from 0 again);
//  - imageJump: the picture changed far more than this camera's pictures change from one frame to the next;
//  - sourceEnded: not judged on a frame but told (sourceEnded()): the source stopped (the clip ended, ffmpeg
//    exited), as DeepStream's analytics flush on end of stream. The next frame starts afresh, so the source
//    coming back is not a second cut.
// The picture's change is the mean absolute difference of the 16×16 grey thumbnails after removing the
// change of mean luma (an exposure step is not a new scene). "Far more" is judged against the camera's own
// recent changes: at least jumpRatio × their 95th percentile (busy streets change more than quiet ones, a
// truck filling a motorway view more than anything), and never below minJump. Until warmupDiffs changes are
// known, only a change of warmupJump or more is a cut. Measured on the shared clips at 5 fps (bench notes in
// the commit): a loop of vn_traffic changes 32 against ≤ 7.3 between its frames, us_street_dusk 2.9 against
// ≤ 0.8, pedestrians_concourse 17.5 against ≤ 5.2; a loop of nl_motorway (7.3 against trucks' 11.6) is not
// visible in the statistics and is left to the time rules and the alert rules' own evidence.
import type { ImageStats } from '../core/alerts.ts';

export type SceneCutReason = 'timeBackwards' | 'timeGap' | 'seqRestart' | 'imageJump' | 'sourceEnded';
export const SCENE_CUT_REASONS: readonly SceneCutReason[] = [
  'timeBackwards',
  'timeGap',
  'seqRestart',
  'imageJump',
  'sourceEnded',
];

export interface SceneCutOptions {
  /** A capture-time gap above this is a cut. Default 10 000 ms. */
  maxGapMs?: number;
  /** Picture change (luma-compensated thumbnail MAD, 0..255) below which nothing is a cut. Default 2.5. */
  minJump?: number;
  /** Times the 95th percentile of recent changes a cut must reach. Default 3. */
  jumpRatio?: number;
  /** Recent changes remembered (cuts excluded). Default 300 (a minute at 5 fps). */
  historyDiffs?: number;
  /** Changes needed before the camera's own percentile is trusted. Default 10. */
  warmupDiffs?: number;
  /** A cut while warming up takes this much change. Default 20. */
  warmupJump?: number;
}

/** What the detector needs of a frame: its capture time, and its seq and image statistics when known. */
export interface SceneFrame {
  capturedAtMs: number;
  seq?: number;
  image?: ImageStats;
}

export interface SceneCut {
  reason: SceneCutReason;
  /** Capture time of the first frame after the cut (sourceEnded: of the source's last frame). */
  atMs: number;
  /** The picture change (imageJump), the gap in ms (timeGap, timeBackwards), the seq of the end (sourceEnded). */
  measure: number;
}

const DEFAULTS: Required<SceneCutOptions> = {
  maxGapMs: 10_000,
  minJump: 2.5,
  jumpRatio: 3,
  historyDiffs: 300,
  warmupDiffs: 10,
  warmupJump: 20,
};
const THUMB_CELLS = 256;

export class SceneCutDetector {
  private readonly options: Required<SceneCutOptions>;
  private lastCapturedAtMs: number | null = null;
  private lastSeq: number | null = null;
  /** Previous frame's thumbnail (base64), null when it had none. */
  private lastThumb: string | null = null;
  /** Recent picture changes, oldest first (cuts are not kept: they would raise the bar for the next one). */
  private recentChanges: number[] = [];
  /** Cuts so far by reason: part of the state, so a takeover keeps counting where the last owner stopped. */
  readonly cutsByReason: Record<SceneCutReason, number> = {
    timeBackwards: 0,
    timeGap: 0,
    seqRestart: 0,
    imageJump: 0,
    sourceEnded: 0,
  };
  lastCut: SceneCut | null = null;

  constructor(options: SceneCutOptions = {}) {
    this.options = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  }

  get cuts(): number {
    return SCENE_CUT_REASONS.reduce((sum, r) => sum + (this.cutsByReason[r] ?? 0), 0);
  }

  /** Judges the next frame against the previous one; the cut (and counts it) or null. */
  observe(frame: SceneFrame): SceneCut | null {
    const cut = this.judge(frame);
    this.lastCapturedAtMs = frame.capturedAtMs;
    if (frame.seq !== undefined) this.lastSeq = frame.seq;
    this.lastThumb = frame.image?.thumb ?? null;
    if (cut) this.record(cut);
    return cut;
  }

  /**
   * The source ended after its frame captured at `atMs` (end-of-stream marker `seq`): a cut, counted; null
   * when no frame came since the last end (a source that fails to start again and again ended nothing).
   * The next frame is judged against nothing, so the source resuming is not counted again.
   */
  sourceEnded(atMs: number, seq: number): SceneCut | null {
    if (this.lastCapturedAtMs === null) return null;
    this.lastCapturedAtMs = null;
    this.lastSeq = null;
    this.lastThumb = null;
    const cut: SceneCut = { reason: 'sourceEnded', atMs, measure: seq };
    this.record(cut);
    return cut;
  }

  private record(cut: SceneCut): void {
    // A state restored from a checkpoint written before a reason existed lacks its counter.
    this.cutsByReason[cut.reason] = (this.cutsByReason[cut.reason] ?? 0) + 1;
    this.lastCut = cut;
  }

  private judge(frame: SceneFrame): SceneCut | null {
    const at = frame.capturedAtMs;
    if (this.lastCapturedAtMs === null) return null;
    const gapMs = at - this.lastCapturedAtMs;
    if (gapMs < 0) return { reason: 'timeBackwards', atMs: at, measure: gapMs };
    if (gapMs > this.options.maxGapMs) return { reason: 'timeGap', atMs: at, measure: gapMs };
    if (frame.seq !== undefined && this.lastSeq !== null && frame.seq < this.lastSeq)
      return { reason: 'seqRestart', atMs: at, measure: frame.seq };
    if (!frame.image || this.lastThumb === null) return null;
    const change = pictureChange(this.lastThumb, frame.image.thumb);
    if (change === null) return null;
    if (change >= this.jumpThreshold()) return { reason: 'imageJump', atMs: at, measure: round2(change) };
    this.recentChanges.push(round2(change));
    if (this.recentChanges.length > this.options.historyDiffs) this.recentChanges.shift();
    return null;
  }

  /** The change a cut must reach now. */
  jumpThreshold(): number {
    const { warmupDiffs, warmupJump, minJump, jumpRatio } = this.options;
    if (this.recentChanges.length < warmupDiffs) return warmupJump;
    const sorted = [...this.recentChanges].sort((a, b) => a - b);
    const p95 = sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))]!;
    return Math.max(minJump, jumpRatio * p95);
  }
}

/**
 * Mean absolute difference of two 16×16 grey thumbnails (base64) after removing the difference of their
 * means; null when either is not a thumbnail.
 */
export function pictureChange(thumbA: string, thumbB: string): number | null {
  const a = Buffer.from(thumbA, 'base64');
  const b = Buffer.from(thumbB, 'base64');
  if (a.length !== THUMB_CELLS || b.length !== THUMB_CELLS) return null;
  let shift = 0;
  for (let i = 0; i < THUMB_CELLS; i++) shift += b[i]! - a[i]!;
  shift /= THUMB_CELLS;
  let sum = 0;
  for (let i = 0; i < THUMB_CELLS; i++) sum += Math.abs(b[i]! - a[i]! - shift);
  return sum / THUMB_CELLS;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
