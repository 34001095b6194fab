// Excludes1 between conditions documented apart (OCG I.A.12.a): one clinical sentence per rule.
import { describe, expect, it } from 'vitest';
import { excludedConditionWords } from '../rules.ts';
import { applyExcludes1Apart } from './excludes1.ts';
import { codes, GUIDELINE_KB, suggest } from './fixture-knowledge.ts';
import { derivedCandidate, derivedMention } from './types.ts';

describe('Excludes1 pairs read from different sentences of a note that states its diagnoses (OCG I.A.12.a)', () => {
  it('the code whose Excludes1 names what the other sentence documents goes: hypercalcemia beside primary hyperparathyroidism', () => {
    const out = suggest('Assessment:\n1. Primary hyperparathyroidism.\n2. Hypercalcemia, PTH-dependent.');
    expect(out.map((s) => s.code)).toEqual(['E21.0']);
    expect(out[0]!.rationale.rules.find((r) => r.rule === 'excludes1')?.detail).toMatch(/^E83\.52 dropped: Excludes1 at E83\.5 — "hyperparathyroidism \(E21\.0-E21\.3\)"/);
  });

  it('the condition named by an abbreviation is documented by the term it reads: "SIADH … hyponatremia" keeps E22.2 over a more confident E87.1', () => {
    const text = 'Assessment:\n1. SIADH due to sertraline - euvolemic hypotonic hyponatremia.';
    const sentence = { index: 0, start: 0, end: text.length, text, section: 'assessment' as const };
    const at = (word: string, code: string, termText: string, confidence: number) =>
      derivedCandidate(code, [derivedMention(sentence, text.indexOf(word), text.indexOf(word) + word.length, text, termText, code)], confidence, 'test', 'read');
    const siadh = at('SIADH', 'E22.2', 'Syndrome of inappropriate secretion of antidiuretic hormone', 0.5);
    const hyponatremia = at('hyponatremia', 'E87.1', 'Hyponatremia', 0.9);
    const out = applyExcludes1Apart([siadh, hyponatremia], { note: { text, encounter: { setting: 'professional', dateOfService: '2026-01-15' } }, sentences: [sentence], kb: GUIDELINE_KB, scored: [] });
    expect(out.kept.map((c) => c.code)).toEqual(['E22.2']);
    expect(out.dropped).toEqual([{ code: 'E87.1', reason: 'Excludes1 with E22.2' }]);
  });

  it('"congenital or infantile pyloric stenosis" is documented by "infantile": K31.1 (adult) goes, Q40.0 stays', () => {
    expect(codes('Ultrasound: hypertrophic pyloric stenosis, muscle 4.5 mm.\nAssessment: Infantile hypertrophic pyloric stenosis.', 'professional', 0)).toEqual(['Q40.0']);
  });

  it('the combination code stays beside the condition it includes: K80.00, not K81.0', () => {
    expect(codes('HPI: Ultrasound showed acute cholecystitis.\nAssessment: Calculus of gallbladder with acute cholecystitis.')).toEqual(['K80.00']);
  });

  it('the unspecified code goes beside the specific one: K75.9 beside B18.1', () => {
    expect(codes('Assessment:\n1. Chronic viral hepatitis B.\n2. Hepatitis, on surveillance.')).toEqual(['B18.1']);
  });

  it('a Z code goes beside the disease it excludes: Z78.0 beside N95.1', () => {
    expect(codes('HPI: Menopause at 51.\nAssessment: Menopausal symptoms, hot flashes nightly.')).toEqual(['N95.1']);
  });

  it('vitamin D deficiency beside age-related osteoporosis: unrelated conditions, both reported despite E55\'s "osteoporosis (M80.-)"', () => {
    const note = 'HPI: known postmenopausal osteoporosis; fell from standing height.\nAssessment:\n1. Colles fracture of left radius, fragility fracture.\n2. Postmenopausal osteoporosis.\n3. Vitamin D deficiency.';
    expect(codes(note).sort()).toEqual(['E55.9', 'M80.032A']);
  });

  it('insulin with an oral antidiabetic drug: Z79.4 and Z79.84 both, despite Z79.4\'s Excludes1 (OCG I.C.4.a.3)', () => {
    expect(codes('Meds: metformin 1000 mg BID; insulin glargine 20 units nightly.\nAssessment: Type 2 diabetes mellitus.')).toEqual(expect.arrayContaining(['Z79.4', 'Z79.84']));
  });

  it('a case report that states no diagnoses keeps both readings (its coders report both)', () => {
    expect(codes('Hypercalcemia, PTH-dependent. Sestamibi confirmed primary hyperparathyroidism.')).toEqual(expect.arrayContaining(['E83.52', 'E21.0']));
  });
});

describe('excludedConditionWords', () => {
  it('reads alternatives, drops code references, nonessential words and what follows "without"', () => {
    expect(excludedConditionWords('congenital or infantile pyloric stenosis (Q40.0)')).toEqual([['congenital', 'infantile'], ['pyloric'], ['stenosis']]);
    expect(excludedConditionWords('cholangitis without liver abscess (K83.09)')).toEqual([['cholangitis']]);
    expect(excludedConditionWords('atony of uterus with hemorrhage (postpartum) (O72.1)')).toEqual([['atony'], ['uterus'], ['hemorrhage']]);
    expect(excludedConditionWords('that with hydronephrosis (N13.2)')).toEqual([['hydronephrosis']]);
  });

  it('a note that says NOS decides nothing', () => {
    expect(excludedConditionWords('uterine atony NOS (O62.2)')).toBeNull();
  });
});
