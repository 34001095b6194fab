// E/M level agreement (exact, within one level, confusion table) and HCPCS Level II precision/recall
// for professional coding, against a JSONL dataset with CPT/HCPCS gold (e.g. shared/data/us-notes-dev).
// CPT procedures (non-E/M CPT lines) are scored too; their rule lines need a licensed CPT file (`--cpt <csv>`,
// columns code, descriptor), without which only the drug-administration lines are CPT.
// `--cpt-code-numbers` stands in CMS's code numbers without descriptors: the rules are measured, the descriptor
// matcher and vaccine products are not (they need a licensed file).
// CLI: `npx tsx eval/em-agreement.ts <notes.jsonl> [--cpt licensed.csv | --cpt-code-numbers] [--verbose]`.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseCptCsv } from '../server/codes/cpt-csv.ts';
import { type ClaimTables } from '../server/pipeline/professional/claim-tables.ts';
import { buildCptKnowledge, type CptKnowledge } from '../server/pipeline/professional/cpt-file.ts';
import { EM_TABLE, type EmFamily, PREVENTIVE_BANDS } from '../server/pipeline/professional/em-table.ts';
import { loadProfessionalDeps, professionalCoding } from '../server/pipeline/professional/professional-coding.ts';
import { loadJsonl } from './datasets.ts';
import { computeMetrics, type ScoredDocument } from './metrics.ts';

/** Family and 1-based level of an E/M code, or null when the code is not an E/M level this module knows. */
export function emPosition(code: string): { family: EmFamily | 'preventive'; rank: number } | null {
  for (const [family, table] of Object.entries(EM_TABLE) as [EmFamily, (typeof EM_TABLE)[EmFamily]][]) {
    const i = table.rows.findIndex((r) => r.code === code);
    if (i >= 0) return { family, rank: i + 1 };
  }
  if (PREVENTIVE_BANDS.some(([, n, e]) => n === code || e === code)) return { family: 'preventive', rank: 1 };
  return null;
}

export interface EmPair {
  id: string;
  /** Gold E/M code, null when the coder reported none. */
  gold: string | null;
  predicted: string | null;
}

export interface EmAgreement {
  /** Notes where the gold has an E/M code. */
  withGold: number;
  exact: number;
  withinOne: number;
  exactRate: number;
  withinOneRate: number;
  /** E/M codes suggested on notes whose gold has none. */
  spurious: number;
  /** gold code → predicted code (or "none") → count. */
  confusion: Record<string, Record<string, number>>;
}

/**
 * Exact and within-one-level agreement. Within one level needs the same family (office established,
 * ED, …) and a level at most one apart; a different family or no suggestion is a miss.
 */
export function emAgreement(pairs: readonly EmPair[]): EmAgreement {
  let withGold = 0;
  let exact = 0;
  let withinOne = 0;
  let spurious = 0;
  const confusion: Record<string, Record<string, number>> = {};
  for (const { gold, predicted } of pairs) {
    if (gold === null) {
      if (predicted !== null) spurious++;
      continue;
    }
    withGold++;
    const row = (confusion[gold] ??= {});
    row[predicted ?? 'none'] = (row[predicted ?? 'none'] ?? 0) + 1;
    if (predicted === gold) {
      exact++;
      withinOne++;
      continue;
    }
    const g = emPosition(gold);
    const p = predicted === null ? null : emPosition(predicted);
    if (g && p && g.family === p.family && Math.abs(g.rank - p.rank) <= 1) withinOne++;
  }
  const rate = (n: number): number => (withGold === 0 ? 0 : n / withGold);
  return { withGold, exact, withinOne, exactRate: rate(exact), withinOneRate: rate(withinOne), spurious, confusion };
}

/** An E/M code number this module levels, or the post-op visit 99024. */
export function isEmCode(code: string): boolean {
  return emPosition(code) !== null || code === '99024';
}

/**
 * A stand-in for a licensed file: every CPT code number CMS lists in its practitioner MUE table, with no
 * descriptor (a dash, which no note phrase matches). It measures the rules (which need only the code to be in the file), never the descriptor matcher
 * or the vaccine products (which need the AMA's descriptor text: a site measures those with `--cpt` and its file).
 */
function codeNumbersOnly(tables: ClaimTables): CptKnowledge {
  const rows = [...tables.mue.keys()].filter((c) => /^\d{4}[0-9FTU]$/.test(c)).map((code) => ({ code, descriptor: '—' }));
  return buildCptKnowledge(`CMS MUE code numbers (${tables.versions.mue}), no descriptors`, rows);
}

/** Predicted non-E/M CPT lines by the rule that made them, and how many are in the gold. */
export function precisionByRule(docs: readonly { gold: readonly string[]; lines: readonly { code: string; rule?: string | undefined }[] }[]): Record<string, { predicted: number; correct: number }> {
  const out: Record<string, { predicted: number; correct: number }> = {};
  for (const d of docs) {
    for (const l of d.lines) {
      const row = (out[l.rule ?? 'administration'] ??= { predicted: 0, correct: 0 });
      row.predicted++;
      if (d.gold.includes(l.code)) row.correct++;
    }
  }
  return out;
}

async function main(file: string, cptFile: string | undefined, codeNumbers: boolean): Promise<void> {
  const docs = loadJsonl(file);
  const professional = loadProfessionalDeps();
  const cpt = cptFile
    ? buildCptKnowledge(cptFile, parseCptCsv(readFileSync(cptFile, 'utf8'), cptFile).map((r) => ({ code: r.code, descriptor: r.longDesc })))
    : codeNumbers
      ? codeNumbersOnly(professional.claims)
      : null;
  const deps = { ...professional, cpt };
  const byRule: { gold: string[]; lines: { code: string; rule?: string | undefined }[] }[] = [];
  const pairs: EmPair[] = [];
  const hcpcs: ScoredDocument[] = [];
  const procedures: ScoredDocument[] = [];
  const z23 = { gold: 0, added: 0, both: 0 };
  for (const doc of docs) {
    // The shipped path (the suggester's), without diagnoses: E/M and drug lines do not depend on them.
    const { em, lines, immunizationDx } = professionalCoding({ text: doc.text, encounter: doc.encounter }, [], deps);
    const goldZ23 = doc.gold.some((g) => g.system === 'ICD10CM' && g.code === 'Z23');
    z23.gold += goldZ23 ? 1 : 0;
    z23.added += immunizationDx ? 1 : 0;
    z23.both += goldZ23 && immunizationDx ? 1 : 0;
    const gold = doc.gold.find((g) => g.system === 'CPT' && isEmCode(g.code))?.code ?? null;
    pairs.push({ id: doc.id, gold, predicted: em?.code ?? null });
    hcpcs.push({
      id: doc.id,
      gold: doc.gold.filter((g) => g.system === 'HCPCS'),
      predicted: lines.filter((l) => l.system === 'HCPCS').map((l) => ({ system: 'HCPCS' as const, code: l.code, confidence: 1 })),
    });
    const cptLines = lines.filter((l) => l.system === 'CPT' && !isEmCode(l.code));
    byRule.push({ gold: doc.gold.filter((g) => g.system === 'CPT').map((g) => g.code), lines: cptLines });
    procedures.push({
      id: doc.id,
      gold: doc.gold.filter((g) => g.system === 'CPT' && !isEmCode(g.code)),
      predicted: [...new Set(lines.filter((l) => l.system === 'CPT' && !isEmCode(l.code)).map((l) => l.code))].map((code) => ({ system: 'CPT' as const, code, confidence: 1 })),
    });
  }
  const em = emAgreement(pairs);
  const h = computeMetrics(hcpcs).code.micro;
  console.log(`E/M: ${em.withGold} notes with a gold E/M level`);
  console.log(`  exact ${em.exact} (${(em.exactRate * 100).toFixed(1)}%), within one level ${em.withinOne} (${(em.withinOneRate * 100).toFixed(1)}%), suggested where gold has none: ${em.spurious}`);
  console.log('  confusion (gold → predicted):');
  for (const [g, row] of Object.entries(em.confusion).sort()) console.log(`    ${g}: ${Object.entries(row).map(([p, n]) => `${p}×${n}`).join(', ')}`);
  console.log(`HCPCS Level II: precision ${h.precision.toFixed(3)}, recall ${h.recall.toFixed(3)}, F1 ${h.f1.toFixed(3)}`);
  const c = computeMetrics(procedures).code.micro;
  console.log(`CPT procedures (non-E/M)${cpt ? `, CPT file: ${cpt.version}` : ', no licensed CPT file'}: precision ${c.precision.toFixed(3)}, recall ${c.recall.toFixed(3)}, F1 ${c.f1.toFixed(3)}`);
  console.log(`  CPT lines by rule (in gold / predicted): ${Object.entries(precisionByRule(byRule)).sort().map(([r, x]) => `${r} ${x.correct}/${x.predicted}`).join(', ')}`);
  console.log(`Z23 (vaccine given, OCG I.C.21.c.2): added on ${z23.added} notes, gold has it on ${z23.gold}, both ${z23.both}`);
  if (process.argv.includes('--verbose')) {
    for (const d of procedures) if (d.gold.length || d.predicted.length) console.log(`  ${d.id}: gold ${d.gold.map((g) => g.code).join(' ') || '-'} predicted ${d.predicted.map((p) => p.code).join(' ') || '-'}`);
  }
  if (process.argv.includes('--verbose')) for (const p of pairs) if (p.gold !== p.predicted) console.log(`  ${p.id}: gold ${p.gold} predicted ${p.predicted}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: tsx eval/em-agreement.ts <notes.jsonl> [--cpt licensed.csv | --cpt-code-numbers] [--verbose]');
    process.exit(2);
  }
  const at = process.argv.indexOf('--cpt');
  await main(file, at > 0 ? process.argv[at + 1] : undefined, process.argv.includes('--cpt-code-numbers'));
}
