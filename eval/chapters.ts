// The 22 ICD-10-CM chapters as a static table, so metrics by chapter need no tabular XML at run time.
// Ranges as in the FY2021–FY2026 Tabular List; eval/chapters.test.ts checks them against the shipped XML.
import { chapterFor, type Chapter } from '../server/codes/tabular-xml.ts';
import { formatIcd10cm } from '../server/codes/types.ts';

export const ICD10CM_CHAPTERS: readonly Chapter[] = [
  ch(1, 'Certain infectious and parasitic diseases', 'A00', 'B99'),
  ch(2, 'Neoplasms', 'C00', 'D49'),
  ch(3, 'Diseases of the blood and blood-forming organs and certain disorders involving the immune mechanism', 'D50', 'D89'),
  ch(4, 'Endocrine, nutritional and metabolic diseases', 'E00', 'E89'),
  ch(5, 'Mental, Behavioral and Neurodevelopmental disorders', 'F01', 'F99'),
  ch(6, 'Diseases of the nervous system', 'G00', 'G99'),
  ch(7, 'Diseases of the eye and adnexa', 'H00', 'H59'),
  ch(8, 'Diseases of the ear and mastoid process', 'H60', 'H95'),
  ch(9, 'Diseases of the circulatory system', 'I00', 'I99'),
  ch(10, 'Diseases of the respiratory system', 'J00', 'J99'),
  ch(11, 'Diseases of the digestive system', 'K00', 'K95'),
  ch(12, 'Diseases of the skin and subcutaneous tissue', 'L00', 'L99'),
  ch(13, 'Diseases of the musculoskeletal system and connective tissue', 'M00', 'M99'),
  ch(14, 'Diseases of the genitourinary system', 'N00', 'N99'),
  ch(15, 'Pregnancy, childbirth and the puerperium', 'O00', 'O9A'),
  ch(16, 'Certain conditions originating in the perinatal period', 'P00', 'P96'),
  ch(17, 'Congenital malformations, deformations and chromosomal abnormalities', 'Q00', 'Q99'),
  ch(18, 'Symptoms, signs and abnormal clinical and laboratory findings, not elsewhere classified', 'R00', 'R99'),
  ch(19, 'Injury, poisoning and certain other consequences of external causes', 'S00', 'T88'),
  ch(20, 'External causes of morbidity', 'V00', 'Y99'),
  ch(21, 'Factors influencing health status and contact with health services', 'Z00', 'Z99'),
  ch(22, 'Codes for special purposes', 'U00', 'U85'),
];

/** Chapter number of an ICD-10-CM code ("E11.65" → 4, "O9A.11" → 15), undefined for anything else. */
export function icd10cmChapter(code: string): number | undefined {
  // FY2025 added category QA0 (neurodevelopmental disorders related to pathogenic variants) to
  // chapter 17; chapterFor's category pattern (digit in 2nd place) predates letters there.
  return chapterFor(code, ICD10CM_CHAPTERS as Chapter[]) ?? (formatIcd10cm(code).startsWith('QA') ? 17 : undefined);
}

function ch(number: number, title: string, first: string, last: string): Chapter {
  return { number, desc: `${title} (${first}-${last})`, first, last };
}
