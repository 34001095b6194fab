// Coronary disease and myocardial infarction (OCG I.C.9.b, I.C.9.e): one clinical sentence per rule.
import { describe, expect, it } from 'vitest';
import { codes, suggest } from './fixture-knowledge.ts';

describe('coronary atherosclerosis with angina (OCG I.C.9.b)', () => {
  it('"CAD with stable angina" → I25.118 alone, I25.10 and I20.89 recorded on it', () => {
    const out = suggest('Assessment: Coronary artery disease with stable angina, CCS class II.');
    expect(out.map((s) => s.code)).toEqual(['I25.118']);
    const included = out[0]!.rationale.rules.filter((r) => r.rule === 'combination_code' && / included in I25\.118/.test(r.detail));
    expect(included.map((r) => r.detail.split(' ')[0]).sort()).toEqual(['I20.89', 'I25.10']);
  });

  it('the angina type picks the combination: unstable → I25.110; documented in separate items → still linked', () => {
    expect(codes('Assessment: CAD with unstable angina.')).toEqual(['I25.110']);
    expect(codes('Assessment:\n1. Coronary artery disease.\n2. Angina.')).toEqual(['I25.119']);
  });

  it('angina the provider puts down to another cause keeps its own code', () => {
    const out = codes('Assessment:\n1. Coronary artery disease.\n2. Unstable angina due to severe anemia.');
    expect(out).toEqual(expect.arrayContaining(['I25.10', 'I20.0']));
    expect(out).not.toContain('I25.110');
  });

  it('angina without coronary disease stays an angina code', () => {
    expect(codes('Assessment: Unstable angina.')).toEqual(['I20.0']);
  });
});

describe('STEMI coded by the artery involved (OCG I.C.9.e.1)', () => {
  it('"anterior wall STEMI due to occlusion of the proximal LAD" → I21.02, not I21.09', () => {
    const out = codes('Discharge diagnoses:\n1. Acute anterior wall STEMI due to occlusion of the proximal LAD.', 'inpatient');
    expect(out).toEqual(['I21.02']);
  });

  it('inferior STEMI with the RCA named → I21.11; no artery named → the wall code stays', () => {
    expect(codes('Discharge diagnoses:\n1. Inferior STEMI, RCA culprit.', 'inpatient')).toEqual(['I21.11']);
    expect(codes('Discharge diagnoses:\n1. Acute anterior wall STEMI.', 'inpatient')).toEqual(['I21.09']);
  });

  it('two readings of one infarction, each naming the LAD, become one I21.02', () => {
    const out = suggest('Discharge diagnoses:\n1. Acute anterior wall STEMI due to occlusion of the proximal LAD.\nCath: STEMI, LAD culprit.', 'inpatient');
    expect(out.map((s) => s.code)).toEqual(['I21.02']);
    expect(out[0]!.evidence.length).toBeGreaterThan(1);
  });

  it('several arteries in the sentence: no guess', () => {
    expect(codes('Discharge diagnoses:\n1. Anterior STEMI; disease of LAD and RCA.', 'inpatient')).toEqual(['I21.09']);
  });
});
