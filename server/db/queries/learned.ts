import { desc, eq, sql } from 'drizzle-orm';
import type { Counts, LearnedModel } from '../../pipeline/learned.ts';
import type { Db } from '../client.ts';
import { learnedAssociations, learnedModels } from '../schema/index.ts';

const CHUNK = 5_000;

/** Stores a learned model (replacing one with the same id) in one transaction. */
export async function saveLearnedModel(db: Db, model: LearnedModel, meta: { dataset: string; engineVersion: string; notes: number }): Promise<void> {
  const rows: { kind: string; key: string; code: string; tp: number; fp: number; precision: number }[] = [];
  const push = (kind: string, key: string, code: string, c: Counts) => rows.push({ kind, key, code, tp: c.tp, fp: c.fp, precision: c.tp / Math.max(1, c.tp + c.fp) });
  for (const [code, c] of model.code) push('code', '', code, c);
  for (const [key, byCode] of model.phrase) for (const [code, c] of byCode) push('phrase', key, code, c);
  for (const [key, codes] of model.mined) for (const code of codes) push('mined', key, code, { tp: 0, fp: 0 });
  await db.transaction(async (tx) => {
    await tx.delete(learnedModels).where(eq(learnedModels.id, model.id));
    await tx.insert(learnedModels).values({ id: model.id, dataset: meta.dataset, engineVersion: meta.engineVersion, notes: meta.notes, params: model.params });
    for (let i = 0; i < rows.length; i += CHUNK) {
      await tx.execute(sql`
        insert into learned_associations (model_id, kind, key, code, tp, fp, precision)
        select ${model.id}, r.kind, r.key, r.code, r.tp, r.fp, r.precision
        from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + CHUNK))}::jsonb)
          as r(kind text, key text, code text, tp int, fp int, precision real)`);
    }
  });
}

/** The most recently learned model, or null when nothing has been learned yet. */
export async function loadLatestLearnedModel(db: Db): Promise<(LearnedModel & { dataset: string; engineVersion: string }) | null> {
  const [m] = await db.select().from(learnedModels).orderBy(desc(learnedModels.createdAt)).limit(1);
  if (!m) return null;
  const rows = await db.select().from(learnedAssociations).where(eq(learnedAssociations.modelId, m.id));
  const code = new Map<string, Counts>();
  const phrase = new Map<string, Map<string, Counts>>();
  const mined = new Map<string, string[]>();
  for (const r of rows) {
    if (r.kind === 'mined') mined.set(r.key, [...(mined.get(r.key) ?? []), r.code]);
    if (r.kind === 'code') code.set(r.code, { tp: r.tp, fp: r.fp });
    else if (r.kind === 'phrase') {
      const byCode = phrase.get(r.key) ?? new Map<string, Counts>();
      byCode.set(r.code, { tp: r.tp, fp: r.fp });
      phrase.set(r.key, byCode);
    }
  }
  return { id: m.id, params: m.params, code, phrase, mined, dataset: m.dataset, engineVersion: m.engineVersion };
}

/** The portable form of a learned model (shipped in data/learned/ so a fresh install starts with it). */
export interface LearnedModelFile {
  id: string;
  dataset: string;
  engineVersion: string;
  notes: number;
  params: Record<string, number>;
  code: [string, number, number][];
  phrase: [string, string, number, number][];
  mined: [string, string][];
}

export function toModelFile(model: LearnedModel & { dataset: string; engineVersion: string }, notes: number): LearnedModelFile {
  return {
    id: model.id,
    dataset: model.dataset,
    engineVersion: model.engineVersion,
    notes,
    params: model.params,
    code: [...model.code].map(([c, n]) => [c, n.tp, n.fp]),
    phrase: [...model.phrase].flatMap(([k, byCode]) => [...byCode].map(([c, n]) => [k, c, n.tp, n.fp] as [string, string, number, number])),
    mined: [...model.mined].flatMap(([k, codes]) => codes.map((c) => [k, c] as [string, string])),
  };
}

export function fromModelFile(file: LearnedModelFile): LearnedModel {
  const phrase = new Map<string, Map<string, Counts>>();
  for (const [k, c, tp, fp] of file.phrase) phrase.set(k, (phrase.get(k) ?? new Map()).set(c, { tp, fp }));
  const mined = new Map<string, string[]>();
  for (const [k, c] of file.mined) mined.set(k, [...(mined.get(k) ?? []), c]);
  return { id: file.id, params: file.params, code: new Map(file.code.map(([c, tp, fp]) => [c, { tp, fp }])), phrase, mined };
}

export async function learnedModelNotes(db: Db, id: string): Promise<number> {
  const [m] = await db.select({ notes: learnedModels.notes }).from(learnedModels).where(eq(learnedModels.id, id));
  return m?.notes ?? 0;
}
