import { describe, expect, it } from 'vitest';
import { buildKnowledge } from './knowledge.ts';
import { learnModel, type LabelledNote } from './learn.ts';
import { buildProcedureKnowledge, procedureCandidates, procedureRules } from './procedures.ts';
import { suggestCodes } from './run.ts';
import { splitSections } from './sections.ts';
import { splitSentences } from './sentences.ts';

// Real FY2026 ICD-10-PCS titles (order file), including the near misses a matcher must not pick.
const pk = buildProcedureKnowledge('test', [
  { code: 'BW03ZZZ', title: 'Plain Radiography of Chest' },
  { code: 'BW00ZZZ', title: 'Plain Radiography of Abdomen' },
  { code: 'BW40ZZZ', title: 'Ultrasonography of Abdomen' },
  { code: 'BT41ZZZ', title: 'Ultrasonography of Right Kidney' },
  { code: 'BT42ZZZ', title: 'Ultrasonography of Left Kidney' },
  { code: 'BT43ZZZ', title: 'Ultrasonography of Bilateral Kidneys' },
  { code: '4A0204Z', title: 'Measurement of Cardiac Electrical Activity, Open Approach' },
  { code: '4A02X4Z', title: 'Measurement of Cardiac Electrical Activity, External Approach' },
  { code: '08J0XZZ', title: 'Inspection of Right Eye, External Approach' },
  { code: '08J1XZZ', title: 'Inspection of Left Eye, External Approach' },
  { code: '0DJD8ZZ', title: 'Inspection of Lower Intestinal Tract, Via Natural or Artificial Opening Endoscopic' },
  { code: '0DJD4ZZ', title: 'Inspection of Lower Intestinal Tract, Percutaneous Endoscopic Approach' },
  { code: '0TT00ZZ', title: 'Resection of Right Kidney, Open Approach' },
  { code: '0TT10ZZ', title: 'Resection of Left Kidney, Open Approach' },
  { code: 'BW2', title: 'Imaging, Anatomical Regions, Computerized Tomography (CT Scan)' }, // a header: never a code
]);
const INPATIENT = { setting: 'inpatient', dateOfService: '2026-01-15' } as const;
const found = (text: string) => procedureCandidates(text, splitSentences(text, splitSections(text)), pk);
const codes = (text: string) => found(text).map((c) => c.code);

describe('procedure mentions → ICD-10-PCS', () => {
  it('maps modality + body part to the PCS title that says the same, with the words as evidence', () => {
    const [c] = found('Chest X-ray showed a left basal infiltrate.');
    expect(c).toMatchObject({ code: 'BW03ZZZ', key: 'radiography|chest', span: { start: 0, end: 11, quote: 'Chest X-ray' } });
    expect(codes('Abdominal ultrasound: no free fluid.')).toEqual(['BW40ZZZ']);
  });

  it('reads the side from the clause; with none stated imaging of a pair is bilateral', () => {
    expect(codes('Renal ultrasound was normal.')).toEqual(['BT43ZZZ']);
    expect(codes('Ultrasound of the left kidney showed a cyst.')).toEqual(['BT42ZZZ']);
    expect(codes('He underwent right nephrectomy.')).toEqual(['0TT00ZZ']);
  });

  it('takes the approach the procedure implies: an ECG is external, a colonoscopy endoscopic through a natural opening', () => {
    expect(codes('ECG: sinus rhythm.')).toEqual(['4A02X4Z']);
    expect(codes('Colonoscopy showed diverticula.')).toEqual(['0DJD8ZZ']);
  });

  it('codes both sides of a paired organ when no side is named (PCS B4.3), and nothing for an imaging word with no body part', () => {
    expect(codes('Fundoscopy was normal.')).toEqual(['08J0XZZ', '08J1XZZ']);
    expect(codes('The X-ray was normal.')).toEqual([]);
  });

  it('reads cue words in any case, acronyms in capitals only, and ordinary words near a cue safely', () => {
    expect(codes('Electrocardiogram showed sinus rhythm.')).toEqual(['4A02X4Z']);
    expect(codes('EKG: sinus rhythm.')).toEqual(['4A02X4Z']);
    expect(codes('A constructor by trade; chest x-ray was clear.')).toEqual(['BW03ZZZ']);
  });

  it('drops planned procedures with the reason', () => {
    expect(procedureRules(found('A chest X-ray is scheduled for tomorrow.'), 'inpatient')).toEqual({
      kept: [],
      dropped: [{ code: 'BW03ZZZ', reason: 'hypothetical or planned: not performed in this encounter' }],
    });
  });

  it('drops denied and past procedures, and proposes none outside an inpatient stay', () => {
    const negated = procedureRules(found('No colonoscopy was done.'), 'inpatient');
    expect(negated.kept).toEqual([]);
    expect(negated.dropped).toEqual([{ code: '0DJD8ZZ', reason: 'negated: not performed' }]);
    expect(procedureRules(found('History of right nephrectomy.'), 'inpatient').dropped.map((d) => d.reason)).toEqual([
      'past procedure documented as history: not performed in this encounter',
    ]);
    expect(procedureRules(found('Chest X-ray: clear.'), 'outpatient')).toEqual({ kept: [], dropped: [] });
  });
});

describe('procedures in the engine', () => {
  const kb = buildKnowledge('test', [{ code: 'I10', billable: true, title: 'Essential (primary) hypertension', parent: null }], [], [
    { code: 'I10', kind: 'index', text: 'Hypertension', path: ['Hypertension'], modifiers: [''] },
  ]);

  it('are suggested for inpatient encounters as ICD-10-PCS codes', () => {
    const r = suggestCodes({ text: 'Hypertension. Chest X-ray: clear.', encounter: INPATIENT }, kb, null, undefined, { procedures: pk });
    expect(r.suggestions.map((s) => [s.system, s.code])).toEqual([
      ['ICD10CM', 'I10'],
      ['ICD10PCS', 'BW03ZZZ'],
    ]);
    expect(r.suggestions[1]).toMatchObject({ kind: 'final', description: 'Plain Radiography of Chest', evidence: [{ start: 14, end: 25, quote: 'Chest X-ray' }], rationale: { matchKind: 'procedure:radiography' } });
    const outpatient = suggestCodes({ text: 'Hypertension. Chest X-ray: clear.', encounter: { ...INPATIENT, setting: 'outpatient' } }, kb, null, undefined, { procedures: pk });
    expect(outpatient.suggestions.map((s) => s.code)).toEqual(['I10']);
  });

  it('learn per mention and per code how often they were right, and a procedure threshold', () => {
    const notes: LabelledNote[] = Array.from({ length: 6 }, (_, i) => ({
      id: `n${i}`,
      note: { text: 'Hypertension. Renal ultrasound and chest X-ray.', encounter: INPATIENT },
      gold: ['I10'],
      // The gold names the renal ultrasound by its prefix (CodiEsp style) and never the chest X-ray.
      procedures: ['BT43'],
    }));
    const isCorrect = (code: string, gold: ReadonlySet<string>) => [...gold].some((g) => code.startsWith(g));
    const { model } = learnModel('m', notes, kb, isCorrect, { procedures: pk });
    expect(model.code.get('pcs:BT43ZZZ')).toEqual({ tp: 6, fp: 0 });
    expect(model.code.get('pcs:BW03ZZZ')).toEqual({ tp: 0, fp: 6 });
    expect(model.params.procedureThreshold).toBeGreaterThan(0);
    expect(model.params.procedureThreshold).toBeLessThanOrEqual(1); // 2 would mean "nothing passes"
    const r = suggestCodes({ text: 'Chest X-ray and renal ultrasound.', encounter: INPATIENT }, kb, model, undefined, { procedures: pk });
    expect(r.suggestions.map((s) => s.code)).toEqual(['BT43ZZZ']);
  });
});
