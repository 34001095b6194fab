// Pregnancy (OCG I.C.15): one clinical sentence per rule.
import { describe, expect, it } from 'vitest';
import { ruledAt } from '../fixtures/ruled.ts';
import { codes, GUIDELINE_KB } from './fixture-knowledge.ts';
import { applyTrimester } from './pregnancy.ts';

describe('gestational diabetes control (OCG I.C.15.i)', () => {
  it('"Gestational diabetes, A2 … despite diet; now requires insulin" → O24.414, not O24.419, O24.410 or Z79.4', () => {
    const out = codes('Meds: prenatal vitamin.\nAssessment: Gestational diabetes, A2 - fasting values above goal despite diet; now requires insulin. Start NPH insulin 10 units at bedtime; continue diet.\n30 weeks 4 days gestation.');
    expect(out).toContain('O24.414');
    for (const wrong of ['O24.419', 'O24.410', 'Z79.4']) expect(out).not.toContain(wrong);
  });

  it('at a delivery in this stay, gestational diabetes "in pregnancy" is its "in childbirth" twin: O24.424, not O24.414 (OCG I.C.15.a.3)', () => {
    const out = codes('Discharge diagnoses:\n1. Gestational diabetes, insulin controlled.\nHospital course: spontaneous vaginal delivery of a liveborn male.', 'inpatient', 30);
    expect(out).toContain('O24.424');
    expect(out).not.toContain('O24.414');
    expect(codes('Assessment:\n1. Gestational diabetes, insulin controlled.', 'professional', 30)).toContain('O24.414');
  });

  it('diet-controlled → O24.410; metformin → O24.415 without Z79.84; nothing documented → O24.419', () => {
    expect(codes('Assessment: Gestational diabetes, diet controlled, at 30 weeks gestation.')).toContain('O24.410');
    const oral = codes('Meds: metformin 500 mg BID.\nAssessment: Gestational diabetes on metformin, at 30 weeks gestation.');
    expect(oral).toContain('O24.415');
    expect(oral).not.toContain('Z79.84');
    expect(codes('Assessment: Gestational diabetes, at 30 weeks gestation; declined insulin.')).toContain('O24.419');
  });

  it('"Gestational diabetes mellitus" read as its subcategory\'s title (O24.4, no code of its own) is the Index\'s O24.419, then its control', () => {
    expect(codes('Assessment:\n1. Gestational diabetes mellitus, 30 weeks.', 'professional', 30)).toContain('O24.419');
    const insulin = codes('Assessment:\n1. Gestational diabetes mellitus, insulin controlled, 30 weeks; continue NPH.', 'professional', 30);
    expect(insulin).toContain('O24.414');
    expect(insulin).not.toContain('O24.4');
  });

  it('at a delivery, "Gestational diabetes mellitus, diet controlled … never required insulin or metformin" is O24.420 alone', () => {
    const out = codes('Principal diagnosis: Gestational diabetes mellitus, diet controlled, delivered.\nHPI: controlled with diet alone, never required insulin or metformin.\nHospital course: spontaneous vaginal delivery of a liveborn male.', 'inpatient', 30);
    expect(out.filter((c) => c.startsWith('O24'))).toEqual(['O24.420']);
  });

  it('insulin the plan would start only on a condition is no control yet: "diet controlled … will start insulin if >30% above goal" → O24.410', () => {
    const out = codes('Assessment: Gestational diabetes, diet controlled, at 30 weeks gestation. Continue MNT; will start insulin if >30% of values above goal.');
    expect(out).toContain('O24.410');
    expect(out).not.toContain('O24.414');
  });
});

describe('conditions complicating the pregnancy (OCG I.C.15.a.1, I.C.15.a.3)', () => {
  it('at a delivery in this stay a trimester reading is "complicating childbirth": obesity at 34 weeks, delivered → O99.214, not O99.213', () => {
    const out = codes('Assessment:\n1. Gestational diabetes, diet controlled.\n2. Obesity complicating pregnancy, class 2.\n3. 34 weeks 3 days gestation.\nHospital course: spontaneous vaginal delivery of a liveborn female.', 'inpatient', 30);
    expect(out).toContain('O99.214');
    expect(out).not.toContain('O99.213');
  });

  it('a group B streptococcus carrier in pregnancy is O99.82- (Excludes1 Z22.330): childbirth at a delivery in the stay, pregnancy before it', () => {
    const delivered = codes('Assessment:\n1. Gestational diabetes, diet controlled.\n2. Group B streptococcal carrier, treated in labor.\nHospital course: spontaneous vaginal delivery of a liveborn female.', 'inpatient', 30);
    expect(delivered).toContain('O99.824');
    expect(delivered).not.toContain('Z22.330');
    const prenatal = codes('Assessment:\n1. Gestational diabetes, diet controlled.\n2. Group B streptococcal carrier.\n3. 36 weeks gestation.');
    expect(prenatal).toContain('O99.820');
    expect(prenatal).not.toContain('Z22.330');
  });

  it('every maternal record of a delivery in the stay carries its outcome (OCG I.C.15.b.5): Z37.0, twins Z37.2; not a readmission after it, nor an office note', () => {
    const stay = 'Discharge diagnoses:\n1. Gestational diabetes, diet controlled.\n2. 39 weeks gestation.\nHospital course: spontaneous vaginal delivery of a liveborn female.';
    expect(codes(stay, 'inpatient', 30)).toContain('Z37.0');
    expect(codes(stay.replace('of a liveborn female', 'of twin A and twin B, both liveborn'), 'inpatient', 30)).toContain('Z37.2');
    expect(codes(`${stay}\nReadmitted on postpartum day 6 after the delivery.`, 'inpatient', 30)).not.toContain('Z37.0');
    expect(codes(stay, 'outpatient', 30)).not.toContain('Z37.0');
  });

  it('a perineal laceration at the delivery of the stay is O70.- by its degree (Index: Laceration, perineum, female, during delivery); an intact perineum is none', () => {
    const stay = 'Discharge diagnoses:\n1. Gestational diabetes, diet controlled.\n2. Second-degree perineal laceration, repaired.\nHospital course: spontaneous vaginal delivery of a liveborn female.';
    expect(codes(stay, 'inpatient', 30)).toContain('O70.1');
    expect(codes(stay.replace('Second-degree perineal laceration', 'Third-degree perineal laceration (3b)'), 'inpatient', 30)).toContain('O70.22');
    expect(codes(stay.replace('Second-degree perineal laceration, repaired', 'Perineum intact, no laceration'), 'inpatient', 30).filter((c) => c.startsWith('O70'))).toEqual([]);
  });

  it('any other condition of a current pregnancy takes the chapter 15 code of its body system (Index: Pregnancy, complicated by, respiratory condition (conditions in J00-J99) O99.51-), its own code beside it', () => {
    const prenatal = codes('Assessment:\n1. Gestational diabetes, diet controlled.\n2. Mild persistent asthma.\n3. 30 weeks 4 days gestation.');
    expect(prenatal).toEqual(expect.arrayContaining(['O99.513', 'J45.30']));
    const delivered = codes('Discharge diagnoses:\n1. Gestational diabetes, diet controlled.\n2. Mild persistent asthma.\nHospital course: spontaneous vaginal delivery of a liveborn female.', 'inpatient', 30);
    expect(delivered).toEqual(expect.arrayContaining(['O99.52', 'J45.30']));
    // Not pregnant now: no chapter 15 code for the asthma.
    expect(codes('Assessment:\n1. Mild persistent asthma.')).not.toContain('O99.513');
  });

  it('a history of pre-term labor in a current pregnancy is its supervision code O09.21- (Z87.5 Excludes1 current pregnancy), not Z87.51', () => {
    const out = codes('Assessment:\n1. Gestational diabetes, diet controlled.\n2. Personal history of pre-term labor.\n3. 22 weeks gestation.');
    expect(out).toContain('O09.212');
    expect(out).not.toContain('Z87.51');
  });

  it('obesity class 2 at 30 weeks → O99.213 first, then E66.812 (use additional code)', () => {
    const out = codes('Assessment:\n1. Gestational diabetes, diet controlled.\n2. Obesity complicating pregnancy, class 2.\n3. 30 weeks 4 days gestation.');
    expect(out).toEqual(expect.arrayContaining(['O24.410', 'O99.213', 'E66.812', 'Z3A.30']));
    expect(out.indexOf('O99.213')).toBeLessThan(out.indexOf('E66.812'));
  });

  it('the trimester follows the weeks: 20 weeks → second trimester', () => {
    expect(codes('Assessment:\n1. Gestational diabetes, diet controlled.\n2. Obesity, class 2.\n3. 20 weeks gestation.')).toContain('O99.212');
  });

  it('a trimester read from other words gives way to the weeks of this encounter: O99.211 at 30 weeks → O99.213', () => {
    const text = 'Obesity complicating pregnancy, confirmed on first trimester US; 30 weeks gestation.';
    const sentence = { index: 0, start: 0, end: text.length, text, section: 'assessment' as const };
    const out = applyTrimester([ruledAt(text, 'Obesity complicating pregnancy', 'O99.211')], { note: { text, encounter: { setting: 'professional', dateOfService: '2026-01-15' } }, sentences: [sentence], kb: GUIDELINE_KB, scored: [] });
    expect(out.kept.map((c) => c.code)).toEqual(['O99.213']);
  });

  it('without a pregnancy code nothing changes', () => {
    expect(codes('Assessment: Obesity, class 2.')).toEqual(['E66.812']);
  });
});

describe('a previous cesarean in this pregnancy (OCG I.C.15.a.1)', () => {
  it('"Prior low transverse cesarean 2023 … repeat LTCS at 39 wks" → O34.211; no type given → O34.219', () => {
    const out = codes('Problem list:\n1. Gestational diabetes, diet controlled.\n2. Prior low transverse cesarean 2023 - repeat LTCS at 39 wks.');
    expect(out).toEqual(expect.arrayContaining(['O24.410', 'O34.211']));
    expect(codes('Assessment: Gestational diabetes, diet controlled. History of cesarean.')).toContain('O34.219');
  });

  it('not without a pregnancy code', () => {
    expect(codes('Assessment: Obesity, class 2. Prior cesarean 2019.')).not.toContain('O34.219');
  });
});

describe('pre-existing diabetes and hypertension in pregnancy (OCG I.C.15.g, I.C.15.d.1)', () => {
  it('type 2 diabetes and hypertension at 20 weeks → O24.112 with E11.9, O10.012 without I10', () => {
    const out = codes('Assessment:\n1. High-risk pregnancy supervision at 20 weeks gestation.\n2. Type 2 diabetes.\n3. Hypertension.');
    expect(out).toEqual(expect.arrayContaining(['O24.112', 'E11.9', 'O10.012']));
    expect(out).not.toContain('I10');
  });

  it('a stay in which she delivered is a maternal record though nothing obstetric was read: diabetes and hypertension "in childbirth" (O24.12, O10.02), Z37.0', () => {
    const note = 'Principal diagnosis: Primary cesarean delivery of a liveborn male.\nSecondary diagnoses: Type 2 diabetes. Hypertension.';
    expect(codes(note, 'inpatient', 33).sort()).toEqual(['E11.9', 'O10.02', 'O24.12', 'Z37.0']);
  });

  it('type 1 diabetes at the delivery is O24.02, and her insulin no Z79.4 (insulin-dependent by definition)', () => {
    expect(codes('Principal diagnosis: Primary cesarean delivery of a liveborn male.\nSecondary diagnoses: Type 1 diabetes mellitus.', 'inpatient', 30)).toEqual(expect.arrayContaining(['O24.02', 'Z37.0']));
    // Read as O24.02 from the note's own words, with her insulin listed: still no Z79.4.
    const out = codes('Principal diagnosis: Pre-existing type 1 diabetes mellitus, in childbirth; primary cesarean delivery of a liveborn male.\nHome meds: insulin glargine 10 units qHS since 2015.', 'inpatient', 30);
    expect(out).toContain('O24.02');
    expect(out).not.toContain('Z79.4');
  });

  it('not a delivery in another sense, nor one before this stay', () => {
    expect(codes('Principal diagnosis: Type 2 diabetes. Hypertension.\nHospital course: the pump delivered no insulin for 9 hours.', 'inpatient', 33).sort()).toEqual(['E11.9', 'I10']);
    expect(codes('Principal diagnosis: Type 2 diabetes. Hypertension.\nHistory: 19 days after a repeat cesarean delivery at 39 weeks.', 'inpatient', 33)).not.toContain('O24.12');
  });

  it('not beside gestational diabetes, and not without a pregnancy code', () => {
    expect(codes('Assessment: Gestational diabetes, diet controlled, at 20 weeks gestation. Type 2 diabetes.')).not.toContain('O24.112');
    expect(codes('Assessment:\n1. Type 2 diabetes.\n2. Hypertension.').sort()).toEqual(['E11.9', 'I10']);
  });
});

describe('uncomplicated delivery (OCG I.C.15.b.4)', () => {
  it('O80 is not coded beside any other chapter 15 code', () => {
    const out = codes('Discharge diagnoses:\n1. Gestational diabetes, diet controlled.\n2. Full-term uncomplicated delivery.', 'inpatient');
    expect(out).toContain('O24.410');
    expect(out).not.toContain('O80');
    expect(codes('Discharge diagnoses:\n1. Full-term uncomplicated delivery.', 'inpatient')).toEqual(['O80']);
  });
});

describe('a condition present at the delivery of the stay (OCG I.C.15.a.3)', () => {
  it('"Preeclampsia with severe features, delivered" at 37 weeks is O14.14 (complicating childbirth), not the trimester\'s O14.13', () => {
    const out = codes('Discharge diagnoses:\n1. Severe preeclampsia, delivered.\n2. 37 weeks gestation.', 'inpatient');
    expect(out).toContain('O14.14');
    expect(out).not.toContain('O14.13');
    expect(codes('Assessment:\n1. Severe preeclampsia.\n2. 37 weeks gestation.')).toContain('O14.13');
  });
});
