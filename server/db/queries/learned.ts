import { and, desc, eq, isNotNull, ne, sql } from 'drizzle-orm';
import type { Counts, LearnedModel } from '../../pipeline/learned.ts';
import type { Db } from '../client.ts';
import { learnedAssociations, learnedModels, type ModelMetrics, type ModelSource, type ModelStatus, type ModelTraining } from '../schema/index.ts';
import { appendAudit } from './audit.ts';

export type LearnedModelRow = typeof learnedModels.$inferSelect;

export interface SaveModelMeta {
  dataset: string;
  engineVersion: string;
  notes: number;
  /** Default "candidate": only a promotion puts a model in force. */
  status?: ModelStatus;
  source?: ModelSource;
  training?: ModelTraining | null;
  metrics?: ModelMetrics | null;
}

const CHUNK = 5_000;

/** Stores a learned model (replacing one with the same id) in one transaction. */
export async function saveLearnedModel(db: Db, model: LearnedModel, meta: SaveModelMeta): Promise<void> {
  const rows: { kind: string; key: string; code: string; tp: number; fp: number; precision: number }[] = [];
  const push = (kind: string, key: string, code: string, c: Counts) => rows.push({ kind, key, code, tp: c.tp, fp: c.fp, precision: c.tp / Math.max(1, c.tp + c.fp) });
  for (const [code, c] of model.code) push('code', '', code, c);
  for (const [key, byCode] of model.phrase) for (const [code, c] of byCode) push('phrase', key, code, c);
  for (const [key, codes] of model.mined) for (const code of codes) push('mined', key, code, { tp: 0, fp: 0 });
  await db.transaction(async (tx) => {
    await tx.delete(learnedModels).where(eq(learnedModels.id, model.id));
    // A model replacing the active one (a newer shipped file) takes its place in one step.
    if (meta.status === 'active') await tx.update(learnedModels).set({ status: 'retired' }).where(eq(learnedModels.status, 'active'));
    await tx.insert(learnedModels).values({
      id: model.id,
      dataset: meta.dataset,
      engineVersion: meta.engineVersion,
      notes: meta.notes,
      params: model.params,
      status: meta.status ?? 'candidate',
      source: meta.source ?? 'site',
      training: meta.training ?? null,
      metrics: meta.metrics ?? null,
      promotedAt: meta.status === 'active' ? new Date() : null,
    });
    for (let i = 0; i < rows.length; i += CHUNK) {
      await tx.execute(sql`
        insert into learned_associations (model_id, kind, key, code, tp, fp, precision)
        select ${model.id}, r.kind, r.key, r.code, r.tp, r.fp, r.precision
        from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + CHUNK))}::jsonb)
          as r(kind text, key text, code text, tp int, fp int, precision real)`);
    }
  });
}

/** The model in force (the one active model), or null when none is. */
export async function loadActiveLearnedModel(db: Db): Promise<(LearnedModel & { dataset: string; engineVersion: string }) | null> {
  const m = await activeModel(db);
  return m ? loadModelRow(db, m) : null;
}


/** A stored model by id, with its counts (null when there is none). */
export async function loadLearnedModel(db: Db, id: string): Promise<(LearnedModel & { dataset: string; engineVersion: string }) | null> {
  const m = await modelRow(db, id);
  return m ? loadModelRow(db, m) : null;
}

export async function activeModel(db: Db): Promise<LearnedModelRow | null> {
  const [m] = await db.select().from(learnedModels).where(eq(learnedModels.status, 'active'));
  return m ?? null;
}

export async function modelRow(db: Db, id: string): Promise<LearnedModelRow | null> {
  const [m] = await db.select().from(learnedModels).where(eq(learnedModels.id, id));
  return m ?? null;
}

/** Every stored model without its counts, newest first. */
export async function listLearnedModels(db: Db): Promise<LearnedModelRow[]> {
  return db.select().from(learnedModels).orderBy(desc(learnedModels.createdAt));
}

/**
 * Puts `id` in force and retires the model active until now, with an audit entry (`model.promote` or
 * `model.rollback`) naming both. One transaction: the partial unique index keeps one active model.
 */
export async function activateModel(db: Db, p: { id: string; actorId: string | null; action: 'model.promote' | 'model.rollback'; now: Date }): Promise<void> {
  await db.transaction(async (tx) => {
    const [before] = await tx.select({ id: learnedModels.id }).from(learnedModels).where(eq(learnedModels.status, 'active'));
    await tx.update(learnedModels).set({ status: 'retired' }).where(and(eq(learnedModels.status, 'active'), ne(learnedModels.id, p.id)));
    await tx.update(learnedModels).set({ status: 'active', promotedAt: p.now, promotedBy: p.actorId, notice: null }).where(eq(learnedModels.id, p.id));
    await appendAudit(tx, { userId: p.actorId, action: p.action, entity: 'learned_model', entityId: p.id, before: { active: before?.id ?? null }, after: { active: p.id } });
  });
}

/** The model that was in force before the active one: the retired model promoted most recently. */
export async function previousActiveModel(db: Db): Promise<LearnedModelRow | null> {
  const [m] = await db
    .select()
    .from(learnedModels)
    .where(and(eq(learnedModels.status, 'retired'), isNotNull(learnedModels.promotedAt)))
    .orderBy(desc(learnedModels.promotedAt))
    .limit(1);
  return m ?? null;
}

export async function setModelMetrics(db: Db, id: string, metrics: ModelMetrics): Promise<void> {
  await db.update(learnedModels).set({ metrics }).where(eq(learnedModels.id, id));
}

export async function setModelNotice(db: Db, id: string, notice: string | null): Promise<void> {
  await db.update(learnedModels).set({ notice }).where(eq(learnedModels.id, id));
}

async function loadModelRow(db: Db, m: LearnedModelRow): Promise<LearnedModel & { dataset: string; engineVersion: string }> {
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
