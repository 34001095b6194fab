// CPT procedures read from a note by rule: skin procedures (./cpt-skin.ts), joint injection, IV
// infusion/hydration hours, a few in-office procedures (I&D, nail avulsion, cerumen removal, splinting) and
// in-office tests (./cpt-office-tests.ts). Pure: the codes come from ./cpt-table.ts (code numbers only);
// whether a code is in the customer's licensed CPT file, and its descriptor, is decided by ./cpt-file.ts.

import type { Sentence } from '../sentences.ts';
import { officeTestFindings } from './cpt-office-tests.ts';
import { destructionFindings, excisionFindings, repairFindings } from './cpt-skin.ts';
import { DIGIT_MODIFIERS, INFUSION, JOINT_CODES, JOINT_WORDS, OFFICE } from './cpt-table.ts';
import { performed, type ProcedureFinding, sentencesOf, type Side, sideIn, siteWords, span } from './procedure-text.ts';

export type { ProcedureFinding, Side } from './procedure-text.ts';

// ---------------------------------------------------------------- injections and infusions

const JOINT_LIST = Object.keys(JOINT_WORDS).join('|');
const JOINT_NAMED = new RegExp(String.raw`\b(?:${JOINT_LIST})\s+(?:injection|aspiration)\b|\b(?:injection|aspiration) of (?:the )?(?:(?:left|right|l|r)\s+)?(?:${JOINT_LIST})\b`, 'i');
const JOINT_INJECTION = /\b(?:intra-?articular|arthrocentesis|joint (?:injection|aspiration)|(?:aspirat|inject)\w*)\b/i;

/**
 * Arthrocentesis / joint or bursa injection by joint size, with or without ultrasound guidance.
 * Example: "R ankle (tibiotalar) intra-articular injection, landmark-guided" → 20605, side right.
 */
export function jointFindings(text: string, sentences: readonly Sentence[] = sentencesOf(text)): ProcedureFinding[] {
  const out: ProcedureFinding[] = [];
  for (const s of sentences) {
    const cue = JOINT_INJECTION.exec(s.text);
    // "Knee aspiration" names a joint procedure; "IM injection in the left shoulder" (deltoid) does not.
    const named = /\b(?:intra-?articular|arthrocentesis|joint|bursa|bursal|subacromial|trochanteric)\b/i.test(s.text) || JOINT_NAMED.test(s.text);
    if (!cue || !named || /\b(?:im|intramuscular\w*|deltoid|vaccine)\b/i.test(s.text)) continue;
    if (!performed(s, cue.index, cue.index + cue[0].length)) continue;
    const guided = /\b(?:ultrasound|us|sonograph\w*)[- ](?:guid\w*)|\b(?:under|with) (?:ultrasound|us)\b/i.test(s.text) && !/\b(?:no|without) (?:ultrasound|imaging)/i.test(s.text);
    // Each joint in its own clause ("right shoulder injection and left knee aspiration": two joints, two sides).
    const clauses = [...s.text.matchAll(/[^;,]+?(?=\band\b|[;,]|$)/gi)].map((m) => ({ text: m[0], start: m.index }));
    for (const clause of clauses) {
      const joint = [...clause.text.matchAll(/[A-Za-z]+/g)].map((m) => m[0].toLowerCase()).find((w) => Object.hasOwn(JOINT_WORDS, w));
      if (!joint) continue;
      const size = JOINT_WORDS[joint]!;
      const code = guided ? JOINT_CODES[size].ultrasound : JOINT_CODES[size].plain;
      const side = sideIn(clause.text) ?? sideIn(s.text);
      if (out.some((f) => f.code === code && f.site === joint && f.side === side)) continue; // the same injection written twice
      out.push({ code, units: 1, rule: 'joint_injection', reasons: [`arthrocentesis/injection, ${size} joint (${joint}), ${guided ? 'with' : 'without'} ultrasound guidance`], evidence: [span(text, s.start, s.end)], side, site: joint, modifiers: [] });
    }
  }
  return out;
}

const INFUSION_CUE = /\b(?:infusion|infused|(?:iv|intravenous) hydration|iv fluids?|(?:normal saline|ns|lactated ringer'?s?|lr) (?:bolus|infusion))\b/i;
// "0.4 mg/kg over 60 min in daily sessions", "oral hydration": a regimen or not an IV administration.
const NOT_AN_INFUSION_TODAY = /\b(?:daily|every \d+|per day|sessions?|weekly|oral hydration|po hydration)\b/i;
const FLUIDS_ONLY = /^(?:\s|normal|saline|ns|0\.9%|lactated|ringer'?s?|lr|d5w|iv|fluids?|bolus|hydration|infusion|infused|of|ml|l|liters?|litres?|\d+(?:\.\d+)?|mL|cc|over|for|given|started|at|hours?|hrs?|minutes?|mins?|h|the|a|an|with|and|via|peripheral|line|\/|,|-|\(|\))*$/i;

function minutesIn(text: string): number | undefined {
  const over = /\b(?:over|for|infused over|infusion time|duration)\s*(?:of\s*)?(\d+(?:\.\d+)?)\s*(minutes?|mins?|hours?|hrs?|h)\b/i.exec(text);
  if (over) return /^h/i.test(over[2]!) ? Number(over[1]) * 60 : Number(over[1]);
  const times = /\b(?:start(?:ed)?|from)\s*(?:at\s*)?(\d{1,2}):(\d{2})\b.*?\b(?:stop(?:ped)?|end(?:ed)?|to|until|completed)\s*(?:at\s*)?(\d{1,2}):(\d{2})\b/i.exec(text);
  if (!times) return undefined;
  const diff = Number(times[3]) * 60 + Number(times[4]) - (Number(times[1]) * 60 + Number(times[2]));
  return diff > 0 ? diff : undefined;
}

/**
 * IV infusion (a drug) or hydration (fluids only) by documented minutes: the initial hour, then each
 * additional hour once more than 30 minutes past the hour. Example: "ceftriaxone infusion over 100 minutes"
 * → 96365 + 96366 × 1. Not in a facility (ED, inpatient): the facility bills its infusions.
 */
export function infusionFindings(text: string, sentences: readonly Sentence[] = sentencesOf(text)): ProcedureFinding[] {
  const out: ProcedureFinding[] = [];
  for (const s of sentences) {
    const cue = INFUSION_CUE.exec(s.text);
    if (!cue || NOT_AN_INFUSION_TODAY.test(s.text) || !performed(s, cue.index, cue.index + cue[0].length)) continue;
    const minutes = minutesIn(s.text);
    if (minutes === undefined) continue;
    const kind = FLUIDS_ONLY.test(s.text.replace(/[.:;]/g, ' ')) ? 'hydration' : 'therapeutic';
    const codes = INFUSION[kind];
    if (out.some((f) => f.code === codes.initial)) continue;
    if (minutes < codes.minMinutes) continue; // 15 minutes or less is a push; hydration needs more than 30
    const additional = minutes <= 90 ? 0 : Math.ceil((minutes - 90) / 60 - 1e-9);
    const evidence = [span(text, s.start, s.end)];
    out.push({ code: codes.initial, units: 1, rule: 'infusion', reasons: [`IV ${kind === 'hydration' ? 'hydration' : 'infusion'}, ${minutes} min: initial hour`], evidence, modifiers: [] });
    if (additional > 0) out.push({ code: codes.additional, units: additional, rule: 'infusion', reasons: [`${minutes} min: ${additional} additional hour(s), each counted once more than 30 minutes past the hour`], evidence, modifiers: [] });
  }
  return out;
}

// ---------------------------------------------------------------- in-office procedures

const DIGITS: Readonly<Record<string, number>> = { great: 1, big: 1, hallux: 1, thumb: 1, first: 1, second: 2, index: 2, '2nd': 2, third: 3, middle: 3, '3rd': 3, fourth: 4, ring: 4, '4th': 4, fifth: 5, little: 5, small: 5, pinky: 5, '5th': 5 };

/** Each digit a sentence names ("left great toenail and right second toenail"), with its CMS digit modifier. */
function digitModifiers(text: string): { code: string; side: Side; reason: string }[] {
  const out: { code: string; side: Side; reason: string }[] = [];
  for (const m of text.matchAll(/\b(great|big|second|third|fourth|fifth|2nd|3rd|4th|5th|index|middle|ring|little|small|pinky|first)\s+(toe|finger)(?:nail)?\b|\b(hallux|thumb)(?:nail)?\b/gi)) {
    // The side written just before this digit, else the sentence's.
    const side = sideIn(text.slice(Math.max(0, m.index - 12), m.index)) ?? sideIn(text);
    if (side !== 'left' && side !== 'right') continue;
    const kind = m[3] ? (m[3].toLowerCase() === 'thumb' ? 'finger' : 'toe') : (m[2]!.toLowerCase() as 'finger' | 'toe');
    const digit = DIGITS[(m[1] ?? m[3])!.toLowerCase()]!;
    const code = DIGIT_MODIFIERS[kind][side][digit - 1]!;
    if (!out.some((o) => o.code === code)) out.push({ code, side, reason: `${side} ${m[0].toLowerCase()}: digit modifier ${code} (CMS ${kind === 'toe' ? 'TA, T1–T9' : 'FA, F1–F9'})` });
  }
  return out;
}

/** I&D of an abscess, nail avulsion, cerumen removal and splint application, one cue each. */
export function officeFindings(text: string, sentences: readonly Sentence[] = sentencesOf(text)): ProcedureFinding[] {
  const out: ProcedureFinding[] = [];
  const add = (f: ProcedureFinding) => {
    if (!out.some((o) => o.code === f.code && o.site === f.site && o.side === f.side)) out.push(f);
  };
  for (const s of sentences) {
    const ev = [span(text, s.start, s.end)];
    const id = /\b(?:incision and drainage|i\s?&\s?d|incised and drained)\b/i.exec(s.text);
    if (id && /\babscess|boil|furuncle|carbuncle|paronychia|cyst\b/i.test(text) && performed(s, id.index, id.index + id[0].length)) {
      const complicated = /\b(?:complicated|multiple (?:abscesses|sites|incisions)|loculations? (?:broken|disrupted)|several abscesses)\b/i.test(s.text);
      add({ code: complicated ? OFFICE.incisionDrainage.complicated : OFFICE.incisionDrainage.simple, units: 1, rule: 'incision_drainage', reasons: [`incision and drainage of an abscess, ${complicated ? 'complicated or multiple' : 'simple or single'}`], evidence: ev, site: siteWords(s.text)[0]?.word, modifiers: [] });
    }
    const nail = /\b(?:(?:partial |complete |total )?(?:nail(?: plate)?|toenail|fingernail) (?:avulsion|removal|removed|avulsed)|avulsion of (?:the )?(?:\w+ ){0,3}(?:nail|toenail|fingernail)(?: plate)?)\b/i.exec(s.text);
    if (nail && performed(s, nail.index, nail.index + nail[0].length)) {
      const digits = digitModifiers(s.text);
      if (digits.length === 0) add({ code: OFFICE.nailAvulsion.first, units: 1, rule: 'nail_avulsion', reasons: ['avulsion of a nail plate, partial or complete, first nail'], evidence: ev, side: sideIn(s.text), site: 'nail', modifiers: [] });
      digits.forEach((d, i) => {
        const first = i === 0 && !out.some((o) => o.code === OFFICE.nailAvulsion.first);
        const code = first ? OFFICE.nailAvulsion.first : OFFICE.nailAvulsion.additional;
        add({ code, units: 1, rule: 'nail_avulsion', reasons: [first ? 'avulsion of a nail plate, partial or complete, first nail' : 'avulsion of a nail plate, each additional nail'], evidence: ev, side: d.side, site: d.code, modifiers: [{ code: d.code, reason: d.reason }] });
      });
    }
    const wax = /\b(?:cerumen|ear ?wax)\b/i.exec(s.text);
    if (wax && /\b(?:remov\w*|disimpact\w*|curett\w*|irrigat\w*|lavage|extract\w*)\b/i.test(s.text) && performed(s, wax.index, wax.index + wax[0].length)) {
      const instrument = /\b(?:curette?\w*|forceps|suction|loop|instrument\w*|alligator)\b/i.test(s.text);
      const side = sideIn(s.text) ?? (/\bears\b/i.test(s.text) ? 'bilateral' : undefined);
      const code = instrument ? OFFICE.cerumen.instrumentation : OFFICE.cerumen.irrigation;
      add({ code, units: 1, rule: 'cerumen', reasons: [`removal of impacted cerumen ${instrument ? 'with instrumentation' : 'by irrigation/lavage'}, per ear`], evidence: ev, side, site: 'ear', modifiers: [] });
    }
    const splint = /\bsplint(?:ed|ing)?\b/i.exec(s.text);
    if (splint && /\b(?:applied|placed|application|fitted|splinted)\b/i.test(s.text) && performed(s, splint.index, splint.index + splint[0].length)) {
      const type = /\blong[- ]arm\b/i.test(s.text)
        ? 'long_arm'
        : /\b(?:short[- ]arm|volar|forearm|ulnar gutter|radial gutter|thumb spica|wrist)\b/i.test(s.text)
          ? 'short_arm'
          : /\b(?:finger|digit|mallet)\b/i.test(s.text)
            ? 'finger'
            : /\blong[- ]leg\b/i.test(s.text)
              ? 'long_leg'
              : /\b(?:short[- ]leg|posterior (?:leg|ankle)|ankle stirrup|stirrup|lower leg)\b/i.test(s.text)
                ? 'short_leg'
                : null;
      if (type) add({ code: OFFICE.splint[type], units: 1, rule: 'splint', reasons: [`static splint application, ${type.replace('_', ' ')}`], evidence: ev, side: sideIn(s.text), site: type, modifiers: [] });
    }
  }
  return out;
}

/** Every rule-based CPT procedure of a note, in note order of their first evidence. */
export function procedureFindings(text: string, options: { facilitySupplied?: boolean } = {}): ProcedureFinding[] {
  const sentences = sentencesOf(text);
  return [
    ...repairFindings(text, sentences),
    ...excisionFindings(text, sentences),
    ...destructionFindings(text, sentences),
    ...jointFindings(text, sentences),
    ...(options.facilitySupplied ? [] : infusionFindings(text, sentences)),
    ...officeFindings(text, sentences),
    ...(options.facilitySupplied ? [] : officeTestFindings(text, sentences)),
  ];
}
