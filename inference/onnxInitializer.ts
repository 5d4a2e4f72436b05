// A constant tensor for nodes this project appends to a model's graph (packed input, output tails): raw
// little-endian bytes, as ONNX stores them and as typed arrays hold them on the machines we run on.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export function initializer(
  name: string,
  dims: number[],
  values: BigInt64Array | Float32Array,
): onnxProto.onnx.ITensorProto {
  return onnx.TensorProto.create({
    name,
    dataType: values instanceof BigInt64Array ? onnx.TensorProto.DataType.INT64 : onnx.TensorProto.DataType.FLOAT,
    dims,
    rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  });
}
