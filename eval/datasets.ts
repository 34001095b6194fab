// Evaluation datasets: CodiEsp (CLEF eHealth 2020, CC BY 4.0 — see data/SOURCES.md) and plain JSONL.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CODE_SYSTEMS } from '../server/codes/types.ts';
import { CodeSystemSchema } from '../server/codes/code-system-aliases.ts';
import { EncounterSchema, EvidenceSpanSchema, type Encounter, type EvidenceSpan } from '../server/pipeline/types.ts';
import { normalizeCode, type CodeRef } from './metrics.ts';

/** A CPT/HCPCS claim line: units, modifiers and the ICD-10-CM codes it points to, in order (CMS-1500 item 24). */
export const RecordLineSchema = z.object({ units: z.number().int().min(1), modifiers: z.array(z.string()), diagnosisPointers: z.array(z.string()) });
export type RecordLine = z.infer<typeof RecordLineSchema>;

/** A gold code as datasets carry it: the code, and optionally its title, supporting spans and (procedure lines) its claim line. */
export interface GoldCode extends CodeRef {
  description?: string;
  evidence?: EvidenceSpan[];
  line?: RecordLine;
}

export interface EvalDocument {
  id: string;
  text: string;
  encounter: Encounter;
  /** Distinct gold codes in file order, normalised with `normalizeCode`. */
  gold: GoldCode[];
  /** Codes a certified coder marked as tempting but wrong for this note (guideline violations when suggested). */
  mustNot?: CodeRef[];
}

/** A dataset problem that names the file and, when known, the 1-based line. */
export class DatasetError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly problem: string,
  ) {
    super(`${file}${line != null ? `:${line}` : ''}: ${problem}`);
    this.name = 'DatasetError';
  }
}

export const CODIESP_SPLITS = ['train', 'dev', 'test'] as const;
export type CodiespSplit = (typeof CODIESP_SPLITS)[number];

/**
 * CodiEsp cases are published clinical case reports, mostly hospital stays: scored as inpatient.
 * The gold is CIE-10-ES 2018, but code sets are picked by date of service (`versionFor` in
 * server/db/queries/code-sets.ts) and a 2018 date matches no shipped release. So every case gets a FY2026 date
 * (FY2026 runs 2025-10-01 to 2026-09-30) and older gold codes are matched via eval/code-versions.ts.
 */
export const CODIESP_ENCOUNTER: Encounter = { setting: 'inpatient', dateOfService: '2026-01-15' };

/**
 * Loads a CodiEsp split from `<dir>/<split>/`: the English machine translation
 * (`text_files_en/<id>.txt`, sentence-split) with gold from `<split>D.tsv` (ICD-10-CM, e.g. "n39.0" →
 * "N39.0") and `<split>P.tsv` (ICD-10-PCS, upper case, often truncated prefixes such as "BW20").
 * Documents are every text file, sorted by id; a code repeated within a document is kept once.
 */
export function loadCodiesp(dir: string, split: CodiespSplit): EvalDocument[] {
  const base = path.join(dir, split);
  const textDir = path.join(base, 'text_files_en');
  if (!existsSync(textDir)) throw new DatasetError(textDir, null, `no CodiEsp "${split}" split here (expected ${split}/text_files_en/ under ${dir})`);
  const ids = readdirSync(textDir)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => f.slice(0, -4))
    .sort();
  const gold = new Map<string, CodeRef[]>(ids.map((id) => [id, []]));
  readCodiespTsv(path.join(base, `${split}D.tsv`), 'ICD10CM', gold);
  readCodiespTsv(path.join(base, `${split}P.tsv`), 'ICD10PCS', gold);
  return ids.map((id) => ({
    id,
    text: readFileSync(path.join(textDir, `${id}.txt`), 'utf8'),
    encounter: CODIESP_ENCOUNTER,
    gold: gold.get(id)!,
  }));
}

function readCodiespTsv(file: string, system: 'ICD10CM' | 'ICD10PCS', gold: Map<string, CodeRef[]>): void {
  if (!existsSync(file)) throw new DatasetError(file, null, 'gold file is missing');
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((row, i) => {
      if (row.trim() === '') return;
      const [id, raw, ...rest] = row.split('\t');
      if (!id || !raw || rest.length > 0) throw new DatasetError(file, i + 1, 'expected "articleID<TAB>code"');
      const codes = gold.get(id);
      if (!codes) throw new DatasetError(file, i + 1, `document ${id} has no text file in text_files_en/`);
      const code = normalizeCode(system, raw);
      if (!codes.some((c) => c.system === system && c.code === code)) codes.push({ system, code });
    });
}

export const GoldCodeSchema = z.object({
  system: CodeSystemSchema,
  code: z.string().trim().min(1),
  description: z.string().optional(),
  evidence: z.array(EvidenceSpanSchema).optional(),
  line: RecordLineSchema.optional(),
});

const JsonlDocumentSchema = z.object({
  id: z.string().min(1),
  text: z.string(),
  encounter: EncounterSchema,
  gold: z.array(GoldCodeSchema),
  must_not: z.array(z.object({ system: z.enum(CODE_SYSTEMS), code: z.string().trim().min(1) })).optional(),
});

/**
 * Normalises gold codes and keeps each (system, code) once, the first occurrence winning, as the CodiEsp
 * loader does. Returns a problem message instead of codes when an evidence span falls outside the text,
 * because a span that cannot be highlighted is a broken dataset, not a detail.
 */
export function normalizeGold(gold: readonly GoldCode[], text: string): GoldCode[] | string {
  const codes: GoldCode[] = [];
  for (const [i, g] of gold.entries()) {
    const bad = g.evidence?.findIndex((e) => e.end < e.start || e.end > text.length) ?? -1;
    if (bad >= 0) return `gold.${i}.evidence.${bad}: span ${g.evidence![bad]!.start}-${g.evidence![bad]!.end} is outside the text (length ${text.length})`;
    const code = normalizeCode(g.system, g.code);
    if (codes.some((c) => c.system === g.system && c.code === code)) continue;
    const out: GoldCode = { system: g.system, code };
    if (g.description !== undefined) out.description = g.description;
    if (g.evidence !== undefined) out.evidence = g.evidence.map((e) => ({ start: e.start, end: e.end, quote: e.quote }));
    if (g.line !== undefined) out.line = { units: g.line.units, modifiers: [...g.line.modifiers], diagnosisPointers: [...g.line.diagnosisPointers] };
    codes.push(out);
  }
  return codes;
}

/**
 * Loads `{id, text, encounter, gold: [{system, code, description?, evidence?}]}` objects, one per line
 * (blank lines skipped). Codes are normalised and de-duplicated like CodiEsp's; a bad line or a repeated id
 * fails with the line.
 */
export function loadJsonl(file: string): EvalDocument[] {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DatasetError(file, null, `cannot read: ${(err as Error).message}`);
  }
  return parseJsonl(content, file);
}

/**
 * The JSONL parser behind `loadJsonl`, also used for uploads: `sourceName` (a file name) prefixes every
 * error, with the 1-based line.
 */
export function parseJsonl(content: string, sourceName: string): EvalDocument[] {
  const docs: EvalDocument[] = [];
  const seen = new Set<string>();
  content
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((row, i) => {
      if (row.trim() === '') return;
      let json: unknown;
      try {
        json = JSON.parse(row);
      } catch (err) {
        throw new DatasetError(sourceName, i + 1, `not JSON: ${(err as Error).message}`);
      }
      const parsed = JsonlDocumentSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new DatasetError(sourceName, i + 1, `${issue.path.join('.') || '(root)'}: ${issue.message}`);
      }
      const { id, text, encounter, gold, must_not: mustNot } = parsed.data;
      if (seen.has(id)) throw new DatasetError(sourceName, i + 1, `id "${id}" appears twice`);
      seen.add(id);
      const codes = normalizeGold(gold, text);
      if (typeof codes === 'string') throw new DatasetError(sourceName, i + 1, codes);
      const doc: EvalDocument = { id, text, encounter, gold: codes };
      if (mustNot) doc.mustNot = mustNot.map((m) => ({ system: m.system, code: normalizeCode(m.system, m.code) }));
      docs.push(doc);
    });
  return docs;
}
