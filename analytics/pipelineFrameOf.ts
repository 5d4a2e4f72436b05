// An inference result as the pipeline takes it: its published and faint detections decoded from JSON.
// One place for it, so no reader forgets the faint detections (or hands their JSON on undecoded).
import type { InferenceResult } from '../core/inferenceResult.ts';
import { Detections } from '../core/detections.ts';
import type { PipelineFrame } from './cameraPipeline.ts';

type ResultFields = Pick<
  InferenceResult,
  'capturedAtMs' | 'frameWidthPx' | 'frameHeightPx' | 'detections' | 'faintDetections'
> &
  Partial<Pick<InferenceResult, 'seq' | 'image' | 'analysedRegions'>>;

/** Throws the Detections validation error when a result's detections are malformed. */
export function pipelineFrameOf(result: ResultFields): PipelineFrame {
  return {
    capturedAtMs: result.capturedAtMs,
    frameWidthPx: result.frameWidthPx,
    frameHeightPx: result.frameHeightPx,
    detections: Detections.fromJSON(result.detections),
    faintDetections: result.faintDetections ? Detections.fromJSON(result.faintDetections) : undefined,
    seq: result.seq,
    image: result.image,
    analysedRegions: result.analysedRegions,
  };
}
