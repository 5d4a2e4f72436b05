// The analysis side of a camera's health: whether the camera can do its job. Read from the activity the
// analyzers publish (analyzer/activityReport.ts): frames too small to analyse, or nothing detected for minutes.
import type { Redis } from 'ioredis';
import type { AnalysisActivity } from '../core/analysisStatus.ts';
import { redisKeys } from '../core/redis.ts';

/**
 * Below this the sampled frames cannot be analysed. The model letterboxes a frame into its input (960×544
 * deployed), so a small frame is scaled up, but scaling adds no detail: a motorbike is about a tenth of the
 * frame's width on a city street, under 32 px in a 320-px frame, the size below which COCO-trained
 * detectors find about a third of what they find on larger objects; a 160-px frame leaves it 10–16 px.
 */
export const MIN_ANALYSABLE_WIDTH_PX = 320;
export const MIN_ANALYSABLE_HEIGHT_PX = 180;
/** Frames analysed for this long with nothing found: the camera is named as finding nothing. */
export const NO_DETECTIONS_MS = 5 * 60_000;
/** Newest analysed frame older than this: analysis is not running now, minutes without detections are not counted. */
export const ACTIVITY_STALE_MS = 2 * 60_000;

export type AnalysisProblem = 'framesTooSmall' | 'noDetections';

/** Every camera's published activity (cameras never analysed are absent). */
export async function readAnalysisActivity(redis: Redis, redisPrefix: string): Promise<Map<string, AnalysisActivity>> {
  const raw = await redis.hgetall(redisKeys.analysisActivity(redisPrefix));
  const activity = new Map<string, AnalysisActivity>();
  for (const [cameraId, json] of Object.entries(raw)) {
    try {
      const parsed = JSON.parse(json) as AnalysisActivity;
      if (typeof parsed.frameWidthPx === 'number' && typeof parsed.lastFrameAtMs === 'number')
        activity.set(cameraId, parsed);
    } catch {
      // A field this code cannot read is skipped: the health answers without it.
    }
  }
  return activity;
}

/** Minutes the current run of analysed frames found nothing, or null when analysis is not running now. */
export function minutesWithoutDetections(activity: AnalysisActivity, nowMs: number): number | null {
  if (nowMs - activity.lastFrameAtMs > ACTIVITY_STALE_MS) return null;
  const quietSinceMs = Math.max(activity.runStartedAtMs, activity.lastDetectionAtMs ?? -Infinity);
  return Math.max(0, Math.floor((activity.lastFrameAtMs - quietSinceMs) / 60_000));
}

export function analysisProblems(activity: AnalysisActivity | undefined, nowMs: number): AnalysisProblem[] {
  if (!activity) return [];
  const problems: AnalysisProblem[] = [];
  if (activity.frameWidthPx < MIN_ANALYSABLE_WIDTH_PX || activity.frameHeightPx < MIN_ANALYSABLE_HEIGHT_PX)
    problems.push('framesTooSmall');
  const quietMinutes = minutesWithoutDetections(activity, nowMs);
  if (quietMinutes !== null && quietMinutes * 60_000 >= NO_DETECTIONS_MS) problems.push('noDetections');
  return problems;
}

/** The fields the camera's health carries (API body: UTC ISO times). */
export function analysisHealthBody(activity: AnalysisActivity | undefined, nowMs: number) {
  return {
    analysedFrameWidthPx: activity?.frameWidthPx ?? null,
    analysedFrameHeightPx: activity?.frameHeightPx ?? null,
    lastAnalysedFrameAt: activity ? new Date(activity.lastFrameAtMs).toISOString() : null,
    lastDetectionAt: activity?.lastDetectionAtMs != null ? new Date(activity.lastDetectionAtMs).toISOString() : null,
    minutesWithoutDetections: activity ? minutesWithoutDetections(activity, nowMs) : null,
    analysisProblems: analysisProblems(activity, nowMs),
  };
}
