// Turns what the StageProbe and AlertProbe saw into the per-stage figures of a run: throughput of each stage over
// the measured window, latency percentiles between stages, and per camera the offered, analysed and dropped frames.
import type { ObservedAlert } from './alertProbe.ts';
import type { ObservedFrame } from './stageProbe.ts';
import { perSecond, rounded, summariseLatencies, type LatencySummary } from '../harness/stats.ts';

export interface StageThroughput {
  /** Frames put on the queue (analysed later or dropped) per second. */
  queuedFps: number;
  /** Results published by the workers per second. */
  inferredFps: number;
  /** Model runs per second (a frame runs once per analysis region). */
  modelRunsPerSec: number;
  analysedFps: number;
  /** Frames covered by a checkpoint (their closed minutes written to PostgreSQL) per second. */
  storedFps: number;
  /** Wrong-way alerts raised in the window (by their triggering frame's capture time) per second. */
  alertsPerSec: number;
}

/** Goal of the "Security alerts" issue: p95 capture → WebSocket delivery ≤ 1.5 s at the rated load. */
export const ALERTED_GOAL_P95_MS = 1500;

export interface AlertedLatency extends LatencySummary {
  goalP95Ms: number;
  /** p95 ÷ goal: ≤ 1 meets it; 0 when no alert was raised in the window. */
  p95ToGoalRatio: number;
  /** False when no alert was raised in the window (nothing to judge). */
  meetsGoal: boolean;
}

export interface StageLatencies {
  captureToQueued: LatencySummary;
  /** Waiting on the queue + preprocessing + model + publishing. */
  queuedToInferred: LatencySummary;
  /** The worker's own time on the frame (all regions). */
  inference: LatencySummary;
  inferredToAnalysed: LatencySummary;
  analysedToStored: LatencySummary;
  captureToInferred: LatencySummary;
  captureToAnalysed: LatencySummary;
  captureToStored: LatencySummary;
  /** A minute's end → its first row in PostgreSQL (traffic_counts / zone_stats), per camera-minute. */
  minuteEndToRow: LatencySummary;
  /** Capture of the frame that triggered an alert → its 'raised' message read off /api/live. */
  alerted: AlertedLatency;
  /**
   * Capture of the frame where the crossing was seen → the same delivery: adds the line counter's hold of a
   * crossing until its track is confirmed (a newborn track's class must be a majority of several sightings).
   */
  crossingToAlerted: LatencySummary;
}

export interface CameraFigures {
  cameraId: string;
  mount: string;
  clip: string;
  /** Frames ingest sampled per second (analysed + dropped), against the configured sample fps. */
  capturedFps: number;
  analysedFps: number;
  droppedFrames: number;
  dropPct: number;
  captureToInferredP95Ms: number;
}

export interface PipelineFigures {
  windowSec: number;
  throughput: StageThroughput;
  latency: StageLatencies;
  cameras: CameraFigures[];
  droppedFrames: number;
  dropPct: number;
  /** Mean regions (model runs) per analysed frame. */
  regionsPerFrame: number;
  /** Frames captured in the window whose analysed / stored time was never seen (excluded from those latencies). */
  unresolvedAnalysed: number;
  unresolvedStored: number;
  /** Cameras whose Redis drop counter read lower at the window's end than at its start (seen once; unexplained). */
  dropCounterDecreases: number;
}

export interface WindowInput {
  frames: readonly ObservedFrame[];
  startMs: number;
  endMs: number;
  /** Dropped frames per camera during the window. */
  droppedByCamera: Record<string, number>;
  cameras: ReadonlyArray<{ id: string; mount: string; clip: string }>;
  minuteEndToRow: LatencySummary;
  alerts: readonly ObservedAlert[];
}

const inWindow = (t: number | null, startMs: number, endMs: number): boolean => t !== null && t >= startMs && t < endMs;

export function pipelineFigures(input: WindowInput): PipelineFigures {
  const { frames, startMs, endMs } = input;
  const windowMs = endMs - startMs;
  const captured = frames.filter((f) => inWindow(f.capturedAtMs, startMs, endMs));
  const published = frames.filter((f) => inWindow(f.publishedAtMs, startMs, endMs));
  // A counter that went down is reported per camera as read, but never lowers the total drop rate.
  const dropped = Object.values(input.droppedByCamera).reduce((a, b) => a + Math.max(0, b), 0);
  const pick = (fn: (f: ObservedFrame) => number | null) =>
    summariseLatencies(captured.map(fn).filter((v): v is number => v !== null));
  const latency: StageLatencies = {
    captureToQueued: pick((f) => f.enqueuedAtMs - f.capturedAtMs),
    queuedToInferred: pick((f) => f.publishedAtMs - f.enqueuedAtMs),
    inference: pick((f) => f.inferenceMs),
    inferredToAnalysed: pick((f) => (f.analysedAtMs === null ? null : f.analysedAtMs - f.publishedAtMs)),
    analysedToStored: pick((f) =>
      f.storedAtMs === null || f.analysedAtMs === null ? null : f.storedAtMs - f.analysedAtMs,
    ),
    captureToInferred: pick((f) => f.publishedAtMs - f.capturedAtMs),
    captureToAnalysed: pick((f) => (f.analysedAtMs === null ? null : f.analysedAtMs - f.capturedAtMs)),
    captureToStored: pick((f) => (f.storedAtMs === null ? null : f.storedAtMs - f.capturedAtMs)),
    minuteEndToRow: input.minuteEndToRow,
    alerted: alertedLatency(input.alerts.filter((a) => inWindow(a.triggeredAtMs, startMs, endMs))),
    crossingToAlerted: summariseLatencies(
      input.alerts.filter((a) => inWindow(a.triggeredAtMs, startMs, endMs)).map((a) => a.receivedAtMs - a.startedAtMs),
    ),
  };
  const runs = published.reduce((sum, f) => sum + f.regionCount, 0);
  const throughput: StageThroughput = {
    queuedFps: perSecond(frames.filter((f) => inWindow(f.enqueuedAtMs, startMs, endMs)).length + dropped, windowMs),
    inferredFps: perSecond(published.length, windowMs),
    modelRunsPerSec: perSecond(runs, windowMs),
    analysedFps: perSecond(frames.filter((f) => inWindow(f.analysedAtMs, startMs, endMs)).length, windowMs),
    storedFps: perSecond(frames.filter((f) => inWindow(f.storedAtMs, startMs, endMs)).length, windowMs),
    alertsPerSec: perSecond(latency.alerted.count, windowMs),
  };
  const cameras = input.cameras.map((camera): CameraFigures => {
    const mine = captured.filter((f) => f.cameraId === camera.id);
    const droppedHere = input.droppedByCamera[camera.id] ?? 0;
    const offered = mine.length + droppedHere;
    return {
      cameraId: camera.id,
      mount: camera.mount,
      clip: camera.clip,
      capturedFps: perSecond(offered, windowMs),
      analysedFps: perSecond(mine.length, windowMs),
      droppedFrames: droppedHere,
      dropPct: offered > 0 ? rounded((100 * droppedHere) / offered) : 0,
      captureToInferredP95Ms: summariseLatencies(mine.map((f) => f.publishedAtMs - f.capturedAtMs)).p95Ms,
    };
  });
  const offered = captured.length + dropped;
  return {
    windowSec: rounded(windowMs / 1000, 1),
    throughput,
    latency,
    cameras,
    droppedFrames: dropped,
    dropPct: offered > 0 ? rounded((100 * dropped) / offered) : 0,
    regionsPerFrame: published.length > 0 ? rounded(runs / published.length) : 0,
    unresolvedAnalysed: captured.filter((f) => f.analysedAtMs === null).length,
    unresolvedStored: captured.filter((f) => f.storedAtMs === null).length,
    dropCounterDecreases: Object.values(input.droppedByCamera).filter((d) => d < 0).length,
  };
}

function alertedLatency(alerts: readonly ObservedAlert[]): AlertedLatency {
  const summary = summariseLatencies(alerts.map((a) => a.receivedAtMs - a.triggeredAtMs));
  return {
    ...summary,
    goalP95Ms: ALERTED_GOAL_P95_MS,
    p95ToGoalRatio: summary.count > 0 ? rounded(summary.p95Ms / ALERTED_GOAL_P95_MS, 3) : 0,
    meetsGoal: summary.count > 0 && summary.p95Ms <= ALERTED_GOAL_P95_MS,
  };
}
