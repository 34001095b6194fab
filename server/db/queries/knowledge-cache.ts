// One knowledge base per code-set release per open database, shared by everything in the process that codes
// notes: the suggester, learning a candidate and evaluating one. Learning, evaluating, promoting or rolling
// back a model then never reloads the code set (about 25 s for ICD-10-CM each time before).
import type { Db } from '../client.ts';
import type { Embedder } from '../../index/embedder.ts';
import type { Knowledge } from '../../pipeline/knowledge.ts';
import type { ProcedureKnowledge } from '../../pipeline/procedures.ts';
import { createRetriever, type Retrieve } from '../../pipeline/retrieve.ts';
import type { CptKnowledge } from '../../pipeline/professional/cpt-file.ts';
import { loadCptKnowledge } from './cpt-knowledge.ts';
import { loadKnowledge, loadProcedureKnowledge } from './knowledge.ts';

interface Release {
  id: number;
  version: string;
}

interface Caches {
  diagnoses: Map<number, Promise<Knowledge>>;
  procedures: Map<number, Promise<ProcedureKnowledge>>;
  cpt: Map<number, Promise<CptKnowledge>>;
}

// Keyed by the database object: a closed database (and its test copy) takes its knowledge with it.
const byDb = new WeakMap<Db, Caches>();
const retrievers = new WeakMap<Knowledge, Map<string, Retrieve>>();

function cachesOf(db: Db): Caches {
  let c = byDb.get(db);
  if (!c) byDb.set(db, (c = { diagnoses: new Map(), procedures: new Map(), cpt: new Map() }));
  return c;
}

/** A load shared by concurrent callers; a failed one is forgotten, so the next caller tries again. */
function once<T>(cache: Map<number, Promise<T>>, id: number, load: () => Promise<T>): Promise<T> {
  let p = cache.get(id);
  if (!p) {
    p = load();
    cache.set(id, p);
    p.catch(() => cache.delete(id));
  }
  return p;
}

/** The ICD-10-CM knowledge of `release`, loaded once per database. */
export function sharedKnowledge(db: Db, release: Release): Promise<Knowledge> {
  return once(cachesOf(db).diagnoses, release.id, () => loadKnowledge(db, release.id, release.version));
}

/** The ICD-10-PCS knowledge of `release`, loaded once per database. */
export function sharedProcedureKnowledge(db: Db, release: Release): Promise<ProcedureKnowledge> {
  return once(cachesOf(db).procedures, release.id, () => loadProcedureKnowledge(db, release.id, release.version));
}

/** The licensed CPT release's knowledge (codes import-cpt), loaded once per database. */
export function sharedCptKnowledge(db: Db, release: Release): Promise<CptKnowledge> {
  return once(cachesOf(db).cpt, release.id, () => loadCptKnowledge(db, release.id, release.version));
}

/** One retriever per knowledge base and embedder, so its vector cache serves every caller. */
export function sharedRetriever(kb: Knowledge, embedder: Embedder | null): Retrieve {
  let byModel = retrievers.get(kb);
  if (!byModel) retrievers.set(kb, (byModel = new Map()));
  const key = embedder?.modelId ?? '';
  let r = byModel.get(key);
  if (!r) byModel.set(key, (r = createRetriever(kb, embedder)));
  return r;
}
