// Everything analytics does for one camera, composed in frame order: tracker → line counters, zones,
// crowd and speed → per-minute counts and zone stats. Pure: event (capture) time only, no clock, no I/O.
import { Detections, TRAFFIC_CLASSES } from '../core/detections.ts';
import type { ImageStats } from '../core/alerts.ts';
import type { CameraAnalysis } from '../core/cameraAnalysis.ts';
import type { FrameSizePx, RectPx } from '../core/geometry.ts';
import { ByteTracker, type ByteTrackerOptions } from './byteTracker.ts';
import { CrowdMeter, type CrowdMeasurement } from './crowd.ts';
import { Homography } from './homography.ts';
import { LineCounter, type LineCounterOptions, type LineCrossing } from './lineCounter.ts';
import { MinuteCounts, type MinuteCountRow } from './minuteCounts.ts';
import { mergeRiders } from './riders.ts';
import { PolygonZone, type PolygonZoneOptions, type ZoneUpdate } from './polygonZone.ts';
import { scaleCameraAnalysis } from './scaleAnalysis.ts';
import { SpeedEstimator, type SpeedEstimatorOptions, type TrackSpeed } from './speedEstimator.ts';
import type { Tracks } from './tracks.ts';
import { ZoneMinuteStats, type ZoneMinuteRow } from './zoneMinuteStats.ts';
import { SceneCutDetector, type SceneCut, type SceneCutOptions } from './sceneCut.ts';
import { TrackEpochs } from './trackEpochs.ts';

export interface CameraPipelineOptions {
  tracker?: ByteTrackerOptions;
  line?: LineCounterOptions;
  zone?: PolygonZoneOptions;
  speed?: SpeedEstimatorOptions;
  /** Flushed minutes kept to merge late crossings and samples. Default 10 min. */
  retainFlushedMs?: number;
  /** Merge riders into the motorbike or bicycle they ride before tracking (analytics/riders.ts). Default true. */
  mergeRiders?: boolean;
  /** When a frame does not continue the previous one (analytics/sceneCut.ts). */
  sceneCut?: SceneCutOptions;
}

/** One analysed frame: what an InferenceResult carries, with its detections decoded. */
export interface PipelineFrame {
  /** Capture time, epoch ms: the only clock the pipeline knows. */
  capturedAtMs: number;
  frameWidthPx: number;
  frameHeightPx: number;
  detections: Detections;
  /**
   * Detections under their class's publishing threshold (InferenceResult.faintDetections): they only extend a
   * track whose predicted box they overlap, and appear in the output only when one did.
   */
  faintDetections?: Detections;
  /** The frame's number from ingest and its image statistics, when known: scene cuts are judged on them. */
  seq?: number;
  image?: ImageStats;
  /**
   * Motion gating: the only parts of the frame the model ran on ([] = none); tracks elsewhere are carried as
   * they are, not missed (InferenceResult.analysedRegions). Absent: the whole frame was analysed.
   */
  analysedRegions?: RectPx[];
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
  /** This frame did not continue the previous one: every track ended before it (crossings they held are in `crossings`). */
  sceneCut: SceneCut | null;
}

export interface PipelineRows {
  counts: MinuteCountRow[];
  zones: ZoneMinuteRow[];
}

export class CameraPipeline {
  readonly cameraId: string;
  /** Frame size the geometry was scaled to (the first frame's); later frames of another size are rescaled to it. */
  readonly frameSizePx: FrameSizePx;
  private tracker: ByteTracker;
  private readonly trackerOptions: ByteTrackerOptions;
  private readonly sceneCuts: SceneCutDetector;
  private readonly trackEpochs = new TrackEpochs();
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

  constructor(
    cameraId: string,
    analysis: CameraAnalysis,
    frameSizePx: FrameSizePx,
    options: CameraPipelineOptions = {},
  ) {
    const scaled = scaleCameraAnalysis(analysis, frameSizePx);
    this.cameraId = cameraId;
    this.frameSizePx = { widthPx: frameSizePx.widthPx, heightPx: frameSizePx.heightPx };
    this.trackerOptions = {
      ...options.tracker,
      frameSizePx: { ...this.frameSizePx },
    };
    this.tracker = new ByteTracker(this.trackerOptions);
    this.sceneCuts = new SceneCutDetector(options.sceneCut);
    this.lines = scaled.lines.map((line) => new LineCounter(line, options.line));
    this.zones = scaled.zones.map((zone) => new PolygonZone(zone, options.zone));
    this.crowd = new CrowdMeter(
      scaled.zones.map((zone) => ({ id: zone.id, polygon: zone.polygon, areaM2: zone.areaM2 ?? null })),
    );
    this.speed = new SpeedEstimator(
      scaled.calibration ? Homography.fromCalibration(scaled.calibration) : null,
      options.speed,
    );
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
    const previousMs = this.lastCapturedAtMs;
    this.lastCapturedAtMs = t;
    this.framesProcessed += 1;
    const sceneCut = this.sceneCuts.observe(frame);
    const crossings = sceneCut ? this.endTracks(previousMs) : [];
    const detections = this.riders(this.toFrameSize(frame, frame.detections));
    const faint =
      frame.faintDetections && frame.faintDetections.length > 0
        ? this.riders(this.toFrameSize(frame, frame.faintDetections))
        : undefined;
    const analysed = frame.analysedRegions && this.toFrameRects(frame, frame.analysedRegions);
    const tracks = this.trackEpochs.relabel(this.tracker.update(detections, t, faint, analysed));
    const speeds = this.speed.update(tracks);
    for (const line of this.lines) crossings.push(...this.countCrossings(line, tracks));
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
    return { timestampMs: t, tracks, speeds, crossings, zoneUpdates, crowd, sceneCut };
  }

  /**
   * The source ended (an end-of-stream marker, in seq order after its last frame): a scene cut with reason
   * 'sourceEnded'. Every track ends as at any cut, so a vehicle caught crossing is counted (rule 5b of
   * analytics/lineCounter.ts) and a crossing still held is counted. Returns the crossings counted (none, and no
   * cut, when no frame came since the last end). A stream that merely goes quiet never calls this.
   */
  endSource(seq: number): PipelineCrossing[] {
    if (!(this.lastCapturedAtMs > -Infinity)) return [];
    const cut = this.sceneCuts.sourceEnded(this.lastCapturedAtMs, seq);
    return cut ? this.endTracks(this.lastCapturedAtMs) : [];
  }

  /** Scene cuts so far by reason, and the last one (for metrics and the camera's health). */
  get sceneCutStats(): { byReason: SceneCutDetector['cutsByReason']; last: SceneCut | null } {
    return { byReason: { ...this.sceneCuts.cutsByReason }, last: this.sceneCuts.lastCut };
  }

  /**
   * Every track ends now, as when they all leave the picture: crossings a confirmed track held are counted
   * (they were made before the cut), zone stays end at their last sighting, and the next frame starts a new
   * tracker whose ids follow the old ones. Counted minutes are kept. Returns the crossings counted.
   */
  endTracks(atMs: number = this.lastCapturedAtMs): PipelineCrossing[] {
    const none: Tracks = { timestampMs: atMs, tracks: [], detections: Detections.empty() };
    const crossings = this.lines.flatMap((line) => this.recordCrossings(line.endAll()));
    for (const zone of this.zones) zone.update(none);
    this.speed.update(none);
    this.tracker = new ByteTracker(this.trackerOptions);
    this.trackEpochs.startEpoch();
    return crossings;
  }

  private countCrossings(line: LineCounter, tracks: Tracks): PipelineCrossing[] {
    return this.recordCrossings(line.update(tracks));
  }

  private recordCrossings(counted: LineCrossing[]): PipelineCrossing[] {
    return counted.map((crossing) => {
      const speedKmh = this.speed.speedOf(crossing.trackId);
      this.minuteCounts.add({
        lineId: crossing.lineId,
        direction: crossing.direction,
        classId: crossing.classId,
        timestampMs: crossing.timestampMs,
        speedKmh,
      });
      return { ...crossing, speedKmh };
    });
  }

  /** Rows of the minutes that ended at or before watermarkMs and changed since the last flush (totals). */
  flushClosed(watermarkMs: number): PipelineRows {
    return { counts: this.minuteCounts.flushClosed(watermarkMs), zones: this.zoneStats.flushClosed(watermarkMs) };
  }

  /** Crossings and samples that arrived after their minute was forgotten (should stay 0). */
  get lateDropped(): number {
    return this.minuteCounts.lateDropped + this.zoneStats.lateDropped;
  }

  /** Riders merged into their two-wheelers, when on. Published and faint detections are merged apart. */
  private riders(detections: Detections): Detections {
    return this.ridersMerged ? mergeRiders(detections) : detections;
  }

  private toFrameRects(frame: PipelineFrame, rects: RectPx[]): RectPx[] {
    const sx = this.frameSizePx.widthPx / frame.frameWidthPx;
    const sy = this.frameSizePx.heightPx / frame.frameHeightPx;
    if (sx === 1 && sy === 1) return rects;
    return rects.map((r) => ({ x: r.x * sx, y: r.y * sy, widthPx: r.widthPx * sx, heightPx: r.heightPx * sy }));
  }

  private toFrameSize(frame: PipelineFrame, detections: Detections): Detections {
    const sx = this.frameSizePx.widthPx / frame.frameWidthPx;
    const sy = this.frameSizePx.heightPx / frame.frameHeightPx;
    if (sx === 1 && sy === 1) return detections;
    // The analysed size changed under a running camera (ingest reconfigured): keep the tracks, move the boxes.
    const boxes = Float32Array.from(detections.boxes, (v, i) => v * (i % 2 === 0 ? sx : sy));
    return new Detections({ boxes, scores: detections.scores, classIds: detections.classIds });
  }
}
