import { describe, expect, it } from 'vitest';
import type { Suggestion } from '../server/pipeline/types.ts';
import { loadConversionTable } from './code-versions.ts';
import type { EvalDocument } from './datasets.ts';
import { renderReport } from './report.ts';
import { runEval } from './run.ts';

function suggestion(system: Suggestion['system'], code: string, confidence: number, kind: Suggestion['kind'] = 'final'): Suggestion {
  return {
    system,
    code,
    description: '',
    evidence: [{ start: 0, end: 1, quote: 'x' }],
    context: { negated: false, uncertain: false, historical: false, family: false, hypothetical: false },
    confidence,
    kind,
    rationale: { matched: '', matchKind: '', rules: [], reminders: [] },
    source: 'offline',
    versions: { engine: 'test-1', prompt: null, model: null, embedder: null },
  };
}

const encounter = { setting: 'inpatient', dateOfService: '2026-01-15' } as const;
const docs: EvalDocument[] = [
  { id: 'headache', text: 'Headache. Chest X-ray.', encounter, gold: [{ system: 'ICD10CM', code: 'R51' }, { system: 'ICD10PCS', code: 'BW03' }] },
  { id: 'htn', text: 'Hypertension.', encounter, gold: [{ system: 'ICD10CM', code: 'I10' }] },
  { id: 'boom', text: 'The suggester throws on this note.', encounter, gold: [{ system: 'ICD10CM', code: 'J18.9' }] },
];

const byText: Record<string, Suggestion[]> = {
  'Headache. Chest X-ray.': [
    suggestion('ICD10CM', 'G44.209', 0.4),
    suggestion('ICD10CM', 'R51.9', 0.9),
    suggestion('ICD10PCS', 'BW03ZZZ', 0.8),
    suggestion('HCPCS', 'G0008', 0.99),
  ],
  'Hypertension.': [suggestion('ICD10CM', 'I10', 0.7), suggestion('ICD10CM', 'I11', 0.95, 'needs_specificity')],
};

describe('runEval', async () => {
  const progress: number[] = [];
  const run = await runEval(
    docs,
    async (note) => {
      const s = byText[note.text];
      if (!s) throw new Error('engine exploded');
      return s;
    },
    { concurrency: 2, onProgress: (done) => progress.push(done), conversion: loadConversionTable() },
  );

  it('ranks final suggestions by confidence, splits D and P, drops other systems and headers', () => {
    expect(run.docs[0]!.D.map((p) => p.code)).toEqual(['R51', 'G44.209']);
    expect(run.docs[1]!.D.map((p) => p.code)).toEqual(['I10']);
    expect(run.docs[0]!.P.map((p) => p.code)).toEqual(['BW03']);
  });

  it('scores R51.9 as the gold-vintage R51 and a full PCS code as its gold prefix, keeping what was predicted', () => {
    expect(run.docs[0]!.D[0]).toEqual({ system: 'ICD10CM', code: 'R51', confidence: 0.9, predictedAs: 'R51.9' });
    expect(run.docs[0]!.P[0]!.predictedAs).toBe('BW03ZZZ');
  });

  it('records a failing note as an error with no predictions, and keeps going', () => {
    expect(run.errors).toBe(1);
    expect(run.docs[2]).toMatchObject({ id: 'boom', error: 'engine exploded', D: [], P: [] });
    expect(progress).toEqual([1, 2, 3]);
  });

  it('scores D and P apart', () => {
    // D: R51 ✓ (rank 1), G44.209 ✗, I10 ✓, J18.9 missed.
    expect(run.D.code.micro).toMatchObject({ tp: 2, fp: 1, fn: 1 });
    expect(run.D.code.map).toBeCloseTo((1 + 1 + 0) / 3, 12);
    expect(run.P.code.micro).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(run.P.code.documentsWithGold).toBe(1);
  });

  it('times every note', () => {
    expect(run.timing.notes).toBe(3);
    expect(run.timing.p50Ms).toBeGreaterThanOrEqual(0);
    expect(run.timing.p95Ms).toBeGreaterThanOrEqual(run.timing.p50Ms);
    expect(run.engineVersions).toEqual([JSON.stringify({ engine: 'test-1', prompt: null, model: null, embedder: null })]);
  });

  it('renders a report with the metric tables and the worst codes', () => {
    const md = renderReport(run, { dataset: 'fixture', split: 'dev', date: '2026-01-15' });
    expect(md).toContain('# Evaluation: fixture dev — 2026-01-15');
    expect(md).toContain('## Diagnoses (ICD-10-CM, D)');
    expect(md).toContain('| code | 66.7 | 66.7 | 66.7 |');
    expect(md).toContain('### Most false positives');
    expect(md).toContain('| `G44.209` | 0.0 | 0.0 | 0.0 | 0 | 1 | 0 |');
    expect(md).toContain('| `J18.9` | 0.0 | 0.0 | 0.0 | 0 | 0 | 1 |');
    expect(md).toContain('1 diagnoses (older ICD-10-CM code they replaced), 1 procedures');
    expect(md).not.toContain('Headache');
  });
});

describe('runEval with a suggester that returns { suggestions, warnings }', async () => {
  const run = await runEval(docs.slice(1, 2), async () => ({ suggestions: [suggestion('ICD10CM', 'I10', 0.7)], warnings: ['no learned model'] }));

  it('scores the suggestions and counts the warnings per note', () => {
    expect(run.D.code.micro).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(run.warnings).toEqual([{ message: 'no learned model', notes: 1 }]);
    expect(renderReport(run, { dataset: 'x', split: 'y' })).toContain('- Suggester warning on 1 note(s): no learned model');
  });
});

describe('must-not codes (guideline violations)', () => {
  it('counts a suggested must-not code per note, in the engine’s own code form, and is null for datasets without lists', async () => {
    const withLists: EvalDocument[] = [
      { ...docs[1]!, mustNot: [{ system: 'ICD10CM', code: 'I10' }, { system: 'ICD10CM', code: 'I12.9' }] },
      { ...docs[0]!, mustNot: [{ system: 'ICD10CM', code: 'R51.9' }] },
    ];
    const run = await runEval(withLists, async (n) => byText[n.text] ?? [], { conversion: loadConversionTable() });
    // R51.9 is scored as the gold's R51 (vintage mapping) but is still the must-not R51.9 the engine suggested.
    expect(run.violations).toEqual([
      { id: 'htn', codes: ['I10'] },
      { id: 'headache', codes: ['R51.9'] },
    ]);
    expect(renderReport(run, { dataset: 'us', split: 'dev', date: '2026-12-04' })).toContain('2 must-not code(s) suggested in 2 of 2 notes');
    expect((await runEval(docs.slice(0, 2), async (n) => byText[n.text] ?? [])).violations).toBeNull();
  });
});

describe('professional lines (CPT, HCPCS)', () => {
  it('scores the E/M level (exact, within one, confusion) and the other lines by system; null without CPT/HCPCS gold', async () => {
    const office = { setting: 'professional', dateOfService: '2026-03-10' } as const;
    const visits: EvalDocument[] = [
      { id: 'a', text: 'a', encounter: office, gold: [{ system: 'CPT', code: '99214' }, { system: 'HCPCS', code: 'J1885' }, { system: 'CPT', code: '96372' }] },
      { id: 'b', text: 'b', encounter: office, gold: [{ system: 'CPT', code: '99213' }] },
      { id: 'c', text: 'c', encounter: office, gold: [{ system: 'CPT', code: '99285' }] },
    ];
    const lines: Record<string, Suggestion[]> = {
      a: [suggestion('CPT', '99214', 0.6), suggestion('HCPCS', 'J1885', 0.9), suggestion('CPT', '96372', 0.9)],
      b: [suggestion('CPT', '99214', 0.6), suggestion('HCPCS', 'J3420', 0.9)],
      c: [suggestion('CPT', '99215', 0.6)],
    };
    const run = await runEval(visits, async (n) => lines[n.text] ?? []);
    expect(run.professional?.em).toMatchObject({ withGold: 3, exact: 1, withinOne: 2, confusion: { '99214': { '99214': 1 }, '99213': { '99214': 1 }, '99285': { '99215': 1 } } });
    expect(run.professional?.cpt).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(run.professional?.hcpcs).toMatchObject({ tp: 1, fp: 1, fn: 0 });
    const md = renderReport(run, { dataset: 'us', split: 'dev', date: '2026-12-06' });
    expect(md).toContain('## Professional lines (CPT, HCPCS Level II)');
    expect(md).toContain('exact 1 (33.3)');
    expect(md).toContain('| 99213 | 99214 × 1 |');
    expect(md).toContain('within one level of the same family 2 (66.7)');
    expect(md).toContain('| HCPCS Level II | 50.0 | 100.0 | 66.7 | 1 | 1 | 0 |');
    expect((await runEval(docs.slice(0, 2), async (n) => byText[n.text] ?? [])).professional).toBeNull();
  });
});
