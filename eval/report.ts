// Markdown report of one evaluation run, written to eval/reports/<date>-<dataset>-<split>.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodeMetrics, EvalMetrics, PRF } from './metrics.ts';
import type { EvalRun } from './run.ts';

export const REPORTS_DIR = fileURLToPath(new URL('./reports/', import.meta.url));

export interface ReportMeta {
  dataset: string;
  split: string;
  /** YYYY-MM-DD; default today (local time). */
  date?: string;
  /** Extra lines for the header, e.g. the command line or the limit. */
  notes?: string[];
}

/** Writes the report and returns its path. */
export function writeReport(run: EvalRun, meta: ReportMeta, dir: string = REPORTS_DIR): string {
  const date = meta.date ?? today();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${date}-${slug(meta.dataset)}-${slug(meta.split)}.md`);
  writeFileSync(file, renderReport(run, { ...meta, date }));
  return file;
}

/** The report as Markdown (pure). */
export function renderReport(run: EvalRun, meta: ReportMeta, worst = 15): string {
  const t = run.timing;
  const mapped = (sys: 'D' | 'P') => run.docs.reduce((n, d) => n + d[sys].filter((p) => p.predictedAs !== undefined).length, 0);
  const lines = [
    `# Evaluation: ${meta.dataset} ${meta.split} — ${meta.date ?? today()}`,
    '',
    `- Notes: ${t.notes}, suggester errors: ${run.errors}`,
    `- Timing: p50 ${ms(t.p50Ms)}, p95 ${ms(t.p95Ms)}, max ${ms(t.maxMs)} per note; ${t.notesPerSecond.toFixed(2)} notes/s (wall ${(t.wallMs / 1000).toFixed(1)} s)`,
    `- Engine: ${run.engineVersions.length ? run.engineVersions.map((v) => `\`${v}\``).join(', ') : 'no suggestions returned'}`,
    `- Predictions scored in the gold's code form: ${mapped('D')} diagnoses (older ICD-10-CM code they replaced), ${mapped('P')} procedures (truncated gold PCS prefix)`,
    ...run.warnings.map((w) => `- Suggester warning on ${w.notes} note(s): ${w.message}`),
    ...(meta.notes ?? []).map((n) => `- ${n}`),
    '',
    'Only `final` suggestions, ranked by confidence. A code counts once per note. Macro averages over codes in gold ∪ predicted.',
    'MAP = mean AP over notes with gold (no predictions → 0); "MAP CodiEsp" averages only notes with predictions, as the official script does.',
    'Bands: head = most frequent reference codes covering 50% of occurrences, torso the next 30%, tail the rest, unseen = not in the reference.',
    '',
    ...violationsSection(run),
    ...calibrationSection(run),
    ...section('Diagnoses (ICD-10-CM, D)', run.D, true, worst),
    ...section('Procedures (ICD-10-PCS, P)', run.P, false, worst),
    ...professionalSection(run),
  ];
  return lines.join('\n') + '\n';
}

function professionalSection(run: EvalRun): string[] {
  const p = run.professional;
  if (!p) return [];
  const row = (name: string, m: PRF) => `| ${name} | ${pct(m.precision)} | ${pct(m.recall)} | ${pct(m.f1)} | ${m.tp} | ${m.fp} | ${m.fn} |`;
  return [
    '## Professional lines (CPT, HCPCS Level II)',
    '',
    `E/M level on ${p.em.withGold} notes whose gold has one: exact ${p.em.exact} (${pct(p.em.exactRate)}), within one level of the same family ${p.em.withinOne} (${pct(p.em.withinOneRate)}); suggested where the gold has none: ${p.em.spurious}.`,
    '',
    '| gold E/M | predicted |',
    '|---|---|',
    ...Object.entries(p.em.confusion)
      .sort()
      .map(([gold, row]) => `| ${gold} | ${Object.entries(row).map(([code, n]) => `${code} × ${n}`).join(', ')} |`),
    '',
    'Other lines, code level (without a licensed CPT file the CPT lines are drug and immunization administrations only):',
    '',
    '| lines | P | R | F1 | TP | FP | FN |',
    '|---|---|---|---|---|---|---|',
    row('CPT (not E/M)', p.cpt),
    row('HCPCS Level II', p.hcpcs),
    '',
  ];
}

function calibrationSection(run: EvalRun): string[] {
  const c = run.calibrationD;
  if (c.brier === null) return [];
  return [
    '## Calibration (diagnoses, code level)',
    '',
    `Brier score ${c.brier.toFixed(3)} over ${c.predictions} predictions (lower is better; a calibrated engine is right about as often as it says).`,
    '',
    '| confidence | predictions | mean confidence | right |',
    '|---|---|---|---|',
    ...c.bins.map((b) => `| ${Math.round(b.from * 100)}–${Math.round(b.to * 100)}% | ${b.n} | ${(b.meanConfidence * 100).toFixed(1)}% | ${(b.accuracy * 100).toFixed(1)}% |`),
    '',
  ];
}

function violationsSection(run: EvalRun): string[] {
  if (!run.violations) return [];
  const n = run.violations.reduce((a, v) => a + v.codes.length, 0);
  return [
    '## Guideline violations',
    '',
    `${n} must-not code(s) suggested in ${run.violations.length} of ${run.docs.length} notes (codes the dataset's coder marked as tempting but wrong).`,
    '',
    ...run.violations.map((v) => `- ${v.id}: ${v.codes.join(', ')}`),
    '',
  ];
}

function section(title: string, m: EvalMetrics, chapters: boolean, worst: number): string[] {
  const ks = Object.keys(m.code.precisionAt);
  const out = [
    `## ${title}`,
    '',
    `${m.code.documentsWithGold} of ${m.documents} notes have gold codes.`,
    '',
    `| level | micro P | micro R | micro F1 | macro P | macro R | macro F1 | codes | MAP | MAP CodiEsp | ${ks.map((k) => `P@${k}`).join(' | ')} | TP | FP | FN |`,
    `|---|---|---|---|---|---|---|---|---|---|${ks.map(() => '---|').join('')}---|---|---|`,
  ];
  for (const [name, l] of [
    ['code', m.code],
    ['category', m.category],
  ] as const) {
    out.push(
      `| ${name} | ${pct(l.micro.precision)} | ${pct(l.micro.recall)} | ${pct(l.micro.f1)} | ${pct(l.macro.precision)} | ${pct(l.macro.recall)} | ${pct(l.macro.f1)} | ${l.macro.codes} | ${pct(l.map)} | ${pct(l.mapCodiesp)} | ${ks.map((k) => pct(l.precisionAt[k] ?? 0)).join(' | ')} | ${l.micro.tp} | ${l.micro.fp} | ${l.micro.fn} |`,
    );
  }
  out.push('');
  if (chapters && m.byChapter.length) {
    out.push('### By chapter (code level)', '', prfHeader('chapter'), prfRule(1));
    for (const c of m.byChapter) out.push(prfRow(c.chapter == null ? c.title : `${c.chapter}. ${c.title}`, c));
    out.push('');
  }
  if (m.byBand) {
    out.push('### By reference frequency band (code level)', '', prfHeader('band | codes'), prfRule(2));
    for (const b of m.byBand) out.push(prfRow(`${b.band} | ${b.codes}`, b));
    out.push('');
  }
  out.push(...worstTable('Most false positives', m.perCode, 'fp', worst), ...worstTable('Most false negatives', m.perCode, 'fn', worst));
  return out;
}

function worstTable(title: string, codes: readonly CodeMetrics[], by: 'fp' | 'fn', n: number): string[] {
  const rows = codes
    .filter((c) => c[by] > 0)
    .sort((a, b) => b[by] - a[by] || (a.code < b.code ? -1 : 1))
    .slice(0, n);
  if (rows.length === 0) return [`### ${title}`, '', 'None.', ''];
  return [`### ${title}`, '', prfHeader('code'), prfRule(1), ...rows.map((c) => prfRow(`\`${c.code}\``, c)), ''];
}

const prfHeader = (first: string) => `| ${first} | P | R | F1 | TP | FP | FN |`;
const prfRule = (cols: number) => `|${'---|'.repeat(cols)}---|---|---|---|---|---|`;
const prfRow = (first: string, m: PRF) => `| ${first} | ${pct(m.precision)} | ${pct(m.recall)} | ${pct(m.f1)} | ${m.tp} | ${m.fp} | ${m.fn} |`;

function pct(x: number): string {
  return (100 * x).toFixed(1);
}

function ms(x: number): string {
  return `${Math.round(x)} ms`;
}

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_');
}
