// Settings of `motion` (one section of core/config.ts's schema): motion gating, where ingest finds what moved in
// each sampled frame (ingest/motionDetector.ts) and workers run the model only on crops around it
// (inference/motionCrops.ts), carrying tracks through the still parts.

import Type from 'typebox';
import { strict } from './strict.ts';

export const MotionConfigSchema = Type.Object(
  {
    /** Find motion in ingest and run the model only where something moved (and not at all on a still frame). */
    gating: Type.Boolean({ default: false }),
    /** A cell of the 160-px grey copy moved when it differs from the background by more than this (0–255). */
    diffThreshold: Type.Integer({ minimum: 1, maximum: 254, default: 18 }),
    /** Side of a motion crop in model pixels: a size the model accepts (a multiple of 32 for YOLOX and PicoDet). */
    cropModelPx: Type.Integer({ minimum: 64, maximum: 1024, default: 384 }),
    /** Margin around each moving box (already grown by 2 cells of the grey copy), as a share of the crop's side. */
    marginFrac: Type.Number({ minimum: 0, maximum: 0.5, default: 0.05 }),
    /** Crops costing more than this share of the whole frame's model pixels: the whole frame runs instead. */
    maxCostShare: Type.Number({ minimum: 0, maximum: 1, default: 0.7 }),
  },
  { ...strict, default: {} },
);
