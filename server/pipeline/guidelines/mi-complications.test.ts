// Current complications of an acute myocardial infarction (tabular I23; I51.0–I51.3 Excludes1): one sentence per case.
import { describe, expect, it } from 'vitest';
import { ruledAt } from '../fixtures/ruled.ts';
import { buildKnowledge } from '../knowledge.ts';
import { applyMiComplications } from './mi-complications.ts';

const kb = buildKnowledge(
  'test',
  [
    { code: 'I21.02', billable: true, title: 'ST elevation (STEMI) myocardial infarction involving left anterior descending coronary artery', parent: null },
    { code: 'I25.2', billable: true, title: 'Old myocardial infarction', parent: null },
    { code: 'I51.3', billable: true, title: 'Intracardiac thrombosis, not elsewhere classified', parent: null },
    { code: 'I23.6', billable: true, title: 'Thrombosis of atrium, auricular appendage, and ventricle as current complications following acute myocardial infarction', parent: null },
  ],
  [{ code: 'I51.3', kind: 'excludes1', text: 'intracardiac thrombosis as current complication following acute myocardial infarction (I23.6)' }],
  [],
);
const run = (text: string, ...kept: ReturnType<typeof ruledAt>[]) =>
  applyMiComplications(kept, { note: { text, encounter: { setting: 'inpatient', dateOfService: '2026-01-15' } }, sentences: [], kb, scored: [] });

describe('a thrombus beside a current MI is the MI\'s complication (I23.6)', () => {
  it('"Anterior STEMI (LAD). LV apical thrombus complicating the acute MI." → I21.02 and I23.6, not I51.3', () => {
    const text = 'Anterior STEMI (LAD). LV apical thrombus complicating the acute MI.';
    const out = run(text, ruledAt(text, 'Anterior STEMI', 'I21.02'), ruledAt(text, 'apical thrombus', 'I51.3'));
    expect(out.kept.map((c) => c.code)).toEqual(['I21.02', 'I23.6']);
    expect(out.kept[1]!.rules.some((r) => r.rule === 'mi_complication' && /I51\.3/.test(r.detail))).toBe(true);
  });

  it('without a current MI, or with a thrombus called chronic, I51.3 stays', () => {
    const old = 'Old anterior MI (2019). Chronic LV apical thrombus on warfarin.';
    expect(run(old, ruledAt(old, 'Old anterior MI', 'I25.2'), ruledAt(old, 'apical thrombus', 'I51.3')).kept.map((c) => c.code)).toEqual(['I25.2', 'I51.3']);
    const chronic = 'Anterior STEMI (LAD). Chronic LV apical thrombus, unchanged from 2025.';
    expect(run(chronic, ruledAt(chronic, 'Anterior STEMI', 'I21.02'), ruledAt(chronic, 'apical thrombus', 'I51.3')).kept.map((c) => c.code)).toEqual(['I21.02', 'I51.3']);
  });
});
