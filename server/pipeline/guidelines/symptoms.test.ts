// Signs coded outside chapter 18 that are routinely part of a diagnosis (OCG I.B.5): one clinical sentence per row.
import { describe, expect, it } from 'vitest';
import { ruledAt } from '../fixtures/ruled.ts';
import { buildKnowledge } from '../knowledge.ts';
import { applyIntegralSymptoms } from './symptoms.ts';

const kb = buildKnowledge(
  'test',
  [
    { code: 'N13.2', billable: true, title: 'Hydronephrosis with renal and ureteral calculous obstruction', parent: null },
    { code: 'N23', billable: true, title: 'Unspecified renal colic', parent: null },
    { code: 'I10', billable: true, title: 'Essential (primary) hypertension', parent: null },
    { code: 'P55.1', billable: true, title: 'ABO isoimmunization of newborn', parent: null },
    { code: 'P59.9', billable: true, title: 'Neonatal jaundice, unspecified', parent: null },
    { code: 'K80.00', billable: true, title: 'Calculus of gallbladder with acute cholecystitis without obstruction', parent: null },
    { code: 'R50.9', billable: true, title: 'Fever, unspecified', parent: null },
    { code: 'I50.32', billable: true, title: 'Chronic diastolic (congestive) heart failure', parent: null },
    { code: 'I51.89', billable: true, title: 'Other ill-defined heart diseases', parent: null },
    { code: 'I25.10', billable: true, title: 'Atherosclerotic heart disease of native coronary artery without angina pectoris', parent: null },
    { code: 'I44.2', billable: true, title: 'Atrioventricular block, complete', parent: null },
    { code: 'R55', billable: true, title: 'Syncope and collapse', parent: null },
    { code: 'I63.412', billable: true, title: 'Cerebral infarction due to embolism of left middle cerebral artery', parent: null },
    { code: 'I67.82', billable: true, title: 'Cerebral ischemia', parent: null },
  ],
  [],
  [],
);
const run = (text: string, ...kept: ReturnType<typeof ruledAt>[]) =>
  applyIntegralSymptoms(kept, { note: { text, encounter: { setting: 'outpatient', dateOfService: '2026-01-15' } }, sentences: [], kb, scored: [] });

describe('renal colic and neonatal jaundice are their diagnosis\'s', () => {
  it('"Obstructing 6 mm left UVJ stone with hydronephrosis; renal colic" → N13.2, not N23 beside it', () => {
    const text = 'Obstructing 6 mm left UVJ stone with hydronephrosis; renal colic controlled with ketorolac.';
    const out = run(text, ruledAt(text, 'stone with hydronephrosis', 'N13.2'), ruledAt(text, 'renal colic', 'N23'));
    expect(out.kept.map((c) => c.code)).toEqual(['N13.2']);
    expect(out.dropped[0]!.reason).toMatch(/^symptom integral to N13\.2/);
    // Beside an unrelated diagnosis the colic stays.
    expect(run(text, ruledAt(text, 'renal colic', 'N23'), ruledAt(text, 'stone', 'I10')).kept.map((c) => c.code)).toContain('N23');
  });

  it('"Jaundice due to ABO isoimmunization" → P55.1, not P59.9 (Index: Jaundice, newborn, due to, ABO, isoimmunization)', () => {
    const text = 'Neonatal jaundice due to ABO isoimmunization, bilirubin below phototherapy threshold.';
    const out = run(text, ruledAt(text, 'ABO isoimmunization', 'P55.1'), ruledAt(text, 'Neonatal jaundice', 'P59.9'));
    expect(out.kept.map((c) => c.code)).toEqual(['P55.1']);
  });
});

describe('ventricular dysfunction graded on echo is the heart failure\'s own finding', () => {
  it('"Chronic diastolic heart failure (LVEF 60%, grade II diastolic dysfunction)" → I50.32, not I51.89 beside it', () => {
    const text = 'Chronic diastolic heart failure (LVEF 60%, grade II diastolic dysfunction), euvolemic.';
    const out = run(text, ruledAt(text, 'Chronic diastolic heart failure', 'I50.32'), ruledAt(text, 'diastolic dysfunction', 'I51.89'));
    expect(out.kept.map((c) => c.code)).toEqual(['I50.32']);
    // Without heart failure the dysfunction is what the note documents.
    expect(run(text, ruledAt(text, 'diastolic dysfunction', 'I51.89'), ruledAt(text, 'LVEF', 'I25.10')).kept.map((c) => c.code)).toContain('I51.89');
  });
});

describe('an infarction is the ischemia that killed tissue', () => {
  it('"Acute ischemic stroke, left middle cerebral artery, cardioembolic" → I63.412, not I67.82 read from "ischemic … cerebral"', () => {
    const text = 'Acute ischemic stroke, left middle cerebral artery, cardioembolic.';
    expect(run(text, ruledAt(text, 'Acute ischemic stroke', 'I63.412'), ruledAt(text, 'ischemic stroke, left middle cerebral', 'I67.82')).kept.map((c) => c.code)).toEqual(['I63.412']);
  });
});

describe('heart block faints as the arrhythmias do', () => {
  it('"Complete heart block with syncope" → I44.2, not R55 beside it', () => {
    const text = 'Complete heart block with syncope, permanent pacemaker implanted.';
    expect(run(text, ruledAt(text, 'Complete heart block', 'I44.2'), ruledAt(text, 'syncope', 'R55')).kept.map((c) => c.code)).toEqual(['I44.2']);
  });
});

describe('cholecystitis with its stones is an infection as cholecystitis is', () => {
  it('"Acute calculous cholecystitis; fever 38.9" → K80.00, not R50.9 beside it', () => {
    const text = 'Acute calculous cholecystitis; fever 38.9 on admission.';
    const out = run(text, ruledAt(text, 'Acute calculous cholecystitis', 'K80.00'), ruledAt(text, 'fever', 'R50.9'));
    expect(out.kept.map((c) => c.code)).toEqual(['K80.00']);
  });
});
