// Test support: a hand-made slice of ICD-10-CM FY2026 (titles, hierarchy, Index paths and tabular notes as in
// the official files) on which every guideline stage can be exercised with real clinical sentences.
import type { DictionaryTerm } from '../dictionary.ts';
import { buildKnowledge, type CodeInfo, type Knowledge } from '../knowledge.ts';
import { suggestCodes } from '../run.ts';
import type { Setting, Suggestion } from '../types.ts';

const code = (c: string, title: string, parent: string | null = null, billable = true): CodeInfo => ({ code: c, title, parent, billable });
const CODES: CodeInfo[] = [
  code('I10', 'Essential (primary) hypertension'),
  code('I11', 'Hypertensive heart disease', null, false),
  code('I11.0', 'Hypertensive heart disease with heart failure', 'I11'),
  code('I11.9', 'Hypertensive heart disease without heart failure', 'I11'),
  code('I12', 'Hypertensive chronic kidney disease', null, false),
  code('I12.0', 'Hypertensive chronic kidney disease with stage 5 chronic kidney disease or end stage renal disease', 'I12'),
  code('I12.9', 'Hypertensive chronic kidney disease with stage 1 through stage 4 chronic kidney disease, or unspecified chronic kidney disease', 'I12'),
  code('I13', 'Hypertensive heart and chronic kidney disease', null, false),
  code('I13.0', 'Hypertensive heart and chronic kidney disease with heart failure and stage 1 through stage 4 chronic kidney disease, or unspecified chronic kidney disease', 'I13'),
  code('I50', 'Heart failure', null, false),
  code('I50.2', 'Systolic (congestive) heart failure', 'I50', false),
  code('I50.22', 'Chronic systolic (congestive) heart failure', 'I50.2'),
  code('I50.9', 'Heart failure, unspecified', 'I50'),
  code('N18', 'Chronic kidney disease (CKD)', null, false),
  code('N18.3', 'Chronic kidney disease, stage 3 (moderate)', 'N18', false),
  code('N18.31', 'Chronic kidney disease, stage 3a', 'N18.3'),
  code('N18.32', 'Chronic kidney disease, stage 3b', 'N18.3'),
  code('N18.9', 'Chronic kidney disease, unspecified', 'N18'),
  code('E11', 'Type 2 diabetes mellitus', null, false),
  code('E11.2', 'Type 2 diabetes mellitus with kidney complications', 'E11', false),
  code('E11.22', 'Type 2 diabetes mellitus with diabetic chronic kidney disease', 'E11.2'),
  code('E11.4', 'Type 2 diabetes mellitus with neurological complications', 'E11', false),
  code('E11.42', 'Type 2 diabetes mellitus with diabetic polyneuropathy', 'E11.4'),
  code('E11.6', 'Type 2 diabetes mellitus with other specified complications', 'E11', false),
  code('E11.65', 'Type 2 diabetes mellitus with hyperglycemia', 'E11.6'),
  code('E11.9', 'Type 2 diabetes mellitus without complications', 'E11'),
  code('G62.9', 'Polyneuropathy, unspecified'),
  code('I48', 'Atrial fibrillation and flutter', null, false),
  code('I48.1', 'Persistent atrial fibrillation', 'I48', false),
  code('I48.19', 'Other persistent atrial fibrillation', 'I48.1'),
  code('I48.91', 'Unspecified atrial fibrillation', 'I48'),
  code('J44.1', 'Chronic obstructive pulmonary disease with (acute) exacerbation'),
  code('R05.9', 'Cough, unspecified'),
  code('R06.00', 'Dyspnea, unspecified'),
  code('R07.9', 'Chest pain, unspecified'),
  code('C18.9', 'Malignant neoplasm of colon, unspecified'),
  code('Z80', 'Family history of primary malignant neoplasm', null, false),
  code('Z80.0', 'Family history of malignant neoplasm of digestive organs', 'Z80'),
  code('Z79', 'Long term (current) drug therapy', null, false),
  code('Z79.01', 'Long term (current) use of anticoagulants', 'Z79'),
  code('Z79.52', 'Long term (current) use of systemic steroids', 'Z79'),
  code('Z79.84', 'Long term (current) use of oral hypoglycemic drugs', 'Z79'),
  code('Z87.891', 'Personal history of nicotine dependence'),
  code('E66.811', 'Obesity, class 1'),
  code('Z68.30', 'Body mass index [BMI] 30.0-30.9, adult'),
  code('Z00.01', 'Encounter for general adult medical examination with abnormal findings'),
  code('Z00.00', 'Encounter for general adult medical examination without abnormal findings'),
  code('Z23', 'Encounter for immunization'),
  code('E87.5', 'Hyperkalemia'),
  code('T50.0X5A', 'Adverse effect of mineralocorticoids and their antagonists, initial encounter'),
  code('T50.1X6A', 'Underdosing of loop [high-ceiling] diuretics, initial encounter'),
  code('Z91.128', "Patient's intentional underdosing of medication regimen for other reason"),
  code('T39.1X1A', 'Poisoning by 4-Aminophenol derivatives, accidental (unintentional), initial encounter'),
  code('T39.1X2A', 'Poisoning by 4-Aminophenol derivatives, intentional self-harm, initial encounter'),
  code('S51.8', 'Other open wound of forearm', null, false),
  code('S51.81', 'Laceration without foreign body of forearm', 'S51.8', false),
  code('S51.811', 'Laceration without foreign body of right forearm', 'S51.81', false),
  code('S51.811A', 'Laceration without foreign body of right forearm, initial encounter', 'S51.811'),
  code('S51.812', 'Laceration without foreign body of left forearm', 'S51.81', false),
  code('S51.812A', 'Laceration without foreign body of left forearm, initial encounter', 'S51.812'),
  code('S51.819', 'Laceration without foreign body of unspecified forearm', 'S51.81', false),
  code('S51.819A', 'Laceration without foreign body of unspecified forearm, initial encounter', 'S51.819'),
  code('S51.82', 'Laceration with foreign body of forearm', 'S51.8', false),
  code('S51.829', 'Laceration with foreign body of unspecified forearm', 'S51.82', false),
  code('S51.829A', 'Laceration with foreign body of unspecified forearm, initial encounter', 'S51.829'),
];
const index = (c: string, path: string[]): DictionaryTerm => ({ code: c, kind: 'index', text: path.join(', '), path, modifiers: path.map(() => '') });
const TERMS: DictionaryTerm[] = [
  index('I10', ['Hypertension, hypertensive']),
  index('I50.9', ['Failure', 'heart']),
  index('I50.22', ['Failure', 'heart', 'systolic', 'chronic']),
  index('N18.9', ['Disease', 'kidney', 'chronic']),
  index('N18.31', ['Disease', 'kidney', 'chronic', 'stage 3a']),
  index('N18.32', ['Disease', 'kidney', 'chronic', 'stage 3b']),
  index('E11.9', ['Diabetes, diabetic', 'type 2']),
  index('E11.22', ['Diabetes, diabetic', 'type 2', 'with', 'chronic kidney disease']),
  index('E11.42', ['Diabetes, diabetic', 'type 2', 'with', 'polyneuropathy']),
  index('E11.65', ['Diabetes, diabetic', 'type 2', 'with', 'hyperglycemia']),
  index('G62.9', ['Polyneuropathy']),
  index('I48.91', ['Fibrillation', 'atrial']),
  index('I48.19', ['Fibrillation', 'atrial', 'persistent']),
  index('J44.1', ['Disease', 'lung', 'obstructive', 'with', 'exacerbation']),
  index('R05.9', ['Cough']),
  index('R06.00', ['Dyspnea']),
  index('R07.9', ['Pain', 'chest']),
  index('C18.9', ['Cancer', 'colon']),
  index('E66.811', ['Obesity', 'class 1']),
  index('E87.5', ['Hyperkalemia']),
  index('S51.819', ['Laceration', 'forearm']),
  index('S51.829', ['Laceration', 'forearm', 'with foreign body']),
];
const NOTES = [
  { code: 'I50', kind: 'code_first', text: 'heart failure due to hypertension (I11.0)' },
  { code: 'I50', kind: 'code_first', text: 'heart failure due to hypertension with chronic kidney disease (I13.-)' },
  { code: 'N18', kind: 'code_first', text: 'any associated: diabetic chronic kidney disease (E08.22, E09.22, E10.22, E11.22, E13.22); hypertensive chronic kidney disease (I12.-, I13.-)' },
  { code: 'E11.22', kind: 'use_additional', text: 'code to identify stage of chronic kidney disease (N18.1-N18.6)' },
  { code: 'I13', kind: 'use_additional', text: 'code to identify the stage of chronic kidney disease (N18.1-N18.4, N18.9)' },
  { code: 'Z80.0', kind: 'inclusion', text: 'Conditions classifiable to C15-C26' },
];
const DRUGS = [
  { name: 'Metformin', code: 'T38.3X5' },
  { name: 'Warfarin', code: 'T45.515' },
  { name: 'Prednisone', code: 'T38.0X5' },
  { name: 'Spironolactone', code: 'T50.0X5' },
  { name: 'Furosemide', code: 'T50.1X5' },
  { name: 'Acetaminophen', code: 'T39.1X5' },
];

export const GUIDELINE_KB: Knowledge = buildKnowledge('test', CODES, NOTES, TERMS, DRUGS);

/** The engine's suggestions for a short note on the slice (no learned model), in reported order. */
export function suggest(text: string, setting: Setting = 'professional', age = 52): Suggestion[] {
  return suggestCodes({ text, encounter: { setting, dateOfService: '2026-01-15', patient: { age } } }, GUIDELINE_KB, null).suggestions;
}
export const codes = (text: string, setting: Setting = 'professional', age = 52) => suggest(text, setting, age).map((s) => s.code);
