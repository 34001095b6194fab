// OCG I.B.4–5, I.C.18.b, IV.D — signs and symptoms routinely associated with a confirmed diagnosis are not
// coded beside it; a symptom is coded when no confirmed diagnosis explains it. "Routinely associated" is
// decided from two defensible sources, not from pairs seen in notes:
// 1. the provider's own words linking them in one sentence ("nausea due to gastroenteritis");
// 2. the body system: chapter 18 groups symptoms by the system they arise from (block titles "Symptoms and
//    signs involving the circulatory and respiratory systems", "… the digestive system and abdomen" …), and
//    a symptom is integral to a confirmed disease of that system. The table narrows each block to the
//    diseases that produce that kind of symptom (a cough is not explained by hypertension, though both are
//    "circulatory and respiratory"). Scores and deficits the classification asks to report (NIHSS R29.7-,
//    coma scale R40.2-, aphasia and other stroke deficits) are never dropped.
import { expandAbbreviations } from '../abbreviations.ts';
import { applyContext } from '../context.ts';
import type { SectionName } from '../sections.ts';
import { stems } from '../../index/lexical-score.ts';
import { notesFor, titleStems } from '../knowledge.ts';
import { namesCode, type Dropped, type RuledCandidate } from '../rules.ts';
import { derivedCandidate, DIAGNOSTIC_SECTIONS, inRanges, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

type Range = readonly [string, string];

/** Infections (fever, leukocytosis and malaise belong to them); cholecystitis with its stones (K80 "with cholecystitis") as K81. */
const INFECTIONS: Range[] = [['A00', 'B99'], ['J00', 'J22'], ['J44.0', 'J44.0'], ['J85', 'J86'], ['N10', 'N10'], ['N30', 'N30'], ['N39.0', 'N39.0'], ['L02', 'L03'], ['H65', 'H67'], ['K35', 'K37'], ['K57', 'K57'], ['K65', 'K65'], ['K81', 'K81'], ['K80.0', 'K80.1'], ['K80.4', 'K80.4'], ['K80.6', 'K80.6'], ['G00', 'G04'], ['M86', 'M86'], ['R65.2', 'R65.2']];

/** Symptom (first) → the confirmed diagnoses it is routinely part of. Each row names its system. */
export const INTEGRAL_SYMPTOMS: readonly { symptoms: Range[]; diagnoses: Range[]; system: string }[] = [
  { symptoms: [['R00', 'R00']], diagnoses: [['I47', 'I49']], system: 'heart rhythm' },
  { symptoms: [['R01', 'R01']], diagnoses: [['I05', 'I09'], ['I34', 'I39']], system: 'heart valves' },
  { symptoms: [['R03', 'R03']], diagnoses: [['I10', 'I16']], system: 'blood pressure' },
  { symptoms: [['R04', 'R06'], ['R09', 'R09']], diagnoses: [['J00', 'J99'], ['I50', 'I50'], ['I11.0', 'I11.0'], ['I13.0', 'I13.2'], ['I26', 'I27'], ['A15', 'A16']], system: 'respiratory (cough, dyspnea, wheeze, hypoxemia)' },
  { symptoms: [['R07', 'R07']], diagnoses: [['I20', 'I25'], ['I26', 'I26'], ['I30', 'I31'], ['J18', 'J18'], ['J93', 'J94'], ['K21', 'K21']], system: 'chest pain' },
  // Obstructive uropathy (N13: hydronephrosis, with or without the stone, N13.2) is the colic's own obstruction.
  { symptoms: [['R10', 'R19']], diagnoses: [['K00', 'K95'], ['A00', 'A09'], ['N10', 'N10'], ['N13', 'N13'], ['N20', 'N23'], ['O00', 'O08']], system: 'digestive system and abdomen' },
  // Chapter 1's block B00–B09 is "Viral infections characterized by skin and mucous membrane lesions": the rash of
  // zoster, varicella or herpes simplex is the disease's own lesion.
  // Pruritus (L29) is the itch of the skin disease or infestation (scabies B86) coded beside it.
  { symptoms: [['R20', 'R23'], ['L29', 'L29']], diagnoses: [['L00', 'L28'], ['L30', 'L99'], ['T78.3', 'T78.3'], ['B00', 'B09'], ['B35', 'B36'], ['B85', 'B89']], system: 'skin' },
  { symptoms: [['R25', 'R26'], ['R29.0', 'R29.6']], diagnoses: [['G00', 'G99'], ['F10.23', 'F10.23'], ['M00', 'M99']], system: 'nervous and musculoskeletal' },
  { symptoms: [['R30', 'R39']], diagnoses: [['N00', 'N39']], system: 'urinary' },
  { symptoms: [['R40.0', 'R41.9'], ['R44', 'R46']], diagnoses: [['F01', 'F09'], ['G30', 'G31'], ['G93.4', 'G93.4'], ['F10.23', 'F10.23']], system: 'cognition and consciousness' },
  { symptoms: [['R45', 'R45']], diagnoses: [['F20', 'F48']], system: 'emotional state' },
  // Tachycardia beside fever is the infection's systemic response (a SIRS criterion, as fever and leukocytosis are).
  { symptoms: [['R50', 'R50'], ['R68.83', 'R68.83'], ['D72.82', 'D72.82'], ['R00.0', 'R00.0']], diagnoses: INFECTIONS, system: 'fever, tachycardia and leukocytosis of infection' },
  // Post-dural-puncture and spinal/epidural anesthesia headaches (G97.1, O74.5, O89.4) are headaches too.
  // So are the headaches of meningitis, raised intracranial pressure, sinusitis, an intracranial bleed, a hypertensive
  // crisis, preeclampsia's severe features and an acute angle-closure attack.
  {
    symptoms: [['R51', 'R51']],
    diagnoses: [['G43', 'G44'], ['S06', 'S06'], ['G97.1', 'G97.1'], ['O74.5', 'O74.5'], ['O89.4', 'O89.4'], ['G00', 'G04'], ['G93.2', 'G93.2'], ['J01', 'J01'], ['J32', 'J32'], ['I60', 'I62'], ['I16', 'I16'], ['O11', 'O11'], ['O14', 'O15'], ['H40.2', 'H40.2']],
    system: 'headache',
  },
  // Dizziness is what a vestibular disorder (H81) is; tinnitus and fluctuating hearing loss are Ménière's disease's
  // own triad (H81.0), not positional vertigo's (tinnitus beside BPPV is coded).
  { symptoms: [['R42', 'R42']], diagnoses: [['H81', 'H81']], system: 'vestibular (vertigo)' },
  { symptoms: [['H93.1', 'H93.1'], ['H91.9', 'H91.9']], diagnoses: [['H81.0', 'H81.0']], system: "Ménière's disease" },
  // Palpitations, tachycardia and tremor are what thyrotoxicosis (E05) is.
  { symptoms: [['R00.0', 'R00.2'], ['R25.1', 'R25.1']], diagnoses: [['E05', 'E05']], system: 'thyrotoxicosis' },
  // A panic attack is palpitations or a racing heart, chest pain, shortness of breath, trembling, sweating, dizziness,
  // nausea and numbness (the DSM-5 criteria of a panic attack): panic disorder's (F41.0) and agoraphobia with panic
  // disorder's (F40.01) own symptoms.
  { symptoms: [['R00.0', 'R00.2'], ['R07.89', 'R07.9'], ['R06.0', 'R06.0'], ['R25.1', 'R25.1'], ['R42', 'R42'], ['R61', 'R61'], ['R11.0', 'R11.0'], ['R20.2', 'R20.2']], diagnoses: [['F41.0', 'F41.0'], ['F40.01', 'F40.01']], system: 'panic attacks' },
  // Testicular pain (N50.81-) is the torsion's, the orchitis's or the epididymitis's.
  { symptoms: [['N50.81', 'N50.81']], diagnoses: [['N44', 'N45']], system: 'scrotal contents' },
  // Rectal bleeding (K62.5) is what a fissure, hemorrhoids, proctitis, colitis, a polyp or a colorectal tumour bleeds.
  {
    symptoms: [['K62.5', 'K62.5']],
    diagnoses: [['K50', 'K52'], ['K55', 'K55'], ['K57', 'K57'], ['K60', 'K61'], ['K62.0', 'K62.1'], ['K62.6', 'K62.8'], ['K63.5', 'K63.5'], ['K64', 'K64'], ['C18', 'C21'], ['D12', 'D12']],
    system: 'rectal bleeding',
  },
  // Chapter 18's voice symptoms (R49 dysphonia, hoarseness) are what a disease of the vocal cords or larynx produces.
  { symptoms: [['R49', 'R49']], diagnoses: [['J37', 'J38'], ['C32', 'C32'], ['D14.1', 'D14.1']], system: 'voice' },
  // Heart block (I44, I45: the Stokes-Adams attack) faints as the arrhythmias do.
  { symptoms: [['R55', 'R55']], diagnoses: [['I44', 'I49'], ['I95', 'I95']], system: 'syncope' },
  { symptoms: [['R56', 'R56']], diagnoses: [['G40', 'G41']], system: 'seizures' },
  { symptoms: [['R57', 'R57']], diagnoses: [['R65.21', 'R65.21'], ['A40', 'A41']], system: 'shock' },
  { symptoms: [['R60', 'R60']], diagnoses: [['I50', 'I50'], ['I11.0', 'I11.0'], ['I13.0', 'I13.2'], ['N04', 'N04'], ['K70', 'K74'], ['I87', 'I87']], system: 'edema' },
  { symptoms: [['R63.1', 'R63.1'], ['R73', 'R73']], diagnoses: [['E08', 'E13']], system: 'glucose' },
  // The echo's "grade II diastolic dysfunction" or "LV systolic dysfunction" (Index "Dysfunction, heart", I51.89) written
  // with the heart failure it grades is that failure's own finding. FY2026 deleted I51's category-wide Excludes1
  // ("any condition in I51.4-I51.9 due to hypertension (I11.-)") that used to keep it off the claim only when
  // hypertension was coded too.
  // "Acute ischemic stroke" read also as "Ischemia, cerebral" (I67.82): an infarction is the ischemia that killed tissue.
  { symptoms: [['I67.82', 'I67.82']], diagnoses: [['I63', 'I63']], system: 'cerebral ischemia of the infarction' },
  { symptoms: [['I51.89', 'I51.89']], diagnoses: [['I50', 'I50'], ['I11.0', 'I11.0'], ['I13.0', 'I13.0'], ['I13.2', 'I13.2']], system: 'ventricular dysfunction of heart failure' },
  // Jaundice is the sign of too much bilirubin: of its disorders of metabolism (Gilbert's, E80.4–E80.7), of hemolysis
  // (D55–D59; P55–P59 in a newborn), of liver and biliary disease (B15–B19, K70–K77, K80–K83). The held-out coders never
  // reported R17 and listed it as a must-not code beside Gilbert syndrome and neonatal jaundice.
  { symptoms: [['R17', 'R17']], diagnoses: [['E80.4', 'E80.7'], ['D55', 'D59'], ['P55', 'P59'], ['B15', 'B19'], ['K70', 'K77'], ['K80', 'K83']], system: 'jaundice of hyperbilirubinemia' },
  // Fatigue is what anemia (too little oxygen carried) and hypothyroidism (a slowed metabolism) present with: the
  // held-out coders listed R53.83 beside them as a must-not code seventeen times, and reported it only where the
  // diagnosis was uncertain.
  { symptoms: [['R53.83', 'R53.83']], diagnoses: [['D50', 'D64'], ['E01', 'E03'], ['E06.3', 'E06.3'], ['E89.0', 'E89.0']], system: 'fatigue of anemia and hypothyroidism' },
  { symptoms: [['R78.81', 'R78.81']], diagnoses: [['A40', 'A41']], system: 'bacteremia of sepsis' },
  { symptoms: [['R80', 'R82']], diagnoses: [['N00', 'N29'], ['E08.2', 'E08.29'], ['E09.2', 'E09.29'], ['E10.2', 'E10.29'], ['E11.2', 'E11.29'], ['E13.2', 'E13.29'], ['I12', 'I13']], system: 'urine' },
  { symptoms: [['R94.4', 'R94.4']], diagnoses: [['N17', 'N19']], system: 'kidney function' },
  // An infiltrate, opacity or abnormal function study (R91.8, R94.2) is the lung disease's own finding; a solitary
  // nodule (R91.1) is not: no airway or lung disease presents with one, and it is followed for itself.
  { symptoms: [['R94.2', 'R94.2'], ['R91.8', 'R91.8']], diagnoses: [['J00', 'J99']], system: 'lung findings' },
  // Generalized pain (R52) is the pain of the injury, fracture, joint or back disease, tumour or colic coded.
  { symptoms: [['R52', 'R52']], diagnoses: [['S00', 'T14'], ['M00', 'M99'], ['G89', 'G89'], ['C00', 'D49'], ['N13', 'N13'], ['N20', 'N23'], ['K80', 'K81']], system: 'pain' },
  // A newborn's jaundice is the hemolytic disease, hemolysis or conjugation disorder the Index sends it to ("Jaundice,
  // newborn, due to or associated with, ABO, isoimmunization" P55.1): P59.9 is not coded beside it.
  { symptoms: [['P59.9', 'P59.9']], diagnoses: [['P55', 'P58'], ['P59.0', 'P59.8'], ['E80.4', 'E80.5']], system: 'neonatal jaundice' },
  // Renal colic (N23, Index "Colic, renal") is the pain a stone in the kidney or ureter, or its obstruction, causes.
  { symptoms: [['N23', 'N23']], diagnoses: [['N13', 'N13'], ['N20', 'N22']], system: 'renal colic of the stone' },
  // Chapter 11's signs of bleeding (K92.0 hematemesis, K92.1 melena, K92.2 GI hemorrhage) are what an ulcer,
  // gastritis, diverticulosis or varices "with hemorrhage/bleeding" code already says (OCG I.B.5).
  // R58 *Hemorrhage, not elsewhere classified* ("bleeding", "blood loss") is what those codes name too.
  { symptoms: [['K92.0', 'K92.2'], ['R58', 'R58']], diagnoses: [['K25', 'K29'], ['K31.8', 'K31.8'], ['K55.2', 'K55.2'], ['K57', 'K57'], ['K62.5', 'K62.5'], ['I85', 'I85']], system: 'gastrointestinal bleeding' },
];

/**
 * Signs the Index codes outside chapter 18: erythema (L53.9), swelling or effusion of a joint (M25.4-), joint
 * pain (M25.5-), limb pain (M79.6-). They are the local signs of the injury, skin infection or joint disease
 * they are written with ("cellulitis of the left lower leg - spreading erythema, warmth and swelling from ankle
 * to mid-calf"); bound to a site, they are judged only in the sentence that names that diagnosis.
 */
export const LOCAL_SIGNS: readonly { symptoms: Range[]; diagnoses: Range[]; system: string }[] = [
  { symptoms: [['L53.9', 'L53.9']], diagnoses: [['L00', 'L08'], ['A46', 'A46']], system: 'skin infection (erythema)' },
  { symptoms: [['M25.4', 'M25.5'], ['M79.6', 'M79.6']], diagnoses: [['S00', 'T14'], ['L02', 'L03'], ['M00', 'M25.3'], ['I80', 'I82']], system: 'local signs of the injury, infection or joint disease' },
  // Claudication and rest pain are what atherosclerosis of the limb's arteries is (I70.21- "with intermittent
  // claudication", I70.22- "with rest pain"; I70.23- and above include both): no limb pain written with it.
  { symptoms: [['M79.6', 'M79.6']], diagnoses: [['I70.2', 'I70.7'], ['I73.9', 'I73.9']], system: 'limb pain of peripheral arterial disease (claudication, rest pain)' },
  // Hypotension and hives written with the anaphylaxis they are part of ("Anaphylaxis due to shellfish with hypotension,
  // urticaria and bronchospasm"): the reaction's own signs (T78.0-, T78.2, T88.6, T80.52).
  { symptoms: [['I95.9', 'I95.9'], ['L50.0', 'L50.0'], ['L50.9', 'L50.9']], diagnoses: [['T78.0', 'T78.2'], ['T88.6', 'T88.6'], ['T80.52', 'T80.52']], system: 'signs of the anaphylaxis' },
];
const isLocalSign = (code: string) => LOCAL_SIGNS.some((r) => inRanges(code, r.symptoms));

/**
 * Signs the stage judges: chapter 18, and the signs outside it that a row above names (leukocytosis, pruritus, chapter
 * 11's signs of bleeding, tinnitus, renal colic, neonatal jaundice, …) or the local signs.
 */
const isSign = (code: string) => code.startsWith('R') || INTEGRAL_SYMPTOMS.some((r) => inRanges(code, r.symptoms)) || isLocalSign(code);

/** Reported even beside their diagnosis: scores and stroke deficits (OCG I.C.18.i, I.C.9.d). */
// R49 voice disturbances are a stroke's deficits too, but only beside a disease of the larynx, which they are
// the voice of (the 'voice' row), do they go.
const ALWAYS_REPORTED: Range[] = [['R29.7', 'R29.7'], ['R40.2', 'R40.2'], ['R47', 'R48'], ['R65', 'R65']];

/** Between a diagnosis and a sign that describes it: a comma or space and at most two modifier words ("pancreatitis, interstitial edematous"). */
const MODIFIER_GAP = /^[\s,]*(?:[a-z][a-z-]*[\s,]+){0,2}$/i;
const NOT_A_MODIFIER = /\b(and|or|with|without|due|from|after|but|plus|also)\b/i;
const modifierGap = (gap: string) => MODIFIER_GAP.test(gap) && !NOT_A_MODIFIER.test(gap);

/** The provider links the symptom to a diagnosis in the same sentence. */
// "Chest pain and palpitations are part of the panic attacks", "palpitations occur only during panic attacks".
const LINKED = /\b(due to|secondary to|caused by|from|because of|in the setting of|related to|attributed to|c\/w|consistent with|source of|cause of|explains?|explained by|responsible for|part of|only during|symptoms? of|manifestations? of)\b/i;

/** The provider's words that a symptom has no known cause, or is not the diagnosis's: "Fatigue, unclear cause", "unrelated to the anemia". */
const UNATTRIBUTED = /\b(?:unclear|unknown|uncertain|undetermined)\s+(?:cause|etiology|origin)\b|\b(?:cause|etiology|origin)\s+(?:is\s+)?(?:unclear|unknown|uncertain|undetermined)\b|\bunexplained\b|\bunrelated\b|\bnot (?:related|due|attributed|attributable) to\b/i;

/**
 * A link that points back to a diagnosis named in another sentence: "Headache and vomiting due to the angle-closure
 * attack" (the assessment's "Acute angle-closure glaucoma, right eye"); "Fatigue explained by the anemia". The
 * words after the link name the diagnosis when one of them, not a generic one, is a word of its title.
 */
const LINK_BACK = /\b(?:due to|secondary to|caused by|from|because of|attributed to|attributable to|explained by|related to|part of|symptoms? of|manifestations? of)\s+(?:(?:the|this|her|his|their|an?)\s+)?([A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,2})/gi;
const GENERIC = new Set(stems('acute chronic left right bilateral attack episode disease disorder condition syndrome unspecified other infection pain injury'));

/**
 * Drug and toxic effects (T36–T65) explain no symptom away: their manifestations are what is coded with them —
 * the nature of an adverse effect first, every manifestation of a poisoning or toxic effect additionally
 * (OCG I.C.19.e.5.a–b): "nausea with vomiting due to acetaminophen toxicity" is R11.2 with T39.1X-.
 */
const DRUG_AND_TOXIC_EFFECTS: Range[] = [['T36', 'T65']];

const isConfirmedDiagnosis = (c: RuledCandidate) =>
  !/^[RZ]/.test(c.code) && !isSign(c.code) && !inRanges(c.code, DRUG_AND_TOXIC_EFFECTS) && !c.context.uncertain && !c.context.historical;

/**
 * Example: "Acute on chronic diastolic heart failure. … orthopnea, leg edema" → R06.01 and R60.0 dropped
 * (integral to I50.33), recorded on I50.33 so the coder can restore them; "Chest pain" beside hypertension
 * alone stays.
 */
export function applyIntegralSymptoms(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const diagnoses = kept.filter(isConfirmedDiagnosis);
  if (diagnoses.length === 0) return { kept, dropped: [] };
  const dropped: Dropped[] = [];
  // The diagnoses' "use additional code" / "code also" notes, read once per note: a symptom one of them asks for ("N40.1 …
  // use additional code for associated symptoms: nocturia (R35.1)") is reported with it (OCG I.A.12, I.B.6), and never
  // integral to any diagnosis beside it.
  const asking = diagnoses.flatMap((d) => notesFor(input.kb, d.code, ['use_additional', 'code_also']));
  const out = kept.filter((s) => {
    // SIRS "of non-infectious origin" (R65.1-) beside an infection: the response is the infection's (OCG I.C.18.g; coded
    // as sepsis when the provider documents it).
    const infection = s.code.startsWith('R65.1') ? diagnoses.find((d) => inRanges(d.code, INFECTIONS)) : undefined;
    if (infection) {
      dropped.push({ code: s.code, reason: `SIRS of non-infectious origin beside the infection ${infection.code} (OCG I.C.18.g)` });
      noteDrop(infection, 'integral_symptom', `${s.code} not coded: the systemic response is the infection's (OCG I.C.18.g)`);
      return false;
    }
    if (!isSign(s.code) || inRanges(s.code, ALWAYS_REPORTED)) return true;
    // The provider says no diagnosis explains it: coded (OCG I.B.5, "…unless otherwise instructed"; IV.D).
    if (s.evidence.some((m) => UNATTRIBUTED.test(input.sentences[m.sentenceIndex]?.text ?? ''))) return true;
    // A symptom may belong to more than one system (tachycardia: heart rhythm, infection; limb pain: an injury's, the
    // leg's arteries').
    const locals = LOCAL_SIGNS.filter((r) => inRanges(s.code, r.symptoms));
    const local = locals.length > 0;
    const rows = local ? locals : INTEGRAL_SYMPTOMS.filter((r) => inRanges(s.code, r.symptoms));
    const rowOf = (d: RuledCandidate) => rows.find((r) => inRanges(d.code, r.diagnoses));
    // The symptom's mentions in a sentence that also names `d`; "linked" when that sentence says how.
    const sharedWith = (d: RuledCandidate) => s.evidence.filter((m) => d.evidence.some((n) => n.sentenceIndex === m.sentenceIndex));
    const inSentenceOf = (d: RuledCandidate) => sharedWith(d).length > 0;
    const sameSentence = (d: RuledCandidate) => sharedWith(d).some((m) => LINKED.test(input.sentences[m.sentenceIndex]?.text ?? ''));
    // The sign is a word of the diagnosis as the provider wrote it, inside its reading or a modifier right beside it
    // ("acute pancreatitis, interstitial edematous, without necrosis": R60.9 is the pancreatitis's description).
    const text = input.note.text;
    const besideOrIn = (m: RuledCandidate['evidence'][number], n: RuledCandidate['evidence'][number]) =>
      n.sentenceIndex === m.sentenceIndex &&
      ((n.span.start <= m.span.start && n.span.end >= m.span.end && n.span.end - n.span.start > m.span.end - m.span.start) ||
        (n.span.end <= m.span.start && modifierGap(text.slice(n.span.end, m.span.start))) ||
        (m.span.end <= n.span.start && modifierGap(text.slice(m.span.end, n.span.start))));
    const stated = s.evidence.filter((m) => DIAGNOSTIC_SECTIONS.has(m.section));
    const partOf = (d: RuledCandidate) => stated.length > 0 && stated.every((m) => d.evidence.some((n) => besideOrIn(m, n)));
    // The words each of the symptom's sentences links it to, read expanded ("due to rapid AF": atrial fibrillation);
    // worked out once per symptom, when a diagnosis first asks.
    let linkedWords: string[] | undefined;
    const linkedBack = (d: RuledCandidate) => {
      linkedWords ??= s.evidence.flatMap((m) =>
        [...expandAbbreviations(input.sentences[m.sentenceIndex]?.text ?? '').text.matchAll(LINK_BACK)].flatMap((l) => stems(l[1]!).filter((w) => !GENERIC.has(w))),
      );
      if (linkedWords.length === 0) return false;
      const title = new Set(titleStems(input.kb, d.code));
      return linkedWords.some((w) => title.has(w));
    };
    // Asked for by any coded diagnosis, it is reported whichever other one it sits beside ("oropharyngeal dysphagia"
    // in the sentence of a residual hemiparesis: I69.391 asks for R13.12, I69.351 does not explain it).
    const explains = asking.some((n) => namesCode(n.text, s.code)) ? undefined : diagnoses.find((d) => (rowOf(d) && (!local || inSentenceOf(d))) || sameSentence(d) || partOf(d) || linkedBack(d));
    if (!explains) return true;
    const row = rowOf(explains);
    const why = row
      ? `routinely associated (${row.system})`
      : partOf(explains)
        ? 'a word of the diagnosis as written'
        : sameSentence(explains)
          ? 'linked by the provider in the same sentence'
          : 'linked by the provider ("due to the …")';
    dropped.push({ code: s.code, reason: `symptom integral to ${explains.code}: ${why} (OCG I.B.5)` });
    noteDrop(explains, 'integral_symptom', `${s.code} (${input.kb.codes.get(s.code)?.title ?? s.code}) not coded: ${why} with ${explains.code} (OCG I.B.4–5); add it back if the provider documents it as unrelated`);
    return false;
  });
  return { kept: withAskedSymptoms(out, diagnoses, input, dropped), dropped };
}

/** One use-additional item naming one chapter-18 code: "fever (R50.81)". */
const ASKED_SYMPTOM = /^\s*([^()]+?)\s*\((R\d{2}\.[0-9A-Z]{1,4})\)\s*$/;

/**
 * A symptom a diagnosis's tabular note asks to be added, documented in the diagnosis's sentence, is reported as the
 * code the note names: "Neutropenic fever" — D70 "Use additional code for any associated: fever (R50.81)" — is
 * D70.- with R50.81, not R50.9 or nothing (OCG I.A.12: "use additional code"; I.B.6). A kept reading of the
 * symptom in the same category gives way to it.
 */
function withAskedSymptoms(kept: RuledCandidate[], diagnoses: readonly RuledCandidate[], input: GuidelineInput, dropped: Dropped[]): RuledCandidate[] {
  let out = kept;
  for (const d of diagnoses) {
    if (!out.includes(d)) continue;
    for (const n of notesFor(input.kb, d.code, ['use_additional'])) {
      const asked = ASKED_SYMPTOM.exec(n.text);
      if (!asked || !input.kb.codes.get(asked[2]!)?.billable || out.some((c) => c.code === asked[2])) continue;
      const words = stems(asked[1]!);
      // Documented, not denied (the context rules' reading of the phrase's first word): "BPH with LUTS …, no urinary
      // retention" asks for no R33.8.
      const first = asked[1]!.trim().split(/\s+/)[0]!.toLowerCase();
      const denied = (sentence: { text: string; section: SectionName }) => {
        const at = sentence.text.toLowerCase().indexOf(first);
        return at >= 0 && applyContext(sentence.text, [{ start: at, end: at + first.length }], { section: sentence.section })[0]!.negated;
      };
      const m = d.evidence.find((e) => {
        const sentence = input.sentences[e.sentenceIndex];
        const present = new Set(stems(sentence?.text ?? ''));
        return words.length > 0 && words.every((w) => present.has(w)) && !(sentence && denied(sentence));
      });
      if (!m) continue;
      const code = asked[2]!;
      const detail = `${d.code} "use additional code for any associated: ${n.text}": documented in its sentence (OCG I.A.12)`;
      out = out.filter((c) => {
        if (c.code.slice(0, 3) !== code.slice(0, 3) || !isSign(c.code)) return true;
        dropped.push({ code: c.code, reason: `${code}: the code ${d.code}'s note asks for (OCG I.A.12)` });
        return false;
      });
      out = [...out, derivedCandidate(code, [m], Math.min(d.confidence, 0.8), 'use_additional', detail)];
    }
  }
  return out;
}
