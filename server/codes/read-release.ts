import path from 'node:path';
import { parseCptCsv } from './cpt-csv.ts';
import { composeTerms } from './compose-terms.ts';
import { parseHcpcsCsv } from './hcpcs-csv.ts';
import { parseIndexCsv } from './index-csv.ts';
import { crossReferenceRows, resolveSeeReferences } from './index-see.ts';
import { parseIndexTableXml } from './index-tables-xml.ts';
import { parseOrderFile } from './order-file.ts';
import { readCodeSetFile } from './read-files.ts';
import type { Release } from './releases.ts';
import { applyTabularAddenda, parseTabularAddenda } from './tabular-addenda.ts';
import { blockFor, chapterFor, parseTabularXml } from './tabular-xml.ts';
import { CodeSetParseError, type CodeRecord, type NoteRecord, type TermRecord } from './types.ts';

export interface CodeRow extends CodeRecord {
  block: string | null;
  chapter: number | null;
}

/** Everything a release contributes to the database, parsed and checked, before any write. */
export interface ReleaseContent {
  codes: CodeRow[];
  notes: (NoteRecord & { source: string })[];
  terms: (TermRecord & { source: string })[];
  stats: Record<string, number>;
}

/** Reads and parses a release's files from `dir`. Throws CodeSetParseError naming file and line. */
export function readRelease(release: Release, dir: string): ReleaseContent {
  const file = (key: string) => {
    const name = release.files[key];
    if (!name) throw new CodeSetParseError(release.system, null, `release ${release.version} names no "${key}" file`);
    return path.resolve(dir, name);
  };
  switch (release.system) {
    case 'ICD10CM':
      return readIcd10cm(release, file);
    case 'ICD10PCS':
      return withTitles(parseOrderFile(readCodeSetFile(file('order')), file('order'), 'ICD10PCS'), 'icd10pcs-order');
    case 'HCPCS': {
      const f = file('csv');
      const { records, terminated } = parseHcpcsCsv(readCodeSetFile(f), f, release.effectiveFrom);
      const content = withTitles(records, 'hcpcs');
      content.stats.terminatedSkipped = terminated;
      content.stats.modifiers = records.filter((r) => r.category === 'modifier').length;
      return content;
    }
    case 'CPT': {
      const f = file('csv');
      return withTitles(parseCptCsv(readCodeSetFile(f), f), 'cpt-import');
    }
  }
}

function withTitles(records: CodeRecord[], source: string): ReleaseContent {
  const codes = records.map((r) => ({ ...r, block: null, chapter: null }));
  const { terms } = composeTerms(records, [], []);
  return {
    codes,
    notes: [],
    terms: terms.map((t) => ({ ...t, source })),
    stats: baseStats(codes, terms.length),
  };
}

function baseStats(codes: CodeRecord[], terms: number): Record<string, number> {
  return { codes: codes.length, billable: codes.filter((c) => c.billable).length, terms };
}

function readIcd10cm(release: Release, file: (key: string) => string): ReleaseContent {
  const records = parseOrderFile(readCodeSetFile(file('order')), file('order'), 'ICD10CM');
  const tabular = parseTabularXml(readCodeSetFile(file('tabular')), file('tabular'));
  const known = new Set(records.map((r) => r.code));
  const codes: CodeRow[] = records.map((r) => ({
    ...r,
    chapter: chapterFor(r.code, tabular.chapters) ?? null,
    block: blockFor(r.code, tabular.blocks) ?? null,
  }));
  // Notes from an older tabular release are kept only for codes that still exist (OCG notes inherit
  // downwards, so a note on a surviving header still reaches its new children). The release's own Tabular
  // addenda, when named, bring them forward by its year's adds and deletes (MASLD under K76.0).
  const older = tabular.notes.filter((n) => known.has(n.code)).map((n) => ({ ...n, source: 'tabular-2021' }));
  const addendaFile = release.files.tabularAddenda ? file('tabularAddenda') : null;
  const addenda = addendaFile ? parseTabularAddenda(readCodeSetFile(addendaFile), addendaFile, known) : { added: [], deleted: [] };
  const notes = applyTabularAddenda(older, addenda, (n) => ({ ...n, source: `tabular-addenda-${release.version.toLowerCase()}` }));
  const indexTerms: TermRecord[] = [];
  const sources = new Map<TermRecord, string>();
  const addAll = (list: TermRecord[], source: string) => {
    for (const t of list) {
      indexTerms.push(t);
      sources.set(t, source);
    }
  };
  const index = parseIndexCsv(readCodeSetFile(file('index')), file('index'));
  addAll(index.terms, 'index-fy2025');
  const see = resolveSeeReferences(index.terms, index.crossRefs);
  addAll(see.terms, 'index-fy2025-see');
  for (const kind of ['drug', 'neoplasm', 'eindex'] as const) {
    addAll(parseIndexTableXml(readCodeSetFile(file(kind)), file(kind), kind), `${kind}-2026-04`);
  }
  const composed = composeTerms(records, notes, indexTerms);
  const inclusionSource = new Map(notes.filter((n) => n.kind === 'inclusion').map((n) => [`${n.code}|${n.text}`, n.source]));
  const terms = composed.terms.map((t) => ({ ...t, source: sources.get(t) ?? (t.kind === 'inclusion' ? (inclusionSource.get(`${t.code}|${t.text}`) ?? 'tabular-2021') : 'order-fy2026') }));
  // Cross-references carry no code, so they bypass composition (which checks codes against the release).
  const crossRefs = crossReferenceRows(see.unresolved, index.crossRefs);
  for (const t of crossRefs) terms.push({ ...t, source: 'index-fy2025-xref' });
  return {
    codes,
    notes,
    terms,
    stats: {
      ...baseStats(codes, terms.length),
      notes: notes.length,
      codesWithNotes: new Set(notes.map((n) => n.code)).size,
      seeReferencesResolved: see.terms.length,
      seeReferencesUnresolved: see.unresolved.length,
      crossReferencesKept: crossRefs.length,
      notesDroppedDeletedCodes: tabular.notes.length - older.length,
      addendaNotesAdded: notes.filter((n) => n.source !== 'tabular-2021').length,
      addendaNotesDeleted: older.length - notes.filter((n) => n.source === 'tabular-2021').length,
      ...Object.fromEntries(Object.entries(composed.dropped).map(([k, v]) => [`droppedTerms_${k}`, v])),
    },
  };
}
