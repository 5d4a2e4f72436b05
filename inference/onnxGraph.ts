// An ONNX graph rewritten in memory before onnxruntime loads it (InferenceSession.create takes the bytes):
// another input size, initializers an old exporter also listed as graph inputs dropped from the inputs, and
// (for the worker's sessions) packed RGB bytes accepted in place of the float input (inference/packedRgbInput.ts).
// The protobuf is read and written by onnx-proto (protobufjs classes generated from onnx.proto), never by hand.
import onnxProto from 'onnx-proto';
import { ModelUnavailableError } from '../core/errors.ts';
import type { InputSizePx } from '../models/inputSize.ts';
import { acceptPackedRgb, type PackedInputSpec } from './packedRgbInput.ts';

const { onnx } = onnxProto;
type Model = onnxProto.onnx.ModelProto;
type Tensor = onnxProto.onnx.ITensorProto;

export interface InputSizeRewrite {
  inputName: string;
  /** The size the graph was exported at, which its constants were computed for. */
  exportSizePx: InputSizePx;
  sizePx: InputSizePx;
  /** Rewrite feature-map sizes baked into Reshape shape constants (PicoDet), as the manifest entry says. */
  spatialReshapeConstants: boolean;
  /** Feed the graph packed RGB bytes (PACKED_RGB_INPUT) converted to this input inside the graph. */
  packedRgb?: PackedInputSpec;
  /** Nodes appended after the model's outputs (inference/outputTail.ts). */
  appendTail?: (model: Model) => void;
}

export interface PreparedGraph {
  /** The bytes to load: the original file's when nothing needed changing. */
  bytes: Uint8Array;
  /** Whether `bytes` differ from the file's (else onnxruntime may as well load the file by path). */
  rewritten: boolean;
  /** Reshape shape constants given the new feature-map sizes. */
  reshapeConstants: number;
  /** Initializers removed from the graph's input list. */
  droppedInputs: number;
  /** Whether the graph takes packed RGB bytes (the rewrite asked for it). */
  packedRgb: boolean;
}

const INT64 = onnx.TensorProto.DataType.INT64;
/** Strides a detector's feature maps are at; a map is ceil(input / stride) cells, as stride-2 convolutions pad. */
const FEATURE_STRIDES = [4, 8, 16, 32, 64, 128];

export function decodeModel(bytes: Uint8Array): Model {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new ModelUnavailableError(`not an ONNX model: ${(err as Error).message}`);
  }
}

export function encodeModel(model: Model): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/**
 * The graph at the rewrite's size, with the initializers that are also graph inputs dropped from the inputs
 * (they then fold as constants: 15–25 % faster for PicoDet, same outputs), taking packed RGB and with an output
 * tail when asked. The original bytes when none applies.
 */
export function prepareModelGraph(bytes: Uint8Array, rewrite: InputSizeRewrite): PreparedGraph {
  const model = decodeModel(bytes);
  const droppedInputs = dropInitializerInputs(model);
  const resized =
    rewrite.sizePx.widthPx !== rewrite.exportSizePx.widthPx ||
    rewrite.sizePx.heightPx !== rewrite.exportSizePx.heightPx;
  const reshapeConstants = resized ? setInputSize(model, rewrite) : 0;
  const packedRgb = rewrite.packedRgb !== undefined;
  if (rewrite.packedRgb) acceptPackedRgb(model, rewrite.packedRgb, rewrite.sizePx);
  rewrite.appendTail?.(model);
  if (!resized && droppedInputs === 0 && !packedRgb && !rewrite.appendTail) {
    return { bytes, rewritten: false, reshapeConstants: 0, droppedInputs: 0, packedRgb };
  }
  return { bytes: encodeModel(model), rewritten: true, reshapeConstants, droppedInputs, packedRgb };
}

/**
 * Removes initializers from graph.input (allowed from IR version 4), and with them the initializers no node reads
 * (the old exporter left some; onnxruntime warns about each once they are not inputs). Returns how many were listed.
 */
export function dropInitializerInputs(model: Model): number {
  const graph = graphOf(model);
  if (Number(String(model.irVersion)) < 4) return 0;
  const initializers = new Set(graph.initializer.map((t) => t.name));
  const before = graph.input.length;
  graph.input = graph.input.filter((input) => !initializers.has(input.name));
  const dropped = before - graph.input.length;
  // Nodes of a subgraph (If, Loop) may read outer initializers too: then none is pruned.
  const hasSubgraphs = graph.node.some((node) =>
    node.attribute?.some((attr) => attr.g || (attr.graphs?.length ?? 0) > 0),
  );
  if (dropped > 0 && !hasSubgraphs) {
    const read = new Set<string>(graph.output.map((o) => o.name ?? ''));
    for (const node of graph.node) for (const name of node.input ?? []) read.add(name);
    graph.initializer = graph.initializer.filter((t) => read.has(t.name ?? ''));
  }
  return dropped;
}

/**
 * Declares the input as [N, C, height, width], clears shape information computed for the old size (value_info,
 * output dims: onnxruntime infers them again) and, when asked, rewrites the spatial Reshape constants. Returns how
 * many constants were rewritten.
 */
export function setInputSize(model: Model, rewrite: InputSizeRewrite): number {
  const graph = graphOf(model);
  const input = graph.input.find((i) => i.name === rewrite.inputName);
  const dims = input?.type?.tensorType?.shape?.dim;
  if (!dims || dims.length !== 4) {
    throw new ModelUnavailableError(
      `graph input ${rewrite.inputName} is not a declared 4-d tensor; its size cannot be rewritten`,
    );
  }
  dims[2] = new onnx.TensorShapeProto.Dimension({ dimValue: rewrite.sizePx.heightPx });
  dims[3] = new onnx.TensorShapeProto.Dimension({ dimValue: rewrite.sizePx.widthPx });
  graph.valueInfo = [];
  for (const output of graph.output) {
    if (output.type?.tensorType) output.type.tensorType.shape = null;
  }
  return rewrite.spatialReshapeConstants ? rewriteReshapeConstants(model, rewrite) : 0;
}

/**
 * Reshape shapes ending in a feature map's (height, width) at the export's size, ceil(size / stride) for one of
 * FEATURE_STRIDES, get that stride's map at the new size. A constant also read by another kind of node is left
 * alone only if nothing in it needs changing; otherwise the model cannot be resized safely.
 */
function rewriteReshapeConstants(model: Model, rewrite: InputSizeRewrite): number {
  const graph = graphOf(model);
  const tensors = new Map<string, Tensor>();
  for (const t of graph.initializer) tensors.set(t.name ?? '', t);
  for (const node of graph.node) {
    if (node.opType === 'Constant' && node.output?.length === 1) {
      const value = node.attribute?.find((a) => a.name === 'value')?.t;
      if (value) tensors.set(node.output[0]!, value);
    }
  }
  const readers = new Map<string, Set<string>>();
  for (const node of graph.node)
    for (const name of node.input ?? []) readers.set(name, (readers.get(name) ?? new Set()).add(node.opType ?? ''));

  const done = new Set<string>();
  for (const node of graph.node) {
    const shapeName = node.opType === 'Reshape' ? node.input?.[1] : undefined;
    if (shapeName === undefined || done.has(shapeName)) continue;
    const tensor = tensors.get(shapeName);
    if (!tensor || tensor.dataType !== INT64) continue;
    const values = int64Values(tensor);
    const resized = resizeTrailingMap(values, rewrite);
    if (!resized) continue;
    if ([...(readers.get(shapeName) ?? [])].some((op) => op !== 'Reshape')) {
      throw new ModelUnavailableError(
        `Reshape shape ${shapeName} is also read by other nodes; the graph cannot be resized safely`,
      );
    }
    setInt64Values(tensor, resized);
    done.add(shapeName);
  }
  return done.size;
}

function resizeTrailingMap(values: number[], rewrite: InputSizeRewrite): number[] | null {
  if (values.length < 3) return null;
  const h = values[values.length - 2]!;
  const w = values[values.length - 1]!;
  const { exportSizePx: from, sizePx: to } = rewrite;
  const stride = FEATURE_STRIDES.find((s) => Math.ceil(from.heightPx / s) === h && Math.ceil(from.widthPx / s) === w);
  if (stride === undefined) return null;
  return [...values.slice(0, -2), Math.ceil(to.heightPx / stride), Math.ceil(to.widthPx / stride)];
}

function int64Values(tensor: Tensor): number[] {
  const raw = tensor.rawData;
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    return Array.from({ length: raw.byteLength / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
  }
  return (tensor.int64Data ?? []).map((v) => Number(v.toString()));
}

/** Writes the values in the tensor's own encoding (raw little-endian bytes or int64_data). */
function setInt64Values(tensor: Tensor, values: number[]): void {
  if (tensor.rawData && tensor.rawData.length > 0) {
    const raw = new Uint8Array(values.length * 8);
    const view = new DataView(raw.buffer);
    values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    tensor.rawData = raw;
  } else {
    tensor.int64Data = values;
  }
  tensor.dims = [values.length];
}

function graphOf(model: Model): onnxProto.onnx.IGraphProto & {
  input: onnxProto.onnx.IValueInfoProto[];
  initializer: Tensor[];
  node: onnxProto.onnx.INodeProto[];
  output: onnxProto.onnx.IValueInfoProto[];
  valueInfo: onnxProto.onnx.IValueInfoProto[];
} {
  if (!model.graph) throw new ModelUnavailableError('ONNX model has no graph');
  return model.graph as ReturnType<typeof graphOf>;
}
