// One release held in memory for the code search: its codes (for lookup by code or prefix) and a term index
// over what a coder searches — Alphabetic Index paths (with their resolved "see" rows), inclusion terms and
// titles — built with the engine's own term index (pipeline/term-index.ts), plus the Table of Drugs by drug.
import { drugKey } from '../codes/drug-name.ts';
import { CROSS_REF_KINDS, type CodeSystem } from '../codes/types.ts';
import type { Db } from '../db/client.ts';
import { releaseCodes, releaseTerms } from '../db/queries/code-search.ts';
import { buildTermIndex, type TermIndex } from '../pipeline/term-index.ts';
import { stems } from './lexical-score.ts';

export interface CatalogCode {
  code: string;
  /** The code without its dot, upper case: what a typed code or prefix is compared with. */
  key: string;
  billable: boolean;
  title: string;
}

export interface DrugRow {
  /** The drug as the Table of Drugs names it ("Metformin"). */
  drug: string;
  code: string;
  /** The column: "poisoning, accidental (unintentional)", "adverse effect", "underdosing" … */
  column: string;
}

export interface CodeCatalog {
  system: CodeSystem;
  versionId: number;
  version: string;
  /** Sorted by key: a prefix is one contiguous run (and the order files list codes in key order). */
  codes: CatalogCode[];
  byCode: Map<string, CatalogCode>;
  terms: TermIndex;
  /** Normalised drug name ("metformin") → its Table of Drugs rows. */
  drugs: Map<string, DrugRow[]>;
  /** The Index's "see also" (and unresolved "see") instructions, by each stem of the entry that carries them. */
  crossRefs: Map<string, CrossReference[]>;
}

/** "Bleeding — see also Hemorrhage": followed when a query names the entry (catalog-search.ts). */
export interface CrossReference {
  kind: 'see' | 'see_also';
  /** The entry's path ("Arthritis, arthritic", "chylous") and, per part, the stems of each of its forms
   *  (an Index part lists its variants: "Arthritis, arthritic"); a query names a part by any one form. */
  path: string[];
  forms: string[][][];
  /** Index text ("Abscess, hand") or a code range ("subcategory M14.8-", "category M01"). */
  target: string;
  /** The code of a code-range target ("M01"), read once here. */
  code?: string;
}

const CODE_TARGET = /^(?:sub)?category\s+([A-Z][0-9A-Z.]+?)-?$/i;

/** Term kinds searched per system: the Index only exists for ICD-10-CM. */
const TERM_KINDS: Record<CodeSystem, readonly string[]> = { ICD10CM: ['index', 'inclusion', 'title', 'drug', ...CROSS_REF_KINDS], ICD10PCS: ['title'], HCPCS: ['title'], CPT: ['title'] };

export const codeKey = (code: string) => code.replace(/\./g, '').toUpperCase();

export function buildCatalog(
  release: { system: CodeSystem; versionId: number; version: string },
  codeList: readonly { code: string; billable: boolean; title: string }[],
  termList: readonly { code: string; kind: string; text: string; path: string[] | null }[],
): CodeCatalog {
  const codes = codeList.map((c) => ({ code: c.code, key: codeKey(c.code), billable: c.billable, title: c.title }));
  codes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const byCode = new Map(codes.map((c) => [c.code, c]));
  const drugs = new Map<string, DrugRow[]>();
  const crossRefs = new Map<string, CrossReference[]>();
  const searchable: { code: string; kind: string; text: string }[] = [];
  for (const t of termList) {
    if (t.kind === 'see' || t.kind === 'see_also') {
      const path = t.path ?? [];
      const forms = path.map((part) => part.split(/,\s*/).map(stems).filter((f) => f.length > 0));
      if (forms.some((f) => f.length === 0)) continue; // a part of stopwords only cannot be named
      const code = CODE_TARGET.exec(t.text)?.[1];
      const ref: CrossReference = { kind: t.kind, path, forms, target: t.text, ...(code ? { code } : {}) };
      // The query names the main term by one of its forms: the ref is found under each stem of each form.
      for (const key of new Set(forms[0]!.flat())) {
        const list = crossRefs.get(key);
        if (list) list.push(ref);
        else crossRefs.set(key, [ref]);
      }
      continue;
    }
    if (!byCode.has(t.code)) continue; // an Index code the release lacks (deleted or incomplete)
    if (t.kind !== 'drug') {
      searchable.push(t);
      continue;
    }
    const [drug, ...column] = t.path ?? [t.text];
    const key = drugKey(drug!);
    const row = { drug: drug!, code: t.code, column: column.join(', ') };
    const list = drugs.get(key);
    if (list) list.push(row);
    else drugs.set(key, [row]);
  }
  // Titles are in the term rows for ICD-10-CM; for the other systems the code list is the only source.
  if (!termList.some((t) => t.kind === 'title')) for (const c of codes) searchable.push({ code: c.code, kind: 'title', text: c.title });
  return { ...release, codes, byCode, terms: buildTermIndex(searchable), drugs, crossRefs };
}

const cache = new WeakMap<Db, Map<number, Promise<CodeCatalog>>>();

/** The release's catalogue, loaded once per database and release (a few seconds for ICD-10-CM) and kept. */
export function catalogFor(db: Db, release: { system: CodeSystem; versionId: number; version: string }): Promise<CodeCatalog> {
  let perDb = cache.get(db);
  if (!perDb) cache.set(db, (perDb = new Map()));
  let catalog = perDb.get(release.versionId);
  if (!catalog) {
    catalog = (async () => buildCatalog(release, await releaseCodes(db, release.versionId), await releaseTerms(db, release.versionId, TERM_KINDS[release.system])))();
    // A failed load is not kept: the next search tries again.
    catalog.catch(() => perDb.delete(release.versionId));
    perDb.set(release.versionId, catalog);
  }
  return catalog;
}
