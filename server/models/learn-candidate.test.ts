// Learning from decisions never learns a guideline away (real engine, full code sets): coders who reject
// the hypertensive heart disease combination code (OCG I.C.9.a presumes the link) do not teach the model
// to drop it. Records are written as finalizing writes them (db/queries/datasets.ts recordFinalization).
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { fullDatabase } from '../db/full-database.ts';
import { freezeVersion } from '../db/queries/datasets.ts';
import { loadLearnedModel } from '../db/queries/learned.ts';
import { datasetRecords, datasets, DECISIONS_DATASET } from '../db/schema/index.ts';
import type { Embedder } from '../index/embedder.ts';
import { learnFromDecisions } from './learn-candidate.ts';
import { openOfflineEngine } from './offline-engine.ts';

const DOS = '2026-03-02';
const NOTE = 'Problem list:\n1. Essential hypertension.\n2. Chronic systolic heart failure.\n3. Hyperlipidemia.\nPlan: continue current medications.';

describe('learning from decisions keeps what the guidelines require', () => {
  let database: Database;
  let embedder: Embedder;
  beforeAll(async () => {
    ({ database, embedder } = await fullDatabase());
  }, 600_000);
  afterAll(async () => database?.close());

  it('a model learned from coders who reject I11.0 still suggests it; too few decisions are refused', async () => {
    const db = database.db;
    const engine = await openOfflineEngine(db, DOS, embedder);
    const shown = await engine.suggest({ text: NOTE, encounter: { setting: 'outpatient', dateOfService: DOS } }, null);
    const codes = shown.filter((s) => s.system === 'ICD10CM').map((s) => s.code);
    // The guideline layer combines the hypertension with the heart failure it presumes linked.
    expect(codes).toContain('I11.0');
    expect(codes).not.toContain('I10');

    const [set] = await db.select().from(datasets).where(eq(datasets.name, DECISIONS_DATASET));
    const store = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        // The coder rejects the combination code and keeps the rest.
        const outcomes = shown.map((s, k) => ({
          suggestionId: `s-${i}-${k}`,
          system: s.system,
          code: s.code,
          confidence: s.confidence,
          ...(s.code === 'I11.0' ? { outcome: 'rejected' as const, reason: 'other' as const, reasonText: 'not linked' } : { outcome: 'accepted' as const }),
        }));
        const gold = shown.filter((s) => s.code !== 'I11.0').map((s) => ({ system: s.system, code: s.code, description: s.description, principal: false, evidence: s.evidence }));
        await db.insert(datasetRecords).values({ datasetId: set!.id, recordKey: `note-${String(i).padStart(3, '0')}`, revision: 1, text: NOTE, encounter: { setting: 'outpatient', dateOfService: DOS }, gold, outcomes, finalizedAt: new Date() });
      }
    };
    await store(0, 5);
    await freezeVersion(db, { dataset: DECISIONS_DATASET, name: 'week-1', actorId: null });
    await expect(learnFromDecisions(db, { version: 'week-1', embedder })).rejects.toMatchObject({ status: 422, code: 'too_few_decisions' });

    await store(5, 40);
    await freezeVersion(db, { dataset: DECISIONS_DATASET, name: 'month-1', actorId: null });
    const learned = await learnFromDecisions(db, { version: 'month-1', embedder });
    expect(learned.training.decisions).toMatchObject({ 'rejected:other': 40 });
    const model = await loadLearnedModel(db, learned.id);
    const after = await engine.suggest({ text: NOTE, encounter: { setting: 'outpatient', dateOfService: DOS } }, model);
    expect(after.filter((s) => s.system === 'ICD10CM').map((s) => s.code)).toContain('I11.0');
  }, 600_000);
});
