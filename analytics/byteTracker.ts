// Multi-object tracker in the ByteTrack style: Kalman-predicted boxes matched to high-score detections
// first, then to low-score ones, with a size-normalised centre gate so 2 fps jumps still associate.
import { Detections, TRAFFIC_CLASSES, type TrafficClass, type TrafficClassId } from '../core/detections.ts';
import { ValidationError } from '../core/errors.ts';
import { FORBIDDEN_COST, solveAssignment } from './assignment.ts';
import { type BoxXyxy, iou } from './geometry.ts';
import { FlowPrior } from './flowPrior.ts';
import { KalmanBoxFilter, type KalmanBoxOptions } from './kalmanBoxFilter.ts';
import type { Track, Tracks, TrackState } from './tracks.ts';

export interface ByteTrackerOptions {
  /** Detections at or above this score take part in the first association. Default 0.5. */
  highScore?: number;
  /** Detections below this are ignored; between lowScore and highScore they only extend tracks. Default 0.1. */
  lowScore?: number;
  /** An unmatched detection starts a track only at or above this score. Default 0.6. */
  newTrackScore?: number;
  /** Hits before a tentative track is confirmed (N). Default 2. */
  minHits?: number;
  /** Consecutive misses after which a confirmed track dies (M). Default 10. */
  maxMissedUpdates?: number;
  /**
   * A lost track also dies once unseen this long: at 2 fps ten misses is five seconds of coasting, in
   * which a prediction drifts far enough to take another object's detection. Default 2000 ms.
   */
  maxLostMs?: number;
  /** Consecutive misses a tentative track survives (dropped detections at low fps). Default 2. */
  maxTentativeMisses?: number;
  /** IoU with the predicted box at or above which a pair is matched on overlap alone. Default 0.2. */
  matchIou?: number;
  /**
   * Centre-distance gate, in innovation stds of the Kalman prediction (which scale with box size and
   * grow with elapsed time, so new and coasting tracks get wider gates). Default 3.
   */
  gateStds?: number;
  /**
   * Fastest plausible motion, box scales √(w·h) per second since the track was last seen: caps the
   * gate of uncertain tracks so a coasting or newborn track cannot reach across the frame (a newborn
   * with a learned flow prior is gated around its predicted position, so only unexplained motion is capped).
   * Default 5.
   */
  maxSpeedScalesPerS?: number;
  /** Largest ratio of box scales √(w·h) between a track and a detection it may take. Default 2. */
  maxScaleRatio?: number;
  /** Added to a pair's cost when the detection's class differs from the track's. Default 0.3. */
  classMismatchCost?: number;
  /**
   * Classes a detector confuses with each other; a track never takes a detection of another group (a
   * pedestrian's box never continues a motorbike's track). Default person | bicycle, motorbike | car,
   * bus, truck. Pass one group of all classes for class-agnostic tracking.
   */
  classGroups?: TrafficClass[][];
  /**
   * Start newborn tracks with the velocity of traffic at their place (learned from confirmed tracks),
   * so the second sighting of a fast small object is sought downstream. Default true.
   */
  flowPrior?: boolean;
  /** Velocity std of a newborn track that has a flow prior, box scales per s. Default 1.5. */
  flowPriorStdFrac?: number;
  /** When given, a lost track whose predicted centre leaves the frame dies at once. */
  frameSizePx?: { width: number; height: number } | null;
  kalman?: KalmanBoxOptions;
}

const DEFAULTS: Required<Omit<ByteTrackerOptions, 'kalman' | 'frameSizePx'>> = {
  classGroups: [['person'], ['bicycle', 'motorbike'], ['car', 'bus', 'truck']],
  highScore: 0.5,
  lowScore: 0.1,
  newTrackScore: 0.6,
  minHits: 2,
  maxMissedUpdates: 10,
  maxTentativeMisses: 2,
  maxLostMs: 2000,
  matchIou: 0.2,
  gateStds: 3,
  maxSpeedScalesPerS: 5,
  maxScaleRatio: 2,
  classMismatchCost: 0.3,
  flowPrior: true,
  flowPriorStdFrac: 1.5,
};

/** Centre distances beyond this many box scales all cost the same (the gate decides whether they may). */
const GATE_COST_SPAN_SCALES = 20;

interface TrackRecord {
  id: number;
  filter: KalmanBoxFilter;
  /**
   * Until its second sighting, a track born with a flow prior also keeps the hypothesis without it, so
   * a vehicle going against the usual flow (a U-turn, a wrong-way rider) still associates.
   */
  priorFreeFilter: KalmanBoxFilter | null;
  votes: Uint32Array;
  classId: TrafficClassId;
  score: number;
  ageUpdates: number;
  hits: number;
  missedUpdates: number;
  confirmed: boolean;
  firstSeenMs: number;
  lastSeenMs: number;
  /** Centre of the box at the last sighting (filtered), px. */
  lastSeenCentre: { x: number; y: number };
  lastPredictedMs: number;
  detectionIndex: number;
  /** Centres of the first sightings, taught to the flow prior once the velocity is established. */
  earlyCentres: Array<{ x: number; y: number }>;
}

/** Sightings after which a track's velocity is trusted enough to teach the flow prior. */
const ESTABLISHED_HITS = 3;

/** How far behind its last sighting (box scales) a coasting track may still find its object. */
const BACKWARD_TOLERANCE_SCALES = 0.5;

export class ByteTracker {
  private readonly options: typeof DEFAULTS;
  private readonly kalmanOptions: KalmanBoxOptions;
  private readonly frameSizePx: { width: number; height: number } | null;
  private records: TrackRecord[] = [];
  private readonly flow = new FlowPrior();
  /** classGroupOf[classId] = index of its group. */
  private readonly classGroupOf: Int32Array;
  private nextId = 1;
  private lastTimestampMs = -Infinity;

  constructor(options: ByteTrackerOptions = {}) {
    const { kalman, frameSizePx, ...rest } = options;
    this.options = { ...DEFAULTS, ...stripUndefined(rest) };
    this.kalmanOptions = kalman ?? {};
    this.frameSizePx = frameSizePx ?? null;
    this.classGroupOf = new Int32Array(TRAFFIC_CLASSES.length).fill(-1);
    this.options.classGroups.forEach((group, g) => {
      for (const name of group) this.classGroupOf[TRAFFIC_CLASSES.indexOf(name)] = g;
    });
    // A class left out of every group forms its own.
    this.classGroupOf.forEach((g, classId) => {
      if (g < 0) this.classGroupOf[classId] = this.options.classGroups.length + classId;
    });
  }

  /** Advances every track to timestampMs (epoch ms, never decreasing) and matches this frame's detections. */
  update(detections: Detections, timestampMs: number): Tracks {
    if (!Number.isFinite(timestampMs) || timestampMs < this.lastTimestampMs) {
      throw new ValidationError(`timestamp ${timestampMs} is before the previous update ${this.lastTimestampMs}`, {
        field: 'timestampMs',
      });
    }
    this.lastTimestampMs = timestampMs;
    // Tracks unseen for too long die before they can take anything in this frame.
    this.records = this.records.filter((r) => !r.confirmed || timestampMs - r.lastSeenMs <= this.options.maxLostMs);
    for (const record of this.records) {
      record.filter.predict((timestampMs - record.lastPredictedMs) / 1000);
      record.priorFreeFilter?.predict((timestampMs - record.lastPredictedMs) / 1000);
      record.lastPredictedMs = timestampMs;
      record.detectionIndex = -1;
    }

    const high: number[] = [];
    const low: number[] = [];
    for (let i = 0; i < detections.length; i++) {
      const score = detections.scores[i]!;
      if (score >= this.options.highScore) high.push(i);
      else if (score >= this.options.lowScore) low.push(i);
    }

    const trusted = this.records.filter((r) => r.confirmed);
    const tentative = this.records.filter((r) => !r.confirmed);
    // Stage 1: trusted tracks take the confident detections.
    const afterHigh = this.associate(trusted, high, detections, timestampMs, false);
    // Stage 2 (the ByteTrack idea): occluded or blurred objects score low; they may only extend a track,
    // and only where they overlap its predicted box, so clutter far from the prediction is never taken.
    const afterLow = this.associate(afterHigh.tracks, low, detections, timestampMs, true);
    // Stage 3: tentative tracks compete only for what trusted tracks left.
    const afterTentative = this.associate(tentative, afterHigh.detections, detections, timestampMs, false);
    // Stage 4: a tentative track may live on a low-score sighting (at 2 fps it has few chances), but a
    // low-score detection never starts a track.
    const afterTentativeLow = this.associate(afterTentative.tracks, afterLow.detections, detections, timestampMs, false);

    for (const record of afterLow.tracks) this.miss(record);
    for (const record of afterTentativeLow.tracks) this.miss(record);
    for (const index of afterTentative.detections) {
      if (detections.scores[index]! >= this.options.newTrackScore) this.birth(detections, index, timestampMs);
    }
    this.records = this.records.filter((r) => this.isAlive(r, timestampMs)).sort((a, b) => a.id - b.id);
    const tracks = this.snapshot(detections, timestampMs);
    if (this.options.flowPrior) {
      tracks.tracks.forEach((track, i) => {
        if (track.state !== 'confirmed' || track.hits < ESTABLISHED_HITS) return;
        const record = this.records[i]!;
        for (const centre of record.earlyCentres) this.flow.learn(track, centre);
        record.earlyCentres.length = 0;
        this.flow.learn(track);
      });
    }
    return tracks;
  }

  private associate(
    records: TrackRecord[],
    detectionIndices: number[],
    detections: Detections,
    timestampMs: number,
    overlapOnly: boolean,
  ): { tracks: TrackRecord[]; detections: number[] } {
    const costs = new Float64Array(records.length * detectionIndices.length);
    records.forEach((record, r) => {
      detectionIndices.forEach((index, c) => {
        costs[r * detectionIndices.length + c] = this.pairCost(record, detections, index, timestampMs, overlapOnly);
      });
    });
    const assignment = solveAssignment(costs, records.length, detectionIndices.length);
    for (const [r, c] of assignment.matches) this.hit(records[r]!, detections, detectionIndices[c]!, timestampMs);
    return {
      tracks: assignment.unmatchedRows.map((r) => records[r]!),
      detections: assignment.unmatchedColumns.map((c) => detectionIndices[c]!),
    };
  }

  /**
   * Overlap pairs cost [0, 1), centre-gated pairs [1, 2) growing with the distance in box scales, so the
   * nearest plausible pair wins whatever each track's uncertainty; outside the gate a pair is forbidden.
   */
  private pairCost(record: TrackRecord, detections: Detections, index: number, timestampMs: number, overlapOnly: boolean): number {
    const cost = this.filterCost(record.filter, record, detections, index, timestampMs, overlapOnly);
    if (!record.priorFreeFilter) return cost;
    return Math.min(cost, this.filterCost(record.priorFreeFilter, record, detections, index, timestampMs, overlapOnly));
  }

  private filterCost(
    filter: KalmanBoxFilter,
    record: TrackRecord,
    detections: Detections,
    index: number,
    timestampMs: number,
    overlapOnly: boolean,
  ): number {
    const box = boxAt(detections, index);
    const predicted = filter.box();
    const scaleRatio = Math.sqrt(boxArea(box) / Math.max(1, boxArea(predicted)));
    if (scaleRatio > this.options.maxScaleRatio || scaleRatio < 1 / this.options.maxScaleRatio) return FORBIDDEN_COST;
    const detectedClass = detections.classIds[index]!;
    if (this.classGroupOf[detectedClass] !== this.classGroupOf[record.classId]) return FORBIDDEN_COST;
    const classCost = detectedClass === record.classId ? 0 : this.options.classMismatchCost;
    const overlap = iou(predicted, box);
    if (overlap >= this.options.matchIou) return 1 - overlap + classCost;
    if (overlapOnly) return FORBIDDEN_COST;
    const scalePx = (Math.sqrt(boxArea(box)) + filter.scalePx()) / 2;
    const distanceScales = Math.hypot((box[0] + box[2] - predicted[0] - predicted[2]) / 2, (box[1] + box[3] - predicted[1] - predicted[3]) / 2) / scalePx;
    const unseenS = (timestampMs - record.lastSeenMs) / 1000;
    if (this.goesBackwards(record, box, scalePx)) return FORBIDDEN_COST;
    const gateScales = Math.min(
      (this.options.gateStds * filter.centreInnovationStdPx()) / scalePx,
      0.5 + this.options.maxSpeedScalesPerS * unseenS,
    );
    if (distanceScales > gateScales) return FORBIDDEN_COST;
    return 1 + Math.min(distanceScales, GATE_COST_SPAN_SCALES) / (GATE_COST_SPAN_SCALES + 1e-9) * 0.999 + classCost;
  }

  /**
   * Road users do not reverse between two sightings: an established track that coasted may not take a
   * detection lying behind where it was last seen (typically the next vehicle in its lane).
   */
  private goesBackwards(record: TrackRecord, box: BoxXyxy, scalePx: number): boolean {
    if (record.missedUpdates === 0 || record.hits < ESTABLISHED_HITS) return false;
    const [vx, vy] = [record.filter.mean[4]!, record.filter.mean[5]!];
    const speed = Math.hypot(vx, vy);
    if (speed < 0.3 * scalePx) return false; // nearly standing: its direction is noise
    const centre = centreOf(box);
    const along = ((centre.x - record.lastSeenCentre.x) * vx + (centre.y - record.lastSeenCentre.y) * vy) / speed;
    return along < -BACKWARD_TOLERANCE_SCALES * scalePx;
  }

  private hit(record: TrackRecord, detections: Detections, index: number, timestampMs: number): void {
    if (record.priorFreeFilter) {
      // The second sighting settles which birth hypothesis was right: with the flow or against it.
      const withFlow = this.filterCost(record.filter, record, detections, index, timestampMs, false);
      const withoutFlow = this.filterCost(record.priorFreeFilter, record, detections, index, timestampMs, false);
      if (withoutFlow < withFlow) record.filter = record.priorFreeFilter;
      record.priorFreeFilter = null;
    }
    record.filter.update(boxAt(detections, index));
    const classId = detections.classIds[index]!;
    record.votes[classId] = record.votes[classId]! + 1;
    // Majority vote; on a tie the class the track already has stays, so labels do not flicker.
    if (record.votes[classId]! > record.votes[record.classId]!) record.classId = classId;
    record.score = detections.scores[index]!;
    record.hits += 1;
    record.ageUpdates += 1;
    record.missedUpdates = 0;
    record.lastSeenMs = timestampMs;
    record.lastSeenCentre = centreOf(record.filter.box());
    record.detectionIndex = index;
    if (record.hits < ESTABLISHED_HITS) record.earlyCentres.push(centreOf(boxAt(detections, index)));
    if (record.hits >= this.options.minHits) record.confirmed = true;
  }

  private miss(record: TrackRecord): void {
    record.ageUpdates += 1;
    record.missedUpdates += 1;
  }

  private birth(detections: Detections, index: number, timestampMs: number): void {
    const classId = detections.classIds[index]!;
    const votes = new Uint32Array(TRAFFIC_CLASSES.length);
    votes[classId] = 1;
    const box = boxAt(detections, index);
    const flowVelocity = this.options.flowPrior ? this.flow.velocityAt((box[0] + box[2]) / 2, (box[1] + box[3]) / 2) : null;
    const prior = flowVelocity ? { velocityPxPerS: flowVelocity, stdFrac: this.options.flowPriorStdFrac } : undefined;
    this.records.push({
      id: this.nextId++,
      filter: new KalmanBoxFilter(box, this.kalmanOptions, prior),
      priorFreeFilter: prior ? new KalmanBoxFilter(box, this.kalmanOptions) : null,
      votes,
      classId,
      score: detections.scores[index]!,
      ageUpdates: 1,
      hits: 1,
      missedUpdates: 0,
      confirmed: this.options.minHits <= 1,
      firstSeenMs: timestampMs,
      lastSeenMs: timestampMs,
      lastPredictedMs: timestampMs,
      detectionIndex: index,
      earlyCentres: [centreOf(box)],
      lastSeenCentre: centreOf(box),
    });
  }

  private isAlive(record: TrackRecord, timestampMs: number): boolean {
    if (!record.confirmed) return record.missedUpdates <= this.options.maxTentativeMisses;
    if (record.missedUpdates > this.options.maxMissedUpdates) return false;
    if (timestampMs - record.lastSeenMs > this.options.maxLostMs) return false;
    if (record.missedUpdates > 0 && this.frameSizePx) {
      const [x1, y1, x2, y2] = record.filter.box();
      const cx = (x1 + x2) / 2;
      const cy = (y1 + y2) / 2;
      if (cx < 0 || cy < 0 || cx > this.frameSizePx.width || cy > this.frameSizePx.height) return false;
    }
    return true;
  }

  private snapshot(detections: Detections, timestampMs: number): Tracks {
    const trackIds = new Int32Array(detections.length).fill(-1);
    const tracks: Track[] = this.records.map((record) => {
      if (record.detectionIndex >= 0) trackIds[record.detectionIndex] = record.id;
      const state: TrackState = !record.confirmed ? 'tentative' : record.detectionIndex >= 0 ? 'confirmed' : 'lost';
      const velocity = record.filter.velocityPxPerS();
      return {
        id: record.id,
        classId: record.classId,
        className: TRAFFIC_CLASSES[record.classId]!,
        box: record.filter.box(),
        velocityPxPerS: { x: velocity.x, y: velocity.y },
        score: record.score,
        ageUpdates: record.ageUpdates,
        hits: record.hits,
        missedUpdates: record.missedUpdates,
        state,
        firstSeenMs: record.firstSeenMs,
        lastSeenMs: record.lastSeenMs,
        detectionIndex: record.detectionIndex,
      };
    });
    const tracked = new Detections({
      boxes: detections.boxes,
      scores: detections.scores,
      classIds: detections.classIds,
      trackIds,
    });
    return { timestampMs, tracks, detections: tracked };
  }
}

function boxAt(detections: Detections, index: number): BoxXyxy {
  const b = detections.boxes;
  return [b[index * 4]!, b[index * 4 + 1]!, b[index * 4 + 2]!, b[index * 4 + 3]!];
}

function centreOf(box: BoxXyxy): { x: number; y: number } {
  return { x: (box[0] + box[2]) / 2, y: (box[1] + box[3]) / 2 };
}

function boxArea(box: BoxXyxy): number {
  return Math.max(0, box[2] - box[0]) * Math.max(0, box[3] - box[1]);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
