// One accuracy run: a truth file's clip replayed through the real queue, worker, analyzer and store with
// the given settings, scored against the hand count (harness/accuracyScore.ts). Used by `npm run eval`
// and by the tests that hold the shipped default to its measured bounds.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Config, DeepPartial } from '../core/config.ts';
import { ValidationError } from '../core/errors.ts';
import {
  scoreByClass,
  scoreCounts,
  scoreDetections,
  scoreZones,
  type ClassScore,
  type CountScore,
  type DetectionScore,
  type ZoneScore,
} from './accuracyScore.ts';
import { replayWithAlerts, type Replayed } from './clipReplay.ts';
import { subStreamClip } from './subStreamClip.ts';
import { matchCrossings, traceCrossings, type CrossingMatch } from './crossingTrace.ts';
import { truthAnalysis, type ClipTruth } from './truth.ts';

export interface AccuracySettings {
  sampleFps: number;
  /** Width of the sampled frames (the camera's ingest.frameWidthPx). */
  frameWidthPx: number;
  /** Worker and analyzer settings over the defaults (model, input size, regions…). */
  config?: DeepPartial<Config>;
  /** Replay the clip's sub stream this wide (harness/subStreamClip.ts), as a camera analysed on its sub stream. */
  subStreamWidthPx?: number;
  /** The sub stream's frame rate (a camera set to send it at the sample rate); absent: the clip's own. */
  subStreamFps?: number;
}

export interface AccuracyResult {
  clip: string;
  settings: AccuracySettings;
  frames: number;
  inferenceMsPerFrame: number;
  cpuMsPerFrame: number;
  /** Frames by what the model ran on (motion gating: crops or nothing; else all whole). */
  gating: Replayed['gating'];
  counts: CountScore[];
  byClass: ClassScore[];
  detection: DetectionScore[];
  zones: ZoneScore[];
  alerts: Array<{ type: string; ruleId: string; subject: string; startedAtS: number }>;
  /** Counted crossings paired with the hand-counted ones (misses and extra counts stand alone). */
  crossings: CrossingMatch[];
}

/** Capture time of the replay's first frame: a minute boundary, so a clip's rows fall in one minute. */
const START_MS = Date.parse('2026-01-05T01:00:00Z');

export async function runAccuracy(
  truth: ClipTruth,
  assetsDir: string,
  settings: AccuracySettings,
  onProgress?: (analysed: number, total: number) => void,
): Promise<AccuracyResult> {
  const clipPath = resolve(assetsDir, truth.clip);
  const sha256 = createHash('sha256')
    .update(await readFile(clipPath))
    .digest('hex');
  if (sha256 !== truth.sha256) {
    throw new ValidationError(`${truth.clip} has sha256 ${sha256}, the truth was counted on ${truth.sha256}`, {
      field: 'sha256',
    });
  }
  const analysis = truthAnalysis(truth);
  const subWidthPx = settings.subStreamWidthPx;
  // As ingest does: frames are never wider than their source.
  const frameWidthPx = subWidthPx ? Math.min(settings.frameWidthPx, subWidthPx) : settings.frameWidthPx;
  const replayed = await replayWithAlerts({
    clipPath: subWidthPx
      ? await subStreamClip(clipPath, {
          widthPx: subWidthPx,
          ...(settings.subStreamFps === undefined ? {} : { fps: settings.subStreamFps }),
        })
      : clipPath,
    analysis,
    sampleFps: settings.sampleFps,
    frameWidthPx,
    startMs: START_MS,
    config: settings.config,
    onProgress,
  });
  // Frame i of the replay is at clip time i / sampleFps; a truth frame between two samples is not judged.
  const detectionsAt = (timeS: number) => {
    const seq = Math.round(timeS * settings.sampleFps);
    if (Math.abs(seq / settings.sampleFps - timeS) > 0.25 / settings.sampleFps) return null;
    return replayed.detections[seq] ?? null;
  };
  const counts = scoreCounts(truth, replayed.counts);
  const traced = traceCrossings(analysis, replayed.published, START_MS);
  return {
    clip: truth.clip,
    settings: { ...settings, frameWidthPx },
    frames: replayed.frames,
    inferenceMsPerFrame: replayed.inferenceMsPerFrame,
    cpuMsPerFrame: replayed.cpuMsPerFrame,
    gating: replayed.gating,
    counts,
    byClass: scoreByClass(counts),
    detection: scoreDetections(truth, detectionsAt),
    zones: scoreZones(truth, detectionsAt),
    crossings: matchCrossings(truth, traced),
    alerts: replayed.alerts.map((a) => ({
      type: a.type,
      ruleId: a.ruleId,
      subject: a.subject,
      startedAtS: (a.startedAtMs - START_MS) / 1000,
    })),
  };
}
