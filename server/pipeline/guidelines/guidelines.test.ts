// One clinical note per guideline rule, run through the whole engine on a hand-made ICD-10-CM slice.
import { describe, expect, it } from 'vitest';
import { suggestCodes } from '../run.ts';
import { ruledAt } from '../fixtures/ruled.ts';
import { codes, GUIDELINE_KB, suggest } from './fixture-knowledge.ts';
import { applyOsteoporoticFractures } from './osteoporosis.ts';

describe('diabetes "with" a condition named in other words (OCG I.A.15)', () => {
  it('"T2DM; PAD" is E11.51: the Index codes "Angiopathy, peripheral" as the PAD\'s own code (I73.9)', () => {
    const out = codes('Assessment:\n1. T2DM.\n2. Peripheral arterial disease.');
    expect(out).toContain('E11.51');
    expect(out).not.toContain('I73.9');
  });
});

describe('a hyperosmolar state (OCG I.C.4.a, I.B.5)', () => {
  it('"Hyperosmolar hyperglycemic state (HHS), type 2 diabetes, without coma" → E11.00 alone: "hyperosmolar" is the Index\'s hyperosmolarity, and its hyperglycemia is no E11.65', () => {
    const out = codes('Principal diagnosis: Hyperosmolar hyperglycemic state (HHS), type 2 diabetes, without coma.', 'inpatient');
    expect(out).toContain('E11.00');
    expect(out).not.toContain('E11.65');
  });
});

describe('diabetic nephropathy with chronic kidney disease (Coding Clinic 2019 Q2, OCG I.C.4.a)', () => {
  it('"T2DM with diabetic nephropathy … T2DM with CKD stage 4" → E11.22 with N18.4, not E11.21 beside it', () => {
    const out = codes('Assessment:\n1. Type 2 diabetes with nephropathy.\n2. Type 2 diabetes with chronic kidney disease stage 4.');
    expect(out).toContain('E11.22');
    expect(out).not.toContain('E11.21');
    expect(codes('Assessment:\n1. Type 2 diabetes with nephropathy.')).toContain('E11.21');
  });
});

describe('hypertension combination codes (OCG I.C.9.a)', () => {
  it('heart failure the provider documents as unrelated to the hypertension, anywhere in the note: no I11.0, I10 stays', () => {
    const out = codes('Discharge diagnoses:\n1. Heart failure.\n2. Hypertension.\nCardiology: the heart failure is felt to be unrelated to her hypertension.', 'inpatient');
    expect(out).toContain('I10');
    expect(out).not.toContain('I11.0');
  });

  it('HTN + chronic systolic heart failure + CKD 3a → I13.0, I50.22, N18.31 and no I10', () => {
    const out = codes('Assessment:\n1. Chronic systolic heart failure.\n2. Hypertension.\n3. Chronic kidney disease stage 3a.');
    expect(out).toEqual(expect.arrayContaining(['I13.0', 'I50.22', 'N18.31']));
    expect(out).not.toContain('I10');
    expect(out).not.toContain('I11.0');
  });

  it('I13.0\'s "…, or unspecified chronic kidney disease" is no unspecified code: the kidney disease it names leaves no N28.9 beside it', () => {
    const out = codes('Discharge diagnoses:\n1. Hypertensive heart and chronic kidney disease with heart failure.\n2. Chronic systolic heart failure.\n3. Kidney disease.', 'inpatient');
    expect(out).toContain('I13.0');
    expect(out).not.toContain('N28.9');
  });

  it('an MI documented as old or more than 4 weeks before the date of service is I25.2, not I21 (OCG I.C.9.e.4)', () => {
    expect(codes('Assessment: Old NSTEMI 4/2024, on aspirin.')).toEqual(['I25.2', 'Z79.82']);
    expect(codes('HPI: s/p NSTEMI 4/2024.\nAssessment: Hypertension.')).toEqual(expect.arrayContaining(['I10', 'I25.2']));
    // Within 4 weeks (date of service 2026-01-15) it is still the acute code.
    expect(codes('Assessment: NSTEMI 1/2/2026, on aspirin.')).toEqual(['I21.4', 'Z79.82']);
    expect(codes('Assessment: NSTEMI.')).toEqual(['I21.4']);
    // Dated within the 4 weeks, it stays acute though "s/p" is said of the stent.
    expect(codes('Assessment: NSTEMI 19 days ago, s/p stent to the LAD.')).toContain('I21.4');
    // "N days ago" said of something else in the sentence is not the MI's date.
    expect(codes('Assessment: NSTEMI 2019; cough started 3 days ago.')).toContain('I25.2');
  });

  it('coronary disease is not a heart condition I11 presumes: "heart disease" read inside "coronary artery heart disease" stays I10 + I25.10', () => {
    const out = codes('Assessment:\n1. Coronary artery heart disease, stable.\n2. Hypertension.');
    expect(out).toEqual(expect.arrayContaining(['I10', 'I25.10']));
    expect(out).not.toContain('I11.9');
    expect(codes('Assessment:\n1. Heart disease.\n2. Hypertension.')).toEqual(['I11.9']);
  });

  it('HTN + CKD 3b → I12.9 with N18.32; HTN alone → I10', () => {
    expect(codes('Assessment:\n1. Hypertension.\n2. Chronic kidney disease stage 3b.')).toEqual(expect.arrayContaining(['I12.9', 'N18.32']));
    expect(codes('Assessment:\n1. Hypertension.')).toEqual(['I10']);
  });

  it('the CKD stage of the combination code is the one the diagnostic statement reports: ESRD in the history, CKD 3a after a transplant in the assessment → I12.9, not I12.0', () => {
    const out = codes('PMH: End stage renal disease, on dialysis until 2021.\nAssessment:\n1. Hypertension.\n2. Chronic kidney disease stage 3a.');
    expect(out).toEqual(expect.arrayContaining(['I12.9', 'N18.31']));
    expect(out).not.toContain('I12.0');
    expect(out).not.toContain('N18.6');
    // Stated in the assessment, end stage still gives I12.0.
    expect(codes('Assessment:\n1. Hypertension.\n2. End stage renal disease.')).toEqual(expect.arrayContaining(['I12.0', 'N18.6']));
  });

  it('the combination code is sequenced before the heart failure code whose notes say "code first"', () => {
    const out = codes('Principal diagnosis: Chronic systolic heart failure.\nSecondary diagnoses:\n- Hypertension', 'inpatient');
    expect(out.slice(0, 2)).toEqual(['I11.0', 'I50.22']);
    expect(suggest('Principal diagnosis: Chronic systolic heart failure.\nSecondary diagnoses:\n- Hypertension', 'inpatient')[0]!.rationale.rules.map((r) => r.rule)).toContain('principal_diagnosis');
  });
});

describe('a condition resolved during an inpatient stay (OCG Section III)', () => {
  it('"- resolved" among a discharge summary\'s or an ED impression\'s diagnoses is coded; the same line in an office note is history', () => {
    expect(codes('DIAGNOSES:\n1. Acute cystitis.\n2. Dehydration - resolved with IV fluids.', 'inpatient')).toEqual(expect.arrayContaining(['N30.00', 'E86.0']));
    expect(codes('Assessment:\n1. Acute cystitis.\n2. Dehydration - resolved with IV fluids.', 'professional')).not.toContain('E86.0');
    // An ED or urgent-care impression lists what this visit treated: resolved here, so present at the visit.
    expect(codes('Impression:\n1. Acute cystitis.\n2. Dehydration - resolved with IV fluids.', 'outpatient')).toContain('E86.0');
  });

  it('the unspecified-site reading gives way to the site its Excludes1 names: "UTI" beside acute cystitis is N30.00 alone, wherever each is written', () => {
    const out = codes('DIAGNOSES:\n1. Acute cystitis.\n2. Delirium due to the UTI - resolved.', 'inpatient');
    expect(out).toContain('N30.00');
    expect(out).not.toContain('N39.0');
  });
});

describe('diabetes "with" (OCG I.A.15, I.C.4.a)', () => {
  it('a condition written "without gangrene" claims no gangrene: "Incisional hernia without obstruction or gangrene" with T2DM is K43.2 and E11.9, not E11.52', () => {
    const out = codes('Principal diagnosis: Incisional hernia without obstruction or gangrene.\nSecondary diagnoses: Type 2 diabetes.', 'inpatient');
    expect(out).toEqual(expect.arrayContaining(['K43.2', 'E11.9']));
    expect(out).not.toContain('E11.52');
    expect(codes('Assessment: Type 2 diabetes with gangrene of the toe.')).toContain('E11.52');
  });

  it('T2DM and CKD stage 3b in one note → E11.22 and N18.32 (use additional code), no E11.9', () => {
    const out = codes('Assessment:\n1. Type 2 diabetes.\n2. Chronic kidney disease stage 3b.');
    expect(out).toEqual(expect.arrayContaining(['E11.22', 'N18.32']));
    expect(out).not.toContain('E11.9');
  });

  it('"this is NOT diabetic kidney disease" beside "CKD stage 3b", or "diabetic kidney disease not diagnosed": no link is presumed (OCG I.A.15)', () => {
    const out = codes('HPI: Nephrology agrees this is NOT diabetic kidney disease.\nAssessment:\n1. Type 2 diabetes.\n2. CKD stage 3b.');
    expect(out).toContain('E11.9');
    expect(out).not.toContain('E11.22');
    expect(codes('Assessment:\n1. Type 2 diabetes.\n2. Chronic kidney disease stage 3b, diabetic kidney disease not diagnosed per nephrology.')).not.toContain('E11.22');
  });

  it('a condition the provider says is not diabetic is not linked: "CKD stage 3b (nephrosclerosis, not diabetic)" keeps E11.9 beside N18.32 (OCG I.A.15)', () => {
    const out = codes('PMH: Chronic kidney disease stage 3b (hypertensive nephrosclerosis, not diabetic).\nAssessment:\n1. Type 2 diabetes.\n2. Chronic kidney disease stage 3b.');
    expect(out).toContain('N18.32');
    expect(out).not.toContain('E11.22');
  });

  it('T2DM and polyneuropathy → E11.42, and G62.9 is not reported beside it', () => {
    const out = codes('Assessment:\n1. Type 2 diabetes.\n2. Polyneuropathy of both feet.');
    expect(out).toContain('E11.42');
    expect(out).not.toContain('G62.9');
  });

  it('"T2DM without complications" in the diagnostic statement: no link is presumed with another condition (OCG I.A.15, unless documented as unrelated)', () => {
    const out = codes('Assessment:\n1. Type 2 diabetes without complications.\n2. Polyneuropathy of both feet.');
    expect(out).toContain('E11.9');
    expect(out).toContain('G62.9');
    expect(out).not.toContain('E11.42');
  });

  it('a symptom a diagnosis\'s note asks to add, documented in its sentence, is the code the note names: neutropenia with fever → D70.9 + R50.81, not R50.9 (OCG I.A.12)', () => {
    const out = codes('Discharge diagnoses:\n1. Neutropenia with fever, cultures negative.', 'inpatient');
    expect(out).toEqual(expect.arrayContaining(['D70.9', 'R50.81']));
    expect(out).not.toContain('R50.9');
    expect(codes('Discharge diagnoses:\n1. Neutropenia, afebrile.', 'inpatient')).not.toContain('R50.81');
  });

  it('"chemotherapy-induced" is the Index\'s "due to cytoreductive cancer chemotherapy": D70.1, not the other drug-induced D70.2, and no "Chemotherapy, cancer" encounter', () => {
    for (const text of ['Discharge diagnoses:\n1. Chemotherapy-induced neutropenia (R-CHOP cycle 3).', 'Discharge diagnoses:\n1. Neutropenia due to antineoplastic chemotherapy.']) {
      const out = codes(text, 'inpatient');
      expect(out).toContain('D70.1');
      expect(out).not.toContain('D70.2');
      expect(out).not.toContain('Z51.11');
    }
  });

  it('an "Encounter for …" code read from the cause of the condition treated is not this encounter\'s reason (OCG I.C.2.e)', () => {
    expect(codes('Discharge diagnoses:\n1. Neutropenia due to antineoplastic chemotherapy.', 'inpatient')).not.toContain('Z51.11');
    expect(codes('Principal diagnosis: Encounter for antineoplastic chemotherapy.', 'inpatient')).toContain('Z51.11');
  });

  it('a smoker the provider calls not dependent is no F17.2 ("Occasional cigarette use - not daily, no dependence")', () => {
    expect(codes('SH: Smokes 3-4 cigarettes on weekends.\nAssessment:\n1. Hypertension.\n2. Occasional cigarette use - not daily, no dependence.').filter((c) => c.startsWith('F17'))).toEqual([]);
    expect(codes('SH: Smokes 1 ppd.\nAssessment:\n1. Hypertension.')).toContain('F17.210');
  });

  it('the provider\'s "Tobacco use" in the diagnostic statement is Z72.0, not the dependence a current smoker would be (OCG I.C.5.b)', () => {
    const out = codes('SH: Smokes 3-4 cigars per week.\nAssessment:\n1. Tobacco use (cigars) - cessation advised.');
    expect(out).toContain('Z72.0');
    expect(out).not.toContain('F17.290');
    expect(codes('SH: Smokes 3-4 cigars per week.\nAssessment:\n1. Hypertension.')).toContain('F17.290');
  });

  it('"Nicotine dependence, e-cigarette (vaping)" is an other tobacco product, F17.290, not cigarettes F17.210 (OCG I.C.5.b)', () => {
    const out = codes('Assessment:\n1. Nicotine dependence, e-cigarette (vaping) - cessation resources.');
    expect(out).toContain('F17.290');
    expect(out).not.toContain('F17.210');
    expect(codes('Assessment:\n1. Nicotine dependence, cigarettes - 1 ppd.')).toContain('F17.210');
  });

  it('the neck of a bone is not the neck region: "fracture of the 5th metacarpal neck" is no S12.9 (OCG I.C.19.b)', () => {
    expect(codes('Assessment:\n1. Fracture of the 5th metacarpal neck, displaced.', 'outpatient')).not.toContain('S12.9XXA');
    expect(codes('Assessment:\n1. Fracture of neck of R 5th metacarpal.', 'outpatient')).not.toContain('S12.9XXA');
    expect(codes('Assessment:\n1. Fracture of neck after a dive into shallow water.', 'outpatient')).toContain('S12.9XXA');
  });

  it('a condition the provider links to diabetes that the Index does not list under "with": E11.69, and its "due to diseases classified elsewhere" code (N52.1)', () => {
    const out = codes('Assessment:\n1. Erectile dysfunction secondary to diabetes mellitus - discussed options.');
    expect(out).toEqual(expect.arrayContaining(['E11.69', 'N52.1']));
    expect(out).not.toContain('N52.9'); // OCG I.B.2: the cause is documented
    // The link's word belongs to the effect: "secondary to diabetes" is no "secondary diabetes" (E13).
    expect(out).not.toContain('E13.9');
    // Not linked: each on its own.
    expect(codes('Assessment:\n1. Erectile dysfunction.\n2. Type 2 diabetes.')).toEqual(expect.arrayContaining(['N52.9', 'E11.9']));
  });

  it('no "with" presumption from words inside another condition\'s reading: stasis dermatitis of varicose veins is no diabetic dermatitis (E11.620)', () => {
    const out = codes('Assessment:\n1. Varicose veins of left leg with stasis dermatitis.\n2. Type 2 diabetes.');
    expect(out).toContain('I83.12');
    expect(out).not.toContain('E11.620');
    expect(codes('Assessment:\n1. Dermatitis of both hands.\n2. Type 2 diabetes.')).toContain('E11.620');
  });

  it('the documented type wins over the type 2 default of "diabetes" read alone: type 1 with DKA → E10.10 only', () => {
    expect(codes('22 yo M with type 1 diabetes mellitus since age 9.\nPrincipal diagnosis: Type 1 diabetes mellitus with diabetic ketoacidosis, without coma', 'inpatient')).toEqual(['E10.10']);
    // "ketoacidosis" read again in the course does not let E87.29 (Excludes1 "diabetic acidosis") outrank it.
    expect(codes('Principal diagnosis: Type 1 diabetes mellitus with diabetic ketoacidosis, without coma\nCourse: vomiting resolved as ketoacidosis cleared.', 'inpatient')).toEqual(['E10.10']);
  });

  it('a manifestation "in" the complication is another condition: "Anemia in CKD" stays D63.1 beside E11.22', () => {
    const out = codes('Assessment:\n1. Type 2 diabetes with diabetic CKD stage 3b.\n2. Anemia in CKD.');
    expect(out).toEqual(expect.arrayContaining(['E11.22', 'N18.32', 'D63.1']));
  });

  it('"poorly controlled" diabetes → E11.65 (Index: Diabetes, poorly controlled → with hyperglycemia)', () => {
    expect(codes('Assessment: Type 2 diabetes, poorly controlled.')).toEqual(['E11.65']);
    // Denied: "diabetes not poorly controlled", "not uncontrolled" (a stress glucose in an infection) is E11.9.
    expect(codes('Assessment: Type 2 diabetes, not poorly controlled, A1c 6.9; glucose up with the infection.')).toEqual(['E11.9']);
  });
});

describe('a condition whose own "code first" names the diabetes combination', () => {
  it('"T2DM with diabetic gastroparesis" → E11.43 and K31.84 (K31.84: "Code first … diabetes mellitus (… E11.43 …)")', () => {
    const out = codes('Assessment: T2DM with diabetic gastroparesis, on metoclopramide.');
    expect(out).toEqual(expect.arrayContaining(['E11.43', 'K31.84']));
    // A condition with no such note is still included in its combination code.
    expect(codes('Assessment: T2DM with diabetic polyneuropathy.')).toEqual(['E11.42']);
  });
});

describe('a "with" condition denied elsewhere in the sentence', () => {
  it('"BPH with LUTS: nocturia - no urinary retention" is still N40.1: only the condition\'s head word, denied, denies it', () => {
    const out = codes('Assessment:\n1. BPH with LUTS: nocturia and incomplete emptying - PVR acceptable, no urinary retention.');
    expect(out).toContain('N40.1');
    expect(out).not.toContain('R33.8');
    // Documented, the retention N40.1's note asks for is added.
    expect(codes('Assessment:\n1. BPH with LUTS and urinary retention, PVR 450.')).toContain('R33.8');
  });
});

describe('psychoactive substance use (OCG I.C.5.b)', () => {
  it('"Nicotine dependence" takes the product the note names: vaping in the social history is F17.290, "cigarettes: 1 ppd" F17.210', () => {
    expect(codes('SH: vapes nicotine daily, cravings.\nAssessment:\n1. Nicotine dependence.')).toEqual(['F17.290']);
    expect(codes('Assessment:\n1. Nicotine dependence, cigarettes: 1 ppd.')).toEqual(['F17.210']);
    expect(codes('SH: quit smoking cigarettes 2005.\nAssessment:\n1. Nicotine dependence.')).toEqual(['F17.200']);
  });

  it('a dependence whose withdrawal the course treats in another sentence is the combination code; a withdrawal prevented or watched for is not', () => {
    const note = (course: string) => `Secondary diagnoses: Alcohol use disorder, severe.\nHospital course: ${course}`;
    expect(codes(note('Alcohol withdrawal managed with a CIWA protocol and lorazepam; uncomplicated.'), 'inpatient')).toContain('F10.230');
    const prevented = codes(note('CIWA monitored; alcohol withdrawal prevented with thiamine and scheduled chlordiazepoxide.'), 'inpatient');
    expect(prevented).toContain('F10.20');
    expect(prevented.some((c) => c.startsWith('F10.23'))).toBe(false);
  });

  it('a withdrawal the sentence says was avoided is no withdrawal: "severe alcohol use disorder; withdrawal avoided with…" → F10.20', () => {
    const out = codes('Discharge diagnoses:\n1. Meets criteria for severe alcohol use disorder; precipitated withdrawal avoided with scheduled chlordiazepoxide.', 'inpatient');
    expect(out).toContain('F10.20');
    expect(out.some((c) => c.startsWith('F10.23'))).toBe(false);
  });

  it('"Alcohol use disorder, severe, with alcohol withdrawal - uncomplicated" → F10.230, not F10.20', () => {
    const out = codes('Discharge diagnoses:\n1. Alcohol use disorder, severe, with alcohol withdrawal - uncomplicated (no hallucinations, seizures or delirium).', 'inpatient');
    expect(out).toEqual(['F10.230']);
  });

  it('a severe use disorder "in early remission" is dependence in remission, F10.21; a mild one abuse in remission, F10.11 (I.C.5.b.1)', () => {
    expect(codes('Assessment: Alcohol use disorder, severe, in early remission - on naltrexone.')).toEqual(['F10.21']);
    // A mild use disorder is abuse (F10.1-): in remission, F10.11.
    expect(codes('Assessment: Alcohol use disorder, mild, in early remission - on naltrexone.')).toEqual(['F10.11']);
    expect(codes('Assessment: Alcohol use disorder, mild.')).toEqual(['F10.10']);
    // The remission denied: "not in remission" is the active dependence.
    expect(codes('Assessment: Alcohol use disorder, severe, not in remission - on naltrexone.')).not.toContain('F10.21');
  });

  it('use and dependence of the same substance: only dependence is coded (I.C.5.b.2)', () => {
    expect(codes('HPI: alcohol use, 12 beers a day.\nAssessment: Alcohol use disorder, severe; alcohol use counseling.')).toEqual(['F10.20']);
  });

  it('a current smoker is nicotine dependence (Index: Smoker — see Dependence, drug, nicotine); a former or a relative\'s smoking is not', () => {
    expect(codes('SH: current every day smoker, 1 ppd.\nAssessment: Hypertension.')).toEqual(expect.arrayContaining(['I10', 'F17.210']));
    expect(codes('SH: current smoker.\nAssessment: Hypertension.')).toContain('F17.200');
    expect(codes('SH: former smoker, quit 2010; was 1 ppd.\nAssessment: Hypertension.')).not.toContain('F17.210');
    expect(codes('FH: father smokes 2 ppd.\nAssessment: Hypertension.')).not.toContain('F17.210');
    expect(codes('SH: lives with mother, who smokes 1 ppd in the home.\nAssessment: Hypertension.')).not.toContain('F17.210');
  });

  it('a tobacco use disorder is nicotine dependence, by product: F17.210 for cigarettes, not Z72.0 Tobacco use', () => {
    expect(codes('Dx:\n1) Tobacco use disorder, cigarettes, moderate')).toEqual(['F17.210']);
    expect(codes('Assessment: Tobacco use disorder.')).toEqual(['F17.200']);
    expect(codes('Assessment: Tobacco use, occasional cigar.')).toEqual(['Z72.0']);
    // "e-cigarette" holds the word "cigarette": the product is vaping (other tobacco product).
    expect(codes('Assessment: Tobacco use disorder, e-cigarette (vaping).')).toEqual(['F17.290']);
  });
});

describe('dementia by etiology (OCG I.C.5.d, I.A.13)', () => {
  it('"Late onset Alzheimer\'s disease with moderate dementia" → G30.1 then F02.B0, not unspecified dementia F03.B0', () => {
    expect(codes("Discharge diagnoses:\n1. Late onset Alzheimer's disease with moderate dementia.", 'inpatient')).toEqual(['G30.1', 'F02.B0']);
    expect(codes('Discharge diagnoses:\n1. Moderate dementia.', 'inpatient')).toEqual(['F03.B0']);
  });
});

describe('one code per condition (OCG I.B.2)', () => {
  it('"without mention of fluctuations" is a default the statement\'s "fluctuations" replaces: "Parkinson\'s disease with motor fluctuations" is G20.A2', () => {
    expect(codes("Assessment:\n1. Parkinson's disease with motor fluctuations (wearing-off), no dyskinesia.")).toEqual(['G20.A2']);
  });

  it('a title\'s "not intractable" the statement contradicts takes the intractable code of the category: "Menstrual migraine, intractable" is G43.839', () => {
    expect(codes('Assessment:\n1. Menstrual migraine, intractable, without status migrainosus.')).toEqual(['G43.839']);
    expect(codes('Assessment:\n1. Menstrual migraine, not intractable.')).toEqual(['G43.829']);
  });

  it('a title\'s "non-" adjective the statement says plainly contradicts it: "ruptured brain aneurysm" is no I67.1 *Cerebral aneurysm, nonruptured*', () => {
    expect(codes('Assessment:\n1. Brain aneurysm, ruptured.', 'inpatient')).not.toContain('I67.1');
    expect(codes('Assessment:\n1. Brain aneurysm, 4 mm, incidental.', 'inpatient')).toContain('I67.1');
    // The plain word must be said of this reading, not elsewhere in the sentence.
    expect(codes('Assessment:\n1. Brain aneurysm, 4 mm, incidental, unchanged over three years of imaging; ruptured lumbar disc in 2020.', 'inpatient')).toContain('I67.1');
  });

  it('an unspecified code gives way to the specific kind coded beside it: anemia with thalassemia minor, UTI with pyelonephritis', () => {
    expect(codes('Assessment:\n1. Thalassemia minor - explains the microcytosis and mild anemia.')).toEqual(['D56.3']);
    expect(codes('Impression:\n1. Acute pyelonephritis (UTI: urinary tract infection of the kidney).', 'outpatient')).toEqual(['N10']);
    // Hypothyroidism whose cause is coded: Hashimoto's thyroiditis (E06.3), not E03.9 beside it.
    expect(codes("Assessment:\n1. Hashimoto's thyroiditis with hypothyroidism - continue levothyroxine.")).toEqual(['E06.3']);
    expect(codes('Assessment:\n1. Hypothyroidism - continue levothyroxine.')).toEqual(['E03.9']);
    // "Hashimoto" alone names the thyroiditis (Index: Thyroiditis, Hashimoto's; Struma, Hashimoto).
    expect(codes('Assessment:\n1. Hashimoto hypothyroidism, stable on levothyroxine.')).toEqual(['E06.3']);
  });

  it('iron deficiency anemia whose cause the statement names, not blood loss, is a specified type (D50.8); a cause under evaluation or hedged stays D50.9', () => {
    expect(codes('Assessment:\n1. Iron deficiency anemia due to malabsorption from celiac disease.')).toContain('D50.8');
    // A blood loss the sentence denies is no cause of its own.
    expect(codes('Assessment:\n1. Iron deficiency anemia due to malabsorption from celiac disease - IV iron; no GI blood loss.')).toContain('D50.8');
    expect(codes('Assessment:\n1. Iron deficiency anemia, cause under evaluation.')).toEqual(['D50.9']);
    expect(codes('Assessment:\n1. Iron deficiency anemia, possibly from poor diet.')).not.toContain('D50.8');
  });

  it('"Melanoma in situ, left cheek" is D03.39, not C43.39', () => {
    expect(codes('Assessment:\n1. Melanoma in situ of skin of left cheek, excised.')).toEqual(['D03.39']);
    expect(codes('Assessment:\n1. Melanoma of skin of left cheek, excised.')).toEqual(['C43.39']);
  });

  it('an unspecified Index reading gives way to the sibling the statement documents: "Sepsis due to group A streptococcus" is A40.0, not A40.9', () => {
    expect(codes('Principal diagnosis: Sepsis due to group A streptococcus.', 'inpatient')).toEqual(['A40.0']);
  });

  // The statement-denial path itself is exercised by the septic-shock case below; this fixture makes no O00.91 reading.
  it('"Right tubal pregnancy, no intrauterine pregnancy" completes to O00.101, with no "with intrauterine pregnancy" code', () => {
    const out = codes('Impression:\n1. Right tubal pregnancy, no intrauterine pregnancy.\n2. The bleeding is from the ectopic pregnancy; this is not a threatened miscarriage of an intrauterine pregnancy.', 'outpatient');
    expect(out).toContain('O00.101');
    expect(out).not.toContain('O00.91');
  });

  it('a "with septic shock" completion the statement denies, with no "without" reading beside it, becomes its "without" sibling (R65.20)', () => {
    const out = codes('Discharge diagnoses:\n1. Sepsis, with severe sepsis with septic acute kidney injury.\n2. No septic shock.', 'inpatient');
    expect(out).toContain('R65.20');
    expect(out).not.toContain('R65.21');
  });

  it('"No gangrene." as a sentence of its own denies the one word: the "with gangrene" reading of "necrosis" goes (E11.51, not E11.52)', () => {
    const note = 'Hospital course: ulcer debrided, bone exposed. No gangrene.\nDischarge diagnoses:\n1. Type 2 diabetes with peripheral angiopathy.\n2. Diabetic foot with necrosis of the fifth toe.';
    const out = codes(note, 'inpatient');
    expect(out).toContain('E11.51');
    expect(out).not.toContain('E11.52');
  });

  it('"No septic shock." in the statement beats a "with septic shock" reading of other words ("severe sepsis with septic acute kidney injury")', () => {
    const out = codes('Discharge diagnoses:\n1. Sepsis, with severe sepsis with septic acute kidney injury.\n2. Severe sepsis. No septic shock.', 'inpatient');
    expect(out).toContain('R65.20');
    expect(out).not.toContain('R65.21');
  });

  it('"Nausea with vomiting, unspecified" (R11.2) is the reading of more of the words: not dropped beside "Nausea" (R11.0), which goes', () => {
    expect(codes('HPI: Nausea and vomited twice.\nAssessment:\n1. Nausea with vomiting, improving with fluids.')).toEqual(['R11.2']);
  });

  it('"Right lower lobe pneumonia, likely aspiration pneumonia" is J69.0 alone: the term J69.0 is read by names the pneumonia its title calls pneumonitis', () => {
    expect(codes('Principal diagnosis: Right lower lobe pneumonia, likely aspiration pneumonia', 'inpatient')).toEqual(['J69.0']);
  });

  it('a word read inside a longer reading of another chapter whose term has it is that condition: "portal hypertension" is K76.6, not also I10', () => {
    expect(codes('Assessment:\n1. Portal hypertension, on propranolol.')).toEqual(['K76.6']);
    expect(codes('Assessment:\n1. Portal hypertension.\n2. Hypertension.')).toEqual(['K76.6', 'I10']);
  });

  it('the same words read more specifically elsewhere are the same condition: "Hypertension with CKD" beside "CKD stage 3b" adds no N28.9', () => {
    expect(codes('Assessment:\n1. CKD stage 3b, stable.\n2. Hypertension with CKD, at goal.')).toEqual(['I12.9', 'N18.32']);
  });

  it('a medication or allergy list is not a diagnosis: "Meds: … for hypertension" alone codes nothing', () => {
    expect(codes('Meds: lisinopril for hypertension.\nAssessment: Type 2 diabetes.')).not.toContain('I10');
  });

  it('the diagnostic statement\'s reading wins over another reading of the same condition elsewhere: ESRD before a transplant, CKD 3a now', () => {
    expect(codes('HPI: kidney transplant 2022 for end stage renal disease.\nAssessment: Chronic kidney disease stage 3a.')).toEqual(['N18.31']);
    // Without a statement reading, the history's condition is the one documented (and its dialysis, Z99.2).
    expect(codes('HPI: end stage renal disease on dialysis.\nAssessment: End stage renal disease.')).toEqual(['N18.6', 'Z99.2']);
  });

  it('an unspecified reading of the statement\'s words gives way, whatever the history read: "CKD stage 3b" is N18.32, not N28.9 too', () => {
    expect(codes('HPI: kidney disease since 2019.\nAssessment: CKD stage 3b.')).toEqual(['N18.32']);
  });

  it('an unspecified code each of whose statement mentions another code reads more specifically gives way: no N28.9 beside E11.22 + N18.32', () => {
    const out = codes('Assessment:\n1. T2DM with diabetic chronic kidney disease.\n2. CKD stage 3b, stable.');
    expect(out).toEqual(expect.arrayContaining(['E11.22', 'N18.32']));
    expect(out).not.toContain('N28.9');
  });

  it('a test report\'s interpretation is the diagnosis; "COPD with emphysema" is J43.9 alone, not J44.9 from the "COPD" inside it, nor traumatic T79.7', () => {
    expect(codes('Referring diagnosis: dyspnea on exertion.\nInterpretation:\nThese findings are diagnostic of emphysema (COPD, GOLD 2).')).toEqual(['J43.9']);
    expect(codes('Assessment: COPD with emphysema.')).toEqual(['J43.9']);
  });

  it('asthma, whose note asks for it, with a parent who smokes at home: Z77.22 (OCG I.A.12); not when nobody smokes at home', () => {
    expect(codes('SH: Father smokes cigarettes, sometimes indoors.\nAssessment:\n1. Mild persistent asthma.')).toContain('Z77.22');
    expect(codes('SH: No smokers in the home.\nAssessment:\n1. Mild persistent asthma.')).not.toContain('Z77.22');
    expect(codes('SH: Father smokes cigarettes, sometimes indoors.\nAssessment:\n1. Essential hypertension.')).not.toContain('Z77.22');
  });

  it('a smoking relative is the patient\'s exposure when the provider codes it so: Z77.22, not also Z81.2', () => {
    expect(codes('HPI: Mother is a smoker of cigarettes.\nAssessment:\n1. Otitis media.\n2. Mother is a smoker of cigarettes - smoke-free home advised.')).toContain('Z81.2');
    const out = codes('HPI: Mother is a smoker of cigarettes.\nAssessment:\n1. Exposure to environmental tobacco smoke - counseled mother on cessation.');
    expect(out).toContain('Z77.22');
    expect(out).not.toContain('Z81.2');
  });

  it('"viral gastroenteritis" is A08.4; the reading of its last word (K52.9, noninfective) is not reported beside it', () => {
    expect(codes('Discharge diagnoses:\nPrincipal: Viral gastroenteritis.', 'inpatient')).toEqual(['A08.4']);
  });

  it('two unspecified readings of the same word ("depression" as F32.A and F32.9) are one condition: one code', () => {
    expect(codes('Assessment: Depression, stable.')).toHaveLength(1);
  });

  it('"decline" is R53.81 only as the patient\'s general decline: not a refusal ("declines TOLAC"), not one measure\'s trend ("decline in eGFR")', () => {
    expect(codes('Assessment:\n1. CKD stage 3b - slow decline in eGFR (41 -> 37).\n2. Prior cesarean - declines TOLAC.\n3. Smoking: NRT offered (declined).')).not.toContain('R53.81');
    expect(codes('Assessment: general decline at home.')).toContain('R53.81');
  });

  it('"ST depressions" on an ECG is a tracing finding, not depression (F32.A), with or without an assessment (depression itself: the test above)', () => {
    expect(codes('ECG: 1.5 mm horizontal ST depressions II, III, aVF.\nAssessment: NSTEMI.')).toEqual(['I21.4']);
    expect(codes('ECG showed inferolateral ST-segment depression and troponin rise; NSTEMI was treated medically.')).not.toContain('F32.A');
  });

  it('"persistent atrial fibrillation" and "atrial fibrillation" → I48.19 only', () => {
    expect(codes('Assessment:\n1. Persistent atrial fibrillation.\n2. Atrial fibrillation, rate controlled.')).toEqual(['I48.19']);
  });
});

describe('cerebral infarction by artery, side and mechanism (Index: Infarction, cerebral, due to)', () => {
  it('"stroke … embolism of left MCA" → I63.412; thrombosis of the right MCA → I63.311; bilateral → I63.413', () => {
    expect(codes('DIAGNOSES:\n1. Acute ischemic stroke, left MCA territory - cardioembolic (embolism of left MCA)', 'inpatient')).toEqual(['I63.412']);
    expect(codes('DIAGNOSES:\n1. Acute ischemic stroke due to thrombosis of the right MCA', 'inpatient')).toEqual(['I63.311']);
    expect(codes('DIAGNOSES:\n1. Acute ischemic stroke, embolic, bilateral MCA territories', 'inpatient')).toEqual(['I63.413']);
  });
  it('a procedure word is no mechanism, and another sentence\'s artery is not the stroke\'s: I63.9 stays', () => {
    expect(codes('DIAGNOSES:\n1. Acute ischemic stroke s/p thrombectomy of left MCA.', 'inpatient')).toEqual(['I63.9']);
    expect(codes('CTA: occlusion of left MCA.\nDIAGNOSES:\n1. Acute ischemic stroke.', 'inpatient')).toEqual(['I63.9']);
  });
});

describe('personal history of an injury (Index: History, personal, traumatic brain injury)', () => {
  it('a prior concussion beside a new one is Z87.820 besides the new S06.0X0A; without a past cue it is the new one only', () => {
    const out = codes('ASSESSMENT:\n1. Concussion, initial visit.\n2. Personal history of prior concussion (2024), fully recovered.');
    expect(out).toEqual(expect.arrayContaining(['S06.0X0A', 'Z87.820']));
    expect(codes('ASSESSMENT:\n1. Concussion, initial visit.')).not.toContain('Z87.820');
  });
});

describe('an imaging finding is the highest certainty of an uncertain diagnosis (OCG IV.H; Abnormal, diagnostic imaging, lung R91.8)', () => {
  it('"RLL opacity - possible early pneumonia vs atelectasis" on a professional claim → R91.8, no pneumonia', () => {
    expect(codes('A/P:\n4. RLL opacity - possible early pneumonia vs atelectasis; procalcitonin ordered.')).toEqual(['R91.8']);
  });
  it('a confirmed pneumonia explains the opacity; a possible infiltrate or one only in the imaging report is not coded', () => {
    expect(codes('DIAGNOSES:\n1. Pneumonia, RLL.\n2. RLL opacity.', 'inpatient')).toEqual(['J18.9']);
    expect(codes('A/P:\n1. Possible RLL infiltrate, will repeat CXR.')).toEqual([]);
    expect(codes('CXR: RLL opacity.\nA/P:\n1. Hypertension.')).not.toContain('R91.8');
  });
});

describe('a solitary pulmonary nodule is no finding of the airway disease beside it (OCG I.B.5)', () => {
  it('"COPD … Solitary pulmonary nodule RUL, stable" keeps R91.1: a nodule is not what COPD or asthma presents with', () => {
    expect(codes('A/P:\n1. COPD, stable.\n2. Solitary pulmonary nodule RUL, 7 mm, stable - repeat CT in 12 months.')).toEqual(['J44.9', 'R91.1']);
  });
});

describe('a chronic condition of the past history treated during the stay (OCG III)', () => {
  it('inpatient "PMH: HTN" with lisinopril on the medication list is I10 though the discharge diagnoses leave it out', () => {
    const stay = 'PMH: HTN; hypothyroidism.\nMeds PTA: lisinopril 10 mg daily, levothyroxine 50 mcg daily.\nDischarge diagnoses:\n1. Pneumonia.';
    expect(codes(stay, 'inpatient')).toEqual(expect.arrayContaining(['J18.9', 'I10', 'E03.9']));
    // No drug of its class: nothing says it was treated. An office visit's assessment is what the visit addressed.
    expect(codes('PMH: HTN.\nMeds PTA: metformin 500 mg BID.\nDischarge diagnoses:\n1. Pneumonia.', 'inpatient')).not.toContain('I10');
    expect(codes('PMH: HTN.\nMeds: lisinopril 10 mg daily.\nAssessment:\n1. Pneumonia.')).not.toContain('I10');
  });
  it('the treatment is the rationale the coder sees', () => {
    const out = suggest('PMH: HTN.\nMeds: lisinopril 10 mg daily.\nDischarge diagnoses:\n1. Pneumonia.', 'inpatient');
    expect(out.find((s) => s.code === 'I10')!.rationale.rules.map((r) => r.detail).join(' ')).toMatch(/treated during the stay \(lisinopril\)/);
  });
});

describe('delirium due to a medical condition (Index: Delirium, due to, general medical condition)', () => {
  it('"Acute delirium due to pneumococcal pneumonia" is F05, not R41.0 Delirium NOS; delirium alone stays R41.0', () => {
    const out = codes('Discharge diagnoses:\n1. Acute delirium due to pneumococcal pneumonia, resolved.', 'inpatient');
    expect(out).toContain('F05');
    expect(out).not.toContain('R41.0');
    expect(codes('Discharge diagnoses:\n1. Delirium, cause unclear.', 'inpatient')).toEqual(['R41.0']);
  });
});

describe('lumbago with sciatica (Index: Lumbago, with sciatica; M54.3 Excludes1)', () => {
  it('"Low back pain. Sciatica, left side." in one assessment is M54.42, not M54.50 and M54.32', () => {
    expect(codes('Assessment:\n1. Low back pain.\n2. Sciatica, left side.')).toEqual(['M54.42']);
    expect(codes('Assessment:\n1. Low back pain.')).toEqual(['M54.50']);
  });
});

describe('dominant and nondominant side (OCG I.C.6.a)', () => {
  it('the side written on the deficit against the hand the patient uses; without handedness, left is nondominant and right dominant', () => {
    expect(codes('Discharge diagnoses:\n1. Left hemiparesis (patient is right-handed).', 'inpatient')).toEqual(['G81.94']);
    // The side and dominance written together before the deficit: "Left nondominant-side hemiparesis".
    expect(codes('Discharge diagnoses:\n1. Left nondominant-side hemiparesis (patient is right-handed).', 'inpatient')).toEqual(['G81.94']);
    expect(codes('Discharge diagnoses:\n1. Left hemiparesis.', 'inpatient')).toEqual(['G81.94']);
    expect(codes('Discharge diagnoses:\n1. Left hemiparesis; patient is left-handed.', 'inpatient')).toEqual(['G81.92']);
    expect(codes('Discharge diagnoses:\n1. Right hemiparesis (dominant side).', 'inpatient')).toEqual(['G81.91']);
    expect(codes('Discharge diagnoses:\n1. Hemiparesis.', 'inpatient')).toEqual(['G81.90']);
    // Following a stroke it is the stroke's sequela (Index: Hemiplegia, following, cerebrovascular disease, stroke NOS),
    // its side read from "right … dominant" ("affecting … side" adds nothing to those words).
    expect(codes('Discharge diagnoses:\n1. Right hemiparesis following stroke, right-hand dominant.', 'inpatient')).toEqual(['I69.351']);
  });
});

describe('NIH Stroke Scale (OCG I.C.18.i)', () => {
  it('the initial NIHSS score documented is reported with an acute stroke: "NIHSS 14 … NIHSS 6" → R29.714 after the stroke code', () => {
    const text = 'On arrival: NIHSS 14. CTA: occlusion of left MCA.\nDIAGNOSES:\n1. Acute ischemic stroke.\nDischarge exam: NIHSS 6.';
    const out = codes(text, 'inpatient');
    expect(out).toEqual(['I63.9', 'R29.714']);
    expect(codes('HPI: NIHSS 14 in the field, symptoms resolved.\nAssessment: Hypertension.', 'inpatient')).not.toContain('R29.714');
    // "NIHSS on arrival 8": the moment written between the scale and its score.
    expect(codes('HPI: NIHSS on arrival 8, NIHSS at discharge 4.\nDIAGNOSES:\n1. Acute ischemic stroke.', 'inpatient')).toContain('R29.708');
  });
});

describe('allergic rhinitis with asthma (J45 Includes, J30 Excludes1)', () => {
  it('is coded to the asthma code alone, with the reason on it; allergic rhinitis without asthma is J30.9', () => {
    const out = suggest('Assessment:\n1. Mild persistent asthma with acute exacerbation.\n2. Allergic rhinitis - continue cetirizine.');
    expect(out.map((s) => s.code)).toEqual(['J45.31']);
    expect(out[0]!.rationale.rules.map((r) => r.detail).join(' ')).toMatch(/J30.9 not coded: allergic rhinitis with asthma is included in J45/);
    expect(codes('Assessment: Allergic rhinitis - continue cetirizine.')).toEqual(['J30.9']);
  });
});

describe('screening (OCG I.C.21.c.5)', () => {
  it('a screening ordered for later or done before is not this encounter\'s: no Z12.31 for "Screening mammogram ordered" or "Last mammogram 11/2025"; one done today is', () => {
    expect(codes('Assessment:\n1. Hypertension.\n2. Screening mammogram ordered.')).not.toContain('Z12.31');
    expect(codes('Assessment:\n1. Hypertension.\n2. Last screening mammogram 11/2025 BI-RADS 1.')).not.toContain('Z12.31');
    expect(codes('Assessment:\n1. Screening mammogram.')).toContain('Z12.31');
  });
});

describe('not pregnant (OCG I.C.15.a.1)', () => {
  it('a note that says she is not pregnant and names no pregnancy gets no chapter 15 code (Galactorrhea O92.6); a postpartum note does', () => {
    expect(codes('HPI: Not pregnant (serum hCG neg). Plans pregnancy later; barrier contraception until she decides about pregnancy.\nAssessment:\n1. Galactorrhea.')).not.toContain('O92.6');
    expect(codes('HPI: Delivered 3 weeks ago; pregnancy test negative at 6 weeks postpartum.\nAssessment:\n1. Galactorrhea.')).toContain('O92.6');
    expect(codes('Assessment:\n1. Galactorrhea.')).toContain('O92.6');
  });
});

describe('signs and symptoms (OCG I.B.4–5, IV.D, III.B)', () => {
  it('itching is the itch of the scabies coded beside it (L29 with B86)', () => {
    expect(codes('Assessment:\n1. Scabies with intense nighttime itching.')).toEqual(['B86']);
  });

  it('SIRS "of non-infectious origin" beside an infection is the infection\'s response, not R65.10 (OCG I.C.18.g)', () => {
    expect(codes('Impression:\n1. Acute pyelonephritis with SIRS.', 'outpatient')).toEqual(['N10']);
  });

  it('hoarseness is the voice of vocal cord nodules (R49 with J38), and the provider\'s "source of" links a symptom to its cause', () => {
    expect(codes('Assessment:\n1. Nodule of vocal cord, bilateral. Hoarseness for 3 months.')).toEqual(['J38.2']);
    expect(codes('Assessment:\n1. Essential hypertension - source of the nausea.')).toEqual(['I10']);
  });

  it('cough and dyspnea with a COPD exacerbation are integral: J44.1 only, with the reason recorded on it', () => {
    const out = suggest('Assessment: Chronic obstructive lung disease with exacerbation, with cough and dyspnea.');
    expect(out.map((s) => s.code)).toEqual(['J44.1']);
    expect(out[0]!.rationale.rules.filter((r) => r.rule === 'integral_symptom').map((r) => r.detail.slice(0, 6))).toEqual(['R05.9 ', 'R06.00']);
  });

  it('a symptom the provider explains by a diagnosis named in another sentence: "Fatigue explained by the anemia" is not R53.83', () => {
    const out = suggest('Assessment:\n1. Iron deficiency anemia.\n2. Fatigue explained by the anemia.');
    expect(out.map((s) => s.code)).toEqual(['D50.9']);
    expect(out[0]!.rationale.rules.some((r) => r.rule === 'integral_symptom' && /^R53\.83 /.test(r.detail))).toBe(true);
    expect(codes('Assessment:\n1. Iron deficiency anemia.\n2. Fatigue, unclear cause.')).toContain('R53.83');
  });

  it('a symptom the statement names only as what a treatment is for is no diagnosis: "ibuprofen for fever" adds no R50.9', () => {
    expect(codes('Assessment:\n1. Hypertension - lisinopril; ibuprofen for fever.')).not.toContain('R50.9');
    expect(codes('Assessment:\n1. Hypertension - lisinopril.\n2. Fever, unclear cause - ibuprofen.')).toContain('R50.9');
    // The reason the patient came is no indication: "admitted for evaluation of fever".
    expect(codes('Assessment:\n1. Hypertension - lisinopril.\n2. Admitted for evaluation of fever.', 'inpatient')).toContain('R50.9');
  });

  it('fatigue is what anemia and hypothyroidism present with: "Iron deficiency anemia … fatigue" is D50.9 alone, unless the provider says the fatigue has no known cause', () => {
    expect(codes('Assessment:\n1. Iron deficiency anemia.\n2. Fatigue.')).toEqual(['D50.9']);
    expect(codes('Assessment:\n1. Hypothyroidism.\n2. Fatigue.')).toEqual(['E03.9']);
    expect(codes('Assessment:\n1. Iron deficiency anemia.\n2. Fatigue, unexplained.')).toContain('R53.83');
  });

  it('"… is a symptom of" links a symptom to the diagnosis its sentence names: "Fatigue is a symptom of the chronic kidney disease" is N18.9 alone', () => {
    expect(codes('Assessment:\n1. Fatigue is a symptom of the chronic kidney disease.')).toEqual(['N18.9']);
  });

  it('insomnia the provider puts down to a coded mental disorder is F51.05, not G47.00', () => {
    const out = codes('Assessment:\n1. Generalized anxiety disorder.\n2. Insomnia due to the anxiety disorder.');
    expect(out).toEqual(expect.arrayContaining(['F41.1', 'F51.05']));
    expect(out).not.toContain('G47.00');
    expect(codes('Assessment:\n1. Insomnia.')).toEqual(['G47.00']);
  });

  it('insomnia put down to a medical condition named after the link is G47.01 beside that condition, not G47.00', () => {
    const out = suggest('Assessment:\n1. Insomnia due to menopausal symptoms - CBT-I referral.');
    expect(out.map((s) => s.code).sort()).toEqual(['G47.01', 'N95.1']);
    expect(out.find((s) => s.code === 'G47.01')!.rationale.rules.some((r) => r.rule === 'insomnia_due_to' && /N95\.1/.test(r.detail))).toBe(true);
    // A condition listed apart, with no link, leaves the insomnia unspecified.
    expect(codes('Assessment:\n1. Insomnia.\n2. Menopausal symptoms.')).toContain('G47.00');
  });

  it('tremor and tachycardia are what thyrotoxicosis is; diverticulitis with its abscess is one code (K57.20, not K57.32 + K63.0)', () => {
    expect(codes('Assessment:\n1. Thyrotoxicosis.\n2. Tremor and tachycardia.')).toEqual(['E05.90']);
    const out = codes('Discharge diagnoses:\n1. Sigmoid diverticulitis with pericolic abscess.', 'inpatient');
    expect(out).toContain('K57.20');
    expect(out).not.toContain('K57.32');
    expect(out).not.toContain('K63.0');
  });

  it('rectal bleeding is what an anal fissure bleeds; tinnitus is Ménière\'s disease\'s own, not positional vertigo\'s; testicular pain is the torsion\'s', () => {
    expect(codes('Assessment:\n1. Acute anal fissure.\n2. Rectal bleeding with bowel movements.')).toEqual(['K60.0']);
    expect(codes('Assessment:\n1. Meniere\'s disease, right ear.\n2. Tinnitus, right ear.')).toEqual(['H81.01']);
    expect(codes('Assessment:\n1. Benign paroxysmal positional vertigo, right ear.\n2. Tinnitus, right ear.')).toEqual(['H81.11', 'H93.11']);
    expect(codes('Assessment:\n1. Torsion of appendix testis.\n2. Left testicular pain.', 'outpatient')).toEqual(['N44.03']);
  });

  it('the provider\'s link may point back to a diagnosis named in another sentence: "vomiting due to the angle-closure attack"', () => {
    expect(codes('Assessment:\n1. Acute angle-closure glaucoma, right eye.\n2. Vomiting due to the angle-closure attack.', 'outpatient')).toEqual(['H40.211']);
    // Without the link the vomiting stays (no row ties it to the eye).
    expect(codes('Assessment:\n1. Acute angle-closure glaucoma, right eye.\n2. Vomiting since this morning.', 'outpatient')).toEqual(['H40.211', 'R11.10']);
  });

  it('the link is read with its abbreviations expanded: "vomiting due to rapid AF" points back to the atrial fibrillation', () => {
    expect(codes('Assessment:\n1. Persistent atrial fibrillation.\n2. Vomiting due to rapid AF.', 'outpatient')).toEqual(['I48.19']);
  });

  it('each "without" of a title is weighed: "…without perforation or abscess, with bleeding" is K57.33, not K57.32 *…without bleeding*; "no perforation, abscess, or bleeding" stays K57.32', () => {
    expect(codes('Principal diagnosis: Acute sigmoid diverticulitis without perforation or abscess, with bleeding.', 'inpatient')).toEqual(['K57.33']);
    expect(codes('Principal diagnosis: Acute sigmoid diverticulitis - no perforation, abscess, or bleeding.', 'inpatient')).toEqual(['K57.32']);
  });

  it('substance use the provider links to no disorder or condition is not coded (OCG I.C.5.b.3); linked, it is', () => {
    expect(codes('Assessment:\n1. Hypertension.\n2. Cannabis use - occasional, no use disorder.')).toEqual(['I10']);
    expect(codes('Assessment:\n1. Cannabis use causing recurrent vomiting.')).toContain('F12.90');
  });

  it('"the gastroenteritis" read as K52.9 *Noninfective …* beside the infectious one the note names is that one (A08.4)', () => {
    expect(codes('Assessment:\n1. Acute viral gastroenteritis.\n2. Abdominal pain, part of the gastroenteritis.', 'outpatient')).toEqual(['A08.4']);
  });

  it('palpitations and chest pain are a panic attack\'s own symptoms (DSM-5 criteria): not coded beside panic disorder; beside another condition they stay', () => {
    expect(codes('Assessment:\n1. Panic disorder.\n2. Palpitations occur only during panic attacks; no cardiac workup needed.')).toEqual(['F41.0']);
    expect(codes('Assessment:\n1. Panic disorder.\n2. Chest pain.')).toEqual(['F41.0']);
    expect(codes('Assessment:\n1. Hypertension.\n2. Palpitations.')).toEqual(['I10', 'R00.2']);
  });

  it('"Panic disorder without agoraphobia" is F41.0: the title of F40.02 *Agoraphobia without panic disorder* denies the panic disorder, not the agoraphobia the note denies', () => {
    expect(codes('Assessment:\n1. Panic disorder without agoraphobia, improving on sertraline.')).toEqual(['F41.0']);
    expect(codes('Assessment:\n1. Agoraphobia without panic disorder.')).toEqual(['F40.02']);
  });

  it('an office note\'s chronic condition documented as resolved is not coded (OCG IV.J); as history it stays current, and a stay\'s is coded', () => {
    expect(codes('Assessment:\n1. Hypertension resolved - no treatment needed.\n2. Persistent atrial fibrillation.')).toEqual(['I48.19']);
    expect(codes('Assessment:\n1. History of hypertension.\n2. Persistent atrial fibrillation.')).toContain('I10');
  });

  it('melena with a bleeding gastric ulcer is integral to it (OCG I.B.5): K25.4 only', () => {
    expect(codes('Discharge diagnoses:\n1. Stomach ulcer with hemorrhage.\n2. Melena.', 'inpatient')).toEqual(['K25.4']);
    expect(codes('Discharge diagnoses:\n1. Melena.', 'inpatient')).toEqual(['K92.1']);
  });

  it('the side written within a reading wins over the other side said elsewhere in its sentence: the cellulitis is left, the right is the ulcer\'s', () => {
    expect(codes('Assessment:\n1. Cellulitis of the left lower leg with a stasis ulcer of the right ankle.')).toContain('L03.116');
  });

  it('a diagnosis list joined by semicolons completes each diagnosis from its own clause: the cellulitis is left, the lymphedema\'s "both" is not its side', () => {
    expect(codes('Secondary diagnoses: cellulitis of the left lower leg; tinea pedis of the right foot.', 'inpatient')).toContain('L03.116');
    expect(codes('Secondary diagnoses: severe sepsis; cellulitis of the left lower leg; chronic lymphedema of both legs.', 'inpatient')).toContain('L03.116');
  });

  it('erythema and ankle swelling written with a leg cellulitis are its local signs: L03.116 only; elsewhere in the note they stay', () => {
    const out = suggest('DISCHARGE DIAGNOSES:\n1. Cellulitis, left lower leg.\nREASON FOR ADMISSION: Admitted for cellulitis of the left lower leg - 3 days of spreading erythema, warmth and swelling from ankle to mid-calf.', 'inpatient');
    expect(out.map((s) => s.code)).toEqual(['L03.116']);
    expect(out[0]!.rationale.rules.filter((r) => r.rule === 'integral_symptom').map((r) => r.detail.slice(0, 7))).toEqual(['M25.472', 'L53.9 (']);
    expect(codes('Assessment:\n1. Cellulitis of the left lower leg.\n2. Swelling of the left ankle after a fall last month.', 'inpatient')).toEqual(expect.arrayContaining(['L03.116', 'M25.472']));
  });

  it('fever and tachycardia with a pyelonephritis are its systemic response (SIRS signs): N10 only; tachycardia beside no infection stays', () => {
    expect(codes('Assessment: Acute pyelonephritis, left, with fever and tachycardia (systemic symptoms).')).toEqual(['N10']);
    expect(codes('Assessment:\n1. Tachycardia.\n2. Hypertension.').sort()).toEqual(['I10', 'R00.0']);
  });

  it('generalized pain beside an injury is the injury\'s pain: no R52', () => {
    expect(codes('Assessment: Laceration of L forearm without foreign body; generalized pain.')).toEqual(['S51.812A']);
  });

  it('a reading of part of the words of a longer one is the same condition read less fully: "Acute maxillary sinusitis" is J01.00, not also J32.0', () => {
    expect(codes('Assessment: Acute maxillary sinusitis.')).toEqual(['J01.00']);
    expect(codes('Assessment: Maxillary sinusitis.')).toEqual(['J32.0']);
  });

  it('a reading inside the statement\'s reading of a code the Index gives below its path is that condition, wherever else it is written: "Alcoholic fatty liver" is K70.0, not also K76.0', () => {
    const note = 'PMH: Fatty liver on prior ultrasound.\nImaging: RUQ US: hepatic steatosis.\nImpression:\n1. Alcoholic fatty liver.';
    expect(codes(note, 'outpatient')).toEqual(['K70.0']);
    expect(codes('PMH: Fatty liver on prior ultrasound.\nImpression:\n1. Fatty liver.', 'outpatient')).toEqual(['K76.0']);
  });

  it('a "without X" reading whose statement sentence says X is its "with X" sibling: K80.01 for "… with obstruction"', () => {
    expect(codes('Principal diagnosis: Calculus of gallbladder with acute cholecystitis, with obstruction of the cystic duct.', 'inpatient')).toEqual(['K80.01']);
    expect(codes('Principal diagnosis: Calculus of gallbladder with acute cholecystitis.', 'inpatient')).toEqual(['K80.00']);
  });

  it('a ureteral stone with hydronephrosis is the combination the stone\'s Excludes1 names (N20 "that with hydronephrosis (N13.2)"); a hydronephrosis with more keeps its code', () => {
    expect(codes('Impression:\n1. Obstructing right ureteral stone with mild hydronephrosis.', 'outpatient')).toEqual(['N13.2']);
    expect(codes('Impression:\n1. Ureteral stone.\n2. Hydronephrosis with ureteral stricture.', 'outpatient').sort()).toEqual(['N13.1', 'N20.1']);
  });

  it('the colic of that obstruction is integral to it: "flank pain" is not coded beside N13.2 (OCG I.B.5)', () => {
    expect(codes('HPI: sudden left flank pain with vomiting.\nImpression:\n1. Obstructing left ureteral stone with mild hydronephrosis.', 'outpatient')).toEqual(['N13.2']);
    expect(codes('Impression:\n1. Obstructive uropathy.\n2. Left flank pain.', 'outpatient')).toEqual(['N13.9']);
  });

  it('an obstruction the classification sends to the stone\'s category (K82.0 Excludes1 K80.-) is no condition of its own: still K80.01', () => {
    expect(codes('Principal diagnosis: Calculus of gallbladder with acute cholecystitis, with obstruction of the gallbladder.', 'inpatient')).toEqual(['K80.01']);
  });

  it('a reading gathered across another condition\'s words yields to the one written together: "Sigmoid diverticulitis complicated by colovesical fistula" is K57.32 and N32.1, not K63.2 ("Fistula, sigmoid")', () => {
    const out = codes('Principal diagnosis: Sigmoid diverticulitis complicated by colovesical fistula.', 'inpatient');
    expect(out).toEqual(expect.arrayContaining(['K57.32', 'N32.1']));
    expect(out).not.toContain('K63.2');
    expect(codes('Principal diagnosis: Sigmoid fistula.', 'inpatient')).toEqual(['K63.2']);
  });

  it('an unspecified code yields only to a reading of as many of its words: "Chronic low back pain" is M54.50 with G89.29', () => {
    expect(codes('Assessment: Chronic low back pain.').sort()).toEqual(['G89.29', 'M54.50']);
  });

  it('a diagnosis stated in the assessment as a whole Index path of 3+ words is suggested even below the learned threshold; not from the history, not a short reading', () => {
    const at = (text: string) => suggest(text, 'professional', 52, 0.99);
    const out = at('Assessment: Chronic obstructive lung disease with exacerbation.');
    expect(out.map((s) => s.code)).toEqual(['J44.1']);
    expect(out[0]!.rationale.rules.map((r) => r.rule)).toContain('stated_diagnosis');
    expect(at('HPI: chronic obstructive lung disease with exacerbation last year.\nAssessment: Hypertension.')).toEqual([]);
    expect(at('Assessment: Hypertension.')).toEqual([]);
  });

  it('a sign written as a word of the diagnosis is part of it: "acute pancreatitis, interstitial edematous, without necrosis or infection" gives no R60.9', () => {
    expect(codes('Principal diagnosis: Alcohol induced acute pancreatitis, interstitial edematous, without necrosis or infection.', 'inpatient')).toEqual(['K85.20']);
  });

  it('a symptom the diagnosis asks to be added is reported with it: "Benign prostatic hyperplasia with lower urinary tract symptoms, nocturia" keeps R35.1 (N40.1 use additional code)', () => {
    expect(codes('Assessment: Benign prostatic hyperplasia with lower urinary tract symptoms, nocturia.')).toEqual(['N40.1', 'R35.1']);
  });

  it('"without hemorrhage" gives way to "with hemorrhage" of the same category: one ulcer, K25.4, not also K25.9', () => {
    expect(codes('Assessment: Gastric ulcer with hemorrhage. The stomach ulcer was clipped at endoscopy.')).toEqual(['K25.4']);
  });

  it('a rash is the lesion of a viral infection of the skin (block B00–B09): no R21 beside herpes zoster', () => {
    expect(codes('Assessment: Herpes zoster with blistering rash on the left flank.')).toEqual(['B02.9']);
  });

  it('bleeding is what an ulcer "with hemorrhage" names: no R58 beside K25.4', () => {
    expect(codes('Assessment: Gastric ulcer with hemorrhage. Bleeding stopped after endoscopy.')).toEqual(['K25.4']);
  });

  it('chest pain beside hypertension alone is not explained by it and stays', () => {
    expect(codes('Assessment:\n1. Chest pain.\n2. Hypertension.').sort()).toEqual(['I10', 'R07.9']);
  });

  it('a test named after what it looks for is not a diagnosis: "stress echocardiogram ordered" codes no stress reaction', () => {
    expect(codes('Assessment: Chest pain.\nPlan: exercise stress echocardiogram ordered; RTC after stress test.')).toEqual(['R07.9']);
    expect(codes('Assessment: Chest pain. Work stress.')).toEqual(expect.arrayContaining(['R07.9', 'F43.9']));
  });

  it('a condition named only in the history is not coded when the assessment does not carry it (OCG IV.J)', () => {
    expect(codes('HPI: polyneuropathy of both feet, stable.\nAssessment: Hypertension.')).toEqual(['I10']);
    // The statement names the condition (heart failure): the history's more specific reading is kept.
    expect(codes('HPI: chronic systolic heart failure.\nAssessment: Heart failure, stable.')).toEqual(['I50.22']);
  });

  it('a symptom only in the review of systems is not coded when the note has an assessment', () => {
    expect(codes('ROS: + cough.\nAssessment: Hypertension.')).toEqual(['I10']);
  });

  it('without an assessment (a narrative) the symptom stays', () => {
    expect(codes('Hypertensive patient who consulted for cough.').sort()).toEqual(['I10', 'R05.9']);
  });
});

describe('a malignancy treated with no evidence of disease (OCG I.C.2.d, I.C.21.c.8)', () => {
  it('is its personal history, after Z08 for a surveillance visit, with the completed chemotherapy', () => {
    expect(codes('Assessment:\n1. Adenocarcinoma of sigmoid colon, completed surgery and adjuvant chemotherapy - no evidence of disease, surveillance per NCCN.')).toEqual(['Z08', 'Z85.038', 'Z92.21']);
  });

  it('"Follow-up exam after completed treatment for …, no evidence of recurrence" with a "Personal history of …" item is Z08 and the history', () => {
    const out = codes('Assessment:\n1. Follow-up exam after completed treatment for adenocarcinoma of sigmoid colon - no evidence of recurrence.\n2. Personal history of adenocarcinoma of sigmoid colon.');
    expect(out).toEqual(['Z08', 'Z85.038']);
  });

  it('"History of …, no evidence of disease" in the statement makes the cancer history even when the course names it as a heading', () => {
    const out = codes('Discharge diagnoses:\n1. History of adenocarcinoma of sigmoid colon, no evidence of disease.\nHospital course:\nAdenocarcinoma of sigmoid colon: CEA normal.', 'inpatient');
    expect(out).toContain('Z85.038');
    expect(out).not.toContain('C18.7');
  });

  it('treatment still directed at it keeps the cancer whatever the exam shows: "on adjuvant chemotherapy - no evidence of recurrence" is C18.7', () => {
    expect(codes('Assessment:\n1. Adenocarcinoma of sigmoid colon, on adjuvant chemotherapy - no evidence of recurrence on exam.')).toEqual(['C18.7']);
    // "on exam after radiation" is no treatment going on: the history code.
    expect(codes('Assessment:\n1. Adenocarcinoma of sigmoid colon, completed surgery and adjuvant chemotherapy - no evidence of disease on CT after chemotherapy.')).toContain('Z85.038');
  });

  it('a breast cancer completes with the patient\'s recorded sex, and its estrogen receptor status is coded beside it (C50 "use additional code")', () => {
    const note = 'Assessment:\n1. Cancer of left breast, upper-outer quadrant, ER positive, on adjuvant anastrozole.';
    expect(suggest(note, 'professional', 61, undefined, 'female').map((s) => s.code)).toEqual(['C50.412', 'Z17.0']);
    expect(suggest(note.replace('ER positive', 'ER-negative'), 'professional', 61, undefined, 'male').map((s) => s.code)).toEqual(['C50.422', 'Z17.1']);
  });

  it('under treatment, or without the provider\'s "no evidence", it is the cancer', () => {
    expect(codes('Assessment:\n1. Adenocarcinoma of sigmoid colon, on adjuvant chemotherapy cycle 4.')).toEqual(['C18.7']);
    expect(codes('HPI: no evidence of disease on CT.\nAssessment:\n1. Adenocarcinoma of sigmoid colon, restaging pending.')).toEqual(['C18.7']);
  });
});

describe('Z codes from the documentation (OCG I.C.21.c.3–4)', () => {
  it('no history code of the other sex\'s organs (the MCE sex edit): a man\'s past kidney disease is no Z87.42 (female genital tract)', () => {
    const male = suggestCodes({ text: 'PMH: prior kidney disease, resolved.\nAssessment: Hypertension.', encounter: { setting: 'professional', dateOfService: '2026-01-15', patient: { age: 60, sex: 'male' } } }, GUIDELINE_KB, null, undefined, {});
    expect(male.suggestions.map((s) => s.code)).not.toContain('Z87.42');
  });

  it('family history: "FH: father with colon cancer" → Z80.0 (conditions classifiable to C15-C26), not C18.9, when the diagnostic statement names it', () => {
    const out = codes('FH: father with colon cancer.\nAssessment:\n1. Hypertension.\n2. Family history of colon cancer - colonoscopy due.');
    expect(out).toContain('Z80.0');
    expect(out).not.toContain('C18.9');
    // Less precisely there ("a first-degree relative with colorectal cancer": a cancer, history category Z80).
    expect(codes('FH: father with colon cancer.\nAssessment:\n1. Colon cancer screening - first-degree relative with colorectal cancer at 52.')).toContain('Z80.0');
  });

  it('a diagnostic statement that names a condition as history ("History of kidney stone") does not make the history\'s past event current', () => {
    const out = codes('HPI: Passed a left kidney stone in 2019, none since.\nAssessment:\n1. History of kidney stone - hydration advised.\n2. Hypertension.');
    expect(out).not.toContain('N20.0');
    expect(out).toContain('I10');
    // Stated as current, the same stone is coded.
    expect(codes('HPI: Flank pain since yesterday.\nAssessment:\n1. Kidney stone, left - tamsulosin.')).toContain('N20.0');
  });

  it('the cause an Index path names after "in (due to)" is a condition of its own: portal hypertension with varices is K76.6 and I85.10', () => {
    const out = codes('Assessment:\n1. Portal hypertension with small esophageal varices - nadolol started.');
    expect(out).toEqual(expect.arrayContaining(['K76.6', 'I85.10']));
  });

  it('an "unspecified" title that contains another\'s words and more is the more specific: severe malnutrition is E43, and E46 read elsewhere is not reported beside it', () => {
    const out = codes('Discharge diagnoses:\n1. Severe protein-calorie malnutrition.\nHospital course: Malnutrition - dietitian consulted, supplements started.', 'inpatient');
    expect(out).toContain('E43');
    expect(out).not.toContain('E46');
  });

  it('"not X" in a title gives way to its sibling when the statement says X: intractable chronic migraine is G43.719, not the NOS inclusion\'s G43.709 (OCG I.B.2)', () => {
    const out = codes('Assessment:\n1. Chronic migraine without aura, intractable, without status migrainosus - improving on Botox.');
    expect(out).toContain('G43.719');
    expect(out).not.toContain('G43.709');
    expect(codes('Assessment:\n1. Chronic migraine without aura, not intractable.')).not.toContain('G43.719');
  });

  it('a family history section alone is background: no family history code when the diagnostic statement does not name it (OCG I.C.21.c.4)', () => {
    expect(codes('FH: father with colon cancer. Mother with hypertension.\nAssessment:\n1. Hypertension.')).not.toEqual(expect.arrayContaining(['Z80.0']));
    expect(codes('FH: father with colon cancer. Mother with hypertension.\nAssessment:\n1. Hypertension.')).not.toContain('Z82.49');
  });

  it('a family history code needs a reading the engine would code as current: a father "old" is not an old MI (Z82.49)', () => {
    // One Index word ("Old" I25.2, prior 0.42) is below a 0.5 threshold; "colon cancer" (two words, 0.54) is not.
    const at = (text: string) => suggest(text, 'professional', 52, 0.5).map((s) => s.code);
    expect(at('FH: father 78 years old, alive and well.\nAssessment: Chronic systolic heart failure.')).toEqual(['I50.22']);
    expect(at('FH: father with colon cancer.\nAssessment:\n1. Chronic systolic heart failure.\n2. Family history of colon cancer.')).toEqual(expect.arrayContaining(['I50.22', 'Z80.0']));
  });

  it('a whole multi-word term is a strong enough reading for a family history code even where its exact code scores low', () => {
    // At a threshold above every confidence only the whole term "non-ST elevation myocardial infarction" makes Z82.49.
    const at = (text: string) => suggest(text, 'professional', 52, 0.99).map((s) => s.code);
    expect(at('FHx: father had a non-ST elevation myocardial infarction at 58.\nAssessment:\n1. Hypertension.\n2. Father had a non-ST elevation myocardial infarction at 58 - lipid panel ordered.')).toContain('Z82.49');
    expect(at('FH: father 78 years old, alive and well.\nAssessment: Hypertension.')).not.toContain('Z82.49');
  });

  it('"one prior urinary tract infection" is Z87.440, chosen by the condition\'s own words, and not also a history of "infection"', () => {
    const out = codes('S: One prior urinary tract infection 2 years ago.\nAssessment: Hypertension.');
    expect(out).toContain('Z87.440');
    expect(out).not.toContain('Z87.42');
    expect(out).not.toContain('Z86.19');
  });

  it('long-term drugs from the medication list, by the Table of Drugs class; a one-time dose is not long-term', () => {
    const out = codes('Meds: metformin 1000 mg BID; warfarin 5 mg daily; prednisone 40 mg x1 given.\nAssessment: Type 2 diabetes.');
    expect(out).toEqual(expect.arrayContaining(['Z79.84', 'Z79.01']));
    expect(out).not.toContain('Z79.52');
  });

  it('buprenorphine beside an opioid use disorder treats the disorder: no Z79.891 (opiate analgesic); codeine for pain is', () => {
    const out = codes('Meds: buprenorphine 8 mg daily.\nAssessment: Opioid dependence, on buprenorphine maintenance.');
    expect(out).toContain('F11.20');
    expect(out).not.toContain('Z79.891');
    expect(codes('Meds: codeine 30 mg TID.\nAssessment: Hypertension.')).toContain('Z79.891');
    // Buprenorphine with naloxone is that treatment wherever it is written.
    expect(codes('Discharge medications: buprenorphine-naloxone 16 mg/4 mg daily.\nAssessment: Hypertension.')).not.toContain('Z79.891');
  });

  it('each drug of a hyphenated combination is read ("budesonide-formoterol 2 puffs BID" is Z79.51); "steroid-induced" names a cause, no therapy', () => {
    expect(codes('Meds: budesonide-formoterol 160/4.5 two puffs BID.\nAssessment: Hypertension.')).toContain('Z79.51');
    expect(codes('HPI: on amlodipine; developed prednisone-induced hyperglycemia last year.\nAssessment: Hypertension.')).not.toContain('Z79.52');
  });

  it('a drug the note says the patient does not take is no long-term therapy: "No insulin."; fluticasone with no route is the inhaler (Z79.51)', () => {
    expect(codes('Meds: metformin 1000 mg BID. No insulin.\nAssessment: Type 2 diabetes.')).not.toContain('Z79.4');
    expect(codes('Meds: metformin 1000 mg BID. No longer on insulin.\nAssessment: Type 2 diabetes.')).not.toContain('Z79.4');
    // A stop said in a parenthesised aside is that drug's: the semaglutide before it is current.
    const aside = codes('Meds: insulin glargine 20 units qHS, semaglutide 1 mg SC weekly (metformin stopped 2024).\nAssessment: Type 2 diabetes.');
    expect(aside).toEqual(expect.arrayContaining(['Z79.4', 'Z79.85']));
    expect(aside).not.toContain('Z79.84');
    // A stop in an aside that names no other drug is this drug's: "metformin 500 mg BID (discontinued)".
    expect(codes('Meds: metformin 500 mg BID (discontinued); insulin glargine 20 units qHS.\nAssessment: Type 2 diabetes.')).not.toContain('Z79.84');
    // "SC" said of the insulin after "and" is not the metformin's: Z79.84, not Z79.85.
    expect(codes('Meds: metformin 1000 mg BID and insulin glargine 20 units SC qHS.\nAssessment: Type 2 diabetes.')).toEqual(expect.arrayContaining(['Z79.4', 'Z79.84']));
    // An antidiabetic the item says is injected, not insulin, is Z79.85.
    expect(codes('Meds: insulin glargine 20 units qHS; injectable non-insulin antidiabetic weekly.\nAssessment: Type 2 diabetes.')).toEqual(expect.arrayContaining(['Z79.4', 'Z79.85']));
    // "non-insulin" names what the drug is not: no Z79.4 from it.
    expect(codes('Meds: metformin 1000 mg BID.\nAssessment: Type 2 diabetes. Long-term use of injectable non-insulin antidiabetic.')).not.toContain('Z79.4');
    expect(codes('Meds: metformin 1000 mg BID; insulin glargine 20 units qHS.\nAssessment: Type 2 diabetes.')).toContain('Z79.4');
    const steroid = codes('Meds: fluticasone 250 mcg BID.\nAssessment: Hypertension.');
    expect(steroid).toContain('Z79.51');
    expect(steroid).not.toContain('Z79.52');
  });

  it('a drug started during an inpatient stay is not yet long-term therapy; the same list in an office note is (OCG I.C.21.c.3)', () => {
    expect(codes('Hospital course: warfarin started on day 2 for the new AF.\nDischarge diagnoses: Hypertension.', 'inpatient')).not.toContain('Z79.01');
    expect(codes('Hospital course: on warfarin 5 mg daily for years.\nDischarge diagnoses: Hypertension.', 'inpatient')).toContain('Z79.01');
    expect(codes('Meds: warfarin 5 mg daily (started 2019).\nDischarge diagnoses: Hypertension.', 'inpatient')).toContain('Z79.01');
  });

  it('a drug named only on the discharge list of a stay began in it (aspirin and ticagrelor after a first MI); one named before the stay, or said to be for good, is long-term', () => {
    const newDrugs = 'Discharge diagnoses: NSTEMI.\nHPI: no prior cardiac history; meds: amlodipine 5 mg daily.\nDischarge meds: aspirin 81 mg daily; ticagrelor 90 mg BID; amlodipine 5 mg daily.';
    expect(codes(newDrugs, 'inpatient')).not.toEqual(expect.arrayContaining(['Z79.82']));
    expect(codes(newDrugs, 'inpatient')).not.toContain('Z79.02');
    expect(codes(newDrugs.replace('no prior cardiac history', 'on aspirin 81 mg daily for years'), 'inpatient')).toContain('Z79.82');
    // The same list in an office note is the patient's current therapy.
    expect(codes('Assessment: Hypertension.\nMeds: aspirin 81 mg daily; ticagrelor 90 mg BID.')).toEqual(expect.arrayContaining(['Z79.82', 'Z79.02']));
    const forGood = 'Discharge diagnoses: Pulmonary embolism.\nHospital course: warfarin started with heparin overlap; will need indefinite anticoagulation.\nDischarge meds: warfarin 7.5 mg daily.';
    expect(codes(forGood, 'inpatient')).toContain('Z79.01');
  });

  it('a drug put where it acts is no long-term systemic therapy: diclofenac gel (no Z79.1), a levonorgestrel IUD (no Z79.3); ibuprofen a few days a month is as needed', () => {
    expect(codes('Meds: diclofenac gel to knees TID.\nAssessment: Hypertension.')).not.toContain('Z79.1');
    expect(codes('Meds: naproxen 500 mg BID.\nAssessment: Hypertension.')).toContain('Z79.1');
    expect(codes('Meds: levonorgestrel IUD.\nAssessment: Hypertension.')).not.toContain('Z79.3');
    expect(codes('Meds: ibuprofen 400 mg on 1-2 days/month.\nAssessment: Hypertension.')).not.toContain('Z79.1');
  });

  it('a course of days is not long-term therapy: a 5-day prednisone burst, "x 1 more day", enoxaparin x 28 days', () => {
    expect(codes('Discharge meds: prednisone 40 mg x 1 more day; warfarin 5 mg daily.\nAssessment: Hypertension.')).not.toContain('Z79.52');
    expect(codes('Plan: completes 5-day prednisone burst.\nMeds: prednisone 40 mg daily.\nAssessment: Hypertension.')).not.toContain('Z79.52');
    expect(codes('Discharge meds: warfarin 5 mg daily x 28 days.\nAssessment: Hypertension.')).not.toContain('Z79.01');
    expect(codes('Meds: prednisone 5 mg daily, on it for 2 years.\nAssessment: Hypertension.')).toContain('Z79.52');
    // A course in weeks is brief too (OCG I.C.21.c.3); a drug to be avoided is not taken.
    expect(codes('Discharge medications: warfarin 5 mg daily x 4 weeks (VTE prophylaxis).\nAssessment: Hypertension.')).not.toContain('Z79.01');
    expect(codes('Instructions: avoid warfarin until the biopsy.\nAssessment: Hypertension.')).not.toContain('Z79.01');
    // Taken only as needed is no long-term therapy either; a scheduled dose is.
    expect(codes('Discharge meds: warfarin 5 mg PRN bleeding risk review.\nAssessment: Hypertension.')).not.toContain('Z79.01');
    expect(codes('HPI: COPD on budesonide inhaler daily + albuterol PRN.\nAssessment: Hypertension.')).toContain('Z79.51');
    // Insulin only to control a type 2 patient's glucose during the stay (OCG I.C.4.a.3).
    expect(codes('Discharge diagnoses:\n1. Type 2 diabetes.\nHospital course: insulin sliding scale while on steroids.', 'inpatient')).not.toContain('Z79.4');
  });

  it('a steroid\'s route decides: inhaled Z79.51 (the list\'s "2 puffs" carries to "continue budesonide"), a nasal spray no Z79.5-', () => {
    const out = codes('Meds: budesonide/formoterol 2 puffs BID; fluticasone nasal spray daily.\nAssessment: Hypertension.\nPlan: continue budesonide/formoterol; continue fluticasone.');
    expect(out).toContain('Z79.51');
    expect(out).not.toContain('Z79.52');
    expect(codes('Meds: prednisone 5 mg daily.\nAssessment: Hypertension.')).toContain('Z79.52');
  });

  it('an antidiabetic drug without diabetes (metformin, dapagliflozin for heart failure) is not Z79.84; a stopped drug is not long-term', () => {
    expect(codes('Meds: metformin 500 mg BID; dapagliflozin 10 mg daily.\nAssessment: Chronic systolic heart failure.')).not.toContain('Z79.84');
    expect(codes('Meds: warfarin 5 mg daily.\nWarfarin stopped today for bleeding.\nAssessment: Hypertension.')).not.toContain('Z79.01');
    expect(codes('Discharge diagnoses: Type 2 diabetes.\nHospital course: basal-bolus insulin in hospital; metformin continued. Insulin was not continued.', 'inpatient')).not.toContain('Z79.4');
    expect(codes('Discharge diagnoses: Type 2 diabetes.\nHospital course: glucose 140-210 on basal insulin in hospital; home metformin resumed; no long-term insulin.', 'inpatient')).not.toContain('Z79.4');
  });

  it('a regimen in parentheses after the condition is its home treatment: "T2DM (metformin 1000 mg BID)" → Z79.84, held in hospital or not', () => {
    expect(codes('68 y/o M with T2DM (metformin 1000 mg BID, A1c 7.2%) admitted with fever.\nAssessment: Type 2 diabetes mellitus - metformin held while in hospital.', 'inpatient')).toContain('Z79.84');
    expect(codes('68 y/o M with T2DM (A1c 7.2%) admitted with fever.\nAssessment: Type 2 diabetes mellitus.', 'inpatient')).not.toContain('Z79.84');
  });

  it('a drug stopped before admission and on the discharge medication list after it is current: Z79.4', () => {
    const text = 'HPI: could not afford his insulin, so he stopped it 6 days ago.\nAssessment: Type 2 diabetes mellitus.\nDischarge meds: insulin glargine 30 units qHS.';
    expect(codes(text, 'inpatient')).toContain('Z79.4');
    expect(codes('Meds: insulin glargine 30 units qHS.\nHPI: stopped his insulin glargine 6 days ago.\nAssessment: Type 2 diabetes mellitus.', 'inpatient')).not.toContain('Z79.4');
  });

  it('insulin is Z79.4 beside type 2 diabetes, not beside type 1, which is insulin-dependent by definition (E10 has no "use additional code Z79.4")', () => {
    expect(codes('Meds: insulin glargine 20 units qHS.\nAssessment: Type 2 diabetes mellitus.')).toContain('Z79.4');
    const type1 = codes('Meds: insulin glargine 20 units qHS; insulin lispro with meals.\nAssessment: Type 1 diabetes mellitus.');
    expect(type1.some((c) => c.startsWith('E10'))).toBe(true);
    expect(type1).not.toContain('Z79.4');
  });

  it('a drug the Table does not list is classed by its USAN stem: apixaban (-xaban) → Z79.01', () => {
    expect(codes('Meds: apixaban 5 mg BID.\nAssessment: Hypertension.')).toContain('Z79.01');
  });

  it('a device from past treatment is a status code (OCG I.C.21.c.3), read from the Index\'s "Presence (of)" entries', () => {
    expect(codes('HPI: HFrEF, s/p primary-prevention ICD (2023).\nAssessment: Chronic systolic heart failure.')).toEqual(expect.arrayContaining(['I50.22', 'Z95.810']));
    expect(codes('HPI: on an insulin pump.\nAssessment: Type 2 diabetes.')).toContain('Z96.41');
    expect(codes('HPI: CAD s/p drug-eluting stent to the proximal LAD in 2024.\nAssessment: Hypertension.')).toContain('Z95.5');
  });

  it('a stay that replaces the joint codes no status for it; the other side\'s earlier replacement stays', () => {
    const note = 'HPI: admitted electively for left TKA; right knee replaced in 2022.\nDischarge diagnoses:\n1. Hypertension, s/p left TKA.\n2. Status post right TKA (2022).';
    const out = codes(note, 'inpatient');
    expect(out).toContain('Z96.651');
    expect(out).not.toContain('Z96.652');
    // Outside a stay the same words are the patient's status.
    expect(codes('PMH: s/p left TKA (2021).\nAssessment: Hypertension.')).toContain('Z96.652');
    // A stay for something else keeps an earlier replacement's status.
    expect(codes('HPI: admitted for COPD exacerbation, s/p left TKA (2015).\nDischarge diagnoses:\n1. Hypertension.', 'inpatient')).toContain('Z96.652');
  });

  it('a joint replacement is its Presence code by the side written ("s/p right TKA" → Z96.651); dependence on dialysis or home oxygen is Z99.2 / Z99.81', () => {
    expect(codes('PMH: HTN. S/p right total knee arthroplasty (2016).\nAssessment: Hypertension.')).toEqual(expect.arrayContaining(['I10', 'Z96.651']));
    expect(codes('PMH: s/p TKA.\nAssessment: Hypertension.')).toContain('Z96.659');
    expect(codes('HPI: ESRD on hemodialysis MWF.\nAssessment: End stage renal disease.')).toEqual(expect.arrayContaining(['N18.6', 'Z99.2']));
    expect(codes('HPI: COPD, chronic respiratory failure on 2 L home oxygen continuously.\nAssessment: Hypertension.')).toContain('Z99.81');
    // Hospital day 2 is no dialysis; oxygen needed only in the hospital is no dependence.
    expect(codes('Course: HD 2 stable.\nAssessment: End stage renal disease.')).not.toContain('Z99.2');
    expect(codes('HPI: required 2 L NC, weaned to room air.\nAssessment: Hypertension.')).not.toContain('Z99.81');
    expect(codes('HPI: CKD stage 4, not on dialysis. Not on home oxygen.\nAssessment: Hypertension.').filter((c) => c.startsWith('Z99'))).toEqual([]);
  });

  it('no status code for a device placed at this encounter, a negated one, or "ICD-10" the classification', () => {
    // Each sentence has a status cue ("with a", "prior"), so only the guard under test keeps the code out.
    expect(codes('Procedure: PCI of proximal LAD with a drug-eluting stent.\nPrincipal diagnosis: Hypertension.', 'inpatient')).not.toContain('Z95.5');
    expect(codes('HPI: CAD; PCI of the LAD with a drug-eluting stent placed today.\nPrincipal diagnosis: Hypertension.', 'inpatient')).not.toContain('Z95.5');
    // Dated within the stay (date of service 2026-01-15): this stay's; dated years before: a status.
    expect(codes('Hospital course: CAD; drug-eluting stent to the LAD placed 01/13/2026.\nPrincipal diagnosis: Hypertension.', 'inpatient')).not.toContain('Z95.5');
    expect(codes('HPI: CAD, s/p drug-eluting stent to the LAD placed 03/02/2019.\nPrincipal diagnosis: Hypertension.', 'inpatient')).toContain('Z95.5');
    expect(codes('HPI: no prior ICD.\nAssessment: Chronic systolic heart failure.')).not.toContain('Z95.810');
    expect(codes('HPI: coded with ICD-10 in 2024.\nAssessment: Hypertension.')).not.toContain('Z95.810');
  });

  it('a remote TIA is Z86.73 (Index: History, personal, transient ischemic attack), and a risk score\'s items are no diagnoses', () => {
    const out = codes('Assessment:\n1. Atrial fibrillation - CHA2DS2-VASc 4 (age, vascular disease, TIA x2).\n2. Remote TIA without residual deficits.');
    expect(out).toContain('Z86.73');
    expect(out).not.toContain('G45.9');
  });

  it('a former smoker with the use quantified or stated as a diagnosis → Z87.891; a bare social-history line is left to the coder; "never smoker" → nothing', () => {
    expect(codes('SH: former smoker, quit 2010 (20 pack-years).\nAssessment: Hypertension.')).toContain('Z87.891');
    expect(codes('SH: former smoker, 1 ppd x 30 yrs, quit 2010.\nAssessment: Hypertension.')).toContain('Z87.891');
    expect(codes('SH: smoked 2 ppd x 35 yrs, quit 2018; no vaping.\nAssessment: Hypertension.')).toContain('Z87.891');
    expect(codes('Assessment:\n1. Hypertension.\n2. Former smoker, quit 2010.')).toContain('Z87.891');
    expect(codes('SH: former smoker, quit 2010.\nAssessment: Hypertension.')).not.toContain('Z87.891');
    // A narrative without a diagnostic statement (a case report) keeps the reading.
    expect(codes('A 60-year-old former smoker, quit 2010, presented with hypertension.')).toContain('Z87.891');
    expect(codes('SH: never smoker.\nAssessment: Hypertension.')).not.toContain('Z87.891');
  });

  it('"former tobacco dependence" in the diagnoses is history (Index: History, personal, nicotine dependence Z87.891), not a current F17.2 kept as chronic', () => {
    const out = codes('Secondary diagnoses: Hypertension; former nicotine dependence.', 'inpatient');
    expect(out).toContain('Z87.891');
    expect(out.some((c) => c.startsWith('F17.2'))).toBe(false);
    expect(codes('Secondary diagnoses: Hypertension; nicotine dependence.', 'inpatient')).toContain('F17.200');
  });
});

describe('encounter reasons and reported facts', () => {
  it('annual physical that finds obesity class 1 with BMI 30.6 → Z00.01 first, E66.811, Z68.30', () => {
    const out = codes('ANNUAL PREVENTIVE VISIT\nVitals: BMI 30.6.\nA/P:\n1. Obesity, class 1.');
    expect(out[0]).toBe('Z00.01');
    expect(out).toEqual(expect.arrayContaining(['E66.811', 'Z68.30']));
  });

  it('the BMI is today\'s: "Preop weight 262 lb, BMI 44.6" in the history is not the statement\'s "BMI 32.3" (Z68.32, not Z68.41)', () => {
    const out = codes('HPI: s/p gastric bypass 12/2024. Preop weight 262 lb, BMI 44.6.\nExam: Wt 188 lb, BMI 32.3.\nAssessment:\n1. Obesity, class 1, BMI 32.3.');
    expect(out).toContain('Z68.32');
    expect(out).not.toContain('Z68.41');
  });

  it('no BMI in pregnancy, but a pregnancy word is no pregnancy: "Pregnancy test negative", "prenatal vitamin" keep Z68.32', () => {
    expect(codes('Meds: prenatal vitamin.\nLabs: Pregnancy test negative.\nExam: BMI 32.3.\nAssessment:\n1. Obesity, class 1, BMI 32.3.')).toContain('Z68.32');
  });

  it('an annual exam that happened elsewhere before, or that the plan schedules, is not this encounter\'s reason', () => {
    expect(codes('HPI: her gynecologist palpated a neck mass at her annual exam 2 weeks ago.\nAssessment: Hypertension.')).toEqual(['I10']);
    expect(codes('Assessment: Hypertension.\nFollow-up: RTC 6 months for annual wellness visit.')).toEqual(['I10']);
    expect(codes('Assessment: Hypertension.\nP: Reassurance. F/u annual exam as scheduled.')).toEqual(['I10']);
  });

  it('morbid obesity documented with class 3 obesity is E66.813 only (OCG I.C.4.b.1); morbid obesity alone stays E66.01', () => {
    const out = codes('A/P:\n1. Morbid obesity, class 3, BMI 43.3.');
    expect(out).toContain('E66.813');
    expect(out).not.toContain('E66.01');
    expect(codes('A/P:\n1. Morbid obesity.')).toContain('E66.01');
  });

  it('the stage written right after CKD is its stage (OCG I.C.14.a): "AKI on CKD 3a" N18.31, "CKD IV" N18.4; not a duration', () => {
    expect(codes('Assessment: Chronic kidney disease 3b, stable.')).toEqual(['N18.32']);
    expect(codes('Assessment: Chronic kidney disease IV.')).toEqual(['N18.4']);
    expect(codes('Assessment: Chronic kidney disease IIIb.')).toEqual(['N18.32']);
    expect(codes('Assessment: Chronic kidney disease 3 years, stable.')).toEqual(['N18.9']);
    // The "2" of "type 2" is no stage 2 (N18.2).
    expect(codes('Assessment: Type 2 diabetic CKD stage 3b.')).not.toContain('N18.2');
    expect(codes('Assessment: Hypertension. Chronic kidney disease 3a.')).toEqual(expect.arrayContaining(['I12.9', 'N18.31']));
  });

  it('diabetes "with" the condition its complication is coded as: peripheral neuropathy read as G62.9 polyneuropathy → E11.42, not E11.40', () => {
    expect(codes('Assessment: Type 2 diabetes with peripheral neuropathy.')).toEqual(['E11.42']);
  });

  it('BMI is not coded without a weight diagnosis (OCG I.B.14)', () => {
    expect(codes('Vitals: BMI 30.6.\nAssessment: Hypertension.')).toEqual(['I10']);
  });

  it('"suture removal in 10 days" in the plan is a later encounter\'s reason; "here for suture removal" is this one\'s', () => {
    expect(codes('Assessment: Laceration of L forearm without foreign body.\nPlan: suture removal in 10 days.')).toEqual(['S51.812A']);
    expect(codes('Chief complaint: here for suture removal.\nAssessment: Healing laceration; sutures removed.')).toContain('Z48.02');
  });

  it('"Tdap given today" → Z23; "influenza vaccine received at pharmacy last week" → no Z23', () => {
    expect(codes('Tdap given today.\nAssessment: Hypertension.')).toContain('Z23');
    expect(codes('Influenza vaccine received at pharmacy last week.\nAssessment: Hypertension.')).not.toContain('Z23');
  });
});

describe('drugs: adverse effect, underdosing, poisoning (OCG I.C.19.e.5)', () => {
  it('"taken as prescribed" with no effect the provider links to the drug is adherence, no adverse effect', () => {
    expect(codes('HPI: spironolactone 25 mg daily taken as prescribed; no complaints.\nAssessment: Hypertension.')).not.toContain('T50.0X5A');
  });

  it('"from" a drug is its effect, but "separate from" and "switched from" are not', () => {
    expect(codes('Assessment: Hyperkalemia from spironolactone.')).toEqual(expect.arrayContaining(['E87.5', 'T50.0X5A']));
    expect(codes('HPI: takes levothyroxine separate from spironolactone, as instructed.\nAssessment: Hypertension.')).toEqual(['I10']);
    expect(codes('HPI: switched from spironolactone last year.\nAssessment: Hypertension.')).toEqual(['I10']);
  });

  it('a condition the provider ties to a drug reads as the Index\'s drug-induced form, and only that drug is the adverse effect: "Hypothyroidism due to lithium … start levothyroxine" → E03.2 + T43.595A', () => {
    const out = codes('Assessment:\n1. Hypothyroidism due to lithium (adverse effect, lithium taken as prescribed) - start levothyroxine 50 mcg daily; recheck TSH in 6 wks.');
    expect(out).toEqual(expect.arrayContaining(['E03.2', 'T43.595A']));
    expect(out).not.toContain('E03.9'); // OCG I.B.2: the cause is documented
    expect(out).not.toContain('T38.1X5A'); // levothyroxine is the treatment
    // "Lisinopril-induced": the drug is the word before the suffix.
    expect(codes('Assessment: Lisinopril-induced angioedema.')).toEqual(expect.arrayContaining(['T78.3XXA', 'T46.4X5A']));
    // A drug-induced reading gives way to the Index's own subterm for the drug class ("Nephropathy, analgesic").
    expect(codes('Assessment: Nephropathy due to analgesic abuse.')).toContain('N14.0');
    expect(codes('Assessment: Nephropathy due to analgesic abuse.')).not.toContain('N14.1');
    // No drug at all: "drug" names no class of the Table ("Drug NEC"), and no condition without a drug is drug-induced.
    expect(codes('Assessment: Hypothyroidism - adverse effect suspected, drug permanently discontinued.')).not.toContain('T50.905A');
    expect(codes('Assessment: Hypothyroidism due to Hashimoto thyroiditis.')).not.toContain('E03.2');
    // The Index's own inverted order across a comma, and the Table's plural class name ("Glucocorticoids").
    const osteo = codes('Assessment: Osteoporosis, glucocorticoid-induced, without current fracture.');
    expect(osteo).toEqual(expect.arrayContaining(['M81.8', 'T38.0X5A']));
    expect(osteo).not.toContain('M81.0');
  });

  it('a transplant immunosuppressant the Table lists only by class is a drug cause: "Post-transplant diabetes, attributed to tacrolimus" → E09.9 + T45.1X5A, not E11.9', () => {
    const out = codes('Assessment:\n1. Post-transplant diabetes, attributed to tacrolimus.');
    expect(out).toEqual(expect.arrayContaining(['E09.9', 'T45.1X5A']));
    expect(out).not.toContain('E11.9');
  });

  it('a drug cause the provider leaves uncertain is not coded outside an inpatient stay (OCG IV.H), and is inside one (OCG II.H)', () => {
    const text = 'Assessment:\n1. Hyponatremia - likely thiazide-induced vs SIADH, not yet determined; HCTZ held.';
    expect(codes(text, 'professional')).not.toContain('T50.2X5A');
    expect(codes(text, 'inpatient')).toContain('T50.2X5A');
  });

  it('"Hyperkalemia due to spironolactone, taking as prescribed" → E87.5 and T50.0X5A (adverse effect)', () => {
    expect(codes('Assessment: Hyperkalemia due to spironolactone, taking as prescribed.')).toEqual(expect.arrayContaining(['E87.5', 'T50.0X5A']));
  });

  it('"she could afford it" is no financial hardship: stopping a drug on her own is Z91.128, not Z91.120', () => {
    const out = codes('HPI: stopped taking her furosemide on her own although she could afford it.\nAssessment: Hypertension.');
    expect(out).toContain('Z91.128');
    expect(out).not.toContain('Z91.120');
  });

  it('a drug stopped or its course completed is no long-term therapy: "completed 6 months of warfarin", "since stopping warfarin in 2021"', () => {
    expect(codes('HPI: was taking warfarin for a DVT; completed 6 months of warfarin in May.\nAssessment: Hypertension.')).not.toContain('Z79.01');
    expect(codes('HPI: taking warfarin until 2021. No bleeding since stopping warfarin.\nAssessment: Hypertension.')).not.toContain('Z79.01');
    expect(codes('Meds: warfarin 5 mg daily.\nAssessment: Hypertension.')).toContain('Z79.01');
  });

  it('a denied underdosing is none: "continued furosemide throughout — no missed doses" gives no T50.1X6A', () => {
    expect(codes('HPI: continued furosemide throughout - no missed doses.\nAssessment: Chronic systolic heart failure.').filter((c) => c.startsWith('T50'))).toEqual([]);
  });

  it('"stopped taking his furosemide on his own" → T50.1X6A (underdosing) with Z91.128 (intentional)', () => {
    expect(codes('HPI: stopped taking his furosemide 10 days ago on his own.\nAssessment: Hypertension.')).toEqual(expect.arrayContaining(['T50.1X6A', 'Z91.128']));
  });

  it('a poisoning\'s manifestation is coded beside it, even linked by the provider: "Nausea with vomiting due to acetaminophen overdose" → R11.2 and T39.1X1A (OCG I.C.19.e.5.b)', () => {
    expect(codes('Assessment:\n1. Acetaminophen overdose.\n2. Nausea with vomiting due to acetaminophen overdose.')).toEqual(expect.arrayContaining(['T39.1X1A', 'R11.2']));
  });

  it('a drug given to treat the poisoning is not a second poison: "vomiting due to ingestion - resolved after ondansetron" codes no T45.0X-', () => {
    const out = codes('HPI: intentional overdose, suicide attempt.\nAssessment:\n1. Acetaminophen overdose.\n2. Nausea with vomiting due to ingestion - resolved after ondansetron.');
    expect(out).toContain('T39.1X2A');
    expect(out.filter((c) => c.startsWith('T45'))).toEqual([]);
  });

  it('acetaminophen overdose with a suicide attempt documented in another sentence → intentional self-harm, not accidental', () => {
    const out = codes('HPI: suicide attempt.\nAssessment: Acetaminophen overdose.');
    expect(out).toContain('T39.1X2A');
    expect(out).not.toContain('T39.1X1A');
  });

  it('toxicity at the prescribed dose is no poisoning; an overdose in another year is no poisoning now (OCG I.C.19.e.5)', () => {
    expect(codes('Assessment: Acetaminophen toxicity.').filter((c) => /^T39\.1X[1-4]A$/.test(c))).toEqual(['T39.1X1A']);
    expect(codes('Assessment: Acetaminophen toxicity at the prescribed dose, not an overdose.').filter((c) => /^T39\.1X[1-4]A$/.test(c))).toEqual([]);
    expect(codes('HPI: intentional acetaminophen overdose in 2019.\nAssessment: Hypertension.').filter((c) => c.startsWith('T39'))).toEqual([]);
  });

  it('self-harm the note denies is no intent: "Denies suicidal ideation. Not intentional self-harm." → accidental', () => {
    const out = codes('HPI: Denies suicidal ideation.\nAssessment: Acetaminophen overdose. Not intentional self-harm.');
    expect(out).toContain('T39.1X1A');
    expect(out).not.toContain('T39.1X2A');
  });

  it('self-harm the note rules out after the word is no intent: "Self-harm excluded; no depression." → accidental', () => {
    const out = codes('Assessment:\n1. Acetaminophen overdose, double dose taken in error.\n2. Self-harm excluded; no depression.', 'outpatient');
    expect(out).toContain('T39.1X1A');
    expect(out).not.toContain('T39.1X2A');
  });
});

describe('injury readings (OCG I.B.13, I.C.19)', () => {
  it('"Laceration of L forearm without foreign body" → S51.812A: the side letter read, the "with foreign body" subterm refused', () => {
    expect(codes('Assessment: Laceration of L forearm without foreign body.')).toEqual(['S51.812A']);
  });
});

describe('fracture in known osteoporosis (OCG I.C.13.d.2)', () => {
  it('a Colles fragility fracture of the left radius in postmenopausal osteoporosis → M80.032A, not S52.532A + M81.0', () => {
    const note = 'HPI: known postmenopausal osteoporosis; fell from standing height.\nAssessment:\n1. Colles fracture of left radius, fragility fracture.\n2. Postmenopausal osteoporosis.';
    expect(codes(note)).toEqual(['M80.032A']);
    // Without the minor trauma documented, the traumatic fracture code stays (the provider's judgement).
    expect(codes('Assessment:\n1. Colles fracture of left radius after a motorcycle crash.\n2. Postmenopausal osteoporosis.').sort()).toEqual(['M81.0', 'S52.532A']);
  });

  it('the same fracture read again where its sentence says nothing of the fall goes with it: "XR: Colles fracture of left radius" → M80.032A alone', () => {
    const text = 'XR: Colles fracture of left radius. Colles fracture of left radius, fragility fracture. Postmenopausal osteoporosis.';
    const sentences = text.split(/(?<=\.) /).map((t, index) => ({ index, start: text.indexOf(t), end: text.indexOf(t) + t.length, text: t, section: 'assessment' as const }));
    const at = (quote: string, code: string, from: number) => {
      const c = ruledAt(text, quote, code);
      const start = text.indexOf(quote, from);
      const m = { ...c.evidence[0]!, span: { start, end: start + quote.length, quote }, sentenceIndex: sentences.findIndex((s) => s.start <= start && start < s.end) };
      return { ...c, mentions: [m], evidence: [m] };
    };
    const xr = at('Colles fracture of left radius', 'S52.532A', 0);
    const stated = at('Colles fracture of left radius, fragility fracture', 'S52.532A', 36);
    const story = { ...xr, code: 'S52.502A' };
    const out = applyOsteoporoticFractures([stated, story, at('Postmenopausal osteoporosis', 'M81.0', 0)], { note: { text, encounter: { setting: 'professional', dateOfService: '2026-01-15' } }, sentences, kb: GUIDELINE_KB, scored: [] });
    expect(out.kept.map((c) => c.code)).toEqual(['M80.032A']);
  });

  it('the statement\'s own M80 code takes the story\'s traumatic reading of the same fracture: M80.032A alone', () => {
    const note = 'Assessment:\n1. Colles fragility fracture of left radius.\n2. Age-related osteoporosis with current pathological fracture of left forearm.';
    expect(codes(note)).toEqual(['M80.032A']);
  });
});

describe('each injury coded to its site (OCG I.C.19.b, I.C.19.d.5)', () => {
  it('a named injury replaces "injury" of unspecified body region (T14) and "unspecified injury of head" (S09.90)', () => {
    expect(codes('HPI: fell and hit his head; head injury.\nAssessment: Concussion without loss of consciousness.')).toEqual(['S06.0X0A']);
    const out = suggest('HPI: fell and hit his head.\nAssessment: Head injury: concussion without loss of consciousness.');
    expect(out.map((s) => s.code)).toEqual(['S06.0X0A']);
    expect(out[0]!.rationale.rules.filter((r) => r.rule === 'injury_site').map((r) => r.detail.slice(0, 8))).toEqual(['S09.90XA']);
    expect(codes('HPI: injury after a fall.\nAssessment: Laceration of L forearm without foreign body.')).toEqual(['S51.812A']);
    expect(codes('HPI: injury after a fall.\nAssessment: Injury.')).toEqual(['T14.90XA']);
    // Without a named injury the unspecified codes are what the documentation supports.
    expect(codes('Assessment: Head injury.')).toEqual(['S09.90XA']);
  });

  it('a superficial injury is not coded beside a more severe injury of the same region', () => {
    const out = codes('Assessment:\n1. Laceration of L forearm without foreign body.\n2. Abrasion of left forearm.');
    expect(out).toEqual(['S51.812A']);
    // A different region keeps its own superficial injury.
    expect(codes('Assessment:\n1. Concussion without loss of consciousness.\n2. Abrasion of left forearm.')).toEqual(expect.arrayContaining(['S06.0X0A', 'S50.812A']));
  });

  it('"suicide attempt" with an intentional overdose is the poisoning\'s intent: T39.1X2A, not T14.91XA beside it', () => {
    const out = codes('HPI: suicide attempt.\nAssessment: Acetaminophen overdose.');
    expect(out).toContain('T39.1X2A');
    expect(out).not.toContain('T14.91XA');
    expect(codes('Assessment: Suicide attempt.')).toEqual(['T14.91XA']);
  });
});

describe('external cause codes (OCG I.C.20: required only under a state mandate or payer rule)', () => {
  const note = 'HPI: tripped over a hose and had a fall.\nAssessment: Laceration of L forearm without foreign body.';
  const at = (setting: 'professional' | 'inpatient', externalCauses?: 'none' | 'inpatient' | 'all') =>
    suggestCodes({ text: note, encounter: { setting, dateOfService: '2026-01-15' } }, GUIDELINE_KB, null, undefined, { externalCauses }).suggestions.map((s) => s.code);

  it('by default a professional claim gets no W19.XXXA; an inpatient stay (state discharge-data mandates) does', () => {
    expect(at('professional')).toEqual(['S51.812A']);
    expect(at('inpatient')).toEqual(expect.arrayContaining(['S51.812A', 'W19.XXXA']));
  });

  it('the site setting decides: "all" for a payer that requires them, "none" for no mandate', () => {
    expect(at('professional', 'all')).toEqual(expect.arrayContaining(['S51.812A', 'W19.XXXA']));
    expect(at('inpatient', 'none')).toEqual(['S51.812A']);
  });
});
