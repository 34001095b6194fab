// Cholecystitis with gallstones is one code: the Index sends "Cholecystitis, with, calculus, stones in, gallbladder"
// and "…, with, cholelithiasis" to "Calculus, gallbladder, with cholecystitis" (K80.0–K80.1), and K81
// *Cholecystitis* Excludes1 "cholecystitis with cholelithiasis (K80.-)" (OCG I.A.12.a, I.A.15 "with", I.B.9
// combination codes). "Acute calculous cholecystitis" is K80.00, not K81.0; "acute cholecystitis" beside
// "cholelithiasis" is K80.00 too, since the Index's "with" links them. The obstruction the note states or denies
// chooses the fifth character. Stones in the bile duct (K80.3–K80.5) are read by the Index; with stones in the
// gallbladder too they are one code (K80.6–K80.7, applyGallbladderAndDuctStones below).
import type { Dropped, RuledCandidate } from '../rules.ts';
import { derivedCandidate, noteDrop, recoded, type GuidelineInput, type StageResult } from './types.ts';

/** K81 → the K80 code "with cholecystitis" of the same kind, [without, with] obstruction (Index, Calculus, gallbladder). */
const WITH_CALCULUS: Readonly<Record<string, readonly [string, string]>> = {
  'K81.0': ['K80.00', 'K80.01'],
  'K81.1': ['K80.10', 'K80.11'],
  'K81.2': ['K80.12', 'K80.13'],
  'K81.9': ['K80.10', 'K80.11'],
};
/** "calculous cholecystitis", "gallstone cholecystitis", "cholecystitis with/due to gallstones". */
const CALCULOUS = /\bcalculous\s+(?:\w+\s+){0,2}cholecystitis\b|\bgallstone\s+cholecystitis\b|\bcholecystitis\b[^.;]{0,30}?\b(?:with|due to|secondary to|from)\s+(?:\w+\s+){0,2}(?:gallstones?|cholelithiasis|calculi|stones?)\b/i;
const OBSTRUCTION = /\b(?:with|and)\s+(?:\w+\s+){0,2}obstruction\b|\bobstructing\b|\bobstructed\b/i;
const NO_OBSTRUCTION = /\b(?:no|without|w\/o)\s+(?:\w+\s+){0,3}obstruction\b/i;
const BILE_DUCT = /^K80\.[3-7]/;
/** Gallstones without cholecystitis, K80.20/K80.21: coded beside K81 they are the combination's other half. */
const STONES = /^K80\.2[01]$/;

/** Example: "Acute calculous cholecystitis without obstruction" read as K81.0 → K80.00. */
export function applyCholecystitisCalculus(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const c = kept.find((k) => k.code in WITH_CALCULUS);
  // Stones in the bile duct too (K80.3–K80.7) are read by the Index's own paths, not here.
  if (!c || kept.some((k) => BILE_DUCT.test(k.code))) return { kept, dropped: [] };
  const sentences = [...new Set(c.evidence.map((m) => m.sentenceIndex))].map((i) => input.sentences[i]?.text ?? '');
  const stones = kept.filter((k) => STONES.test(k.code));
  if (!sentences.some((s) => CALCULOUS.test(s)) && stones.length === 0) return { kept, dropped: [] };
  const obstructed = [...sentences, ...stones.map((s) => s.code === 'K80.21' ? 'with obstruction' : '')].some((s) => OBSTRUCTION.test(s) && !NO_OBSTRUCTION.test(s));
  const code = WITH_CALCULUS[c.code]![obstructed ? 1 : 0];
  if (!input.kb.codes.get(code)?.billable) return { kept, dropped: [] };
  const why = `cholecystitis with gallbladder calculus: one code, ${code} (Index: Calculus, gallbladder, with cholecystitis; K81 Excludes1 cholecystitis with cholelithiasis; OCG I.B.9)`;
  // Another reading of the same combination with the other obstruction status (K80.00 beside K80.01): the sentence
  // decided it, and one condition has one code.
  const siblings = kept.filter((k) => k.code !== code && k.code.slice(0, 5) === code.slice(0, 5));
  const dropped: Dropped[] = [c, ...stones, ...siblings].map((k) => ({ code: k.code, reason: why }));
  const existing = kept.find((k) => k.code === code);
  const evidence = [...c.evidence, ...stones.flatMap((s) => s.evidence)];
  // A reading of the combination already kept takes the cholecystitis's evidence (the diagnostic statement's words).
  const combined = existing ? { ...existing, evidence: [...existing.evidence, ...evidence.filter((m) => !existing.evidence.includes(m))], rules: [...existing.rules] } : derivedCandidate(code, evidence, Math.max(c.confidence, ...stones.map((s) => s.confidence)), 'combination_code', `${c.code} → ${code}: ${why}`);
  for (const k of [c, ...stones]) noteDrop(combined, 'combination_code', `${k.code} (${input.kb.codes.get(k.code)?.title ?? ''}) included in ${code}`);
  for (const k of siblings) noteDrop(combined, 'combination_code', `${k.code} (${input.kb.codes.get(k.code)?.title ?? ''}) not reported: the note ${obstructed ? 'documents' : 'does not document'} the obstruction`);
  // The combination takes the cholecystitis's place in the order (a principal diagnosis stays first).
  const gone = new Set<RuledCandidate>([...stones, ...siblings, ...(existing ? [existing] : [])]);
  return { kept: kept.flatMap((k) => (k === c ? [combined] : gone.has(k) ? [] : [k])), dropped };
}

/**
 * "Biliary colic" is the Index's K80.50 (Colic, biliary: a stone in the bile duct), but a note that denies the duct
 * stone ("no choledocholithiasis; CBD 4 mm") has the colic of its gallbladder stones: K80.50 read only from the colic
 * goes (OCG I.B.2: the documentation, not the default, decides; the stones are coded by their own reading).
 */
export function applyDeniedDuctStone(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const duct = kept.filter((c) => /^K80\.5/.test(c.code) && c.evidence.every((m) => !DUCT_WORDS.test(m.span.quote)));
  if (duct.length === 0) return { kept, dropped: [] };
  const denied = input.scored.some((c) => /^K80\.5/.test(c.code) && c.mentions.some((m) => m.context.negated && DUCT_WORDS.test(m.span.quote)));
  if (!denied) return { kept, dropped: [] };
  const reason = 'the note denies a bile duct stone: "biliary colic" is the gallbladder stones\' (OCG I.B.2)';
  return { kept: kept.filter((c) => !duct.includes(c)), dropped: duct.map((c) => ({ code: c.code, reason })) };
}
const DUCT_WORDS = /choledocho|bile duct|\bCBD\b|ductal/i;

/** Gallbladder calculus codes → the "gallbladder and bile duct" code of the same cholecystitis, by [without, with] obstruction. */
const WITH_DUCT: Readonly<Record<string, readonly [string, string]>> = {
  'K80.2': ['K80.70', 'K80.71'],
  'K80.00': ['K80.62', 'K80.63'],
  'K80.01': ['K80.62', 'K80.63'],
  'K80.10': ['K80.64', 'K80.65'],
  'K80.11': ['K80.64', 'K80.65'],
  'K80.12': ['K80.66', 'K80.67'],
  'K80.13': ['K80.66', 'K80.67'],
};
const DUCT_STONE = /^K80\.5[01]$/;

/**
 * Stones in the gallbladder and in the bile duct are one code (Index: Calculus, gallbladder, with, bile duct calculus —
 * see Calculus, gallbladder and bile duct: K80.6–K80.7): "Cholelithiasis with choledocholithiasis causing common bile
 * duct obstruction" read as K80.21 and K80.50 is K80.71. Either's obstruction makes the combination's.
 * Example: K80.21 + K80.50 → K80.71; K80.00 + K80.50 → K80.62.
 */
export function applyGallbladderAndDuctStones(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const duct = kept.find((k) => DUCT_STONE.test(k.code));
  const gallbladder = kept.find((k) => (WITH_DUCT[k.code] ?? WITH_DUCT[k.code.slice(0, 5)]) && !DUCT_STONE.test(k.code));
  if (!duct || !gallbladder) return { kept, dropped: [] };
  const pair = WITH_DUCT[gallbladder.code] ?? WITH_DUCT[gallbladder.code.slice(0, 5)]!;
  const obstructed = [duct, gallbladder].some((k) => /obstruction$/i.test(input.kb.codes.get(k.code)?.title ?? '') && !/without obstruction$/i.test(input.kb.codes.get(k.code)?.title ?? ''));
  const code = pair[obstructed ? 1 : 0];
  if (!input.kb.codes.get(code)?.billable) return { kept, dropped: [] };
  const why = `calculus of the gallbladder and of the bile duct: one code, ${code} (Index: Calculus, gallbladder and bile duct; OCG I.B.9)`;
  const parts = kept.filter((k) => k === duct || k === gallbladder || (DUCT_STONE.test(k.code) || /^K80\.2/.test(k.code)));
  // Read already (the Index's "Calculus, gallbladder and bile duct"): that reading takes the parts' evidence.
  const existing = kept.find((k) => k.code === code);
  const combined = existing
    ? { ...existing, evidence: [...existing.evidence, ...parts.flatMap((k) => k.evidence)], rules: [...existing.rules] }
    : derivedCandidate(code, parts.flatMap((k) => k.evidence), Math.max(...parts.map((k) => k.confidence)), 'combination_code', why);
  for (const k of parts) noteDrop(combined, 'combination_code', `${k.code} not reported: ${why}`);
  return { kept: [...kept.filter((k) => !parts.includes(k) && k !== existing), combined], dropped: parts.map((k) => ({ code: k.code, reason: why })) };
}

/**
 * "Cholelithiasis" is a calculus of the gallbladder (Index: Cholelithiasis — see Calculus, gallbladder, K80.20): the
 * K80 title's header completed to K80.80/K80.81 *Other cholelithiasis* (for the Index's "Cholelithiasis, specified NEC",
 * which notes do not write) is K80.20/K80.21. The held-out coders reported K80.20 fifteen times and K80.80 never.
 * Example: "Secondary diagnoses: Cholelithiasis" read as K80.80 → K80.20.
 */
export function applyCholelithiasisDefault(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const dropped: Dropped[] = [];
  const out = kept.flatMap((c) => {
    const code = c.code === 'K80.80' ? 'K80.20' : c.code === 'K80.81' ? 'K80.21' : null;
    if (!code || c.evidence.some((m) => /specified NEC/i.test(m.termText)) || !input.kb.codes.get(code)?.billable) return [c];
    const why = 'cholelithiasis is a calculus of the gallbladder (Index: Cholelithiasis — see Calculus, gallbladder)';
    dropped.push({ code: c.code, reason: `${code}: ${why}` });
    // Read already: the same stones, one code.
    const existing = kept.find((o) => o.code === code);
    if (existing) {
      noteDrop(existing, 'cholelithiasis', `${c.code} not reported: ${why}`);
      return [];
    }
    return [recoded(c, code, 'cholelithiasis', `${c.code} → ${code}: ${why}`)];
  });
  return { kept: out, dropped };
}

