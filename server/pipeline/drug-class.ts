// A word of a note as a drug: its class in the Table of Drugs and Chemicals (the adverse-effect column's code
// without its 6th character), for the drug-effect codes (guidelines/drug-effects.ts) and for reading a condition
// the provider ties to a drug as the Index's drug-induced form (candidates.ts).
import type { Knowledge } from './knowledge.ts';

/**
 * Cancer chemotherapy named as such ("chemotherapy-induced", "due to antineoplastic chemotherapy"): the Table's
 * antineoplastic row (Antineoplastic NEC), and the Index's "cytoreductive cancer chemotherapy" (candidates.ts).
 */
export const CANCER_CHEMOTHERAPY = /^(?:chemo(?:therapy)?|antineoplastic)$/i;

/** SSRIs and other classes the Table of Drugs lists only by class: USAN stem → class code (6th character dropped). */
const STEM_CLASSES: readonly { pattern: RegExp; cls: string }[] = [
  { pattern: /^(sertraline|fluoxetine|paroxetine|citalopram|escitalopram|fluvoxamine)$/, cls: 'T43.22' },
  { pattern: /pril$/, cls: 'T46.4X' },
  { pattern: /sartan$/, cls: 'T46.5X' },
  { pattern: /(xaban|gatran)$/, cls: 'T45.51' },
  // USAN stems of classes whose newer members the Table lacks (amlodipine, atorvastatin, pantoprazole, carvedilol).
  { pattern: /dipine$/, cls: 'T46.1X' },
  { pattern: /vastatin$/, cls: 'T46.6X' },
  { pattern: /prazole$/, cls: 'T47.1X' },
  { pattern: /(olol|ilol)$/, cls: 'T44.7X' },
  { pattern: /^(glargine|lispro|aspart|detemir|degludec)$/, cls: 'T38.3X' },
  // Transplant immunosuppressants the Table lists only by class ("Immunosuppressive drug", with the antineoplastics).
  { pattern: /^(tacrolimus|cyclosporine|ciclosporin|sirolimus|everolimus|mycophenolate|mycophenolic|belatacept)$/, cls: 'T45.1X' },
  { pattern: CANCER_CHEMOTHERAPY, cls: 'T45.1X' },
  // Antineoplastics by USAN stem (platinum compounds, taxanes, anthracyclines, kinase, CDK and PARP inhibitors, vinca
  // alkaloids, nucleoside analogues): the Table's "Antineoplastic NEC" class.
  { pattern: /(platin|taxel|rubicin|tinib|ciclib|parib|citabine)$|^vin(cristine|blastine|orelbine)$/, cls: 'T45.1X' },
];

/** Example: "metformin" → "T38.3X"; "lisinopril" → "T46.4X"; "fatigue" → null. */
export function drugClass(kb: Knowledge, word: string): string | null {
  const lower = word.toLowerCase();
  // A note's plural of a Table row ("thiazides"); the Table's plurals read a note's singular already (knowledge.ts).
  const named = kb.drugClasses.get(lower) ?? (lower.length > 6 && lower.endsWith('s') ? kb.drugClasses.get(lower.slice(0, -1)) : undefined);
  return named ?? STEM_CLASSES.find((s) => s.pattern.test(lower))?.cls ?? null;
}
