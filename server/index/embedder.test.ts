import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { loadEmbedder, ModelUnavailableError } from './embedder.ts';
import { readStaticModel } from './static-embedder.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medcode-models-'));
const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('embedder', () => {
  it('loads the committed default model with no network and embeds to unit vectors', async () => {
    const embedder = await loadEmbedder({ model: path.join(ROOT, 'models/medcode-glove-100d'), allowRemote: false, cacheDir });
    expect(embedder.dimension).toBe(100);
    expect(embedder.modelId).toMatch(/^medcode-glove-100d@[0-9a-f]{12}$/);
    const [femur, thigh, htn] = await embedder.embed(['fracture of left femur', 'broken left thigh bone', 'essential hypertension']);
    expect(Math.hypot(...femur!)).toBeCloseTo(1, 5);
    expect(cosine(femur!, thigh!)).toBeGreaterThan(cosine(femur!, htn!));
  });

  it('runs a real transformer (BERT) through the same code path', async () => {
    const dir = path.resolve(ROOT, '../shared/models/tiny-random-bert');
    if (!fs.existsSync(dir)) return; // ../shared is beside the repo in CI and here; a bare clone skips this
    const embedder = await loadEmbedder({ model: dir, allowRemote: false, cacheDir });
    const vectors = await embedder.embed(['chest pain', 'shortness of breath on exertion']);
    expect(vectors).toHaveLength(2);
    expect(vectors[0]!.length).toBe(embedder.dimension);
    expect(Math.hypot(...vectors[0]!)).toBeCloseTo(1, 4);
  });

  it("gives bit-identical vectors to transformers.js's own mean pooling and normalisation, padded batches included", async () => {
    const embedder = await loadEmbedder({ model: path.join(ROOT, 'models/medcode-glove-100d'), allowRemote: false, cacheDir });
    // The default model runs without onnxruntime (static-embedder.ts); the reference is transformers.js's own
    // pipeline over the same files, onnxruntime included.
    env.localModelPath = path.join(ROOT, 'models') + path.sep;
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    const reference = (await pipeline('feature-extraction', 'medcode-glove-100d', { dtype: 'fp32' })) as FeatureExtractionPipeline;
    // A note of more than 512 tokens is truncated by both; odd unicode, empty and blank texts, tabs and line
    // breaks (the plain-ASCII path), special-token text (the full path) too.
    const long = 'Patient with type 2 diabetes mellitus, hypertension and chronic kidney disease stage 3a. '.repeat(60);
    const texts = ['pain', 'Type 2 diabetes mellitus with diabetic chronic kidney disease, stage 3a', 'zzqx unknownword', 'Fracture of neck of left femur, initial encounter for closed fracture', 'Ébola', long, '', ' \t ', 'ﬁbrosis ½ 😀 中文 x\u0000y', 'Pain\tin the LEFT knee\r\n(chronic); s/p ORIF #2 -- 3.5cm', 'a [CLS] b [unk] c [SEP]'];
    const expected = (await reference(texts, { pooling: 'mean', normalize: true })).tolist() as number[][];
    const actual = await embedder.embed(texts);
    expect(actual).toEqual(expected); // toEqual compares numbers with Object.is: exact, -0 and NaN included
  });

  it('runs only the static word-vector graph without onnxruntime; a real transformer is not mistaken for it', () => {
    const glove = readStaticModel(fs.readFileSync(path.join(ROOT, 'models/medcode-glove-100d/onnx/model.onnx')));
    expect(glove?.dimension).toBe(100);
    expect(glove?.scales.length).toBe(glove!.table.length / 100);
    const bert = path.resolve(ROOT, '../shared/models/tiny-random-bert/onnx/model.onnx');
    if (fs.existsSync(bert)) expect(readStaticModel(fs.readFileSync(bert))).toBeNull();
    expect(readStaticModel(new Uint8Array([0x3a, 0x05, 0x01]))).toBeNull(); // truncated protobuf
    expect(readStaticModel(new Uint8Array(0))).toBeNull();
  });

  it('explains that a hub model is not cached when remote models are not allowed', async () => {
    const attempt = loadEmbedder({ model: 'Xenova/bge-small-en-v1.5', allowRemote: false, cacheDir });
    await expect(attempt).rejects.toThrowError(ModelUnavailableError);
    await expect(loadEmbedder({ model: 'Xenova/bge-small-en-v1.5', allowRemote: false, cacheDir })).rejects.toThrowError(/ALLOW_REMOTE_MODELS is false/);
  });

  it('names a local directory that holds no model', async () => {
    await expect(loadEmbedder({ model: './no-such-model-dir', allowRemote: false, cacheDir })).rejects.toThrowError(/no config.json/);
  });
});
