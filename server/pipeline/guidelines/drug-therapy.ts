// OCG I.C.21.c.3 (Z79) and I.C.4.a.3 — long-term (current) drug therapy from the medication list. A drug's
// class comes from the Table of Drugs and Chemicals (its adverse-effect column: metformin → T38.3X
// "insulin and oral hypoglycemic drugs", warfarin → T45.51 "anticoagulants"); drugs newer than the Table are
// classed by their USAN stem (the naming scheme of the USAN Council: "-xaban" factor Xa inhibitors,
// "-gliflozin" SGLT2 inhibitors …). Class → Z79 code is the table below, read off the Z79 titles.
import type { AnalysedSentence } from '../candidates.ts';
import type { Knowledge } from '../knowledge.ts';
import type { RuledCandidate } from '../rules.ts';
import type { SectionName } from '../sections.ts';
import { derivedCandidate, derivedMention, type GuidelineInput, type StageResult } from './types.ts';

/** Table of Drugs class (adverse-effect code without its 6th character) → Z79 code. */
const CLASS_TO_Z79: readonly { classes: RegExp; code: string; what: string }[] = [
  { classes: /^T45\.51/, code: 'Z79.01', what: 'anticoagulants' },
  { classes: /^T45\.52/, code: 'Z79.02', what: 'antithrombotics/antiplatelets' },
  { classes: /^T39\.01/, code: 'Z79.82', what: 'aspirin' },
  { classes: /^T39\.3/, code: 'Z79.1', what: 'NSAID' },
  { classes: /^T38\.0/, code: 'Z79.52', what: 'systemic steroids' },
  { classes: /^T40\.[246]/, code: 'Z79.891', what: 'opiate analgesic' },
  { classes: /^T38\.6/, code: 'Z79.818', what: 'agents affecting estrogen receptors' },
];

/** USAN stems (and insulin names) for drugs the Table of Drugs does not list: stem → Z79 code. */
const STEMS: readonly { pattern: RegExp; code: string; what: string }[] = [
  { pattern: /^insulin$|^(glargine|lispro|aspart|detemir|degludec|glulisine|nph|lantus|humalog|novolog|levemir|tresiba|basaglar|toujeo)$/, code: 'Z79.4', what: 'insulin' },
  { pattern: /(gliptin|gliflozin|glinide)$|^(glipizide|glyburide|glimepiride|metformin|pioglitazone|rosiglitazone|acarbose)$/, code: 'Z79.84', what: 'oral hypoglycemic drugs' },
  { pattern: /(glutide|enatide)$|^(tirzepatide|pramlintide)$/, code: 'Z79.85', what: 'injectable non-insulin antidiabetic drugs' },
  { pattern: /(xaban|gatran)$|^(warfarin|heparin|enoxaparin|dalteparin|fondaparinux)$/, code: 'Z79.01', what: 'anticoagulants' },
  { pattern: /(grel|grelor)$|^(dipyridamole|cilostazol)$/, code: 'Z79.02', what: 'antithrombotics/antiplatelets' },
  { pattern: /dronate$/, code: 'Z79.83', what: 'bisphosphonates' },
  { pattern: /^(tacrolimus|cyclosporine|ciclosporin)$/, code: 'Z79.621', what: 'calcineurin inhibitor' },
  { pattern: /^(sirolimus|everolimus)$/, code: 'Z79.623', what: 'mTOR inhibitor' },
  { pattern: /^(mycophenolate|mycophenolic|azathioprine|leflunomide)$/, code: 'Z79.624', what: 'inhibitors of nucleotide synthesis' },
  { pattern: /citinib$/, code: 'Z79.622', what: 'Janus kinase inhibitor' },
  { pattern: /^(tamoxifen|raloxifene|toremifene)$/, code: 'Z79.810', what: 'SERMs' },
  { pattern: /^(anastrozole|letrozole|exemestane)$/, code: 'Z79.811', what: 'aromatase inhibitors' },
];

/** Inhaled steroids are Z79.51, not systemic Z79.52: route words of the medication line. */
const INHALED = /\b(inhal\w*|puffs?|hfa|diskus|ellipta|respimat|nebuli[sz]\w*|mdi)\b/i;
/** Not current therapy: stopped, or a one-time dose. */
const NOT_CURRENT = /\b(discontinued|stopped|d\/c'?d|stop|held permanently|allerg\w*|once|x1|one dose|single dose|given|administered)\b/i;
const STOPPED = /\b(stopped|discontinued|d\/c'?d|stop)\b/i;
const MED_SECTIONS: ReadonlySet<SectionName> = new Set(['medications']);
/** Outside the medication list, "on <drug>" / "long-term <drug>" states current therapy. */
const ON_DRUG = /\b(on|taking|takes|long-?term|maintained on|continues?|continued)\b/i;

const WORD = /[A-Za-z][A-Za-z-]+/g;

function classOf(kb: Knowledge, word: string, line: string): { code: string; what: string } | null {
  const lower = word.toLowerCase();
  const stem = STEMS.find((s) => s.pattern.test(lower));
  if (stem) return stem;
  const cls = kb.drugClasses.get(lower);
  if (!cls) return null;
  if (/^T38\.3/.test(cls)) return /insulin/.test(lower) ? { code: 'Z79.4', what: 'insulin' } : { code: 'Z79.84', what: 'oral hypoglycemic drugs' };
  const row = CLASS_TO_Z79.find((r) => r.classes.test(cls));
  if (!row) return null;
  if (row.code === 'Z79.52' && INHALED.test(line)) return { code: 'Z79.51', what: 'inhaled steroids' };
  return row;
}

/** Medication items: the medication list, and "on apixaban"-style statements elsewhere. */
function medicationClauses(sentences: readonly AnalysedSentence[]): { sentence: AnalysedSentence; start: number; text: string }[] {
  const out: { sentence: AnalysedSentence; start: number; text: string }[] = [];
  for (const s of sentences) {
    // One drug per ";" or "," item: "insulin glargine 28 units qHS; linagliptin 5 mg daily".
    let at = 0;
    for (const piece of s.text.split(/(?<=[;,])/)) {
      if (MED_SECTIONS.has(s.section) || ON_DRUG.test(piece)) out.push({ sentence: s, start: at, text: piece });
      at += piece.length;
    }
  }
  return out;
}

/**
 * Example: "Meds: insulin glargine 28 units qHS; metformin 1000 mg BID; apixaban 5 mg BID" → Z79.4, Z79.84,
 * Z79.01; "prednisone 40 mg x1 given" → nothing (not long-term).
 */
export function applyDrugTherapy(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb, note } = input;
  const keptCodes = new Set(kept.map((c) => c.code));
  const added = new Map<string, RuledCandidate>();
  // Antidiabetic long-term codes identify how diabetes is controlled (E08–E13 "use additional code to identify
  // control using insulin / oral hypoglycemic drugs"): an SGLT2 inhibitor given for heart failure is not one.
  const diabetic = kept.some((c) => /^(E0[89]|E1[013]|O24)/.test(c.code));
  // A drug stopped anywhere in the note is not current therapy (one held for a procedure still is).
  const stopped = new Set(
    input.sentences.filter((s) => STOPPED.test(s.text)).flatMap((s) => [...s.text.matchAll(WORD)].map((w) => w[0].toLowerCase())),
  );
  for (const clause of medicationClauses(input.sentences)) {
    if (NOT_CURRENT.test(clause.text)) continue;
    for (const w of clause.text.matchAll(WORD)) {
      const z = classOf(kb, w[0], clause.text);
      if (!z || keptCodes.has(z.code) || !kb.codes.get(z.code)?.billable || stopped.has(w[0].toLowerCase())) continue;
      if (/^Z79\.(4|84|85)$/.test(z.code) && !diabetic) continue;
      const start = clause.sentence.start + clause.start + w.index!;
      const mention = derivedMention(clause.sentence, start, start + w[0].length, note.text, `Long-term (current) use of ${z.what}`, z.code);
      const existing = added.get(z.code);
      if (existing) existing.evidence.push(mention);
      else added.set(z.code, derivedCandidate(z.code, [mention], 0.8, 'long_term_drug_therapy', `${w[0]}: long-term (current) use of ${z.what} (OCG I.C.21.c.3${/^Z79\.(4|8[45])/.test(z.code) ? ', I.C.4.a.3' : ''})`));
    }
  }
  return { kept: [...kept, ...added.values()], dropped: [] };
}
