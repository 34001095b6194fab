import { describe, expect, it } from 'vitest';
import { generateCandidates } from './candidates.ts';
import { buildKnowledge, type CodeInfo } from './knowledge.ts';
import type { DictionaryTerm } from './dictionary.ts';
import { applyRules } from './rules.ts';

const CODES: CodeInfo[] = [
  { code: 'I21.9', billable: true, title: 'Acute myocardial infarction, unspecified', parent: null },
  { code: 'I25.2', billable: true, title: 'Old myocardial infarction', parent: null },
  { code: 'N39.0', billable: true, title: 'Urinary tract infection, site not specified', parent: null },
  { code: 'I10', billable: true, title: 'Essential (primary) hypertension', parent: null },
  { code: 'I27.20', billable: true, title: 'Pulmonary hypertension, unspecified', parent: null },
  { code: 'C50.919', billable: true, title: 'Malignant neoplasm of unspecified site of unspecified female breast', parent: null },
  { code: 'E11.9', billable: true, title: 'Type 2 diabetes mellitus without complications', parent: null },
  { code: 'E11.65', billable: true, title: 'Type 2 diabetes mellitus with hyperglycemia', parent: null },
  { code: 'J44.9', billable: true, title: 'Chronic obstructive pulmonary disease, unspecified', parent: null },
  { code: 'N20.0', billable: true, title: 'Calculus of kidney', parent: null },
  { code: 'R52', billable: true, title: 'Pain, unspecified', parent: null },
  { code: 'R10.9', billable: true, title: 'Unspecified abdominal pain', parent: null },
  { code: 'I50.31', billable: true, title: 'Acute diastolic (congestive) heart failure', parent: null },
  { code: 'I50.33', billable: true, title: 'Acute on chronic diastolic (congestive) heart failure', parent: null },
  { code: 'F23', billable: true, title: 'Brief psychotic disorder', parent: null },
  { code: 'F32.2', billable: true, title: 'Major depressive disorder, single episode, severe without psychotic features', parent: null },
  { code: 'A04.71', billable: true, title: 'Enterocolitis due to Clostridium difficile, recurrent', parent: null },
  { code: 'A04.72', billable: true, title: 'Enterocolitis due to Clostridium difficile, not specified as recurrent', parent: null },
  { code: 'D50.9', billable: true, title: 'Iron deficiency anemia, unspecified', parent: null },
  { code: 'N17.0', billable: true, title: 'Acute kidney failure with tubular necrosis', parent: null },
  { code: 'N17.9', billable: true, title: 'Acute kidney failure, unspecified', parent: null },
  { code: 'J15.4', billable: true, title: 'Pneumonia due to other streptococci', parent: null },
  { code: 'Z53.9', billable: true, title: 'Procedure and treatment not carried out, unspecified reason', parent: null },
  { code: 'P91.60', billable: true, title: 'Hypoxic ischemic encephalopathy [HIE], unspecified', parent: null },
  { code: 'C43.9', billable: true, title: 'Malignant melanoma of skin, unspecified', parent: null },
  { code: 'C76.41', billable: true, title: 'Malignant neoplasm of right upper limb', parent: null },
  { code: 'C78.4', billable: true, title: 'Secondary malignant neoplasm of small intestine', parent: null },
  { code: 'I21.4', billable: true, title: 'Non-ST elevation (NSTEMI) myocardial infarction', parent: null },
  { code: 'I21.3', billable: true, title: 'ST elevation (STEMI) myocardial infarction of unspecified site', parent: null },
  { code: 'F17.210', billable: true, title: 'Nicotine dependence, cigarettes, uncomplicated', parent: null },
  { code: 'L03.116', billable: true, title: 'Cellulitis of left lower limb', parent: null },
  { code: 'D50.0', billable: true, title: 'Iron deficiency anemia secondary to blood loss (chronic)', parent: null },
  { code: 'R65.20', billable: true, title: 'Severe sepsis without septic shock', parent: null },
  { code: 'C44.92', billable: true, title: 'Squamous cell carcinoma of skin, unspecified', parent: null },
  { code: 'D04.9', billable: true, title: 'Carcinoma in situ of skin, unspecified', parent: null },
  { code: 'S93.491A', billable: true, title: 'Sprain of other ligament of right ankle, initial encounter', parent: null },
  { code: 'S72.009A', billable: true, title: 'Fracture of unspecified part of neck of unspecified femur, initial encounter for closed fracture', parent: null },
  { code: 'T78.01XA', billable: true, title: 'Anaphylactic reaction due to peanuts, initial encounter', parent: null },
  { code: 'Q40.0', billable: true, title: 'Congenital hypertrophic pyloric stenosis', parent: null },
  { code: 'I23.3', billable: true, title: 'Rupture of cardiac wall without hemopericardium as current complication following acute myocardial infarction', parent: null },
  { code: 'G20.A2', billable: true, title: "Parkinson's disease without dyskinesia, with fluctuations", parent: null },
  { code: 'E11.10', billable: true, title: 'Type 2 diabetes mellitus with ketoacidosis without coma', parent: null },
  { code: 'F31.32', billable: true, title: 'Bipolar disorder, current episode depressed, moderate', parent: null },
  { code: 'A08.11', billable: true, title: 'Acute gastroenteropathy due to Norwalk agent', parent: null },
  { code: 'E27.3', billable: true, title: 'Drug-induced adrenocortical insufficiency', parent: null },
  { code: 'L20.82', billable: true, title: 'Flexural eczema', parent: null },
  { code: 'L20.9', billable: true, title: 'Atopic dermatitis, unspecified', parent: null },
  { code: 'I26.92', billable: true, title: 'Saddle embolus of pulmonary artery without acute cor pulmonale', parent: null },
  { code: 'I26.99', billable: true, title: 'Other pulmonary embolism without acute cor pulmonale', parent: null },
  { code: 'E27.40', billable: true, title: 'Unspecified adrenocortical insufficiency', parent: null },
  { code: 'K52.9', billable: true, title: 'Noninfective gastroenteritis and colitis, unspecified', parent: null },
  { code: 'F31.81', billable: true, title: 'Bipolar II disorder', parent: null },
];
// Index paths as the Alphabetic Index CSV gives them (path levels, nonessential modifiers).
const TERMS: DictionaryTerm[] = [
  { code: 'C43.9', kind: 'index', text: 'Melanoma', path: ['Melanoma'], modifiers: ['(malignant)'] },
  { code: 'I23.3', kind: 'index', text: 'Rupture, ruptured, myocardium, myocardial', path: ['Rupture, ruptured', 'myocardium, myocardial'], modifiers: ['', ''] },
  { code: 'I21.4', kind: 'index', text: 'Infarct, infarction, myocardial, non-ST elevation', path: ['Infarct, infarction', 'myocardial', 'non-ST elevation'], modifiers: ['', '(acute)', '(NSTEMI)'] },
  { code: 'C76.41', kind: 'neoplasm', text: 'Neoplasm, arm NEC, malignant primary', path: ['Neoplasm', 'arm NEC', 'malignant primary'] },
  { code: 'C78.4', kind: 'neoplasm', text: 'Neoplasm, intestine, small, malignant secondary', path: ['Neoplasm', 'intestine, small', 'malignant secondary'] },
  { code: 'I21.9', kind: 'index', text: 'Infarct, infarction, myocardial', path: ['Infarct, infarction', 'myocardial'], modifiers: ['', '(acute)'] },
  { code: 'I21.3', kind: 'inclusion', text: 'Type 1 ST elevation myocardial infarction of unspecified site' },
  { code: 'F17.210', kind: 'index', text: 'Smoker, cigarettes', path: ['Smoker', 'cigarettes'], modifiers: ['', ''] },
  { code: 'L03.116', kind: 'title', text: 'Cellulitis of left lower limb' },
  { code: 'G20.A2', kind: 'title', text: "Parkinson's disease without dyskinesia, with fluctuations" },
  { code: 'E11.10', kind: 'title', text: 'Type 2 diabetes mellitus with ketoacidosis without coma' },
  { code: 'F31.32', kind: 'title', text: 'Bipolar disorder, current episode depressed, moderate' },
  { code: 'A08.11', kind: 'index', text: 'Enteritis, norovirus', path: ['Enteritis', 'norovirus'], modifiers: ['', ''] },
  { code: 'L20.82', kind: 'index', text: 'Dermatitis, flexural NEC', path: ['Dermatitis', 'flexural NEC'], modifiers: ['', ''] },
  { code: 'L20.9', kind: 'index', text: 'Dermatitis, atopic', path: ['Dermatitis', 'atopic'], modifiers: ['', ''] },
  { code: 'I26.92', kind: 'index', text: 'Embolism, pulmonary, saddle', path: ['Embolism', 'pulmonary', 'saddle'], modifiers: ['', '', ''] },
  { code: 'I26.99', kind: 'inclusion', text: 'Acute pulmonary embolism NOS' },
  { code: 'E27.3', kind: 'index', text: 'Insufficiency, insufficient, adrenocortical, drug-induced', path: ['Insufficiency, insufficient', 'adrenocortical', 'drug-induced'], modifiers: ['', '', ''] },
  { code: 'E27.40', kind: 'index', text: 'Insufficiency, insufficient, adrenal', path: ['Insufficiency, insufficient', 'adrenal'], modifiers: ['', '(gland)'] },
  { code: 'K52.9', kind: 'index', text: 'Gastroenteritis', path: ['Gastroenteritis'], modifiers: ['(acute) (chronic) (noninfectious)'] },
  { code: 'F31.81', kind: 'title', text: 'Bipolar II disorder' },
  { code: 'C44.92', kind: 'neoplasm', text: 'Neoplasm, skin NOS, squamous cell carcinoma, malignant primary', path: ['Neoplasm', 'skin NOS', 'squamous cell carcinoma', 'malignant primary'] },
  { code: 'D04.9', kind: 'neoplasm', text: 'Neoplasm, skin NOS, ca in situ', path: ['Neoplasm', 'skin NOS', 'ca in situ'] },
  { code: 'S93.491A', kind: 'index', text: 'Sprain, ankle, talofibular ligament', path: ['Sprain', 'ankle', 'talofibular ligament'], modifiers: ['', '', ''] },
  { code: 'R65.20', kind: 'index', text: 'Sepsis, with organ dysfunction', path: ['Sepsis', 'with organ dysfunction'], modifiers: ['', ''] },
  { code: 'D50.0', kind: 'index', text: 'Anemia, iron deficiency, secondary to blood loss', path: ['Anemia', 'iron deficiency', 'secondary to blood loss'], modifiers: ['', '', '(chronic)'] },
  { code: 'S72.009A', kind: 'index', text: 'Fracture, traumatic, femur, upper end, neck', path: ['Fracture, traumatic', 'femur', 'upper end', 'neck'], modifiers: ['', '', '', ''] },
  { code: 'T78.01XA', kind: 'index', text: 'Anaphylaxis, due to food, peanuts', path: ['Anaphylaxis', 'due to food', 'peanuts'], modifiers: ['', '', ''] },
  { code: 'Q40.0', kind: 'index', text: 'Stenosis, stenotic, pylorus, infantile', path: ['Stenosis, stenotic', 'pylorus', 'infantile'], modifiers: ['', '', ''] },
  { code: 'I25.2', kind: 'index', text: 'History, personal, myocardial infarction', path: ['History', 'personal', 'myocardial infarction'], modifiers: ['', '(of)', '(old)'] },
  { code: 'N39.0', kind: 'index', text: 'Infection, infected, infective, urinary', path: ['Infection, infected, infective', 'urinary'], modifiers: ['(opportunistic)', '(tract)'] },
  { code: 'I10', kind: 'index', text: 'Hypertension, hypertensive', path: ['Hypertension, hypertensive'], modifiers: ['(accelerated) (benign) (essential)'] },
  { code: 'I27.20', kind: 'index', text: 'Hypertension, hypertensive, pulmonary', path: ['Hypertension, hypertensive', 'pulmonary'], modifiers: ['', ''] },
  { code: 'C50.919', kind: 'index', text: 'Cancer, breast', path: ['Cancer', 'breast'], modifiers: ['', ''] },
  { code: 'E11.9', kind: 'index', text: 'Diabetes, diabetic, type 2', path: ['Diabetes, diabetic', 'type 2'], modifiers: ['(mellitus) (sugar)', ''] },
  { code: 'E11.65', kind: 'index', text: 'Diabetes, diabetic, type 2, with hyperglycemia', path: ['Diabetes, diabetic', 'type 2', 'with', 'hyperglycemia'], modifiers: ['(mellitus) (sugar)', '', '', ''] },
  { code: 'N20.0', kind: 'index', text: 'Calculus, kidney', path: ['Calculus, calculi, calculous', 'kidney'], modifiers: ['', ''] },
  { code: 'R52', kind: 'index', text: 'Pain(s)', path: ['Pain(s)'], modifiers: [''] },
  { code: 'R10.9', kind: 'index', text: 'Pain, abdominal', path: ['Pain(s)', 'abdominal'], modifiers: ['', ''] },
  { code: 'J44.9', kind: 'index', text: 'Disease, lung, obstructive', path: ['Disease', 'lung', 'obstructive'], modifiers: ['', '', '(chronic)'] },
  { code: 'I50.31', kind: 'index', text: 'Failure, heart, diastolic, acute', path: ['Failure', 'heart', 'diastolic', 'acute'], modifiers: ['', '', '', ''] },
  { code: 'I50.33', kind: 'index', text: 'Failure, heart, diastolic, acute on chronic', path: ['Failure', 'heart', 'diastolic', 'acute on chronic'], modifiers: ['', '', '', ''] },
  { code: 'F23', kind: 'index', text: 'Episode, psychotic', path: ['Episode', 'psychotic'], modifiers: ['', ''] },
  { code: 'A04.72', kind: 'index', text: 'Colitis, Clostridioides difficile, not specified as recurrent', path: ['Colitis', 'Clostridioides difficile', 'not specified as recurrent'], modifiers: ['', '', ''] },
  { code: 'A04.71', kind: 'index', text: 'Colitis, Clostridioides difficile, recurrent', path: ['Colitis', 'Clostridioides difficile', 'recurrent'], modifiers: ['', '', ''] },
  { code: 'D50.9', kind: 'index', text: 'Anemia, deficiency, iron', path: ['Anemia', 'deficiency', 'iron'], modifiers: ['', '', ''] },
  { code: 'N17.0', kind: 'index', text: 'Shock, kidney', path: ['Shock', 'kidney'], modifiers: ['', ''] },
  { code: 'N17.9', kind: 'index', text: 'Injury, kidney, acute', path: ['Injury', 'kidney', 'acute'], modifiers: ['', '', '(nontraumatic)'] },
  { code: 'J15.4', kind: 'index', text: 'Pneumonia, due to, Streptococcus', path: ['Pneumonia', 'due to', 'Streptococcus'], modifiers: ['', '', ''] },
  { code: 'Z53.9', kind: 'index', text: 'Procedure (surgical), not done', path: ['Procedure (surgical)', 'not done'], modifiers: ['', ''] },
  { code: 'P91.60', kind: 'index', text: 'Encephalopathy, hypoxic ischemic', path: ['Encephalopathy', 'hypoxic ischemic'], modifiers: ['', ''] },
  { code: 'F32.2', kind: 'index', text: 'Episode, depressive, major, severe (without psychotic symptoms)', path: ['Episode', 'depressive', 'major', 'severe (without psychotic symptoms)'], modifiers: ['', '', '', ''] },
];
const kb = buildKnowledge('test', CODES, [], TERMS);
const codesOf = (text: string, setting: 'inpatient' | 'outpatient' = 'outpatient') => {
  const { candidates } = generateCandidates(text, kb);
  return applyRules(candidates.map((c) => ({ ...c, confidence: 0.9 })), setting, kb).kept.map((c) => c.code).sort();
};

describe('candidates from hand-written sentences', () => {
  it('"Gastroenteritis — see also Enteritis": a compound reads its base condition\'s subterms ("norovirus gastroenteritis" is A08.11)', () => {
    expect(codesOf('1. Acute norovirus gastroenteritis.')).toContain('A08.11');
  });

  it('a term that says "NOS" skips no word another reading of its category takes: "Acute saddle pulmonary embolism" is I26.92 only', () => {
    expect(codesOf('Principal diagnosis: Acute saddle pulmonary embolism.')).toEqual(['I26.92']);
  });

  it('"flexural" after a comma qualifies its item: "Atopic dermatitis, flexural (antecubital), flare" reads L20.82', () => {
    expect(codesOf('2. Atopic dermatitis, flexural (antecubital and popliteal fossae), flare - triamcinolone.')).toContain('L20.82');
  });

  it('"squamous cell carcinoma in situ of skin" is the in-situ column (D04.9), not the malignant one past "in situ" (C44.92)', () => {
    expect(codesOf('1. Squamous cell carcinoma in situ of skin, left forearm.')).toEqual(['D04.9']);
    expect(codesOf('1. Squamous cell carcinoma of skin, left forearm.')).toEqual(['C44.92']);
  });

  it('a side of the body after a comma qualifies its item: "Right ankle sprain, anterior talofibular ligament, grade II" reads the ligament', () => {
    expect(codesOf('1. Right ankle sprain, anterior talofibular ligament, grade II, initial visit - RICE.')).toContain('S93.491A');
  });

  it('adrenal insufficiency is the cortex\'s, and "drug-induced" after a comma qualifies it: E27.3', () => {
    expect(codesOf('1. Secondary adrenal insufficiency, drug-induced, due to prolonged prednisone therapy, improving.')).toContain('E27.3');
  });

  it('"current episode" after a comma qualifies its item; a reading past the type numeral ("Bipolar II") is not the type\'s sibling', () => {
    expect(codesOf('1. Bipolar I disorder, current episode depressed, moderate, without psychotic features.')).toEqual(['F31.32']);
    expect(codesOf('1. Bipolar II disorder, current episode depressed, moderate.')).toEqual(['F31.81']);
  });

  it('a title\'s "with X" is not read where the sentence denies X, its own "without" aside', () => {
    expect(codesOf("Parkinson's disease without dyskinesia or fluctuations.")).not.toContain('G20.A2');
    expect(codesOf("Parkinson's disease without dyskinesia, with fluctuations.")).toContain('G20.A2');
    expect(codesOf('Type 2 diabetes mellitus with ketoacidosis without coma.')).toContain('E11.10');
  });

  it('a word the note denies makes no match: "single episode, severe without psychotic features" is not F23 "Episode, psychotic"', () => {
    expect(codesOf('Major depressive disorder, single episode, severe without psychotic features.')).toEqual(['F32.2']);
    expect(codesOf('Brief psychotic episode.')).toEqual(['F23']);
  });

  it('"History of MI." → I25.2, not I21.x (abbreviation expanded, history path matched)', () => {
    expect(codesOf('History of MI.')).toEqual(['I25.2']);
  });

  it('"Family history of breast cancer." → no C50.x', () => {
    expect(codesOf('Family history of breast cancer.')).toEqual([]);
  });

  it('"Urinary tract infection" meets "Infection, urinary (tract)" in any word order, with the exact span', () => {
    const { candidates } = generateCandidates('Assessment: urinary tract infection, improving.', kb);
    expect(candidates.map((c) => [c.code, c.mentions[0]!.span])).toEqual([['N39.0', { start: 12, end: 35, quote: 'urinary tract infection' }]]);
  });

  it('"acute on chronic diastolic heart failure" → I50.33 only: the reading of fewer of the same words (I50.31, acute) is dropped', () => {
    expect(codesOf('Acute on chronic diastolic heart failure.')).toEqual(['I50.33']);
  });

  it('"T2DM with hyperglycemia" → E11.65, and the less specific E11.9 from the same words is dropped', () => {
    expect(codesOf('Pt with T2DM with hyperglycemia.')).toEqual(['E11.65']);
  });

  it('a list comma separates findings: "pulmonary disease, hypertension and diabetes" is not pulmonary hypertension', () => {
    expect(codesOf('History of chronic pulmonary disease, hypertension and hypercholesterolemia.')).toEqual(['I10']);
  });

  it('"kidney lithiasis" meets "Calculus, kidney" through the Index\'s own "Lithiasis — see Calculus"', () => {
    expect(generateCandidates('Left kidney lithiasis.', kb).candidates.map((c) => c.code)).toEqual(['N20.0']);
  });

  it('"left lower extremity cellulitis" meets "Cellulitis of left lower limb" through the Index\'s "Extremity — see condition, limb"', () => {
    expect(generateCandidates('Left lower extremity cellulitis.', kb).candidates.map((c) => c.code)).toEqual(['L03.116']);
  });

  it('"femoral neck fracture" meets "Fracture, femur, upper end, neck": the end of the bone is implied by the neck', () => {
    expect(generateCandidates('Displaced left femoral neck fracture.', kb).candidates.map((c) => c.code)).toEqual(['S72.009A']);
  });

  it('"infantile hypertrophic pyloric stenosis" meets "Stenosis, pylorus, infantile": the organ\'s adjective reads as its site', () => {
    expect(generateCandidates('Infantile hypertrophic pyloric stenosis.', kb).candidates.map((c) => c.code)).toContain('Q40.0');
  });

  it('"anaphylaxis due to peanut ingestion" meets "Anaphylaxis, due to food, peanuts": the food is named by the level below', () => {
    expect(generateCandidates('Anaphylaxis due to peanut ingestion.', kb).candidates.map((c) => c.code)).toContain('T78.01XA');
  });

  it('a word the note negates inside a match is not the term\'s: "kidney injury (no septic shock)" is no "Shock, kidney" (N17.0)', () => {
    const codes = (text: string) => generateCandidates(text, kb).candidates.map((c) => c.code);
    expect(codes('Sepsis-associated kidney injury (no septic shock).')).not.toContain('N17.0');
    expect(codes('Shock kidney after the arrest.')).toContain('N17.0');
    // Anywhere within five words before the next matched word, with none of the match's words between.
    expect(codes('Sepsis due to group A streptococcus, without septic shock or acute organ dysfunction.')).not.toContain('R65.20');
    expect(codes('Sepsis with acute organ dysfunction.')).toContain('R65.20');
  });

  it('a term\'s "secondary to" is the note\'s "due to": "iron deficiency anemia due to chronic blood loss" is D50.0', () => {
    expect(generateCandidates('Iron deficiency anemia due to chronic blood loss.', kb).candidates.map((c) => c.code)).toContain('D50.0');
  });

  it('keeps "pain" inside "abdominal pain" as a candidate of its own, marked as subsumed', () => {
    const { candidates } = generateCandidates('Abdominal pain.', kb);
    expect(candidates.map((c) => [c.code, c.mentions.every((m) => m.subsumed)]).sort()).toEqual([['R10.9', false], ['R52', true]]);
  });

  it('"75-year-old" is an age, not a finding', () => {
    const { candidates } = generateCandidates('A 75-year-old man with hypertension.', kb);
    expect(candidates.map((c) => c.code)).toEqual(['I10']);
  });

  it('"No evidence of pneumonia" and "Denies chest pain" leave nothing to code', () => {
    expect(codesOf('Denies hypertension. No evidence of diabetes type 2.')).toEqual([]);
  });

  it('a morphology the Index codes itself is not read through the Neoplasm Table: "malignant melanoma of the R upper arm" is C43, not C76.41 (ed-11 had Z85.89)', () => {
    const codes = (text: string) => generateCandidates(text, kb).candidates.map((c) => c.code).sort();
    expect(codes('Malignant melanoma of the R upper arm.')).toEqual(['C43.9']);
    expect(codes('Malignant tumor of the R upper arm.')).toEqual(['C76.41']);
    // The secondary column is read from the metastasis, whatever its morphology.
    expect(codes('Metastasis of cutaneous melanoma in the small intestine.')).toEqual(['C43.9', 'C78.4']);
  });

  it('an abbreviation read whole lends none of its words to another reading: "NSTEMI (presumed plaque rupture)" is I21.4, not also a myocardial rupture I23.3', () => {
    const codes = (text: string) => generateCandidates(text, kb).candidates.map((c) => c.code).sort();
    expect(codes('NSTEMI (presumed plaque rupture).')).toContain('I21.4');
    expect(codes('NSTEMI (presumed plaque rupture).')).not.toContain('I23.3');
    expect(codes('Myocardial rupture after the NSTEMI.')).toEqual(expect.arrayContaining(['I21.4', 'I23.3']));
  });

  it('"non-" says the opposite of the word after it, and an expansion read without its first word is borrowed: "type 1 NSTEMI - inferolateral ST depressions" is no STEMI (I21.3); "non-smoker, no cigarettes" no F17.210', () => {
    const codes = (text: string) => generateCandidates(text, kb).candidates.map((c) => c.code).sort();
    expect(codes('NSTEMI, type 1 - inferolateral ST depressions.')).not.toContain('I21.3');
    expect(codes('Type 1 ST elevation myocardial infarction.')).toContain('I21.3');
    expect(codes('Non-smoker of cigarettes.')).not.toContain('F17.210');
    expect(codes('Smoker, cigarettes.')).toContain('F17.210');
  });

  it('a cue word leading a leftover phrase scopes over it: "not hypoxic at rest" is retrieved as a negated "hypoxic"', () => {
    const { phrases } = generateCandidates('Hemodynamically stable, not hypoxic at rest.', kb);
    expect(phrases.map((p) => [p.text, p.span.quote, p.context.negated])).toEqual([['hypoxic', 'hypoxic', true]]);
  });

  it('a trailing cue word is no part of a leftover phrase: "… episodes not documented" leaves "Hypoxic episodes", not "… not" (which read as a finding: "stool studies not" gave K92.1)', () => {
    const { phrases } = generateCandidates('Hypoxic episodes not documented since admission.', kb);
    expect(phrases.map((p) => [p.text, p.span.quote])).toEqual([['Hypoxic episodes', 'Hypoxic episodes']]);
  });

  it('a match does not join words across "secondary to": "AKI secondary to septic shock" is N17.9, not "Shock, kidney" N17.0', () => {
    expect(codesOf('AKI secondary to septic shock.')).toEqual(['N17.9']);
    // A term that reads across the link itself still matches, as does "A due to B" read as the Index's "A, B".
    expect(codesOf('Pneumonia due to Streptococcus.')).toEqual(['J15.4']);
    expect(codesOf('Anemia due to iron deficiency.')).toEqual(['D50.9']);
  });

  it('an Index level "not specified as recurrent" is the default reading, ruled out by the word: "C. diff colitis" A04.72, "recurrent C. diff colitis" A04.71', () => {
    expect(codesOf('C. diff colitis, initial episode.')).toEqual(['A04.72']);
    expect(codesOf('Recurrent C. diff colitis.')).toEqual(['A04.71']);
  });
});

describe('an acronym the term writes in capitals', () => {
  const aids = buildKnowledge('test', [{ code: 'B20', billable: true, title: 'Human immunodeficiency virus [HIV] disease', parent: null }], [], [{ code: 'B20', kind: 'index', text: 'AIDS', path: ['AIDS'] }]);
  const found = (text: string) => generateCandidates(text, aids).candidates.map((c) => c.code);
  it('is read only where the note writes it in capitals: "AIDS" is B20, "hearing aids" and "an OTC sleep aid" are not', () => {
    expect(found('History of AIDS, on antiretroviral therapy.')).toEqual(['B20']);
    expect(found('Bilateral hearing loss; wears hearing aids.')).toEqual([]);
    expect(found('Took an OTC sleep aid last night.')).toEqual([]);
  });
});
