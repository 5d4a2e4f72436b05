// The detector: one interface over every model family. JPEG in; boxes in source pixels out, both in the
// model's own classes (raw, e.g. COCO) and as traffic Detections. The family's adapter comes from decoderOf (outputTail.ts).
import { readFile } from 'node:fs/promises';
import type { Config } from '../core/config.ts';
import type { Detections } from '../core/detections.ts';
import { ValidationError } from '../core/errors.ts';
import { outputNamesOf, type ModelManifestEntry } from '../models/manifest.ts';
import { CandidateList, type RawDetections } from './candidates.ts';
import type { OutputDecoder } from './decoders/index.ts';
import type { FrameSizePx, RectPx } from '../core/geometry.ts';
import { computeLetterbox, isWholeFrame, type Letterbox } from './geometry.ts';
import {
  configuredInputSize,
  exportSizeOf,
  inputAtSize,
  inputSizeProblem,
  type InputSizePx,
} from '../models/inputSize.ts';
import { manifestEntryFor, resolveModelFile } from '../models/modelFiles.ts';
import { prepareModelGraph } from './onnxGraph.ts';
import { decoderOf, OUTPUT_TAILS } from './outputTail.ts';
import { nonMaxSuppression } from './nms.ts';
import { decodeJpeg, fillPackedRgb, probeJpeg, resizeRegionRgb, type DecodedImage } from './preprocess.ts';
import { WHOLE_FRAME_PLAN, type AnalysisPlan } from '../core/analysisPlan.ts';
import { planRegions } from './regions.ts';
import { SessionPool } from './sessionPool.ts';
import { toFaintDetections, toTrafficDetections, trafficClassMap } from './trafficClasses.ts';

export interface DetectOptions {
  /** Regions to analyse; the whole frame when absent. */
  plan?: AnalysisPlan;
  /** Size the producer declared; a JPEG of another size is rejected (FrameRejectedError). */
  expectedSize?: FrameSizePx;
  /**
   * Drop boxes cut by a region's border inside the frame even without a whole-frame pass: motion crops, where
   * what a crop cuts did not move (a moving box lies whole in a crop) and its track is carried instead.
   */
  dropCutAtInnerEdges?: boolean;
}

export interface RawFrameDetections {
  raw: RawDetections;
  frame: FrameSizePx;
  /** Regions the model ran on (1 for the whole frame alone). */
  regionCount: number;
  /**
   * The whole frame as the model saw it, when the plan ran it: the letterbox's picture (packed RGB,
   * resizedWidthPx × resizedHeightPx, no padding), reused for image statistics.
   */
  wholeFrame?: { rgb: Buffer; letterbox: Letterbox };
}

export interface FrameDetections extends RawFrameDetections {
  traffic: Detections;
  /** Traffic detections under their class threshold, from faintMinScore up: for extending tracks only. */
  faint: Detections;
}

export interface Detector {
  readonly model: ModelManifestEntry;
  /** The size the model runs at (its export's, or the configured or camera's one). */
  readonly inputSizePx: InputSizePx;
  /** Detections in the model's own class ids (COCO for YOLOX), after NMS, in source pixels. */
  detectRaw(jpeg: Buffer, options?: DetectOptions): Promise<RawFrameDetections>;
  /** detectRaw plus the traffic mapping and per-class thresholds. */
  detect(jpeg: Buffer, options?: DetectOptions): Promise<FrameDetections>;
  close(): Promise<void>;
}

export type DetectorSettings = Pick<
  Config['inference'],
  'minScore' | 'nmsIouThreshold' | 'mergeIosThreshold' | 'scoreThresholds' | 'faintMinScore'
>;

export class OnnxDetector implements Detector {
  private readonly decode: OutputDecoder;
  private readonly classMap: Int8Array;
  /** The manifest's input description at the size the pool's graph was loaded at. */
  private readonly input: ModelManifestEntry['input'];

  constructor(
    readonly model: ModelManifestEntry,
    private readonly pool: SessionPool,
    private readonly settings: DetectorSettings,
    readonly inputSizePx: InputSizePx = exportSizeOf(model),
  ) {
    // The pool's graph carries the same family's output tail (loadSessionPool), when it has one.
    this.decode = decoderOf(model.family);
    this.classMap = trafficClassMap(model.classNames);
    this.input = inputAtSize(model.input, inputSizePx);
  }

  async detectRaw(jpeg: Buffer, options: DetectOptions = {}): Promise<RawFrameDetections> {
    const frame = probeJpeg(jpeg, options.expectedSize);
    const plan = options.plan ?? WHOLE_FRAME_PLAN;
    const rects = planRegions(plan, frame.widthPx, frame.heightPx);
    // One region: decode, crop and shrink in one libvips pass. Several: decode once, cut each from the pixels.
    const source: Buffer | DecodedImage = rects.length === 1 ? jpeg : await decodeJpeg(jpeg);
    const ran = await Promise.all(rects.map((rect) => this.detectRegion(source, frame, rect)));
    const perRegion = ran.map((r) => r.candidates);
    const whole = ran.find((r) => isWholeFrame(r.letterbox.region, frame));
    if (plan.wholeFrame || options.dropCutAtInnerEdges) {
      // An object cut by a crop or tile border is seen whole by the whole-frame pass (or the overlapping
      // tile): its truncated box is noise, not a second object.
      rects.forEach((rect, i) => dropCutAtInnerEdges(perRegion[i]!, rect, frame));
    }
    const all = new CandidateList();
    perRegion.forEach((candidates, sourceId) => all.append(candidates, sourceId));
    const kept = nonMaxSuppression(all, {
      iouThreshold: this.settings.nmsIouThreshold,
      mergeIosThreshold: this.settings.mergeIosThreshold,
    });
    return {
      raw: all.select(kept),
      frame,
      regionCount: rects.length,
      wholeFrame: whole ? { rgb: whole.rgb, letterbox: whole.letterbox } : undefined,
    };
  }

  async detect(jpeg: Buffer, options: DetectOptions = {}): Promise<FrameDetections> {
    const result = await this.detectRaw(jpeg, options);
    const { scoreThresholds, faintMinScore } = this.settings;
    return {
      ...result,
      traffic: toTrafficDetections(result.raw, this.classMap, scoreThresholds),
      faint: toFaintDetections(result.raw, this.classMap, scoreThresholds, faintMinScore),
    };
  }

  private async detectRegion(
    source: Buffer | DecodedImage,
    frame: FrameSizePx,
    rect: RectPx,
  ): Promise<{ candidates: CandidateList; rgb: Buffer; letterbox: Letterbox }> {
    const input = this.input;
    const letterbox = computeLetterbox(rect, input.widthPx, input.heightPx);
    const rgb = await resizeRegionRgb(source, frame, letterbox);
    const picture = { widthPx: letterbox.resizedWidthPx, heightPx: letterbox.resizedHeightPx };
    const output = await this.pool.run((packed) => fillPackedRgb(rgb, input, packed, picture));
    const candidates = this.decode(output, {
      letterbox,
      classCount: this.model.classNames.length,
      minScore: this.settings.minScore,
    });
    return { candidates, rgb, letterbox };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

const EDGE_MARGIN_PX = 2;

/** Removes candidates touching an edge of `rect` that is inside the frame (not the frame's own border). */
function dropCutAtInnerEdges(list: CandidateList, rect: RectPx, frame: FrameSizePx): void {
  const left = rect.x > 0 ? rect.x + EDGE_MARGIN_PX : -Infinity;
  const top = rect.y > 0 ? rect.y + EDGE_MARGIN_PX : -Infinity;
  const right = rect.x + rect.widthPx < frame.widthPx ? rect.x + rect.widthPx - EDGE_MARGIN_PX : Infinity;
  const bottom = rect.y + rect.heightPx < frame.heightPx ? rect.y + rect.heightPx - EDGE_MARGIN_PX : Infinity;
  if (left === -Infinity && top === -Infinity && right === Infinity && bottom === Infinity) return;
  list.retain((b, o) => b[o]! > left && b[o + 1]! > top && b[o + 2]! < right && b[o + 3]! < bottom);
}

export interface CreateDetectorOptions {
  /** Use this entry instead of looking up config.inference.modelId. */
  model?: ModelManifestEntry;
  /** Run at this size instead of config inference.inputWidthPx/inputHeightPx (a camera's own size). */
  inputSizePx?: InputSizePx;
}

/**
 * Loads the configured model (sha256-verified) into a session pool and wraps it in a detector. The graph is
 * rewritten in memory first: to take packed RGB, at the size asked for, without initializers listed as inputs,
 * with the family's output tail.
 * A configured size the manifest does not accept stops here, naming the config key (ConfigInvalidError).
 */
export async function createDetector(
  config: Pick<Config, 'assetsDir' | 'inference'>,
  options: CreateDetectorOptions = {},
): Promise<Detector> {
  const model = options.model ?? manifestEntryFor(config);
  const sizePx = options.inputSizePx ?? configuredInputSize(config, model);
  const pool = await loadSessionPool(config, model, sizePx);
  return new OnnxDetector(model, pool, config.inference, sizePx);
}

/**
 * The model's sessions at `sizePx` (config inference.sessions of them), the graph rewritten for that size, for
 * packed RGB and with its family's output tail: the detector decodes what this pool returns.
 */
export async function loadSessionPool(
  config: Pick<Config, 'assetsDir' | 'inference'>,
  model: ModelManifestEntry,
  sizePx: InputSizePx,
): Promise<SessionPool> {
  const problem = inputSizeProblem(model, sizePx);
  if (problem) throw new ValidationError(problem, { field: 'inputSizePx' });
  const modelPath = await resolveModelFile(config, model);
  const tail = OUTPUT_TAILS[model.family];
  const graph = prepareModelGraph(await readFile(modelPath), {
    inputName: model.input.name,
    exportSizePx: exportSizeOf(model),
    sizePx,
    spatialReshapeConstants: model.spatialReshapeConstants ?? false,
    packedRgb: model.input,
    appendTail: tail && ((graph) => tail.append(graph, outputNamesOf(model))),
  });
  return SessionPool.create({
    model: graph.bytes,
    modelPath,
    outputNames: tail?.outputNames ?? outputNamesOf(model),
    inputDims: [model.input.batch ?? 1, sizePx.heightPx, sizePx.widthPx, 3],
    size: config.inference.sessions,
    intraOpThreads: config.inference.intraOpThreads,
  });
}
