// The default model (models/medcode-glove-100d, built by scripts/build-model.ts) is a word-vector table, not a
// network: its ONNX graph is last_hidden_state = float(table[id]) × scale[id] × attention_mask. Running it in
// plain JavaScript gives the same float32 products as onnxruntime (one rounding per multiplication, as IEEE
// float32 requires), pooled in meanPoolNormalized's order and normalised by its code, so every vector is bit-identical to
// the transformers.js pipeline's — without loading onnxruntime (≈ 250 MB of RSS per process) and at a
// fraction of its per-call cost (the runtime's tensors and the tokenizer wrapper's BigInt copies, profiled).
// Any other graph (a real transformer) is not recognised here and runs through transformers.js.
import fs from 'node:fs';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';

export interface StaticModel {
  dimension: number;
  /** int8 rows, `dimension` per token id. */
  table: Int8Array;
  /** One float32 scale per token id. */
  scales: Float32Array;
}

/** The graph scripts/build-model.ts writes, node by node: op type, inputs, outputs. */
const STATIC_GRAPH = [
  'Gather(embeddings_int8,input_ids)->rows_int8',
  'Cast(rows_int8)->rows',
  'Gather(row_scales,input_ids)->scale',
  'Unsqueeze(attention_mask,unsqueeze_axes)->mask_int',
  'Cast(mask_int)->mask',
  'Mul(scale,mask)->masked_scale',
  'Mul(rows,masked_scale)->last_hidden_state',
].join(';');

const ONNX_FLOAT = 1;
const ONNX_INT8 = 3;
/** transformers.js truncates every encoding to the tokenizer's model_max_length (BERT: 512). */
const DEFAULT_MAX_LENGTH = 512;

/** Protobuf fields of one message: field number → values (varints as numbers, length-delimited as byte views). */
function readFields(buf: Uint8Array): Map<number, (number | Uint8Array)[]> {
  const fields = new Map<number, (number | Uint8Array)[]>();
  let pos = 0;
  const varint = () => {
    let v = 0;
    let mul = 1;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated protobuf');
      const b = buf[pos++]!;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    let value: number | Uint8Array;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const len = varint();
      if (pos + len > buf.length) throw new Error('truncated protobuf');
      value = buf.subarray(pos, pos + len);
      pos += len;
    } else if (wire === 5) (value = 0), (pos += 4);
    else if (wire === 1) (value = 0), (pos += 8);
    else throw new Error(`unsupported protobuf wire type ${wire}`);
    const list = fields.get(field);
    if (list) list.push(value);
    else fields.set(field, [value]);
  }
  return fields;
}

const text = (v: number | Uint8Array | undefined) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : '');
const bytes = (v: number | Uint8Array | undefined) => (v instanceof Uint8Array ? v : new Uint8Array(0));

/** The table of a static word-vector ONNX model, or null when the graph is anything else. */
export function readStaticModel(onnx: Uint8Array): StaticModel | null {
  let graph: Map<number, (number | Uint8Array)[]>;
  try {
    graph = readFields(bytes(readFields(onnx).get(7)?.[0])); // ModelProto.graph
  } catch {
    return null;
  }
  // NodeProto: input=1, output=2, op_type=4
  const nodes = (graph.get(1) ?? []).map((n) => {
    const f = readFields(bytes(n));
    return `${text(f.get(4)?.[0])}(${(f.get(1) ?? []).map(text).join(',')})->${(f.get(2) ?? []).map(text).join(',')}`;
  });
  if (nodes.join(';') !== STATIC_GRAPH) return null;
  // TensorProto: dims=1, data_type=2, name=8, raw_data=9
  const tensors = new Map(
    (graph.get(5) ?? []).map((t) => {
      const f = readFields(bytes(t));
      return [text(f.get(8)?.[0]), { dims: (f.get(1) ?? []) as number[], type: f.get(2)?.[0], raw: bytes(f.get(9)?.[0]) }];
    }),
  );
  const table = tensors.get('embeddings_int8');
  const scales = tensors.get('row_scales');
  if (!table || !scales || table.type !== ONNX_INT8 || scales.type !== ONNX_FLOAT || table.dims.length !== 2 || scales.dims[0] !== table.dims[0]) return null;
  const [rows, dimension] = table.dims as [number, number];
  if (table.raw.length !== rows * dimension || scales.raw.length !== rows * 4) return null;
  // Copies: aligned, and independent of the file buffer. ONNX raw_data is little-endian.
  const scaleView = new DataView(scales.raw.buffer, scales.raw.byteOffset, scales.raw.byteLength);
  const scaleArray = new Float32Array(rows);
  for (let i = 0; i < rows; i++) scaleArray[i] = scaleView.getFloat32(i * 4, true);
  return { dimension, table: new Int8Array(table.raw.buffer.slice(table.raw.byteOffset, table.raw.byteOffset + table.raw.byteLength)), scales: scaleArray };
}

/** Printable ASCII and tab / line breaks, without "[" (every added token, e.g. "[CLS]", starts with it). */
const PLAIN_ASCII = /^[\x20-\x5a\x5c-\x7e\t\n\r]*$/;
const WORD_CACHE = 200_000;

/**
 * Token ids of a text, as `tokenizer.encode(text).ids`. For plain ASCII text (nearly every code text and phrase)
 * the BERT normaliser reduces to "line breaks to spaces, lower case" (no control, CJK or accented characters to
 * handle), and WordPiece reads each pre-token on its own, so each word's ids are computed once and kept: the
 * normaliser's per-character regular expressions were most of the embedding time (profiled). Anything else,
 * or a tokenizer that is not BERT-like (special tokens other than one before and one after), takes the full path.
 */
function asciiTokenizer(tokenizer: Tokenizer): (text: string) => number[] {
  const full = (text: string) => tokenizer.encode(text, { add_special_tokens: true }).ids;
  const specials = full('');
  const bertLike = specials.length === 2 && tokenizer.pre_tokenizer !== null && tokenizer.normalizer?.config?.type === 'BertNormalizer';
  if (!bertLike) return full;
  const [cls, sep] = specials as [number, number];
  const words = new Map<string, number[]>();
  const wordIds = (word: string): number[] => {
    const hit = words.get(word);
    if (hit) return hit;
    if (words.size >= WORD_CACHE) words.clear();
    const ids = tokenizer.encode(word, { add_special_tokens: false }).ids;
    words.set(word, ids);
    return ids;
  };
  return (text) => {
    if (!PLAIN_ASCII.test(text)) return full(text);
    const normalized = text.replace(/[\t\n\r]/g, ' ').toLowerCase();
    const ids = [cls];
    if (normalized.length > 0) for (const w of tokenizer.pre_tokenizer!(normalized, { section_index: 0 }) as string[]) ids.push(...wordIds(w));
    ids.push(sep);
    return ids;
  };
}

export interface StaticEncoder {
  dimension: number;
  /**
   * One text → its token ids (with [CLS]/[SEP]) → the mean of its last_hidden_state rows as meanPoolNormalized
   * computes it before normalising: each element the float32 product the ONNX graph makes, summed in a double in
   * token order and divided by the token count into float32 (a padded position would add +0).
   */
  pooled(text: string): Float32Array;
}

/**
 * A local model directory whose ONNX graph is the static word-vector table, as an encoder; null for any other
 * model. Tokenization is transformers.js's own (its tokenizer class is @huggingface/tokenizers').
 */
export function loadStaticEncoder(dir: string): StaticEncoder | null {
  const onnxFile = path.join(dir, 'onnx', 'model.onnx');
  if (!fs.existsSync(onnxFile)) return null;
  const model = readStaticModel(fs.readFileSync(onnxFile));
  if (!model) return null;
  const tokenizerConfig = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8')) as { model_max_length?: number };
  const tokenizer = new Tokenizer(JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')), tokenizerConfig);
  const maxLength = Math.min(tokenizerConfig.model_max_length ?? DEFAULT_MAX_LENGTH, DEFAULT_MAX_LENGTH);
  const { dimension, table, scales } = model;
  const tokenIds = asciiTokenizer(tokenizer);
  return {
    dimension,
    pooled(t) {
      const ids = tokenIds(t);
      const seq = Math.min(ids.length, maxLength);
      for (let j = 0; j < seq; j++) if (ids[j]! < 0 || ids[j]! >= scales.length) throw new Error(`token id ${ids[j]} outside the model's table`);
      // Token by token, each element's double sum still in token order (so the same sums as element by element),
      // reading the table's rows contiguously.
      const sums = new Float64Array(dimension);
      for (let j = 0; j < seq; j++) {
        const id = ids[j]!;
        const base = id * dimension;
        const scale = scales[id]!;
        // Mul(scale, mask) with mask 1 is the scale itself; Mul(rows, masked_scale) rounds once to float32
        // (Math.fround); the pooling multiplies by the mask (1: exact).
        for (let k = 0; k < dimension; k++) sums[k] = sums[k]! + Math.fround(table[base + k]! * scale);
      }
      const row = new Float32Array(dimension);
      for (let k = 0; k < dimension; k++) row[k] = sums[k]! / seq;
      return row;
    },
  };
}
