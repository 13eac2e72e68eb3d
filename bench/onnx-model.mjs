// A tiny protobuf encoder for single-node ONNX models (onnx.proto3 field numbers), so the
// harness needs no model files and no protobuf dependency.

const utf8 = new TextEncoder();

function varint(value) {
  const bytes = [];
  let v = BigInt(value);
  if (v < 0n) v += 1n << 64n; // int64 negatives are ten-byte two's complement
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    bytes.push(b);
  } while (v !== 0n);
  return bytes;
}

const key = (field, wireType) => varint((field << 3) | wireType);
/** Varint field (wire type 0). */
export const fieldInt = (field, value) => [...key(field, 0), ...varint(value)];
/** Length-delimited field (wire type 2): bytes, strings, nested messages, packed arrays. */
export const fieldBytes = (field, bytes) => [...key(field, 2), ...varint(bytes.length), ...bytes];
export const fieldString = (field, s) => fieldBytes(field, [...utf8.encode(s)]);
/** 32-bit field (wire type 5), a float. */
export function fieldFloat(field, value) {
  return [...key(field, 5), ...new Uint8Array(new Float32Array([value]).buffer)];
}

const FLOAT = 1; // TensorProto.DataType.FLOAT
const ATTR = { FLOAT: 1, INT: 2, STRING: 3 };

function attribute(name, value) {
  // AttributeProto: name 1, f 2, i 3, s 4, type 20
  if (typeof value === 'string') return [...fieldString(1, name), ...fieldBytes(4, [...utf8.encode(value)]), ...fieldInt(20, ATTR.STRING)];
  if (Number.isInteger(value) && value.kind !== 'float') return [...fieldString(1, name), ...fieldInt(3, value), ...fieldInt(20, ATTR.INT)];
  return [...fieldString(1, name), ...fieldFloat(2, value), ...fieldInt(20, ATTR.FLOAT)];
}

/** A float attribute even when its value is integral (e.g. alpha = 1). */
export const floatAttr = (value) => ({ float: value });

function valueInfo(name, dims) {
  // ValueInfoProto{name 1, type 2: TypeProto{tensor_type 1: {elem_type 1, shape 2: {dim 1: {dim_value 1 | dim_param 2}}}}}
  const dimMessages = dims.flatMap((d) => fieldBytes(1, typeof d === 'string' ? fieldString(2, d) : fieldInt(1, d)));
  const tensorType = [...fieldInt(1, FLOAT), ...fieldBytes(2, dimMessages)];
  return [...fieldString(1, name), ...fieldBytes(2, fieldBytes(1, tensorType))];
}

function scalarInitializer(name, value) {
  // TensorProto: dims 1 (none: a scalar), data_type 2, float_data 4 (packed), name 8
  return [...fieldInt(2, FLOAT), ...fieldBytes(4, [...new Uint8Array(new Float32Array([value]).buffer)]), ...fieldString(8, name)];
}

/**
 * The bytes of a model with one node `opType` taking input X (plus scalar constant inputs, e.g.
 * Clip's min and max) and giving Y, both float tensors of shape `dims` (strings are symbolic).
 * attributes: { name: number | string | { float: number } }.
 */
export function singleNodeModel({ opType, attributes = {}, constants = [], dims = ['N'], opset = 20 }) {
  const constNames = constants.map((_, i) => `c${i}`);
  const attrs = Object.entries(attributes).map(([name, v]) =>
    typeof v === 'object' ? [...fieldString(1, name), ...fieldFloat(2, v.float), ...fieldInt(20, ATTR.FLOAT)] : attribute(name, v),
  );
  // NodeProto: input 1, output 2, name 3, op_type 4, attribute 5
  const node = [
    ...fieldString(1, 'X'),
    ...constNames.flatMap((n) => fieldString(1, n)),
    ...fieldString(2, 'Y'),
    ...fieldString(3, 'node'),
    ...fieldString(4, opType),
    ...attrs.flatMap((a) => fieldBytes(5, a)),
  ];
  // GraphProto: node 1, name 2, initializer 5, input 11, output 12
  const graph = [
    ...fieldBytes(1, node),
    ...fieldString(2, 'bench'),
    ...constants.flatMap((v, i) => fieldBytes(5, scalarInitializer(constNames[i], v))),
    ...fieldBytes(11, valueInfo('X', dims)),
    ...fieldBytes(12, valueInfo('Y', dims)),
  ];
  // ModelProto: ir_version 1, producer_name 2, graph 7, opset_import 8 {domain 1, version 2}
  return new Uint8Array([
    ...fieldInt(1, 9),
    ...fieldString(2, 'simd-activations-bench'),
    ...fieldBytes(7, graph),
    ...fieldBytes(8, [...fieldString(1, ''), ...fieldInt(2, opset)]),
  ]);
}
