/**
 * Checks the committed models/medcode-glove-100d/ (built by scripts/build-model.ts) loads with transformers.js
 * and embeds sensibly. Never rebuilds and needs no network.
 */
import fs from 'node:fs';
import path from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL_DIR, MODEL_NAME, isReachableToken, textWords } from './build-model.ts';

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot; // rows are L2-normalized
}

function dirBytes(dir: string): number {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .reduce((sum, e) => sum + (e.isDirectory() ? dirBytes(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size), 0);
}

describe('models/medcode-glove-100d', () => {
  let embedder: FeatureExtractionPipeline;
  const embed = async (texts: string[]) =>
    (await embedder(texts, { pooling: 'mean', normalize: true })).tolist() as number[][];

  beforeAll(async () => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = `${path.dirname(MODEL_DIR)}/`;
    embedder = await pipeline('feature-extraction', MODEL_NAME);
  });

  it('is committed within the 15 MB budget with config, tokenizer and vocab sizes agreeing', () => {
    expect(dirBytes(MODEL_DIR)).toBeLessThanOrEqual(15_000_000);
    const config = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'config.json'), 'utf8'));
    const tokenizer = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'tokenizer.json'), 'utf8'));
    const vocab = tokenizer.model.vocab as Record<string, number>;
    expect(Object.keys(vocab)).toHaveLength(config.vocab_size);
    expect(fs.statSync(path.join(MODEL_DIR, 'onnx', 'model.onnx')).size).toBeGreaterThan(config.vocab_size * 100);
    expect(Object.values(vocab).sort((a, b) => a - b).every((id, i) => id === i)).toBe(true);
    for (const w of ['femur', 'fracture', 'hypertension', 'diabetes', 'hyperglycemia', 'mellitus', 'appendicitis']) {
      expect(vocab).toHaveProperty(w);
    }
  });

  it('gives 100-d unit vectors', async () => {
    const [v] = await embed(['Fracture of femur']);
    expect(v).toHaveLength(100);
    expect(Math.hypot(...v!)).toBeCloseTo(1, 5);
  });

  it('puts a lay description nearer its diagnosis than an unrelated one', async () => {
    const [q, femur, htn] = await embed(['broken thigh bone', 'fracture of femur', 'essential hypertension']);
    expect(cosine(q!, femur!)).toBeGreaterThan(cosine(q!, htn!));
  });

  it('treats diabetes and hyperglycemia as related', async () => {
    const [diabetes, hyperglycemia, fracture] = await embed(['diabetes', 'hyperglycemia', 'fracture']);
    expect(cosine(diabetes!, hyperglycemia!)).toBeGreaterThan(0.5);
    expect(cosine(diabetes!, hyperglycemia!)).toBeGreaterThan(cosine(diabetes!, fracture!));
  });

  it('is case and accent insensitive', async () => {
    const [a, b] = await embed(['Appendicitis', 'appendicítis']);
    expect(cosine(a!, b!)).toBeCloseTo(1, 5);
  });

  it('maps unknown words to a zero vector (so all-unknown text normalizes to NaN: callers must guard)', async () => {
    const raw = (await embedder(['qzxqzxq T2DM'], { pooling: 'mean', normalize: false })).tolist() as number[][];
    expect(raw[0]!.every((x) => x === 0)).toBe(true);
    const [unk] = await embed(['qzxqzxq']);
    expect(unk!.every(Number.isNaN)).toBe(true);
  });
});

describe('build-model tokenization helpers', () => {
  it('splits text the way the BERT pre-tokenizer does', () => {
    expect(textWords("Crohn's disease, Ménière (left)")).toEqual(['crohn', 's', 'disease', 'meniere', 'left']);
  });

  it('keeps only vocab entries the tokenizer can emit', () => {
    expect(isReachableToken('femur')).toBe(true);
    expect(isReachableToken(',')).toBe(true);
    expect(isReachableToken('Femur')).toBe(false);
    expect(isReachableToken('non-union')).toBe(false);
    expect(isReachableToken('café')).toBe(false);
    expect(isReachableToken('')).toBe(false);
  });
});
