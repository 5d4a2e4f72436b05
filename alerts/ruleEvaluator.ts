// What every rule evaluator sees per frame and what it answers: the subjects whose condition holds now
// (after the rule's own durations and hysteresis). Raise, update, end and cooldown are the IncidentBook's.
import type { AlertRule, EvidenceBox, ImageStats } from '../core/alerts.ts';
import type { NamedLine, NamedZone } from '../core/cameraAnalysis.ts';
import type { PipelineOutput } from '../analytics/cameraPipeline.ts';
import type { Homography } from '../analytics/homography.ts';
import type { Track } from '../analytics/tracks.ts';

/** The analysed frame as the analyzer knows it (an InferenceResult's header). */
export interface AlertFrame {
  seq: number;
  /** Capture time, epoch ms: the engine's only clock. */
  capturedAtMs: number;
  frameWidthPx: number;
  frameHeightPx: number;
  image?: ImageStats;
}

export interface FrameContext {
  frame: AlertFrame;
  output: PipelineOutput;
  tMs: number;
  tracksById: ReadonlyMap<number, Track>;
  /** Ground speed per live track; null without calibration or history. */
  speedsById: ReadonlyMap<number, number | null>;
  /** Geometry in px of the pipeline's frame (the engine's frame size), like the tracks' boxes. */
  zones: ReadonlyMap<string, NamedZone>;
  lines: ReadonlyMap<string, NamedLine>;
  /** Image→ground mapping from the camera's calibration; null when it has none. */
  homography: Homography | null;
}

export type AlertDetails = Record<string, string | number | boolean | null>;

export interface Observation {
  /** `zone:<id>`, `zone:<id>:track:<id>`, `line:<id>:track:<id>` or `camera`. */
  subject: string;
  /** Event time the condition started: the raise's startedAtMs, so part of its key. */
  sinceMs: number;
  summary: string;
  details: AlertDetails;
  /**
   * The figures worth a store write when they change (peak people, level); an open alert gets an update
   * only when this differs from the last one sent, and not more often than the book's update interval.
   */
  significant: string;
  boxes: EvidenceBox[];
  zoneId: string | null;
  lineId: string | null;
  /** An event, not a state (a wrong-way crossing): raised and ended in the same frame. */
  instantaneous?: boolean;
}

/** One rule's evaluator. Its state is plain JSON, so the engine can checkpoint and resume it exactly. */
export abstract class RuleEvaluator<R extends AlertRule = AlertRule, S = unknown> {
  constructor(
    readonly rule: R,
    protected state: S,
  ) {}

  abstract evaluate(context: FrameContext): Observation[];

  saveState(): unknown {
    return JSON.parse(JSON.stringify(this.state)) as unknown;
  }

  loadState(state: unknown): void {
    this.state = JSON.parse(JSON.stringify(state)) as S;
  }
}

/** The box of a track as drawn on the evidence snapshot: 'motorbike #12'. */
export function trackEvidence(track: Track): EvidenceBox {
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    box: [round(track.box[0]), round(track.box[1]), round(track.box[2]), round(track.box[3])],
    label: `${track.className} #${track.id}`,
    trackId: track.id,
  };
}

/**
 * The box of a track named by the class its sightings agree on (trackSightings.ts classVerdict), or
 * 'vehicle' when they do not: an alert never calls a motorbike a car because the tracker's vote said so.
 */
export function namedTrackEvidence(track: Track, className: string | null): EvidenceBox {
  return { ...trackEvidence(track), label: `${className ?? 'vehicle'} #${track.id}` };
}

export function zoneLabel(context: FrameContext, zoneId: string): string {
  return context.zones.get(zoneId)?.name ?? zoneId;
}

export const round1 = (v: number): number => Math.round(v * 10) / 10;

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
