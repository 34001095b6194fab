import { describe, expect, it } from 'vitest';
import { completionStems, type Candidate, type CandidateMention } from './candidates.ts';
import { buildKnowledge, type CodeInfo } from './knowledge.ts';
import { applyRules, namesCode } from './rules.ts';
import { completeCode } from './specificity.ts';
import { tokenize } from './tokens.ts';
import { stemWord } from '../index/lexical-score.ts';

// A hand-made slice of ICD-10-CM FY2026 (titles and notes as in the official files).
const CODES: CodeInfo[] = [
  { code: 'S72', billable: false, title: 'Fracture of femur', parent: null },
  { code: 'S72.9', billable: false, title: 'Unspecified fracture of femur', parent: 'S72' },
  { code: 'S72.90', billable: false, title: 'Unspecified fracture of unspecified femur', parent: 'S72.9' },
  { code: 'S72.90XA', billable: true, title: 'Unspecified fracture of unspecified femur, initial encounter for closed fracture', parent: 'S72.90' },
  { code: 'S72.91', billable: false, title: 'Unspecified fracture of right femur', parent: 'S72.9' },
  { code: 'S72.91XA', billable: true, title: 'Unspecified fracture of right femur, initial encounter for closed fracture', parent: 'S72.91' },
  { code: 'S72.92', billable: false, title: 'Unspecified fracture of left femur', parent: 'S72.9' },
  { code: 'S72.92XA', billable: true, title: 'Unspecified fracture of left femur, initial encounter for closed fracture', parent: 'S72.92' },
  { code: 'S72.92XD', billable: true, title: 'Unspecified fracture of left femur, subsequent encounter for closed fracture with routine healing', parent: 'S72.92' },
  { code: 'E10', billable: false, title: 'Type 1 diabetes mellitus', parent: null },
  { code: 'E10.9', billable: true, title: 'Type 1 diabetes mellitus without complications', parent: 'E10' },
  { code: 'E11', billable: false, title: 'Type 2 diabetes mellitus', parent: null },
  { code: 'E11.9', billable: true, title: 'Type 2 diabetes mellitus without complications', parent: 'E11' },
  { code: 'E11.A', billable: true, title: 'Type 2 diabetes mellitus without complications in remission', parent: 'E11' },
  { code: 'E03', billable: false, title: 'Other hypothyroidism', parent: null },
  { code: 'E03.9', billable: true, title: 'Hypothyroidism, unspecified', parent: 'E03' },
  { code: 'E89.0', billable: true, title: 'Postprocedural hypothyroidism', parent: null },
  { code: 'I10', billable: true, title: 'Essential (primary) hypertension', parent: null },
  { code: 'J18', billable: false, title: 'Pneumonia, unspecified organism', parent: null },
  { code: 'J18.9', billable: true, title: 'Pneumonia, unspecified organism', parent: 'J18' },
  { code: 'N18.30', billable: true, title: 'Chronic kidney disease, stage 3 unspecified', parent: null },
  { code: 'H33.2', billable: false, title: 'Serous retinal detachment', parent: null },
  { code: 'H33.20', billable: true, title: 'Serous retinal detachment, unspecified eye', parent: 'H33.2' },
  { code: 'H33.21', billable: true, title: 'Serous retinal detachment, right eye', parent: 'H33.2' },
  { code: 'H33.22', billable: true, title: 'Serous retinal detachment, left eye', parent: 'H33.2' },
  { code: 'H25.1', billable: false, title: 'Age-related nuclear cataract', parent: null },
  { code: 'H25.10', billable: true, title: 'Age-related nuclear cataract, unspecified eye', parent: 'H25.1' },
  { code: 'H25.11', billable: true, title: 'Age-related nuclear cataract, right eye', parent: 'H25.1' },
  { code: 'H25.13', billable: true, title: 'Age-related nuclear cataract, bilateral', parent: 'H25.1' },
  { code: 'K55.2', billable: false, title: 'Angiodysplasia of colon', parent: null },
  { code: 'K55.20', billable: true, title: 'Angiodysplasia of colon without hemorrhage', parent: 'K55.2' },
  { code: 'K55.21', billable: true, title: 'Angiodysplasia of colon with hemorrhage', parent: 'K55.2' },
  { code: 'K85.2', billable: false, title: 'Alcohol induced acute pancreatitis', parent: null },
  { code: 'K85.20', billable: true, title: 'Alcohol induced acute pancreatitis without necrosis or infection', parent: 'K85.2' },
  { code: 'K85.21', billable: true, title: 'Alcohol induced acute pancreatitis with uninfected necrosis', parent: 'K85.2' },
  { code: 'K85.22', billable: true, title: 'Alcohol induced acute pancreatitis with infected necrosis', parent: 'K85.2' },
  { code: 'G43.00', billable: false, title: 'Migraine without aura, not intractable', parent: null },
  { code: 'G43.001', billable: true, title: 'Migraine without aura, not intractable, with status migrainosus', parent: 'G43.00' },
  { code: 'G43.009', billable: true, title: 'Migraine without aura, not intractable, without status migrainosus', parent: 'G43.00' },
  { code: 'O72', billable: false, title: 'Postpartum hemorrhage', parent: null },
  { code: 'O72.0', billable: true, title: 'Third-stage hemorrhage', parent: 'O72' },
  { code: 'O72.1', billable: true, title: 'Other immediate postpartum hemorrhage', parent: 'O72' },
  { code: 'O72.2', billable: true, title: 'Delayed and secondary postpartum hemorrhage', parent: 'O72' },
  { code: 'O72.3', billable: true, title: 'Postpartum coagulation defects', parent: 'O72' },
  { code: 'G30.1', billable: true, title: "Alzheimer's disease with late onset", parent: null },
  { code: 'F03.A2', billable: true, title: 'Unspecified dementia, mild, with psychotic disturbance', parent: null },
  { code: 'F03.90', billable: true, title: 'Unspecified dementia, unspecified severity, without behavioral disturbance, psychotic disturbance, mood disturbance, and anxiety', parent: null },
  { code: 'I50.2', billable: false, title: 'Systolic (congestive) heart failure', parent: null },
  { code: 'I50.20', billable: true, title: 'Unspecified systolic (congestive) heart failure', parent: 'I50.2' },
  { code: 'I50.21', billable: true, title: 'Acute systolic (congestive) heart failure', parent: 'I50.2' },
  { code: 'I50.22', billable: true, title: 'Chronic systolic (congestive) heart failure', parent: 'I50.2' },
  { code: 'I50.23', billable: true, title: 'Acute on chronic systolic (congestive) heart failure', parent: 'I50.2' },
  { code: 'N30.01', billable: true, title: 'Acute cystitis with hematuria', parent: null },
  { code: 'N30.41', billable: true, title: 'Irradiation cystitis with hematuria', parent: null },
  { code: 'D51.0', billable: true, title: 'Vitamin B12 deficiency anemia due to intrinsic factor deficiency', parent: null },
  { code: 'E53.8', billable: true, title: 'Deficiency of other specified B group vitamins', parent: null },
];
const NOTES = [
  { code: 'E11', kind: 'excludes1', text: 'type 1 diabetes mellitus (E10.-)' },
  { code: 'E03', kind: 'excludes1', text: 'postprocedural hypothyroidism (E89.0)' },
  { code: 'G30.1', kind: 'excludes1', text: 'senile dementia NOS (F03)' },
  { code: 'N30.01', kind: 'excludes1', text: 'irradiation cystitis (N30.4-)' },
  { code: 'D51.0', kind: 'excludes1', text: 'vitamin B12 deficiency (E53.8)' },
  { code: 'E11', kind: 'use_additional', text: 'code to identify control using: insulin (Z79.4)' },
];
const kb = buildKnowledge('test', CODES, NOTES, []);
const stems = (text: string) => new Set(tokenize(text).map((t) => t.stem));

const ctx = (over: Partial<CandidateMention['context']> = {}) => ({ negated: false, uncertain: false, historical: false, family: false, hypothetical: false, ...over });
function candidate(code: string, confidence: number, context = ctx(), span = { start: 0, end: 4 }): Candidate & { confidence: number } {
  const mention: CandidateMention = {
    span: { ...span, quote: 'text' },
    sentenceIndex: 0,
    section: 'assessment',
    context,
    termText: code,
    termKind: 'index',
    subsumed: false,
    termCode: code,
    size: 2,
    gaps: 0,
    optionalHits: 0,
  };
  return { code, kind: 'final', mentions: [mention], rules: [], confidence };
}

describe('completeCode (most specific billable code the sentence supports)', () => {
  it('completes an Index header with the documented laterality and the default 7th character, flagged', () => {
    const c = completeCode(kb, 'S72.9', stems('Fracture of the left femur after a fall.'));
    expect(c?.code).toBe('S72.92XA');
    expect(c?.rules.map((r) => r.rule)).toEqual(['completed_to_billable', 'seventh_char_assumed']);
  });

  it('falls back to the unspecified code when the sentence says nothing more (OCG I.B.18)', () => {
    expect(completeCode(kb, 'S72.9', stems('Femur fracture.'))?.code).toBe('S72.90XA');
  });

  it('takes the "unspecified eye" default, and the documented side over it', () => {
    expect(completeCode(kb, 'H33.2', stems('Serous retinal detachment.'))?.code).toBe('H33.20');
    expect(completeCode(kb, 'H33.2', stems('Serous retinal detachment of the left eye.'))?.code).toBe('H33.22');
  });

  it('"Acute on chronic" is met by the phrase, not by an "acute" and a "chronic" said of two conditions; a hyphenated denial denies each word', () => {
    const complete = (sentence: string) => completeCode(kb, 'I50.2', completionStems(sentence, tokenize(sentence)))?.code;
    expect(complete('Acute systolic heart failure, new onset, due to hypertensive heart and chronic kidney disease.')).toBe('I50.21');
    expect(complete('Acute on chronic systolic heart failure.')).toBe('I50.23');
    expect(complete('Acute exacerbation of chronic systolic heart failure.')).toBe('I50.23');
    expect(complete('New systolic heart failure - this is not an acute-on-chronic presentation; chronic cough.')).not.toBe('I50.23');
  });

  it('a denied abbreviation denies its head word read out: "no prior DKA admission" denies ketoacidosis; "no CKD" not "kidney"', () => {
    const read = (sentence: string) => completionStems(sentence, tokenize(sentence));
    expect(read('PMH: T1DM, no prior DKA admission in 4 yrs.').has(`without:${stemWord('ketoacidosis')}`)).toBe(true);
    expect(read('Albuminuria A2 with a normal eGFR, so no CKD staging by eGFR.').has(`without:${stemWord('kidney')}`)).toBe(false);
  });

  it('a loss of consciousness of a few minutes or seconds meets a title\'s "of 30 minutes or less" (S06.0X1A)', () => {
    const read = (sentence: string) => completionStems(sentence, tokenize(sentence));
    expect(read('Concussion with loss of consciousness, about 2 minutes.').has(stemWord('less'))).toBe(true);
    expect(read('Concussion with brief LOC (~20 seconds).').has(stemWord('less'))).toBe(true);
    expect(read('Concussion with LOC for 45 minutes.').has(stemWord('less'))).toBe(false);
  });

  it('"TM intact", "perineum intact" deny a rupture, perforation or tear (H66.002, not H66.012 *…with spontaneous rupture of ear drum*)', () => {
    for (const sentence of ['Acute suppurative otitis media, left ear, TM intact.', 'Perineum intact after delivery.']) {
      const read = completionStems(sentence, tokenize(sentence));
      expect(['rupture', 'perforation', 'tear', 'laceration'].every((w) => read.has(`without:${stemWord(w)}`))).toBe(true);
    }
    const ruptured = 'Acute suppurative otitis media with spontaneous rupture of the ear drum; skin of the canal not intact.';
    expect(completionStems(ruptured, tokenize(ruptured)).has(`without:${stemWord('rupture')}`)).toBe(false);
  });

  it('"both eyes" on a title read as "…, unspecified eye" is its "…, bilateral" sibling (H25.10 → H25.13)', () => {
    const both = 'Age-related nuclear cataract, both eyes.';
    expect(completeCode(kb, 'H25.10', completionStems(both, tokenize(both)))?.code).toBe('H25.13');
    expect(completeCode(kb, 'H25.10', stems('Age-related nuclear cataract, right eye.'))?.code).toBe('H25.11');
  });

  it('reads "without hemorrhage" as the default, and bleeding (the Index synonym) as "with hemorrhage"', () => {
    expect(completeCode(kb, 'K55.2', stems('Angiodysplasia of the colon.'))?.code).toBe('K55.20');
    expect(completeCode(kb, 'K55.2', new Set([...stems('Angiodysplasia of the colon with hemorrhage.')]))?.code).toBe('K55.21');
  });

  it('reads "postsurgical" as the Index\'s postprocedural', () => {
    const sentence = 'Postsurgical hypoparathyroidism.';
    expect(completionStems(sentence, tokenize(sentence)).has(stemWord('postprocedural'))).toBe(true);
  });

  it('an abbreviation denied on its own denies its expansion\'s words ("no LUTS complaints": lower urinary tract symptoms); one qualifying a further word does not ("no CKD stage assigned")', () => {
    const luts = 'BPH - stable on tamsulosin, no LUTS complaints.';
    expect(completionStems(luts, tokenize(luts)).has(`without:${stemWord('symptoms')}`)).toBe(true);
    const ckd = 'Albuminuria; no CKD stage assigned.';
    expect(completionStems(ckd, tokenize(ckd)).has(`without:${stemWord('kidney')}`)).toBe(false);
  });

  it('reads "postablative" as the Index\'s postprocedural', () => {
    const sentence = 'Postablative hypothyroidism.';
    expect(completionStems(sentence, tokenize(sentence)).has(stemWord('postprocedural'))).toBe(true);
  });

  it('reads "microperforation" as the Index\'s perforation', () => {
    const sentence = 'Acute sigmoid diverticulitis with microperforation.';
    expect(completionStems(sentence, tokenize(sentence)).has(stemWord('perforation'))).toBe(true);
  });

  it('reads "hypoxic" and "hypercapnic" as the titles\' "with hypoxia" / "with hypercapnia", so no leftover adjective is left for retrieval', () => {
    const sentence = 'Acute hypoxic and hypercapnic respiratory failure.';
    const read = completionStems(sentence, tokenize(sentence));
    expect(read.has(stemWord('hypoxia'))).toBe(true);
    expect(read.has(stemWord('hypercapnia'))).toBe(true);
  });

  it('reads "routine healing", "nonunion" as the titles\' "subsequent encounter for fracture with …" (OCG I.C.19.a)', () => {
    const sentence = 'Age-related osteoporosis with pathologic L1 vertebral fracture, routine healing.';
    expect(completionStems(sentence, tokenize(sentence)).has(stemWord('subsequent'))).toBe(true);
    const initial = 'Age-related osteoporosis with pathologic L1 vertebral fracture.';
    expect(completionStems(initial, tokenize(initial)).has(stemWord('subsequent'))).toBe(false);
  });

  it('reads "tophaceous" as the titles\' "with tophus (tophi)"', () => {
    const sentence = 'Idiopathic chronic tophaceous gout, left ankle and foot.';
    expect(completionStems(sentence, tokenize(sentence)).has(stemWord('tophus'))).toBe(true);
  });

  it('reads the adjective "hemorrhagic" as the Index\'s "with hemorrhage"', () => {
    const sentence = 'Hemorrhagic angiodysplasia of the colon.';
    expect(completeCode(kb, 'K55.2', completionStems(sentence, tokenize(sentence)))?.code).toBe('K55.21');
  });

  it('a word the sentence denies ("no acute exacerbation") supports no code: chronic HFrEF, compensated, is I50.22, not I50.23', () => {
    const sentence = 'Chronic systolic heart failure (HFrEF), compensated - no acute exacerbation this admission.';
    const denied = completionStems(sentence, tokenize(sentence));
    expect(completeCode(kb, 'I50.2', denied)?.code).toBe('I50.22');
    // The title's own "without" words are met by the sentence's denial.
    const pancreatitis = 'Acute pancreatitis, alcohol-induced, without necrosis or infection.';
    expect(completeCode(kb, 'K85.2', completionStems(pancreatitis, tokenize(pancreatitis)))?.code).toBe('K85.20');
    const exacerbation = 'Acute on chronic systolic heart failure.';
    expect(completeCode(kb, 'I50.2', completionStems(exacerbation, tokenize(exacerbation)))?.code).toBe('I50.23');
  });

  it('gives each call its own answer: a remembered completion neither leaks to another sentence nor is shared', () => {
    const first = completeCode(kb, 'S72.9', stems('Fracture of the right femur, pain severe, after a fall at home.'));
    expect(first?.code).toBe('S72.91XA');
    first!.rules.push({ rule: 'caller_added', detail: 'mutated by a caller' });
    // Words no title of the header uses ("pain", "home") do not change the answer, and the caller's edit is not in it.
    const again = completeCode(kb, 'S72.9', stems('Right femur fracture.'));
    expect(again?.code).toBe('S72.91XA');
    expect(again?.rules.map((r) => r.rule)).toEqual(['completed_to_billable', 'seventh_char_assumed']);
    expect(completeCode(kb, 'S72.9', stems('Left femur fracture.'))?.code).toBe('S72.92XA');
  });

  it('judges the default on what a code adds to its header: "Migraine without aura, not intractable" is G43.009 (without status migrainosus), not G43.001', () => {
    const sentence = 'Migraine without aura, not intractable.';
    expect(completeCode(kb, 'G43.00', completionStems(sentence, tokenize(sentence)))?.code).toBe('G43.009');
    const status = 'Migraine without aura, not intractable, with status migrainosus.';
    expect(completeCode(kb, 'G43.00', completionStems(status, tokenize(status)))?.code).toBe('G43.001');
  });

  it('"Other" leading a title is no word the note must say once another word supports it: "immediate postpartum hemorrhage" is O72.1', () => {
    expect(completeCode(kb, 'O72', stems('Immediate postpartum hemorrhage due to uterine atony.'))?.code).toBe('O72.1');
    // Alone, "other" still counts against: the header stays for the coder.
    expect(completeCode(kb, 'O72', stems('Postpartum hemorrhage.'))?.kind).toBe('needs_specificity');
  });

  it('"in remission" is a state of its own, not part of the title\'s "without complications" default: "T2DM in remission" is E11.A (FY2026)', () => {
    expect(completeCode(kb, 'E11', stems('Type 2 diabetes mellitus in remission, no medications.'))?.code).toBe('E11.A');
    expect(completeCode(kb, 'E11', stems('Type 2 diabetes mellitus.'))?.code).toBe('E11.9');
  });

  it('keeps a billable code as it is', () => {
    expect(completeCode(kb, 'I10', stems('hypertension'))).toEqual({ code: 'I10', kind: 'final', rules: [] });
  });
});

describe('applyRules', () => {
  it('drops negated, family and hypothetical mentions with the reason', () => {
    const { kept, dropped } = applyRules(
      [candidate('J18.9', 0.9, ctx({ negated: true })), candidate('I10', 0.9, ctx({ family: true })), candidate('E11.9', 0.9, ctx({ hypothetical: true }))],
      'inpatient',
      kb,
    );
    expect(kept).toEqual([]);
    expect(dropped.map((d) => d.reason)).toEqual(['negated mention', 'family history mention: not the patient’s condition', 'hypothetical mention']);
  });

  it('drops a leftover phrase\'s reading of a category the note denies in its own words, and only such a reading', () => {
    // "No evidence of sepsis" (J18 stands in for A41 here); "58 y/o M with MRSA" retrieved as a code of the same category.
    const denied = candidate('J18.9', 0.9, ctx({ negated: true }));
    const retrieved = { ...candidate('J18', 0.8), mentions: [{ ...candidate('J18', 0.8).mentions[0]!, termKind: 'search2' }] };
    const { kept, dropped } = applyRules([denied, retrieved], 'professional', kb);
    expect(kept).toEqual([]);
    expect(dropped.map((d) => d.reason)).toContain('a leftover phrase\'s reading of a category the note denies (J18)');
    // Read from the Index, the same code stands: the note names the condition as well as denying it elsewhere.
    expect(applyRules([denied, candidate('J18', 0.8)], 'professional', kb).kept.map((c) => c.code)).toEqual(['J18']);
  });

  it('a code read from the denial and from a leftover phrase elsewhere is denied too: "no hypopituitarism" and "pituitary" retrieved as E23.0', () => {
    const denial = candidate('J18.9', 0.9, ctx({ negated: true })).mentions[0]!;
    const leftover = { ...candidate('J18.9', 0.8).mentions[0]!, termKind: 'search2' };
    const both = { ...candidate('J18.9', 0.9), mentions: [denial, leftover] };
    const { kept, dropped } = applyRules([both], 'professional', kb);
    expect(kept).toEqual([]);
    expect(dropped.map((d) => d.reason)).toEqual(['a leftover phrase\'s reading of a category the note denies (J18)']);
  });

  it('a chronic condition documented only as history stays current, unless the statement says it is not present now', () => {
    const past = candidate('E11.9', 0.9, ctx({ historical: true }));
    const denied = { ...candidate('E11.9', 0.9, ctx({ negated: true })) };
    const both = { ...past, mentions: [...past.mentions, ...denied.mentions] };
    expect(applyRules([both], 'professional', kb).kept).toEqual([]);
    expect(applyRules([past], 'professional', kb).kept.map((c) => c.code)).toEqual(['E11.9']);
  });

  it('codes an uncertain diagnosis for inpatients only (OCG II.H, IV.H)', () => {
    const uncertain = candidate('J18.9', 0.8, ctx({ uncertain: true }));
    const inpatient = applyRules([uncertain], 'inpatient', kb);
    expect(inpatient.kept[0]!.rules.map((r) => r.rule)).toContain('uncertain_coded_as_established');
    expect(inpatient.kept[0]!.confidence).toBeCloseTo(0.68);
    const outpatient = applyRules([candidate('J18.9', 0.8, ctx({ uncertain: true }))], 'outpatient', kb);
    expect(outpatient.kept).toEqual([]);
    expect(outpatient.dropped[0]!.reason).toMatch(/OCG IV.H/);
  });

  it('keeps a chronic condition documented as history, and drops a resolved one', () => {
    const { kept, dropped } = applyRules([candidate('I10', 0.8, ctx({ historical: true })), candidate('J18.9', 0.8, ctx({ historical: true }))], 'outpatient', kb);
    expect(kept.map((k) => k.code)).toEqual(['I10']);
    expect(kept[0]!.rules.map((r) => r.rule)).toEqual(['chronic_condition_in_history']);
    expect(dropped.map((d) => d.code)).toEqual(['J18.9']);
  });

  it('"History of osteoporosis." — a lifelong condition documented as history is still coded (OCG Section III)', () => {
    const { kept } = applyRules([candidate('M81.0', 0.8, ctx({ historical: true }))], 'outpatient', kb);
    expect(kept.map((k) => k.code)).toEqual(['M81.0']);
    expect(kept[0]!.rules.map((r) => r.rule)).toEqual(['chronic_condition_in_history']);
  });

  it('resolves an Excludes1 pair in favour of the more confident code and records it (OCG I.A.12.a)', () => {
    const { kept, dropped } = applyRules([candidate('E89.0', 0.9), candidate('E03.9', 0.5)], 'outpatient', kb);
    expect(kept.map((k) => k.code)).toEqual(['E89.0']);
    expect(kept[0]!.rules[0]).toMatchObject({ rule: 'excludes1' });
    expect(dropped).toEqual([{ code: 'E03.9', reason: 'Excludes1 with E89.0' }]);
  });

  it('the reading kept in the diagnostic statement is as sure as the one it replaces: "Hypothyroidism due to prior neck irradiation" E89.0 over E03.9', () => {
    const specific = { ...candidate('E89.0', 0.3), mentions: [{ ...candidate('E89.0', 0.3).mentions[0]!, size: 3 }] };
    const { kept } = applyRules([candidate('E03.9', 0.9), specific], 'outpatient', kb);
    expect(kept.map((k) => [k.code, k.confidence])).toEqual([['E89.0', 0.9]]);
    // Outside a diagnostic statement (a case report's narrative) it keeps its own.
    const narrative = (c: ReturnType<typeof candidate>) => ({ ...c, mentions: c.mentions.map((m) => ({ ...m, section: 'other' as const })) });
    expect(applyRules([narrative(candidate('E03.9', 0.9)), narrative(specific)], 'outpatient', kb).kept.map((k) => [k.code, k.confidence])).toEqual([['E89.0', 0.3]]);
  });

  it('the reading whose span holds the other\'s inside a longer one wins, as many term words each: "Hypothyroidism after neck irradiation" E89.0 over a more confident E03.9 read from "Hypothyroidism"', () => {
    const at = (code: string, confidence: number, start: number, end: number) => ({ ...candidate(code, confidence), mentions: [{ ...candidate(code, confidence).mentions[0]!, size: 2, span: { start, end, quote: 'x'.repeat(end - start) } }] });
    const { kept, dropped } = applyRules([at('E03.9', 0.9, 0, 15), at('E89.0', 0.4, 0, 37)], 'outpatient', kb);
    expect(kept.map((k) => k.code)).toEqual(['E89.0']);
    expect(dropped).toEqual([{ code: 'E03.9', reason: 'Excludes1 with E89.0' }]);
  });

  it('keeps both codes of an Excludes1 pair documented in different words (OCG I.A.12.a exception)', () => {
    const { kept } = applyRules([candidate('E89.0', 0.9), candidate('E03.9', 0.5, ctx(), { start: 40, end: 52 })], 'outpatient', kb);
    expect(kept.map((k) => k.code).sort()).toEqual(['E03.9', 'E89.0']);
  });

  it('a leftover phrase retrieved in the story is no second condition beside the statement\'s: E03.9 from "Became hypothyroid" goes with E89.0', () => {
    const story = { ...candidate('E03.9', 0.2).mentions[0]!, span: { start: 60, end: 70, quote: 'hypothyroid' }, section: 'hpi' as const, termKind: 'search' };
    const e03 = { ...candidate('E03.9', 0.9), mentions: [...candidate('E03.9', 0.9).mentions, story] };
    const e89 = () => ({ ...candidate('E89.0', 0.5), mentions: [{ ...candidate('E89.0', 0.5).mentions[0]!, size: 4 }] });
    expect(applyRules([e89(), e03], 'outpatient', kb).kept.map((k) => k.code)).toEqual(['E89.0']);
    // The dictionary's own reading there is another mention of the condition, documented apart: both stay.
    const read = { ...e03, mentions: [e03.mentions[0]!, { ...story, termKind: 'index' }] };
    expect(applyRules([e89(), read], 'outpatient', kb).kept.map((k) => k.code).sort()).toEqual(['E03.9', 'E89.0']);
  });

  it('an Excludes1 "senile dementia NOS (F03)" excludes that condition only: Alzheimer\'s disease stays beside "mild dementia with psychotic disturbance"', () => {
    const read = (code: string, quote: string) => ({ ...candidate(code, 0.7), mentions: [{ ...candidate(code, 0.7).mentions[0]!, span: { start: 0, end: quote.length, quote } }] });
    const alzheimer = read('G30.1', "Alzheimer's disease with late onset, mild dementia");
    expect(applyRules([alzheimer, read('F03.A2', 'mild dementia with psychotic disturbance')], 'outpatient', kb).kept.map((k) => k.code).sort()).toEqual(['F03.A2', 'G30.1']);
    expect(applyRules([alzheimer, read('F03.90', 'senile dementia')], 'outpatient', kb).kept.map((k) => k.code)).toHaveLength(1);
  });

  it('a code whose own Excludes1 names the condition the other reading documents goes, though surer: "Acute radiation cystitis with hematuria" is N30.41, not N30.01', () => {
    const read = (code: string, confidence: number, quote: string, termText: string) => ({ ...candidate(code, confidence), mentions: [{ ...candidate(code, confidence).mentions[0]!, termText, span: { start: 0, end: quote.length, quote } }] });
    const { kept } = applyRules([read('N30.01', 0.9, 'Acute radiation cystitis with hematuria', 'Cystitis, acute, with hematuria'), read('N30.41', 0.4, 'radiation cystitis with hematuria', 'Cystitis, radiation, with hematuria')], 'outpatient', kb);
    expect(kept.map((k) => k.code)).toEqual(['N30.41']);
    // Not where the code's own term says the excluded words: "vitamin B12 deficiency anemia" keeps D51.0 over E53.8.
    const b12 = applyRules([read('D51.0', 0.9, 'Vitamin B12 deficiency anemia', 'Anemia, vitamin B12 deficiency'), read('E53.8', 0.4, 'Vitamin B12 deficiency', 'Deficiency, vitamin B12')], 'outpatient', kb);
    expect(b12.kept.map((k) => k.code)).toEqual(['D51.0']);
  });

  it('leaves two diabetes types read from the same words to the diabetes stage, which re-types the type 2 default (OCG I.C.4.a.2)', () => {
    const { kept } = applyRules([candidate('E11.9', 0.9), candidate('E10.9', 0.5)], 'outpatient', kb);
    expect(kept.map((k) => k.code).sort()).toEqual(['E10.9', 'E11.9']);
  });

  it('attaches "use additional code" reminders inherited from the category', () => {
    const { kept } = applyRules([candidate('E11.9', 0.9)], 'outpatient', kb);
    expect(kept[0]!.reminders).toEqual(['Use additional code: code to identify control using: insulin (Z79.4) (E11)']);
  });
});

describe('namesCode', () => {
  it('reads code references, categories with "-" and ranges in note text', () => {
    expect(namesCode('type 1 diabetes mellitus (E10.-)', 'E10.9')).toBe(true);
    expect(namesCode('hypertensive disease (I10-I16)', 'I12.9')).toBe(true);
    expect(namesCode('essential hypertension (I10)', 'I10')).toBe(true);
    // A dotted range: E11.22's "use additional code to identify stage of chronic kidney disease (N18.1-N18.6)".
    expect(namesCode('code to identify stage of chronic kidney disease (N18.1-N18.6)', 'N18.32')).toBe(true);
    expect(namesCode('code to identify stage of chronic kidney disease (N18.1-N18.6)', 'N19')).toBe(false);
    expect(namesCode('type 1 diabetes mellitus (E10.-)', 'E11.9')).toBe(false);
  });
});
