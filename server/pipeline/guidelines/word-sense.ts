// A word read in a sense its Index entry does not have. The Alphabetic Index's "Decline (general) — see
// Deterioration" (R53.81) is the patient's general decline; the same letters also write a refusal ("declines
// TOLAC", "NRT offered (declined)") and the trend of one measure ("slow decline in eGFR"). A refusal is coded,
// if at all, as the refusal (Z28.2-, Z53.2-); a measure's trend is the condition it measures (OCG III.B, IV.K).
// "Loss, weight (abnormal) (cause unknown)" (R63.4) is a finding; weight loss that is the aim of treatment
// ("weight-loss treatment", "expect improvement with weight loss") is the plan for the patient's obesity. Also:
// "rapid ventricular response" is an atrial rhythm's rate (no I49.01), "thyroid storm" no storm (X37), "intracranial
// hypertension" no I10, "exposed necrotic bone" no gangrene (I96).
// Written by hand: which sense a word has is read from the words around it, not from any code table.
import type { Dropped, RuledCandidate } from '../rules.ts';
import type { GuidelineInput, StageResult } from './types.ts';

/** The refusal: the verb, "declines" / "declined", not the noun "decline" or the adjective "declining". */
const REFUSAL = /^declin(?:es|ed)$/i;
/** A decline of a named measure or function: "decline in eGFR", "decline of renal function". */
const OF_A_MEASURE = /^\s*(?:in|of)\s+\S/i;
/** "Her health has declined", "functional status declined": the patient's own decline, the Index's sense. */
const THE_PATIENT_S = /\b(?:health|condition|function(?:ing)?|status|strength|mobility)\s+(?:has\s+|had\s+|have\s+)?$/i;

/** Weight loss as the treatment or its aim: "weight-loss medication", "weight loss program". */
const AS_TREATMENT = /^[\s-]*(?:treatment|therapy|program|programme|medications?|drugs?|surgery|management|counsel(?:l)?ing|goals?|targets?|plan|efforts?|interventions?|clinic|regimen|diet|journey|advised|before (?:surgery|considering|bariatric|TKA|THA|arthroplasty))\b/i;
/** …or wanted: "goal of 5% weight loss", "intentional weight loss", "expect improvement with weight loss". */
const AS_AIM = /\b(?:intentional|intended|planned|desired|deliberate|purposeful|goals?|targets?|expect\w*|aim\w*|hop\w*|congratulat\w*|encourag\w*|recommend\w*|achiev\w*|sustain\w*|counsel\w*|advis\w*|discuss\w*)\b[^.;:]*$/i;
/** …or the plan to go on with it: "Continue weight loss", "continue with gradual weight loss" (the verb, not "continued"). */
const AS_CONTINUED_AIM = /\bcontinue\s+(?:(?:with|her|his|their|gradual|steady|ongoing|further)\s+)*$/i;
/** Said of a loss that happened: "unintentional", "unexplained". */
const AS_FINDING = /\b(?:unintentional|unintended|unexplained|involuntary|progressive)\b[^.;:]*$/i;
/** …or a programme's: "6 months of supervised medical weight loss". */
const AS_PROGRAMME = /\b(?:supervised|medical|medically supervised|structured|intensive|behavioral|lifestyle)\s+$/i;
/** …or what it would do: "weight loss improves HS outcomes", "weight loss is disease-modifying in IIH". */
const AS_EFFECT = /^[\s-]*(?:improves?|would|will|may|might|can|could|should|helps?|reduces?|lowers?|is (?:disease|recommended|advised|key|the)|recommended|advised|encouraged)\b/i;

/**
 * A word read (the whole quote, or its last word) in another sense by the words right before or after it:
 * - "exposed necrotic bone", "ulcer with necrosis of bone": the depth of an ulcer or osteomyelitis, not gangrene (I96)
 *   nor an osteonecrosis (M87);
 * - "hearing aids", "walking aids": a device, not the syndrome (B20);
 * - "stress dosing", "stress test", "blackout curtains", "thrombotic occlusion" (of a coronary artery), "convulsive
 *   syncope": no stress reaction, syncope, venous thrombosis or seizure;
 * - "post-streptococcal": after a streptococcal infection that is over;
 * - "intracranial hypertension" (G93.2): the pressure in the skull, not the blood pressure (I10);
 * - "thyroid storm": the thyrotoxic crisis (E05.x1), not a cataclysmic storm (X37.-);
 * - "…ventricular" going on as "ventricular response / rate", or "RVR": the rate of an atrial rhythm ("atrial
 *   fibrillation with rapid ventricular response"), not a ventricular arrhythmia ("Fibrillation, ventricular", I49.01).
 */
const BY_NEIGHBOURS: readonly { word: RegExp; before?: RegExp; after?: RegExp }[] = [
  { word: /^necro(?:sis|tic)$/i, after: /^\s*(?:of\s+(?:the\s+)?)?bone\b/i },
  // "ulcer … with necrosis of bone": the ulcer's depth (L97.x4), not an osteonecrosis (M87).
  { word: /^necrosis of (?:the )?bone$/i, before: /\bwith\s*$/i },
  // "Diabetic foot ulcer … with bone necrosis": the ulcer's depth (L97.x4), not diabetic gangrene (E11.52).
  { word: /^necro(?:sis|tic)$/i, before: /\b(?:bone|muscle|fat|tendon)\s*$/i },
  { word: /\bwith (?:bone|muscle|fat|tendon) necrosis$/i },
  // "ulcer of the left second toe with bone necrosis", "ulcer with exposed bone" read as "Ulcer, bone" (M86.8X-): the
  // ulcer's depth (L97.x4), not an osteomyelitis.
  { word: /\bulcer[\s\S]*\bbone$/i, after: /^\s*(?:necrosis|necrotic|exposed|involvement)\b/i },
  { word: /\bulcer[\s\S]*\b(?:exposed|necrotic|necrosis of(?: the)?)\s+bone$/i },
  // "…carcinoma … with malignant pleural effusion" read as "Neoplasm, pleura": the effusion's pleura (J91.0), not a
  // tumour of the pleura.
  { word: /\bpleural?$/i, after: /^\s*effusions?\b/i },
  // "Adenocarcinoma of transverse colon with metastases to liver" read as "Neoplasm, colon, malignant secondary": the
  // metastases are the liver's (C78.7), the colon the primary's site.
  { word: /\b(?:with|and)\s+metasta(?:sis|ses|tic disease)$/i, after: /^\s*(?:to|in|of)\b/i },
  // "left basal ganglia (deep, subcortical)": the brain's nuclei, not a ganglion cyst (M67.4-).
  { word: /^gangli(?:a|on|ons)$/i, before: /\bbasal\s*$/i },
  { word: /^hypertension$/i, before: /\b(?:intracranial|intra-cranial)\s*$/i },
  { word: /^storm$/i, before: /\b(?:thyroid|thyrotoxic)\s*$/i },
  { word: /\bventricular$/i, after: /^\s*(?:response|rate)\b/i },
  { word: /\bRVR$/ },
  // A dose, a test, a window covering: "stress dosing" of steroids, "stress test"; "blackout curtains"; a coronary
  // "thrombotic occlusion" (the infarction's own clot, not a venous thrombosis).
  { word: /^stress$/i, after: /^[\s-]*(?:dos(?:e|es|ing)|tests?|testing|echo\w*|imaging|ecg|ekg|mri|views?)\b/i },
  { word: /^blackouts?$/i, after: /^\s*(?:curtains?|shades?|blinds?)\b/i },
  // "convulsive syncope": a faint with jerks, not a seizure (R56.9).
  { word: /^convulsive$/i, after: /^\s*syncope\b/i },
  { word: /^convulsive syncope\b/i },
  // "Guttate psoriasis, post-streptococcal": after the infection, which is over.
  { word: /^(?:strep|streptococcal|streptococcus|infectious)$/i, before: /\bpost-?\s*$/i },
  { word: /^post-?(?:strep|streptococcal|streptococcus|infectious)$/i },
  { word: /^thrombotic$/i, after: /^\s*(?:occlusion|lesion|material|burden)\b/i },
  // A device, not the syndrome: "hearing aids", "walking aids", "mobility aids" (B20 came from one).
  { word: /^aids$/i, before: /\b(?:hearing|walking|mobility|visual|vision|low-vision|sleep|communication|assistive|memory|dietary|reading|magnifying|optical)\s*$/i },
  // "weak stream", "weak urinary stream": the flow of urine (R39.12, with BPH a symptom of N40.1), not weakness (R53.1).
  { word: /^weak(?:ness)?$/i, after: /^\s*(?:urinary\s+)?(?:stream|flow)\b/i },
  // "seizure first aid", "first-aid kit": the care a bystander gives.
  { word: /^aids?$/i, before: /\b(?:first|hearing|walking|mobility|reading)[\s-]*$/i },
];
const NEIGHBOURHOOD = 16;

/**
 * Example: "Prior cesarean - declines TOLAC" and "CKD 4 - slow decline in eGFR" give no R53.81; "general
 * decline, failure to thrive" does. "Here to discuss weight-loss treatment" gives no R63.4; "10 lb
 * unintentional weight loss" does.
 */
export function applyWordSense(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const text = input.note.text;
  const otherSense = (m: RuledCandidate['evidence'][number]) => {
    const word = m.span.quote.trim();
    const before = text.slice(Math.max(0, m.span.start - NEIGHBOURHOOD), m.span.start);
    const after = text.slice(m.span.end, m.span.end + NEIGHBOURHOOD);
    if (BY_NEIGHBOURS.some((n) => n.word.test(word) && (!n.before || n.before.test(before)) && (!n.after || n.after.test(after)))) return true;
    if (/^weight[\s-]+loss$/i.test(word)) {
      // "Discussed her 15-lb unintentional weight loss": a loss the patient had, whatever else is said of it.
      if (AS_FINDING.test(text.slice(Math.max(0, m.span.start - 30), m.span.start))) return false;
      const next = text.slice(m.span.end, m.span.end + 24);
      return AS_TREATMENT.test(next) || AS_EFFECT.test(next) || AS_AIM.test(text.slice(Math.max(0, m.span.start - 40), m.span.start)) || AS_CONTINUED_AIM.test(text.slice(Math.max(0, m.span.start - 40), m.span.start)) || AS_PROGRAMME.test(text.slice(Math.max(0, m.span.start - 24), m.span.start));
    }
    if (!/^declin/i.test(word)) return false;
    if (OF_A_MEASURE.test(text.slice(m.span.end, m.span.end + 12))) return true;
    return REFUSAL.test(word) && !THE_PATIENT_S.test(text.slice(Math.max(0, m.span.start - 30), m.span.start));
  };
  const dropped: Dropped[] = [];
  // "Weight management", "CC: Weight and liver follow-up", "Weight up 2 kg": words about weight that say no loss are
  // no reading of "Loss, weight" (a leftover phrase retrieved as R63.4).
  const noLoss = (c: RuledCandidate, m: RuledCandidate['evidence'][number]) => c.code === 'R63.4' && !/\blos[st]|\blosing\b/i.test(m.span.quote);
  const out = kept.filter((c) => {
    if (c.evidence.length === 0 || !c.evidence.every((m) => noLoss(c, m) || otherSense(m))) return true;
    dropped.push({ code: c.code, reason: `"${c.evidence[0]!.span.quote}" here is not the finding its Index entry names: the words around it give it another sense (OCG III.B)` });
    return false;
  });
  return { kept: out, dropped };
}
