import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FeatureExtractionPipeline, Tensor } from '@huggingface/transformers';
import { loadStaticEncoder, type StaticEncoder } from './static-embedder.ts';

/** Turns texts into unit vectors. `modelId` identifies model and weights; it is stored with every vector. */
export interface Embedder {
  modelId: string;
  dimension: number;
  embed(texts: string[]): Promise<number[][]>;
}

export interface EmbedderOptions {
  /** A local model directory (transformers.js layout) or a Hugging Face model id. */
  model: string;
  /** Whether a Hugging Face id may be downloaded (once) into `cacheDir`. */
  allowRemote: boolean;
  cacheDir: string;
}

export class ModelUnavailableError extends Error {
  constructor(model: string, reason: string) {
    super(`Embedding model "${model}" is not available: ${reason}`);
    this.name = 'ModelUnavailableError';
  }
}

const BATCH = 256;

/**
 * Loads a feature-extraction model with mean pooling and L2 normalisation. A directory path loads from
 * disk with no network; a hub id loads from the cache, downloading only when `allowRemote` is set.
 */
export async function loadEmbedder(opts: EmbedderOptions): Promise<Embedder> {
  const local = path.resolve(opts.model);
  const isLocal = fs.existsSync(path.join(local, 'config.json'));
  const staticEncoder = isLocal ? loadStaticEncoder(local) : null;
  if (staticEncoder) return staticEmbedder(`${path.basename(local)}@${fingerprint(local)}`, staticEncoder);
  // Loaded only for a real transformer: importing transformers.js loads onnxruntime (≈ 160 MB of RSS).
  const { env, pipeline } = await import('@huggingface/transformers');
  env.allowRemoteModels = !isLocal && opts.allowRemote;
  env.allowLocalModels = true;
  env.cacheDir = opts.cacheDir;
  let name = opts.model;
  if (isLocal) {
    env.localModelPath = path.dirname(local) + path.sep;
    name = path.basename(local);
  } else if (/^[./]/.test(opts.model)) {
    throw new ModelUnavailableError(opts.model, `no config.json in ${local}`);
  }
  let extractor: FeatureExtractionPipeline;
  try {
    extractor = (await pipeline('feature-extraction', name, { dtype: 'fp32' })) as FeatureExtractionPipeline;
  } catch (err) {
    const why = (err as Error).message;
    throw new ModelUnavailableError(
      opts.model,
      isLocal || opts.allowRemote
        ? why
        : `not in the cache ${opts.cacheDir} and ALLOW_REMOTE_MODELS is false (set it to true once, with network, to download it). ${why}`,
    );
  }
  const modelId = isLocal ? `${name}@${fingerprint(local)}` : `hf:${opts.model}`;
  const run = async (texts: string[]) => {
    const inputs = extractor.tokenizer(texts, { padding: true, truncation: true });
    const outputs = (await extractor.model(inputs)) as Record<string, Tensor | undefined>;
    const hidden = (outputs.last_hidden_state ?? outputs.logits ?? outputs.token_embeddings)!;
    return meanPoolNormalized(hidden.data as Float32Array, hidden.dims as [number, number, number], inputs.attention_mask.data as BigInt64Array);
  };
  const probe = await run(['dimension probe']);
  const dimension = probe[0]!.length;
  return {
    modelId,
    dimension,
    async embed(texts) {
      const vectors: number[][] = [];
      for (let i = 0; i < texts.length; i += BATCH) vectors.push(...(await run(texts.slice(i, i + BATCH))));
      return vectors;
    },
  };
}

/** The static word-vector model without onnxruntime (static-embedder.ts): same vectors, one text at a time (padding adds nothing to a pool). */
function staticEmbedder(modelId: string, encoder: StaticEncoder): Embedder {
  return {
    modelId,
    dimension: encoder.dimension,
    async embed(texts) {
      return texts.map((t) => normalizedCopy(encoder.pooled(t)));
    },
  };
}

/**
 * The pipeline's `{ pooling: 'mean', normalize: true }` (transformers.js mean_pooling, then Tensor.normalize
 * over the last dimension), computed with the same float32/float64 steps in the same order, so every vector is
 * bit-identical to it — without its per-element BigInt conversions and index arithmetic, which cost more than
 * the static model itself (a third of phrase retrieval, profiled).
 */
export function meanPoolNormalized(hidden: Float32Array, [batch, seq, dim]: readonly [number, number, number], mask: BigInt64Array): number[][] {
  const out: number[][] = [];
  const row = new Float32Array(dim);
  const attn = new Float64Array(seq);
  for (let i = 0; i < batch; i++) {
    let count = 0;
    for (let j = 0; j < seq; j++) count += attn[j] = Number(mask[i * seq + j]);
    for (let k = 0; k < dim; k++) {
      let sum = 0;
      for (let j = 0; j < seq; j++) sum += hidden[(i * seq + j) * dim + k]! * attn[j]!;
      row[k] = sum / count;
    }
    out.push(normalizedCopy(row));
  }
  return out;
}

/** Tensor.normalize's steps on one pooled row (modified in place), returned as a plain array. */
export function normalizedCopy(row: Float32Array): number[] {
  const dim = row.length;
  // Tensor.norm accumulates in the tensor's own (float32) storage, then takes the power 1/2.
  const norm = new Float32Array(1);
  for (let k = 0; k < dim; k++) norm[0] = norm[0]! + row[k]! ** 2;
  norm[0] = norm[0]! ** (1 / 2);
  for (let k = 0; k < dim; k++) row[k] = row[k]! / norm[0]!;
  const v = new Array<number>(dim);
  for (let k = 0; k < dim; k++) v[k] = row[k]!;
  return v; // not Array.from: its iterator allocated more than the vectors themselves
}

/** Short content hash of a local model's files: a rebuilt model gets a new id, so the index is rebuilt. */
function fingerprint(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(json|onnx)$/.test(entry.name)) h.update(entry.name).update(fs.readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex').slice(0, 12);
}
