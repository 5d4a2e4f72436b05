// One frame's detection under motion gating: nothing when nothing moved, the model at crop size on the crops
// around what moved, or the camera's plan as it is (no motion known, a plan of its own regions, or crops that
// would cost nearly the whole frame). The result says which parts were analysed, so the analyzer carries the
// tracks elsewhere instead of missing them.
import type { AnalysisPlan } from '../core/analysisPlan.ts';
import type { Config } from '../core/config.ts';
import type { FrameSizePx, RectPx } from '../core/geometry.ts';
import type { FrameDetections } from './detector.ts';
import type { DetectorsBySize } from './detectorsBySize.ts';
import { motionCrops } from './motionCrops.ts';
import { sameSize } from '../models/inputSize.ts';
import { probeJpeg } from './preprocess.ts';

export interface GatedDetection {
  /** What the model found; null when it did not run (nothing moved). */
  detected: FrameDetections | null;
  frame: FrameSizePx;
  /** The parts of the frame the model ran on when gated (crops, or [] for none); absent: the plan ran whole. */
  analysedRegions?: RectPx[];
}

export async function detectWhereMoved(
  detectors: DetectorsBySize,
  plan: AnalysisPlan,
  jpeg: Buffer,
  frame: FrameSizePx & { motion?: RectPx[] },
  settings: Config['motion'],
): Promise<GatedDetection> {
  const sized = await detectors.forSize(plan.inputSizePx);
  const expectedSize = { widthPx: frame.widthPx, heightPx: frame.heightPx };
  const runPlan = async (): Promise<GatedDetection> => {
    const detected = await sized.detect(jpeg, { plan, expectedSize });
    return { detected, frame: detected.frame };
  };
  // A camera with its own regions (crops, tiles) asked for them: gating only narrows the whole frame.
  if (!frame.motion || !plan.wholeFrame || plan.crops.length > 0 || plan.tiles) return runPlan();
  const gate = motionCrops(frame.motion, expectedSize, {
    cropModelPx: settings.cropModelPx,
    wholeModelPx: sized.inputSizePx,
    marginFrac: settings.marginFrac,
    maxCostShare: settings.maxCostShare,
  });
  if (gate.kind === 'whole') return runPlan();
  if (gate.kind === 'none') return { detected: null, frame: probeJpeg(jpeg, expectedSize), analysedRegions: [] };
  const cropSize = { widthPx: settings.cropModelPx, heightPx: settings.cropModelPx };
  const cropDetector = await detectors.forSize(cropSize);
  // The model refused the crop size (or too many sizes are loaded): crops at the whole frame's size cost more.
  if (!sameSize(cropDetector.inputSizePx, cropSize)) return runPlan();
  const detected = await cropDetector.detect(jpeg, {
    plan: { wholeFrame: false, crops: gate.crops, tiles: null },
    expectedSize,
    dropCutAtInnerEdges: true,
  });
  return { detected, frame: detected.frame, analysedRegions: gate.crops };
}
