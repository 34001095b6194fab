import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';

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
    const out = await extractor(texts, { pooling: 'mean', normalize: true });
    return out.tolist() as number[][];
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
