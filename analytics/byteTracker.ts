// Multi-object tracker in the ByteTrack style: Kalman-predicted boxes matched to high-score detections
// first, then to low-score ones, with a size-normalised centre gate so 2 fps jumps still associate.
import {
  Detections,
  FOUR_WHEELER_CLASS_IDS,
  TRAFFIC_CLASSES,
  TWO_WHEELER_CLASS_IDS,
  type TrafficClass,
  type TrafficClassId,
} from '../core/detections.ts';
import { ValidationError } from '../core/errors.ts';
import { FORBIDDEN_COST, solveAssignment } from './assignment.ts';
import { type AssociationGates, filterCost, goesBackwards, pairCost } from './associationCost.ts';
import { FlowPrior } from './flowPrior.ts';
import { TwoWheelerWidth } from './twoWheelerWidth.ts';
import { KalmanBoxFilter, type KalmanBoxOptions } from './kalmanBoxFilter.ts';
import type { FrameSizePx, RectPx } from '../core/geometry.ts';
import { type BoxXyxy, iou } from './geometry.ts';
import { decideTrackClass } from './trackClass.ts';
import { ESTABLISHED_HITS, type TrackRecord, boxArea, boxAt, centreOf } from './trackRecord.ts';
import type { Track, Tracks, TrackState } from './tracks.ts';

export interface ByteTrackerOptions {
  /** Detections at or above this score take part in the first association. Default 0.5. */
  highScore?: number;
  /** Detections below this are ignored; between lowScore and highScore they only extend tracks. Default 0.1. */
  lowScore?: number;
  /** An unmatched detection starts a track only at or above this score. Default 0.6. */
  newTrackScore?: number;
  /**
   * A detection overlapping (IoU) a more confident one of another class of its group at least this much is that
   * object boxed twice, as two classes, and is left out of tracking. Default 0.7: the detector's same-class suppression
   * (0.45) keeps no two boxes this close, so two vehicles never both show so.
   */
  duplicateIou?: number;
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
  /** IoU with the predicted box a faint detection needs to extend a track. Default 0.3. */
  faintMatchIou?: number;
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
   * Classes one object's detections may carry; a track never takes a detection of another group (a
   * pedestrian's box never continues a car's track). Default person, bicycle, motorbike | car, bus,
   * truck: a rider is part of the two-wheeler, and where its bike is missed the detector sees only the
   * person, so that box must continue the two-wheeler's track (with person apart, such a rider became two
   * alternating tracks, a motorbike one and a person one, each counted); analytics/trackClass.ts then
   * decides whether the track is a pedestrian or a two-wheeler. Pass one group of all classes for
   * class-agnostic tracking.
   */
  classGroups?: TrafficClass[][];
  /**
   * Start newborn tracks with the velocity of traffic at their place (learned from confirmed tracks),
   * so the second sighting of a fast small object is sought downstream. Default true.
   */
  flowPrior?: boolean;
  /** Velocity std of a newborn track that has a flow prior, box scales per s. Default 1.5. */
  flowPriorStdFrac?: number;
  /**
   * Net speed, box heights per second from a track's first sighting to its last, above which it moves
   * like a vehicle and is no pedestrian (analytics/trackClass.ts): a pedestrian walks ~0.8 heights/s and
   * runs ~2, a motorbike in town goes 4–10 (more in rider-box heights, which are shorter). Default 2.5.
   */
  vehicleSpeedHeightsPerS?: number;
  /** A track's speed is judged only once it has been followed this long, s. Default 0.6. */
  vehicleMotionMinS?: number;
  /** Share of two-wheeler votes that makes a person-or-two-wheeler track a two-wheeler. Default 0.25. */
  minTwoWheelerShare?: number;
  /**
   * Report a car, bus or truck track as a motorbike when most of its four-wheeler sightings were no wider than
   * two two-wheelers at their row (learned from this camera's two-wheeler tracks, analytics/twoWheelerWidth.ts):
   * a cargo motorbike or a rider from behind that the model misread. It still associates as a four-wheeler
   * (its next "truck" box continues it). Default true.
   */
  narrowFourWheelersAreMotorbikes?: boolean;
  /** When given, a lost track whose predicted centre leaves the frame dies at once. */
  frameSizePx?: FrameSizePx | null;
  kalman?: KalmanBoxOptions;
}

/**
 * Widest box for its height that may be a misread two-wheeler: a rider or a cargo motorbike seen from the front or
 * behind is taller than wide; a far car (25x20 px at the demo's far rows) is wider, and stayed a "motorbike".
 */
const NARROW_MAX_ASPECT = 1;

/** A box this close to the frame's edge (share of the frame's width or height) may be cut by it. */
const BORDER_SHARE = 0.02;

const DEFAULTS: Required<Omit<ByteTrackerOptions, 'kalman' | 'frameSizePx'>> = {
  classGroups: [
    ['person', 'bicycle', 'motorbike'],
    ['car', 'bus', 'truck'],
  ],
  highScore: 0.5,
  lowScore: 0.1,
  newTrackScore: 0.6,
  duplicateIou: 0.7,
  minHits: 2,
  maxMissedUpdates: 10,
  maxTentativeMisses: 2,
  maxLostMs: 2000,
  matchIou: 0.2,
  faintMatchIou: 0.3,
  gateStds: 3,
  maxSpeedScalesPerS: 5,
  maxScaleRatio: 2,
  classMismatchCost: 0.3,
  flowPrior: true,
  flowPriorStdFrac: 1.5,
  vehicleSpeedHeightsPerS: 2.5,
  vehicleMotionMinS: 0.6,
  minTwoWheelerShare: 0.25,
  narrowFourWheelersAreMotorbikes: true,
};

const MOTORBIKE = TRAFFIC_CLASSES.indexOf('motorbike');

/** Overlap of a low-score detection with a track's predicted box that says the object is right there. */
const ANCHOR_IOU = 0.5;
const NO_RECORDS: ReadonlySet<TrackRecord> = new Set();

/** Detections from index `from` on are faint; only a track `takenBy` accepts may take one. */
interface FaintRule {
  from: number;
  takenBy: (record: TrackRecord, box: BoxXyxy) => boolean;
}

export class ByteTracker {
  private readonly options: typeof DEFAULTS;
  private readonly kalmanOptions: KalmanBoxOptions;
  private readonly frameSizePx: FrameSizePx | null;
  private records: TrackRecord[] = [];
  private readonly flow = new FlowPrior();
  private readonly twoWheelerWidth = new TwoWheelerWidth();
  private readonly gates: AssociationGates;
  private nextId = 1;
  private lastTimestampMs = -Infinity;

  constructor(options: ByteTrackerOptions = {}) {
    const { kalman, frameSizePx, ...rest } = options;
    this.options = { ...DEFAULTS, ...stripUndefined(rest) };
    this.kalmanOptions = kalman ?? {};
    this.frameSizePx = frameSizePx ?? null;
    const classGroupOf = new Int32Array(TRAFFIC_CLASSES.length).fill(-1);
    this.options.classGroups.forEach((group, g) => {
      for (const name of group) classGroupOf[TRAFFIC_CLASSES.indexOf(name)] = g;
    });
    // A class left out of every group forms its own.
    classGroupOf.forEach((g, classId) => {
      if (g < 0) classGroupOf[classId] = this.options.classGroups.length + classId;
    });
    const { matchIou, gateStds, maxSpeedScalesPerS, maxScaleRatio, classMismatchCost } = this.options;
    this.gates = { matchIou, gateStds, maxSpeedScalesPerS, maxScaleRatio, classMismatchCost, classGroupOf };
  }

  /**
   * Advances every track to timestampMs (epoch ms, never decreasing) and matches this frame's detections.
   * `faint`: detections under their class's publishing threshold (inference's faint set). They only take part
   * in the second association (a confirmed track's predicted box overlapping them), never start or confirm a
   * track; those taken join the returned detections after the published ones, the rest are dropped.
   * `analysedRegions` (motion gating): the only parts of the frame the model ran on. A track whose box centre
   * lies outside them did not move (nothing moved there) and was not looked for: one seen at its last update
   * is not predicted on, may still take a detection (from a crop reaching it), and when none is taken is
   * carried where it is, as seen now, not missed.
   */
  update(published: Detections, timestampMs: number, faint?: Detections, analysedRegions?: readonly RectPx[]): Tracks {
    if (!Number.isFinite(timestampMs) || timestampMs < this.lastTimestampMs) {
      throw new ValidationError(`timestamp ${timestampMs} is before the previous update ${this.lastTimestampMs}`, {
        field: 'timestampMs',
      });
    }
    this.lastTimestampMs = timestampMs;
    const detections = faint && faint.length > 0 ? concatDetections(published, faint) : published;
    // Tracks unseen for too long die before they can take anything in this frame.
    this.records = this.records.filter((r) => !r.confirmed || timestampMs - r.lastSeenMs <= this.options.maxLostMs);
    const carried = analysedRegions ? this.outside(analysedRegions) : NO_RECORDS;
    for (const record of this.records) {
      record.detectionIndex = -1;
      if (carried.has(record)) {
        record.lastPredictedMs = timestampMs;
        continue;
      }
      record.filter.predict((timestampMs - record.lastPredictedMs) / 1000);
      record.priorFreeFilter?.predict((timestampMs - record.lastPredictedMs) / 1000);
      record.lastPredictedMs = timestampMs;
    }

    const high: number[] = [];
    const low: number[] = [];
    const faintLow: number[] = [];
    const duplicate = this.secondBoxes(detections);
    for (let i = 0; i < detections.length; i++) {
      if (duplicate[i]) continue;
      const score = detections.scores[i]!;
      if (i >= published.length) {
        if (score >= this.options.lowScore) faintLow.push(i);
      } else if (score >= this.options.highScore) high.push(i);
      else if (score >= this.options.lowScore) low.push(i);
    }

    const trusted = this.records.filter((r) => r.confirmed);
    const tentative = this.records.filter((r) => !r.confirmed);
    // Stage 1: trusted tracks take the confident detections. A track whose own box is plainly there as a
    // low-score detection (a parked car half hidden) takes a confident one only by overlap, never by
    // reaching out to a vehicle passing at a distance after a gap in the frames.
    const anchored = this.anchoredByLowScore(trusted, low, detections);
    const afterHigh = this.associate(trusted, high, detections, timestampMs, false, anchored);
    // Stage 2 (the ByteTrack idea): occluded or blurred objects score low; they may only extend a track,
    // and only where they overlap its predicted box (or, less, lie just ahead of it: a car speeding up in the
    // picture, associationCost.ts), so clutter far from the prediction is never taken.
    // A small, slow road user (a cyclist at 960 px) scores under its class's publishing threshold for a frame
    // or two while plainly there: a faint box may extend a track seen in the previous frame where it overlaps
    // the prediction well and does not lie behind the last sighting. Faint boxes are often part of a rider (a
    // torso, a wheel) or of the rider behind: taken loosely, they shrank or dragged tracks that then missed the
    // line (vn_traffic lost a motorbike). A track already coasting takes none: its prediction may have drifted.
    const faintFor = (record: TrackRecord, box: BoxXyxy) =>
      record.missedUpdates === 0 &&
      iou(record.filter.box(), box) >= this.options.faintMatchIou &&
      !goesBackwards(record, box, Math.min(Math.sqrt(boxArea(box)), record.filter.scalePx()), 0);
    const afterLow = this.associate(
      afterHigh.tracks,
      [...low, ...faintLow],
      detections,
      timestampMs,
      true,
      NO_RECORDS,
      { from: published.length, takenBy: faintFor },
    );
    // Stage 3: tentative tracks compete only for what trusted tracks left.
    const afterTentative = this.associate(tentative, afterHigh.detections, detections, timestampMs, false);
    // Stage 4: a tentative track may live on a low-score sighting (at 2 fps it has few chances), but a
    // low-score detection never starts a track.
    const afterTentativeLow = this.associate(
      afterTentative.tracks,
      afterLow.detections,
      detections,
      timestampMs,
      false,
    );

    for (const record of [...afterLow.tracks, ...afterTentativeLow.tracks]) {
      if (carried.has(record)) this.carry(record, timestampMs);
      else this.miss(record);
    }
    for (const index of afterTentative.detections) {
      if (detections.scores[index]! >= this.options.newTrackScore) this.birth(detections, index, timestampMs);
    }
    this.records = this.records.filter((r) => this.isAlive(r, timestampMs)).sort((a, b) => a.id - b.id);
    const tracks = this.snapshot(detections, timestampMs, published.length);
    if (this.options.narrowFourWheelersAreMotorbikes) {
      for (const track of tracks.tracks) {
        const i = track.detectionIndex;
        if (track.state !== 'confirmed' || i < 0 || !TWO_WHEELER_CLASS_IDS.has(track.classId)) continue;
        if (TWO_WHEELER_CLASS_IDS.has(tracks.detections.classIds[i]!))
          this.twoWheelerWidth.learn(boxAt(tracks.detections, i));
      }
    }
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

  /**
   * Detections boxing an object a more confident detection of another class of its group already boxes (IoU at
   * least duplicateIou): one vehicle seen as two classes, a dark car as a car and a truck, a taxi as a car and a truck.
   * They take part in no association: a track born on the second box took the next vehicle's second box and so
   * jumped from one vehicle to another across a line (us_street_dusk counted a car going away that none did), and
   * the wall drew a second, "truck" track over a taxi.
   */
  private secondBoxes(detections: Detections): Uint8Array {
    const duplicate = new Uint8Array(detections.length);
    const { classGroupOf } = this.gates;
    const boxes = Array.from({ length: detections.length }, (_, i) => boxAt(detections, i));
    const byScore = boxes.map((_, i) => i).sort((a, b) => detections.scores[b]! - detections.scores[a]! || a - b);
    for (let a = 0; a < byScore.length; a++) {
      const i = byScore[a]!;
      if (duplicate[i]) continue;
      for (let b = a + 1; b < byScore.length; b++) {
        const j = byScore[b]!;
        const [ci, cj] = [detections.classIds[i]!, detections.classIds[j]!];
        // Same-class overlaps are the detector's suppression's to judge (they pass it only when it is off).
        if (duplicate[j] || ci === cj || classGroupOf[cj] !== classGroupOf[ci]) continue;
        if (iou(boxes[i]!, boxes[j]!) >= this.options.duplicateIou) duplicate[j] = 1;
      }
    }
    return duplicate;
  }

  private associate(
    records: TrackRecord[],
    detectionIndices: number[],
    detections: Detections,
    timestampMs: number,
    overlapOnly: boolean,
    overlapOnlyRecords: ReadonlySet<TrackRecord> = NO_RECORDS,
    faint: FaintRule | null = null,
  ): { tracks: TrackRecord[]; detections: number[] } {
    const costs = new Float64Array(records.length * detectionIndices.length);
    records.forEach((record, r) => {
      const byOverlapOnly = overlapOnly || overlapOnlyRecords.has(record);
      detectionIndices.forEach((index, c) => {
        if (faint && index >= faint.from && !faint.takenBy(record, boxAt(detections, index))) {
          costs[r * detectionIndices.length + c] = FORBIDDEN_COST;
          return;
        }
        const candidate = {
          box: boxAt(detections, index),
          classId: detections.classIds[index]!,
          timestampMs,
          lowScore: overlapOnly,
        };
        costs[r * detectionIndices.length + c] = pairCost(this.gates, record, candidate, byOverlapOnly);
      });
    });
    const assignment = solveAssignment(costs, records.length, detectionIndices.length);
    for (const [r, c] of assignment.matches) this.hit(records[r]!, detections, detectionIndices[c]!, timestampMs);
    return {
      tracks: assignment.unmatchedRows.map((r) => records[r]!),
      detections: assignment.unmatchedColumns.map((c) => detectionIndices[c]!),
    };
  }

  /** Tracks whose predicted box a low-score detection of their class group overlaps by ANCHOR_IOU or more. */
  private anchoredByLowScore(records: TrackRecord[], low: number[], detections: Detections): Set<TrackRecord> {
    const anchored = new Set<TrackRecord>();
    for (const record of records) {
      const predicted = record.filter.box();
      const group = this.gates.classGroupOf[record.classId];
      if (
        low.some(
          (i) =>
            this.gates.classGroupOf[detections.classIds[i]!] === group &&
            iou(predicted, boxAt(detections, i)) >= ANCHOR_IOU,
        )
      ) {
        anchored.add(record);
      }
    }
    return anchored;
  }

  private hit(record: TrackRecord, detections: Detections, index: number, timestampMs: number): void {
    if (record.priorFreeFilter) {
      // The second sighting settles which birth hypothesis was right: with the flow or against it.
      const candidate = { box: boxAt(detections, index), classId: detections.classIds[index]!, timestampMs };
      const withFlow = filterCost(this.gates, record.filter, record, candidate, false);
      const withoutFlow = filterCost(this.gates, record.priorFreeFilter, record, candidate, false);
      if (withoutFlow < withFlow) record.filter = record.priorFreeFilter;
      record.priorFreeFilter = null;
    }
    record.filter.update(boxAt(detections, index));
    const classId = detections.classIds[index]!;
    record.votes[classId] = record.votes[classId]! + 1;
    if (this.narrowFourWheeler(classId, boxAt(detections, index))) record.narrowHits += 1;
    record.heightSumPx += detections.boxes[index * 4 + 3]! - detections.boxes[index * 4 + 1]!;
    record.lastSeenCentre = centreOf(record.filter.box());
    record.hits += 1;
    record.lastSeenMs = timestampMs;
    if (!record.movedLikeVehicle) record.movedLikeVehicle = this.movesLikeVehicle(record);
    record.classId = decideTrackClass(record.votes, record.classId, record.movedLikeVehicle, this.options);
    record.score = detections.scores[index]!;
    record.ageUpdates += 1;
    record.missedUpdates = 0;
    record.detectionIndex = index;
    if (record.hits < ESTABLISHED_HITS) record.earlyCentres.push(centreOf(boxAt(detections, index)));
    if (record.hits >= this.options.minHits) record.confirmed = true;
  }

  /** Net speed over the track's life, in its mean box height per second, at or above the vehicle speed. */
  private movesLikeVehicle(record: TrackRecord): boolean {
    const elapsedS = (record.lastSeenMs - record.firstSeenMs) / 1000;
    if (elapsedS < this.options.vehicleMotionMinS || record.hits < ESTABLISHED_HITS) return false;
    const meanHeightPx = record.heightSumPx / record.hits;
    const distancePx = Math.hypot(
      record.lastSeenCentre.x - record.firstSeenCentre.x,
      record.lastSeenCentre.y - record.firstSeenCentre.y,
    );
    return distancePx / Math.max(1, meanHeightPx) / elapsedS >= this.options.vehicleSpeedHeightsPerS;
  }

  /**
   * Tracks seen at their last update whose box centre lies in none of the analysed regions. A track already
   * missed is not carried: its object was not where it was looked for, and it must still die on time.
   */
  private outside(regions: readonly RectPx[]): ReadonlySet<TrackRecord> {
    const outside = new Set<TrackRecord>();
    for (const record of this.records) {
      if (record.missedUpdates > 0) continue;
      const { x, y } = centreOf(record.filter.box());
      const inside = regions.some((r) => x >= r.x && x <= r.x + r.widthPx && y >= r.y && y <= r.y + r.heightPx);
      if (!inside) outside.add(record);
    }
    return outside;
  }

  /** Nothing moved where the track is: it stays as it was, seen now, with no miss. */
  private carry(record: TrackRecord, timestampMs: number): void {
    record.ageUpdates += 1;
    record.lastSeenMs = timestampMs;
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
    const flowVelocity = this.options.flowPrior
      ? this.flow.velocityAt((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
      : null;
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
      firstSeenCentre: centreOf(box),
      heightSumPx: box[3] - box[1],
      narrowHits: this.narrowFourWheeler(classId, box) ? 1 : 0,
      movedLikeVehicle: false,
      lastSeenCentre: centreOf(box),
    });
  }

  /**
   * A car, bus or truck box no wider than two two-wheelers at its row nor wider than tall, seen whole: a box at
   * the frame's border holds only the part of the vehicle in view (a car entering from the bottom edge starts a
   * few riders wide), and the demo's wall called every such car a motorbike for its first ~3 s.
   */
  private narrowFourWheeler(classId: TrafficClassId, box: BoxXyxy): boolean {
    return (
      FOUR_WHEELER_CLASS_IDS.has(classId) &&
      box[2] - box[0] <= NARROW_MAX_ASPECT * (box[3] - box[1]) &&
      !this.atFrameBorder(box) &&
      this.twoWheelerWidth.fitsTwoWheeler(box)
    );
  }

  /** Whether the box reaches within BORDER_SHARE of the frame's size of its edge (unknown frame size: no). */
  private atFrameBorder(box: BoxXyxy): boolean {
    const frame = this.frameSizePx;
    if (!frame) return false;
    const marginX = BORDER_SHARE * frame.widthPx;
    const marginY = BORDER_SHARE * frame.heightPx;
    return (
      box[0] <= marginX || box[1] <= marginY || box[2] >= frame.widthPx - marginX || box[3] >= frame.heightPx - marginY
    );
  }

  /** The track's class as counted: a four-wheeler track mostly seen no wider than two riders is a motorbike. */
  private reportedClass(record: TrackRecord): TrafficClassId {
    if (
      !this.options.narrowFourWheelersAreMotorbikes ||
      !FOUR_WHEELER_CLASS_IDS.has(record.classId) ||
      record.narrowHits === 0
    )
      return record.classId;
    let fourWheelerVotes = 0;
    for (const id of FOUR_WHEELER_CLASS_IDS) fourWheelerVotes += record.votes[id]!;
    return 2 * record.narrowHits >= fourWheelerVotes ? MOTORBIKE : record.classId;
  }

  private isAlive(record: TrackRecord, timestampMs: number): boolean {
    if (!record.confirmed) return record.missedUpdates <= this.options.maxTentativeMisses;
    if (record.missedUpdates > this.options.maxMissedUpdates) return false;
    if (timestampMs - record.lastSeenMs > this.options.maxLostMs) return false;
    if (record.missedUpdates > 0 && this.frameSizePx) {
      const [x1, y1, x2, y2] = record.filter.box();
      const cx = (x1 + x2) / 2;
      const cy = (y1 + y2) / 2;
      if (cx < 0 || cy < 0 || cx > this.frameSizePx.widthPx || cy > this.frameSizePx.heightPx) return false;
    }
    return true;
  }

  private snapshot(all: Detections, timestampMs: number, publishedCount: number): Tracks {
    // Faint detections no track took are not objects: they leave the output, and the taken ones follow the published.
    const kept = keptFaint(all, this.records, publishedCount);
    const detections = kept ? kept.detections : all;
    for (const record of this.records) {
      if (kept && record.detectionIndex >= publishedCount)
        record.detectionIndex = kept.indexOf.get(record.detectionIndex)!;
    }
    const trackIds = new Int32Array(detections.length).fill(-1);
    const tracks: Track[] = this.records.map((record) => {
      if (record.detectionIndex >= 0) trackIds[record.detectionIndex] = record.id;
      const state: TrackState = !record.confirmed ? 'tentative' : record.detectionIndex >= 0 ? 'confirmed' : 'lost';
      const velocity = record.filter.velocityPxPerS();
      const classId = this.reportedClass(record);
      return {
        id: record.id,
        classId,
        className: TRAFFIC_CLASSES[classId]!,
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

/** Published detections followed by the faint ones, one value for the association stages. */
function concatDetections(published: Detections, faint: Detections): Detections {
  const boxes = new Float32Array((published.length + faint.length) * 4);
  boxes.set(published.boxes, 0);
  boxes.set(faint.boxes, published.length * 4);
  const scores = new Float32Array(published.length + faint.length);
  scores.set(published.scores, 0);
  scores.set(faint.scores, published.length);
  const classIds = new Uint8Array(published.length + faint.length);
  classIds.set(published.classIds, 0);
  classIds.set(faint.classIds, published.length);
  return new Detections({ boxes, scores, classIds });
}

/** The published detections plus the faint ones a track took, and where each taken one now sits; null without faint ones. */
function keptFaint(
  all: Detections,
  records: readonly TrackRecord[],
  publishedCount: number,
): { detections: Detections; indexOf: Map<number, number> } | null {
  if (all.length === publishedCount) return null;
  const taken = records
    .map((r) => r.detectionIndex)
    .filter((i) => i >= publishedCount)
    .sort((a, b) => a - b);
  const indexOf = new Map(taken.map((i, k) => [i, publishedCount + k]));
  const keep = [...Array.from({ length: publishedCount }, (_, i) => i), ...taken];
  const boxes = new Float32Array(keep.length * 4);
  keep.forEach((i, k) => boxes.set(all.boxes.subarray(i * 4, i * 4 + 4), k * 4));
  const detections = new Detections({
    boxes,
    scores: Float32Array.from(keep, (i) => all.scores[i]!),
    classIds: Uint8Array.from(keep, (i) => all.classIds[i]!),
  });
  return { detections, indexOf };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
