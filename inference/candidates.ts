// Detections in the model's own class ids (e.g. COCO), before the traffic mapping: what decoders
// produce and NMS filters. Exposed as `RawDetections` so tests and tools can see every COCO class.

/** Growable struct of arrays of xyxy boxes, scores, model class ids and the region each came from. */
export class CandidateList {
  boxes: Float32Array;
  scores: Float32Array;
  classIds: Uint16Array;
  /** Index of the analysis region (whole frame, crop, tile) that produced the box. */
  sourceIds: Uint16Array;
  count = 0;

  constructor(capacity = 64) {
    this.boxes = new Float32Array(capacity * 4);
    this.scores = new Float32Array(capacity);
    this.classIds = new Uint16Array(capacity);
    this.sourceIds = new Uint16Array(capacity);
  }

  push(x1: number, y1: number, x2: number, y2: number, score: number, classId: number, sourceId = 0): void {
    if (this.count === this.scores.length) this.grow();
    const i = this.count++;
    this.boxes[i * 4] = x1;
    this.boxes[i * 4 + 1] = y1;
    this.boxes[i * 4 + 2] = x2;
    this.boxes[i * 4 + 3] = y2;
    this.scores[i] = score;
    this.classIds[i] = classId;
    this.sourceIds[i] = sourceId;
  }

  /** Appends another list's entries, tagging them with `sourceId`. */
  append(other: CandidateList, sourceId: number): void {
    for (let i = 0; i < other.count; i++) {
      const o = i * 4;
      this.push(
        other.boxes[o]!,
        other.boxes[o + 1]!,
        other.boxes[o + 2]!,
        other.boxes[o + 3]!,
        other.scores[i]!,
        other.classIds[i]!,
        sourceId,
      );
    }
  }

  /** Keeps, in order, the entries whose xyxy box (boxes[offset] to boxes[offset + 3]) passes `keep`. */
  retain(keep: (boxes: Float32Array, offset: number) => boolean): void {
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      if (!keep(this.boxes, i * 4)) continue;
      if (kept !== i) {
        this.boxes.copyWithin(kept * 4, i * 4, i * 4 + 4);
        this.scores[kept] = this.scores[i]!;
        this.classIds[kept] = this.classIds[i]!;
        this.sourceIds[kept] = this.sourceIds[i]!;
      }
      kept++;
    }
    this.count = kept;
  }

  private grow(): void {
    const capacity = Math.max(16, this.scores.length * 2);
    const boxes = new Float32Array(capacity * 4);
    boxes.set(this.boxes);
    const scores = new Float32Array(capacity);
    scores.set(this.scores);
    const classIds = new Uint16Array(capacity);
    classIds.set(this.classIds);
    const sourceIds = new Uint16Array(capacity);
    sourceIds.set(this.sourceIds);
    Object.assign(this, { boxes, scores, classIds, sourceIds });
  }

  /** Trimmed copy of the entries at `indices`, in that order. */
  select(indices: ArrayLike<number>): RawDetections {
    const n = indices.length;
    const out: RawDetections = {
      boxes: new Float32Array(n * 4),
      scores: new Float32Array(n),
      classIds: new Uint16Array(n),
    };
    for (let k = 0; k < n; k++) {
      const i = indices[k]!;
      out.boxes.set(this.boxes.subarray(i * 4, i * 4 + 4), k * 4);
      out.scores[k] = this.scores[i]!;
      out.classIds[k] = this.classIds[i]!;
    }
    return out;
  }
}

/** Final detections in source pixels, with the model's class ids (before the traffic mapping). */
export interface RawDetections {
  boxes: Float32Array;
  scores: Float32Array;
  classIds: Uint16Array;
}
