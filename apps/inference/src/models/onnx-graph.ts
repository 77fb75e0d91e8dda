// Small helpers to write ONNX graphs with onnx-proto (ONNX 1.10 schema; IR 8, opset 13).

import type { onnx as OnnxTypes } from 'onnx-proto';
import onnxProto from 'onnx-proto';

// onnx-proto is CommonJS: its namespace arrives as the default export under Node's ESM loader.
const { onnx } = onnxProto;
type IValueInfoProto = OnnxTypes.IValueInfoProto;
type ITensorProto = OnnxTypes.ITensorProto;
type INodeProto = OnnxTypes.INodeProto;
type IGraphProto = OnnxTypes.IGraphProto;

export const IR_VERSION = 8;
export const OPSET = 13;

export type ElemType = 'float' | 'int64';

const ELEM: Record<ElemType, number> = {
  float: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
};

/** A dimension: a fixed size or a symbolic name such as 'batch'. */
export type Dim = number | string;

export function valueInfo(name: string, elem: ElemType, dims: Dim[]): IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEM[elem],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): ITensorProto {
  const data = Float32Array.from(values as ArrayLike<number>);
  const expected = dims.reduce((a, b) => a * b, 1);
  if (data.length !== expected)
    throw new Error(`tensor ${name}: ${data.length} values for dims ${dims.join('x')}`);
  return {
    name,
    dims,
    dataType: ELEM.float,
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

export function int64Tensor(name: string, dims: number[], values: number[]): ITensorProto {
  const data = BigInt64Array.from(values.map((v) => BigInt(v)));
  return { name, dims, dataType: ELEM.int64, rawData: new Uint8Array(data.buffer) };
}

export function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  attrs: Record<string, number> = {},
): INodeProto {
  return {
    opType,
    input: inputs,
    output: outputs,
    name: outputs[0],
    attribute: Object.entries(attrs).map(([name, i]) => ({
      name,
      i,
      type: onnx.AttributeProto.AttributeType.INT,
    })),
  };
}

export function encodeModel(
  graph: IGraphProto,
  meta: { producerVersion: string; docString: string },
): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'investiq-build-models',
    producerVersion: meta.producerVersion,
    docString: meta.docString,
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}
