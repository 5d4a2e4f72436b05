// A tail of nodes appended to YOLOX's graph: each grid cell's best class and its probability are taken inside
// onnxruntime, so a frame's output leaves it as [1, N, 7] (300 KB at 960x544) instead of [1, N, 85] (3.6 MB).
// The full output, copied out of onnxruntime, handed across threads and dropped per frame, made the worker's
// V8 heap run a full collection every few frames; the reduction itself costs onnxruntime no measurable time.
// ArgMax takes the first of equal maxima, as fromYolox's loop does: the candidates are the same.
import onnxProto from 'onnx-proto';
import { ModelUnavailableError } from '../core/errors.ts';
import { initializer } from './onnxInitializer.ts';

const { onnx } = onnxProto;
type Model = onnxProto.onnx.ModelProto;
const DataType = onnx.TensorProto.DataType;
const AttributeType = onnx.AttributeProto.AttributeType;

const PREFIX = 'ioc_best_';
export const YOLOX_BEST_CLASS_OUTPUT = 'ioc_yolox_best_class';

/** Replaces the graph's output `outputName` ([1, N, 5+C]) by YOLOX_BEST_CLASS_OUTPUT ([1, N, 7]). */
export function appendYoloxBestClass(model: Model, outputName: string): void {
  const graph = model.graph;
  if (!graph?.output || !graph.node) throw new ModelUnavailableError('ONNX model has no graph');
  if (!graph.output.some((o) => o.name === outputName)) {
    throw new ModelUnavailableError(`graph has no output ${outputName} to take the best class from`);
  }
  const int64 = (name: string, value: bigint) => initializer(PREFIX + name, [1], new BigInt64Array([value]));
  graph.initializer = [
    ...(graph.initializer ?? []),
    int64('zero', 0n),
    int64('five', 5n),
    // Slice's "to the end" (INT64 max: ends are clamped to the dimension).
    int64('end', 0x7fffffffffffffffn),
    int64('axis', 2n),
  ];
  const node = (opType: string, input: string[], output: string, attribute: onnxProto.onnx.IAttributeProto[] = []) =>
    onnx.NodeProto.create({ opType, input, output: [output], attribute });
  const p = (name: string) => PREFIX + name;
  graph.node = [
    ...graph.node,
    node('Slice', [outputName, p('zero'), p('five'), p('axis')], p('box_objectness')),
    node('Slice', [outputName, p('five'), p('end'), p('axis')], p('classes')),
    node('ReduceMax', [p('classes')], p('probability'), [
      { name: 'axes', type: AttributeType.INTS, ints: [2] },
      { name: 'keepdims', type: AttributeType.INT, i: 1 },
    ]),
    node('ArgMax', [p('classes')], p('class_index'), [
      { name: 'axis', type: AttributeType.INT, i: 2 },
      { name: 'keepdims', type: AttributeType.INT, i: 1 },
    ]),
    node('Cast', [p('class_index')], p('class'), [{ name: 'to', type: AttributeType.INT, i: DataType.FLOAT }]),
    node('Concat', [p('box_objectness'), p('probability'), p('class')], YOLOX_BEST_CLASS_OUTPUT, [
      { name: 'axis', type: AttributeType.INT, i: 2 },
    ]),
  ];
  graph.output = [
    onnx.ValueInfoProto.create({ name: YOLOX_BEST_CLASS_OUTPUT, type: { tensorType: { elemType: DataType.FLOAT } } }),
  ];
}
