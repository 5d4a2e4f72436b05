// Settings of `inference` (one section of core/config.ts's schema).

import Type from 'typebox';
import { strict } from './strict.ts';

export const InferenceConfigSchema = Type.Object(
  {
    /** Model id from models/manifest.ts (or from extraManifestPath). */
    modelId: Type.String({ pattern: '^[A-Za-z0-9_.-]+$', default: 'yolox_nano' }),
    /** JSON array of extra manifest entries for models a user brings (e.g. an Ultralytics export); '' for none. */
    extraManifestPath: Type.String({ default: '' }),
    /** Where models/fetch.ts copies models; searched after `${assetsDir}/models`. */
    modelCacheDir: Type.String({ minLength: 1, default: 'models/cache' }),
    /**
     * Model input size in pixels, 0 and 0 for the model's default (its export's, 416x416 for yolox_nano). Another
     * size must be one the model's manifest entry accepts (multiples of 32 for yolox_nano and picodet_s): checked
     * at start. Aspect near the camera's pays: 960x544 for 16:9 finds ~2.5x the small motorbikes of 416x416 at
     * ~3x the model time (inference/README.md).
     */
    inputWidthPx: Type.Integer({ minimum: 0, maximum: 4096, default: 0 }),
    inputHeightPx: Type.Integer({ minimum: 0, maximum: 4096, default: 0 }),
    /** Input sizes a worker keeps sessions for at once (the default plus cameras' own sizes); beyond it a camera gets the default. */
    maxInputSizes: Type.Integer({ minimum: 1, maximum: 8, default: 3 }),
    /** onnxruntime sessions per worker process: frames inferred at once. */
    sessions: Type.Integer({ minimum: 1, maximum: 16, default: 1 }),
    /** onnxruntime intra-op threads per session. */
    intraOpThreads: Type.Integer({ minimum: 1, maximum: 64, default: 1 }),
    nmsIouThreshold: Type.Number({ minimum: 0.05, maximum: 0.95, default: 0.45 }),
    /** Across regions/tiles, a box this much inside (intersection over the smaller) another one is the same object. */
    mergeIosThreshold: Type.Number({ minimum: 0.3, maximum: 1, default: 0.7 }),
    /** Candidates under this score never reach NMS, whatever their class. */
    minScore: Type.Number({ minimum: 0.01, maximum: 1, default: 0.1 }),
    /**
     * Person, bicycle and motorbike detections from this score up to their class's threshold are published apart as faint ones: no object
     * on their own (never counted, drawn or starting a track), they only extend a track seen in the previous
     * frame whose predicted box they overlap (ByteTrack's second association). A small cyclist at 960 px
     * scores 0.15-0.33 as a person for frames on end (vn_wrong_way.mp4). 1 publishes none.
     */
    faintMinScore: Type.Number({ minimum: 0.01, maximum: 1, default: 0.1 }),
    /** Score a traffic detection needs to be published, per class. */
    scoreThresholds: Type.Object(
      {
        person: Type.Number({ minimum: 0, maximum: 1, default: 0.35 }),
        bicycle: Type.Number({ minimum: 0, maximum: 1, default: 0.3 }),
        // COCO models under-score motorbikes seen from behind in Vietnamese traffic; 0.2 measured on the asset clips.
        motorbike: Type.Number({ minimum: 0, maximum: 1, default: 0.2 }),
        // At 960x544 YOLOX-Nano scores near, fast cars 0.2-0.35 a frame or two on end (nl_motorway lost 3 of 15 at 0.35).
        car: Type.Number({ minimum: 0, maximum: 1, default: 0.2 }),
        bus: Type.Number({ minimum: 0, maximum: 1, default: 0.35 }),
        truck: Type.Number({ minimum: 0, maximum: 1, default: 0.35 }),
      },
      { ...strict, default: {} },
    ),
    /** How long a worker trusts its copy of a camera's analysis regions before re-reading Redis. */
    regionsRefreshMs: Type.Integer({ minimum: 100, maximum: 600000, default: 2000 }),
  },
  { ...strict, default: {} },
);
