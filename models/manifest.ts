// The models IOC Vision knows how to run: file, checksum, tensor format, classes, licence and source.
// Weights are never committed; models/fetch.ts fetches or copies them and checks the sha256 given here.

/** How a family's raw output tensor is laid out; inference/ has one decoder per family. */
export type ModelFamily = 'yolox' | 'ultralytics';

export interface ModelManifestEntry {
  id: string;
  fileName: string;
  /** Lower-case hex sha256 of the .onnx file. */
  sha256: string;
  family: ModelFamily;
  input: {
    name: string;
    widthPx: number;
    heightPx: number;
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
  output: { name: string };
  /** Class names by the model's own class id. */
  classNames: readonly string[];
  licence: string;
  sourceUrl: string;
  notes?: string;
}

export const COCO_CLASS_NAMES = [
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
  'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
  'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
  'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard',
  'tennis racket', 'bottle', 'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple',
  'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch',
  'potted plant', 'bed', 'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard',
  'cell phone', 'microwave', 'oven', 'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors',
  'teddy bear', 'hair drier', 'toothbrush',
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
      'Fixed batch 1.',
  },
];

export function findManifestEntry(
  id: string,
  entries: readonly ModelManifestEntry[] = MODEL_MANIFEST,
): ModelManifestEntry | undefined {
  return entries.find((entry) => entry.id === id);
}
