// The graph takes the frame as sharp decodes it: packed RGB bytes, [N, H, W, 3] uint8. A prefix of nodes turns
// them into the model's own input (planar NCHW float, its colour order and scaling) inside onnxruntime, where
// the transpose and cast are vectorised and off the event loop, instead of a per-pixel loop in JavaScript
// (~5 CPU ms a frame at 960x544) and a Float32 tensor four times the size handed to the session's thread.
import onnxProto from 'onnx-proto';
import { ModelUnavailableError } from '../core/errors.ts';
import { initializer } from './onnxInitializer.ts';
import type { ModelManifestEntry } from '../models/manifest.ts';
import type { InputSizePx } from '../models/inputSize.ts';

const { onnx } = onnxProto;
type Model = onnxProto.onnx.ModelProto;
const DataType = onnx.TensorProto.DataType;
const AttributeType = onnx.AttributeProto.AttributeType;

/** Name of the packed input the rewritten graph declares; `ioc_` keeps it apart from the exporter's names. */
export const PACKED_RGB_INPUT = 'ioc_packed_rgb';
const PREFIX = 'ioc_packed_';

export type PackedInputSpec = Pick<
  ModelManifestEntry['input'],
  'name' | 'colourOrder' | 'scale' | 'mean' | 'std' | 'batch'
>;

/**
 * Replaces the model's float input by PACKED_RGB_INPUT ([batch, height, width, 3] uint8, R G B per pixel) and
 * prepends Transpose → (Gather, for BGR models) → Cast → (Mul, Add, unless the scaling is the identity), whose
 * result is the original input's name, so the rest of the graph is untouched. The channel swap runs on whole
 * planes (axis 1, after the transpose): on the pixel axis it costs as much as the JavaScript loop it replaces.
 */
export function acceptPackedRgb(model: Model, input: PackedInputSpec, sizePx: InputSizePx): void {
  const graph = model.graph;
  if (!graph?.input || !graph.node) throw new ModelUnavailableError('ONNX model has no graph');
  const declared = graph.input.find((i) => i.name === input.name);
  if (!declared) throw new ModelUnavailableError(`graph has no input ${input.name} to feed packed RGB into`);
  const used = new Set<string>([
    ...graph.input.map((i) => i.name ?? ''),
    ...(graph.initializer ?? []).map((t) => t.name ?? ''),
    ...graph.node.flatMap((n) => [...(n.input ?? []), ...(n.output ?? [])]),
  ]);
  const clash = [...used].find((name) => name.startsWith(PREFIX) || name === PACKED_RGB_INPUT);
  if (clash) throw new ModelUnavailableError(`graph already has a tensor named ${clash}`);

  // The tensor's planes in order, each fed by source channel R (0), G (1) or B (2).
  const planeSources = input.colourOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  const gain = [0, 1, 2].map((c) => input.scale / input.std[c]!);
  const offset = [0, 1, 2].map((c) => -input.mean[c]! / input.std[c]!);
  const nodes: onnxProto.onnx.INodeProto[] = [];
  const initializers: onnxProto.onnx.ITensorProto[] = [];
  let last = PACKED_RGB_INPUT;
  const step = (opType: string, extraInputs: string[], attribute: onnxProto.onnx.IAttributeProto[]) => {
    const output = `${PREFIX}${opType.toLowerCase()}`;
    nodes.push(onnx.NodeProto.create({ opType, input: [last, ...extraInputs], output: [output], attribute }));
    last = output;
  };
  step('Transpose', [], [{ name: 'perm', type: AttributeType.INTS, ints: [0, 3, 1, 2] }]);
  if (planeSources.some((source, plane) => source !== plane)) {
    initializers.push(initializer(`${PREFIX}planes`, [3], new BigInt64Array(planeSources.map(BigInt))));
    step('Gather', [`${PREFIX}planes`], [{ name: 'axis', type: AttributeType.INT, i: 1 }]);
  }
  step('Cast', [], [{ name: 'to', type: AttributeType.INT, i: DataType.FLOAT }]);
  if (gain.some((g) => g !== 1)) {
    initializers.push(initializer(`${PREFIX}gain`, [1, 3, 1, 1], new Float32Array(gain)));
    step('Mul', [`${PREFIX}gain`], []);
  }
  if (offset.some((o) => o !== 0)) {
    initializers.push(initializer(`${PREFIX}offset`, [1, 3, 1, 1], new Float32Array(offset)));
    step('Add', [`${PREFIX}offset`], []);
  }
  nodes[nodes.length - 1]!.output = [input.name];

  graph.input = [
    ...graph.input.filter((i) => i !== declared),
    onnx.ValueInfoProto.create({
      name: PACKED_RGB_INPUT,
      type: {
        tensorType: {
          elemType: DataType.UINT8,
          shape: { dim: [input.batch ?? 1, sizePx.heightPx, sizePx.widthPx, 3].map((dimValue) => ({ dimValue })) },
        },
      },
    }),
  ];
  graph.initializer = [...(graph.initializer ?? []), ...initializers];
  graph.node = [...nodes, ...graph.node];
}
