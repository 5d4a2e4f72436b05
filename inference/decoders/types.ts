// The contract between a model family's raw output and the rest of inference/: an adapter turns the model's
// output tensors into candidates in source pixels, before NMS (supervision's `Detections.from_*`).
import type { CandidateList } from '../candidates.ts';
import type { Letterbox } from '../geometry.ts';

export interface ModelOutput {
  data: Float32Array;
  dims: readonly number[];
}

export interface DecodeMeta {
  /** How the analysed region was letterboxed into the model input; boxes are mapped back through it. */
  letterbox: Letterbox;
  classCount: number;
  /** Candidates scoring below this are not emitted. */
  minScore: number;
}

/** Takes the outputs in the order the manifest entry names them. */
export type OutputDecoder = (outputs: readonly ModelOutput[], meta: DecodeMeta) => CandidateList;
