// Everything analytics does for one camera, composed in frame order: tracker → line counters, zones,
// crowd and speed → per-minute counts and zone stats. Pure: event (capture) time only, no clock, no I/O.
import { Detections, TRAFFIC_CLASSES } from '../core/detections.ts';
import type { CameraAnalysis } from '../core/cameraAnalysis.ts';
import { ByteTracker, type ByteTrackerOptions } from './byteTracker.ts';
import { CrowdMeter, type CrowdMeasurement } from './crowd.ts';
import { Homography } from './homography.ts';
import { LineCounter, type LineCounterOptions, type LineCrossing } from './lineCounter.ts';
import { MinuteCounts, type MinuteCountRow } from './minuteCounts.ts';
import { mergeRiders } from './riders.ts';
import { PolygonZone, type PolygonZoneOptions, type ZoneUpdate } from './polygonZone.ts';
import { scaleCameraAnalysis, type FrameSizePx } from './scaleAnalysis.ts';
import { SpeedEstimator, type SpeedEstimatorOptions, type TrackSpeed } from './speedEstimator.ts';
import type { Tracks } from './tracks.ts';
import { ZoneMinuteStats, type ZoneMinuteRow } from './zoneMinuteStats.ts';

export interface CameraPipelineOptions {
  tracker?: ByteTrackerOptions;
  line?: LineCounterOptions;
  zone?: PolygonZoneOptions;
  speed?: SpeedEstimatorOptions;
  /** Flushed minutes kept to merge late crossings and samples. Default 10 min. */
  retainFlushedMs?: number;
  /** Merge riders into the motorbike or bicycle they ride before tracking (analytics/riders.ts). Default true. */
  mergeRiders?: boolean;
}

/** One analysed frame: what an InferenceResult carries, with its detections decoded. */
export interface PipelineFrame {
  /** Capture time, epoch ms: the only clock the pipeline knows. */
  capturedAtMs: number;
  frameWidthPx: number;
  frameHeightPx: number;
  detections: Detections;
}

export interface PipelineCrossing extends LineCrossing {
  /** Ground speed of the track when it crossed; null without calibration or history. */
  speedKmh: number | null;
}

export interface PipelineOutput {
  timestampMs: number;
  tracks: Tracks;
  /** Speeds of the live tracks, ids ascending (all null without calibration). */
  speeds: TrackSpeed[];
  crossings: PipelineCrossing[];
  zoneUpdates: ZoneUpdate[];
  crowd: CrowdMeasurement[];
}

export interface PipelineRows {
  counts: MinuteCountRow[];
  zones: ZoneMinuteRow[];
}

export class CameraPipeline {
  readonly cameraId: string;
  /** Frame size the geometry was scaled to (the first frame's); later frames of another size are rescaled to it. */
  readonly frameSizePx: FrameSizePx;
  private readonly tracker: ByteTracker;
  private readonly lines: LineCounter[];
  private readonly zones: PolygonZone[];
  private readonly crowd: CrowdMeter;
  private readonly speed: SpeedEstimator;
  private readonly minuteCounts: MinuteCounts;
  private readonly zoneStats: ZoneMinuteStats;
  private readonly ridersMerged: boolean;
  /** Capture time of the newest frame processed; frames older than it are skipped (the tracker cannot go back). */
  private lastCapturedAtMs = -Infinity;
  framesProcessed = 0;
  /** Frames skipped because their capture time went backwards. */
  framesOutOfOrder = 0;

  constructor(cameraId: string, analysis: CameraAnalysis, frameSizePx: FrameSizePx, options: CameraPipelineOptions = {}) {
    const scaled = scaleCameraAnalysis(analysis, frameSizePx);
    this.cameraId = cameraId;
    this.frameSizePx = { widthPx: frameSizePx.widthPx, heightPx: frameSizePx.heightPx };
    this.tracker = new ByteTracker({ ...options.tracker, frameSizePx: { width: frameSizePx.widthPx, height: frameSizePx.heightPx } });
    this.lines = scaled.lines.map((line) => new LineCounter(line, options.line));
    this.zones = scaled.zones.map((zone) => new PolygonZone(zone, options.zone));
    this.crowd = new CrowdMeter(scaled.zones.map((zone) => ({ id: zone.id, polygon: zone.polygon, areaM2: zone.areaM2 ?? null })));
    this.speed = new SpeedEstimator(scaled.calibration ? Homography.fromCalibration(scaled.calibration) : null, options.speed);
    // Lateness is the caller's watermark (newest capture time minus allowed lateness), so none here.
    this.minuteCounts = new MinuteCounts({ allowedLatenessMs: 0, retainFlushedMs: options.retainFlushedMs });
    this.zoneStats = new ZoneMinuteStats({ retainFlushedMs: options.retainFlushedMs });
    this.ridersMerged = options.mergeRiders ?? true;
  }

  /** Newest capture time processed, -Infinity before the first frame. */
  get newestCapturedAtMs(): number {
    return this.lastCapturedAtMs;
  }

  /** Feeds one frame (frames in capture order); null when the frame is older than one already processed. */
  process(frame: PipelineFrame): PipelineOutput | null {
    const t = frame.capturedAtMs;
    if (!(t >= this.lastCapturedAtMs)) {
      this.framesOutOfOrder += 1;
      return null;
    }
    this.lastCapturedAtMs = t;
    this.framesProcessed += 1;
    const scaled = this.toFrameSize(frame);
    const detections = this.ridersMerged ? mergeRiders(scaled) : scaled;
    const tracks = this.tracker.update(detections, t);
    const speeds = this.speed.update(tracks);
    const crossings: PipelineCrossing[] = [];
    for (const line of this.lines) {
      for (const crossing of line.update(tracks)) {
        const speedKmh = this.speed.speedOf(crossing.trackId);
        crossings.push({ ...crossing, speedKmh });
        this.minuteCounts.add({ lineId: crossing.lineId, direction: crossing.direction, classId: crossing.classId, timestampMs: crossing.timestampMs, speedKmh });
      }
    }
    const crowd = this.crowd.measure({ timestampMs: t, detections: tracks.detections, tracks });
    const zoneUpdates = this.zones.map((zone, i) => {
      const update = zone.update(tracks);
      this.zoneStats.add({
        zoneId: zone.id,
        timestampMs: t,
        occupancyByClassId: TRAFFIC_CLASSES.map((name) => update.occupancyByClass[name]),
        densityPerM2: crowd[i]!.densityPerM2,
      });
      return update;
    });
    return { timestampMs: t, tracks, speeds, crossings, zoneUpdates, crowd };
  }

  /** Rows of the minutes that ended at or before watermarkMs and changed since the last flush (totals). */
  flushClosed(watermarkMs: number): PipelineRows {
    return { counts: this.minuteCounts.flushClosed(watermarkMs), zones: this.zoneStats.flushClosed(watermarkMs) };
  }

  /** Crossings and samples that arrived after their minute was forgotten (should stay 0). */
  get lateDropped(): number {
    return this.minuteCounts.lateDropped + this.zoneStats.lateDropped;
  }

  private toFrameSize(frame: PipelineFrame): Detections {
    const sx = this.frameSizePx.widthPx / frame.frameWidthPx;
    const sy = this.frameSizePx.heightPx / frame.frameHeightPx;
    if (sx === 1 && sy === 1) return frame.detections;
    // The analysed size changed under a running camera (ingest reconfigured): keep the tracks, move the boxes.
    const boxes = Float32Array.from(frame.detections.boxes, (v, i) => v * (i % 2 === 0 ? sx : sy));
    return new Detections({ boxes, scores: frame.detections.scores, classIds: frame.detections.classIds });
  }
}
