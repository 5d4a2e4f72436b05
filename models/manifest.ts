// The models IOC Vision knows how to run: file, checksum, tensor format, classes, licence and source.
// Weights are never committed; models/fetch.ts fetches or copies them and checks the sha256 given here.

/** How a family's raw output tensor is laid out; inference/ has one decoder per family. */
export type ModelFamily = 'yolox' | 'ultralytics' | 'picodet';

/** A model input size in pixels. */
export interface InputSizePx {
  widthPx: number;
  heightPx: number;
}

/**
 * Input sizes a graph runs at besides its export's, once its declared input dims are rewritten at load
 * (inference/onnxGraph.ts): any multiple of `multipleOfPx` from minPx to maxPx on each side, or a list.
 */
export type AcceptedInputSizes =
  { multipleOfPx: number; minPx: number; maxPx: number } | { listPx: readonly InputSizePx[] };

export interface ModelManifestEntry {
  id: string;
  fileName: string;
  /** Lower-case hex sha256 of the .onnx file. */
  sha256: string;
  family: ModelFamily;
  input: {
    name: string;
    /** The export's input size, and the size the model runs at unless configured otherwise. */
    widthPx: number;
    heightPx: number;
    /** Other sizes it accepts; absent: the export's size only. */
    sizes?: AcceptedInputSizes;
    /**
     * The size a deployment runs it at unless config inference.inputWidthPx/inputHeightPx say otherwise, when
     * measured better than the export's on the project's truth clips (README "How exact the counts are").
     */
    deploySizePx?: InputSizePx;
    /** Tensor layout; only NCHW is produced by the preprocessor. */
    layout: 'NCHW';
    /** Fixed batch size of the exported graph (1), or null when the batch dimension is dynamic. */
    batch: number | null;
    colourOrder: 'RGB' | 'BGR';
    /** value = (pixel * scale - mean[c]) / std[c], per channel in colourOrder. */
    scale: number;
    mean: [number, number, number];
    std: [number, number, number];
    /** Grey level of the letterbox padding (right and bottom). */
    padValue: number;
  };
  /** The output tensor, or several in the order the family's decoder takes them. */
  output: { name: string } | { names: readonly string[] };
  /**
   * The graph's Reshape nodes carry the feature-map size in constant shapes (PicoDet's channel shuffle): another
   * input size needs those rewritten too (inference/onnxGraph.ts).
   */
  spatialReshapeConstants?: boolean;
  /** Class names by the model's own class id. */
  classNames: readonly string[];
  licence: string;
  sourceUrl: string;
  notes?: string;
}

export const COCO_CLASS_NAMES = [
  'person',
  'bicycle',
  'car',
  'motorcycle',
  'airplane',
  'bus',
  'train',
  'truck',
  'boat',
  'traffic light',
  'fire hydrant',
  'stop sign',
  'parking meter',
  'bench',
  'bird',
  'cat',
  'dog',
  'horse',
  'sheep',
  'cow',
  'elephant',
  'bear',
  'zebra',
  'giraffe',
  'backpack',
  'umbrella',
  'handbag',
  'tie',
  'suitcase',
  'frisbee',
  'skis',
  'snowboard',
  'sports ball',
  'kite',
  'baseball bat',
  'baseball glove',
  'skateboard',
  'surfboard',
  'tennis racket',
  'bottle',
  'wine glass',
  'cup',
  'fork',
  'knife',
  'spoon',
  'bowl',
  'banana',
  'apple',
  'sandwich',
  'orange',
  'broccoli',
  'carrot',
  'hot dog',
  'pizza',
  'donut',
  'cake',
  'chair',
  'couch',
  'potted plant',
  'bed',
  'dining table',
  'toilet',
  'tv',
  'laptop',
  'mouse',
  'remote',
  'keyboard',
  'cell phone',
  'microwave',
  'oven',
  'toaster',
  'sink',
  'refrigerator',
  'book',
  'clock',
  'vase',
  'scissors',
  'teddy bear',
  'hair drier',
  'toothbrush',
] as const;

/**
 * Built-in entries. Ultralytics YOLOv8/YOLO11 exports (family 'ultralytics', output [1, 4+C, N]) are
 * supported but not shipped (AGPL-3.0 weights): a user lists their own file through
 * config inference.extraManifestPath (see models/README.md).
 */
export const MODEL_MANIFEST: readonly ModelManifestEntry[] = [
  {
    id: 'yolox_nano',
    fileName: 'yolox_nano.onnx',
    sha256: 'd39bee73564e338080378b0ad567fbb40e818b55bbfaf971de82a0267ed16b8a',
    family: 'yolox',
    input: {
      name: 'images',
      widthPx: 416,
      heightPx: 416,
      // Its reshapes take their sizes from Shape nodes: any multiple of 32 runs once the input dims are rewritten.
      sizes: { multipleOfPx: 32, minPx: 128, maxPx: 1920 },
      // 16:9 at 960 px: motorbikes on 1080p city cameras are 10-20 px wide at 416 and missed (README table).
      deploySizePx: { widthPx: 960, heightPx: 544 },
      layout: 'NCHW',
      batch: 1,
      colourOrder: 'BGR',
      scale: 1,
      mean: [0, 0, 0],
      std: [1, 1, 1],
      padValue: 114,
    },
    output: { name: 'output' },
    classNames: COCO_CLASS_NAMES,
    licence: 'Apache-2.0 (YOLOX, Megvii)',
    sourceUrl: 'https://github.com/hamacom2004jp/iinfer/raw/c7f9a3c/models/yolox_nano.onnx',
    notes:
      'Official Megvii YOLOX-Nano export, COCO AP 25.8. Output [1,3549,85] raw grid over strides 8/16/32, no NMS. ' +
      'Fixed batch 1. At 960x544 the output is [1,10710,85].',
  },
  {
    id: 'picodet_s',
    fileName: 'picodet_s_416_coco.onnx',
    sha256: 'cdab77bdde16e4f76bec734c4e5791801d1739e4c7ec1995e0e110e04300d0c2',
    family: 'picodet',
    input: {
      name: 'image',
      widthPx: 416,
      heightPx: 416,
      // Strides up to 64 with ceil-sized grids: any multiple of 32 runs once the reshape constants are rewritten.
      sizes: { multipleOfPx: 32, minPx: 128, maxPx: 1920 },
      layout: 'NCHW',
      batch: 1,
      colourOrder: 'RGB',
      scale: 1,
      mean: [123.675, 116.28, 103.53],
      std: [58.395, 57.12, 57.375],
      padValue: 114,
    },
    output: {
      // Class maps for strides 8/16/32/64, then box maps for the same strides (inference/decoders/picodet.ts).
      names: [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `save_infer_model/scale_${i}.tmp_1`),
    },
    spatialReshapeConstants: true,
    classNames: COCO_CLASS_NAMES,
    licence: 'Apache-2.0 (PaddleDetection)',
    sourceUrl: 'https://github.com/hpc203/picodet-onnxruntime/raw/6bd166c3/coco/picodet_s_416_coco.onnx',
    notes:
      'PP-PicoDet-S (2021 ESNet version), COCO mAP 30.7 at 416. GFL head, sigmoid class maps, no NMS. ' +
      'Its initializers are also listed as graph inputs (old exporter): dropped from the inputs at load.',
  },
];

/** The names of the entry's output tensors, in the order its decoder takes them. */
export function outputNamesOf(entry: Pick<ModelManifestEntry, 'output'>): readonly string[] {
  return 'names' in entry.output ? entry.output.names : [entry.output.name];
}

export function findManifestEntry(
  id: string,
  entries: readonly ModelManifestEntry[] = MODEL_MANIFEST,
): ModelManifestEntry | undefined {
  return entries.find((entry) => entry.id === id);
}
