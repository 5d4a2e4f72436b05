// Camera problems seen in the image itself (ImageStats from the worker): frozen (the picture stops
// changing), black (dark or uniform: covered lens), view changed (the scene no longer matches its reference).
// Frames without image stats are ignored: they neither start, hold nor end a condition.
import type { CameraProblemRule } from '../../core/alerts.ts';
import { newDebounce, stepDebounce, type DebounceState } from '../debounce.ts';
import { minDurationMsOf } from '../ruleDefaults.ts';
import { RuleEvaluator, round1, type AlertDetails, type FrameContext, type Observation } from '../ruleEvaluator.ts';
import { decodeThumb, meanAbsDiff, offsetFreeDiff } from '../thumb.ts';

/** Consecutive thumbnails closer than this (grey levels) are the same picture. */
export const FROZEN_MAX_DIFF = 1.0;
export const BLACK_MAX_MEAN_LUMA = 20;
export const BLACK_MAX_STD_LUMA = 6;
/** Offset-free difference from the reference above which the view has changed. */
export const VIEW_CHANGED_MIN_DIFF = 40;
/** Back near the reference this long ends a view change. */
export const VIEW_CHANGED_HYSTERESIS_MS = 10_000;
/** Time constant of the reference's exponential average: slow enough to ignore traffic, fast enough for daylight. */
export const VIEW_REFERENCE_TAU_MS = 60_000;
/**
 * A view changed for this long is adopted as the new reference (the alert ends): a camera re-aimed on
 * purpose must not hold one alert open forever and blind the rule to the next knock.
 */
export const VIEW_ADOPT_AFTER_MS = 10 * 60_000;

interface ImageProblemState {
  debounce: DebounceState;
  details: AlertDetails;
}

abstract class ImageProblemEvaluator<S extends ImageProblemState> extends RuleEvaluator<CameraProblemRule, S> {
  protected readonly minDurationMs: number;

  constructor(rule: CameraProblemRule, state: S) {
    super(rule, state);
    this.minDurationMs = minDurationMsOf(rule);
  }

  /** Feeds a frame that has a valid thumbnail; returns whether the problem is on. */
  protected abstract step(context: FrameContext, thumb: Uint8Array): boolean;
  protected abstract describe(): string;

  evaluate(context: FrameContext): Observation[] {
    const thumb = context.frame.image ? decodeThumb(context.frame.image.thumb) : null;
    const on = thumb ? this.step(context, thumb) : this.state.debounce.on;
    if (!on) return [];
    const sinceMs = this.state.debounce.runSinceMs ?? context.tMs;
    return [
      {
        subject: 'camera',
        sinceMs,
        summary: this.describe(),
        details: { ...this.state.details },
        significant: '',
        boxes: [],
        zoneId: null,
        lineId: null,
      },
    ];
  }
}

export class CameraFrozenEvaluator extends ImageProblemEvaluator<ImageProblemState & { previousThumb: string | null }> {
  constructor(rule: CameraProblemRule) {
    // The previous thumbnail is kept as the worker sent it (base64): a third of the snapshot of 256 numbers.
    super(rule, { debounce: newDebounce(), details: {}, previousThumb: null });
  }

  protected step(context: FrameContext, thumb: Uint8Array): boolean {
    const previous = this.state.previousThumb === null ? null : decodeThumb(this.state.previousThumb);
    const diff = previous ? meanAbsDiff(thumb, previous) : Infinity;
    this.state.previousThumb = context.frame.image!.thumb;
    // Ends at the first frame that differs: a live picture is proof enough.
    const on = stepDebounce(this.state.debounce, diff < FROZEN_MAX_DIFF, context.tMs, this.minDurationMs, 0);
    if (on) this.state.details = { frameDiff: round1(diff) };
    return on;
  }

  protected describe(): string {
    return 'Camera image frozen';
  }
}

export class CameraBlackEvaluator extends ImageProblemEvaluator<ImageProblemState> {
  constructor(rule: CameraProblemRule) {
    super(rule, { debounce: newDebounce(), details: {} });
  }

  protected step(context: FrameContext): boolean {
    const { meanLuma, stdLuma } = context.frame.image!;
    const dark = meanLuma < BLACK_MAX_MEAN_LUMA || stdLuma < BLACK_MAX_STD_LUMA;
    const on = stepDebounce(this.state.debounce, dark, context.tMs, this.minDurationMs, 0);
    if (on) this.state.details = { meanLuma: round1(meanLuma), stdLuma: round1(stdLuma) };
    return on;
  }

  protected describe(): string {
    return 'Camera image black or covered';
  }
}

interface ViewState extends ImageProblemState {
  /** Exponential average of the thumbnails (rounded to 1/1000 so snapshots stay small and exact). */
  reference: number[] | null;
  learntAtMs: number;
}

export class CameraViewChangedEvaluator extends ImageProblemEvaluator<ViewState> {
  constructor(rule: CameraProblemRule) {
    super(rule, { debounce: newDebounce(), details: {}, reference: null, learntAtMs: 0 });
  }

  protected step(context: FrameContext, thumb: Uint8Array): boolean {
    const t = context.tMs;
    const reference = this.state.reference;
    if (!reference) {
      this.learn(thumb, t, 1);
      return false;
    }
    const diff = offsetFreeDiff(thumb, reference);
    const debounce = this.state.debounce;
    const on = stepDebounce(debounce, diff > VIEW_CHANGED_MIN_DIFF, t, this.minDurationMs, VIEW_CHANGED_HYSTERESIS_MS);
    if (on && t - debounce.runSinceMs! >= this.minDurationMs + VIEW_ADOPT_AFTER_MS) {
      this.state.debounce = newDebounce();
      this.learn(thumb, t, 1);
      return false;
    }
    // Learnt only while the view matches: a change being timed (or raised) must not teach itself as normal.
    if (!on && debounce.runSinceMs === null)
      this.learn(
        thumb,
        t,
        1 - Math.exp(-Math.min(t - this.state.learntAtMs, VIEW_REFERENCE_TAU_MS) / VIEW_REFERENCE_TAU_MS),
      );
    if (on) this.state.details = { viewDiff: round1(diff) };
    return on;
  }

  private learn(thumb: Uint8Array, tMs: number, weight: number): void {
    const reference = this.state.reference;
    this.state.reference = Array.from(
      thumb,
      (v, i) => Math.round((reference ? reference[i]! + weight * (v - reference[i]!) : v) * 1000) / 1000,
    );
    this.state.learntAtMs = tMs;
  }

  protected describe(): string {
    return 'Camera view changed (moved or obstructed)';
  }
}
