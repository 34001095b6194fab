// The code search coders use (GET /api/search, the edit and add dialogs, `medcode search`): code lookup
// first, then the Index-style term search and the Table of Drugs over the releases in memory; the vector
// index only fills in when nothing lexical matches (a misspelling, a paraphrase).
import { sql } from 'drizzle-orm';
import { CODE_SYSTEMS, type CodeSystem } from '../codes/types.ts';
import { queryRows, type Db } from '../db/client.ts';
import { codeQueryKey, followCrossReferences, lookupCodes, searchDrugs, searchTerms, type CatalogHit } from './catalog-search.ts';
import { catalogFor } from './code-catalog.ts';
import type { Embedder } from './embedder.ts';
import { checkSearchInput, searchCodes, type SearchHit } from './search.ts';

export interface CodeSearchOptions {
  k?: number;
  systems?: readonly CodeSystem[];
  billableOnly?: boolean;
  /** Date of service: each system's release in force then (a note's codes come from its own release). */
  date?: string;
  /** A release label ("FY2026") instead of a date; default: the newest release of each system. */
  version?: string;
}

/**
 * Search codes the way a coder does. Examples: "z7984" → Z79.84; "S72.0" → S72.0 and its children in
 * tabular order; "chf exacerbation" → I50.x; "metformin" → Z79.84, then T38.3X1–T38.3X6.
 */
export async function searchCodeSets(db: Db, embedder: Embedder | null, text: string, opts: CodeSearchOptions = {}): Promise<SearchHit[]> {
  const { query, k } = checkSearchInput(text, opts.k);
  const releases = await releasesFor(db, opts.systems?.length ? opts.systems : CODE_SYSTEMS, opts);
  if (releases.length === 0) return [];
  const catalogs = await Promise.all(releases.map((r) => catalogFor(db, r)));
  const billableOnly = opts.billableOnly ?? false;

  if (codeQueryKey(query)) {
    // Stable sort: the code as typed first, then each system's codes in tabular order.
    const codes = catalogs.flatMap((c) => lookupCodes(c, query, k, billableOnly)).sort((a, b) => b.score - a.score);
    if (codes.length) return ranked(codes.slice(0, k));
  }
  const drugs = catalogs.flatMap((c) => searchDrugs(c, query, billableOnly));
  const terms = catalogs.flatMap((c) => [...searchTerms(c, query, k, billableOnly), ...followCrossReferences(c, query, k, billableOnly)]).sort((a, b) => b.score - a.score || Number(b.billable) - Number(a.billable));
  const lexical = dedupe([...drugs, ...terms]).slice(0, k);
  if (lexical.length) return ranked(lexical);
  return searchCodes(db, embedder, query, { k, systems: releases.map((r) => r.system), billableOnly, versionIds: releases.map((r) => r.versionId) });
}

type Release = { system: CodeSystem; versionId: number; version: string };

/** Loads the newest release of every system into memory, so that the first coder's search does not wait 5–12 s. */
export async function preloadCodeSearch(db: Db): Promise<void> {
  const releases = await releasesFor(db, CODE_SYSTEMS, {});
  await Promise.all(releases.map((r) => catalogFor(db, r)));
}

async function releasesFor(db: Db, systems: readonly CodeSystem[], opts: CodeSearchOptions): Promise<Release[]> {
  // One small query for every search (a handful of rows): a release loaded meanwhile is seen at once.
  const all = await queryRows<{ id: number; system: CodeSystem; version: string; effective_from: string }>(
    db,
    sql`select id, system, version, effective_from from code_set_versions order by effective_from desc`,
  );
  const out: Release[] = [];
  for (const system of systems) {
    const mine = all.filter((v) => v.system === system);
    // As versionFor: the latest release effective on or before the date of service.
    const v = opts.date ? mine.find((r) => String(r.effective_from) <= opts.date!) : opts.version ? mine.find((r) => r.version === opts.version) : mine[0];
    if (v) out.push({ system, versionId: Number(v.id), version: v.version });
  }
  return out;
}

function dedupe(hits: CatalogHit[]): CatalogHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => {
    const key = `${h.system}:${h.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const ranked = (hits: CatalogHit[]): SearchHit[] => hits.map((h, i) => ({ ...h, lexicalRank: i + 1, vectorRank: null }));
