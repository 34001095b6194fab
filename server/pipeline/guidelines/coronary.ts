// OCG I.C.9.b — atherosclerotic coronary artery disease and angina: "ICD-10-CM has combination codes for
// atherosclerotic heart disease with angina pectoris" (I25.11-, native coronary artery); "it is not necessary
// to use an additional code for angina pectoris. A causal relationship can be assumed … unless the
// documentation indicates the angina is due to something other than the atherosclerosis." The combination
// code for an angina code is the I25.11- child whose title carries the angina's own title words ("Unstable
// angina" I20.0 → I25.110 "… with unstable angina pectoris"; "Other forms of angina pectoris" I20.89 →
// I25.118), so the pairing is read from the tabular titles, not listed here.
import { stems } from '../../index/lexical-score.ts';
import { titleStems, type Knowledge } from '../knowledge.ts';
import type { Dropped, RuledCandidate } from '../rules.ts';
import { derivedCandidate, noteDrop, type GuidelineInput, type StageResult } from './types.ts';

const ANGINA = /^I20\./;
/** Coronary atherosclerosis of native arteries without angina, and chronic ischemic heart disease NOS. */
const CAD = /^I25\.(10|9)$/;
const COMBINATION_PARENT = 'I25.11';
/** The provider names another cause of the angina ("angina due to severe anemia"). */
const OTHER_CAUSE = /\b(due to|secondary to|caused by|from)\b(?![^.;]*\b(coronary|cad|atheroscl\w*|ischemi\w*|stenosis of the (lad|rca|lcx))\b)/i;

/** The I25.11- code whose title contains every title word of the angina code, if the release has one. */
function combinationFor(input: GuidelineInput, angina: string): string | null {
  const words = titleStems(input.kb, angina);
  const children = input.kb.children.get(COMBINATION_PARENT) ?? [];
  const matches = children.filter((c) => input.kb.codes.get(c)?.billable && words.every((w) => titleStems(input.kb, c).includes(w)));
  // The fewest extra words: the closest reading ("with angina pectoris with documented spasm" for I20.1).
  return matches.sort((a, b) => titleStems(input.kb, a).length - titleStems(input.kb, b).length)[0] ?? null;
}

/**
 * Example: "CAD of native coronary arteries with stable angina" read as I25.10 and I20.89 → I25.118 alone,
 * the two codes recorded on it.
 */
export function applyCoronaryAngina(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const cad = kept.filter((c) => CAD.test(c.code));
  const anginas = kept.filter((c) => ANGINA.test(c.code));
  if (cad.length === 0 || anginas.length === 0) return { kept, dropped: [] };
  /** The words after the mention in its sentence, where "angina due to …" names the cause. */
  const after = (m: RuledCandidate['evidence'][number]) => {
    const s = input.sentences[m.sentenceIndex];
    return s ? s.text.slice(Math.max(0, m.span.end - s.start)) : '';
  };
  const dropped: Dropped[] = [];
  const remove = new Set<RuledCandidate>();
  const added: RuledCandidate[] = [];
  for (const angina of anginas) {
    if (angina.evidence.some((m) => OTHER_CAUSE.test(after(m)))) continue;
    const code = combinationFor(input, angina.code);
    if (!code) continue;
    const existing = kept.find((c) => c.code === code) ?? added.find((c) => c.code === code);
    const detail = `coronary atherosclerosis with angina: the combination code, the link presumed (OCG I.C.9.b)`;
    const target = existing ?? derivedCandidate(code, [...cad.flatMap((c) => c.evidence), ...angina.evidence], Math.max(angina.confidence, ...cad.map((c) => c.confidence)), 'combination_code', detail);
    if (!existing) added.push(target);
    for (const c of [angina, ...cad]) {
      if (remove.has(c)) continue;
      remove.add(c);
      dropped.push({ code: c.code, reason: `included in the combination code ${code} (OCG I.C.9.b)` });
      noteDrop(target, 'combination_code', `${c.code} (${input.kb.codes.get(c.code)?.title ?? c.code}) included in ${code}: atherosclerosis with angina is presumed linked (OCG I.C.9.b)`);
    }
  }
  return { kept: [...kept.filter((c) => !remove.has(c)), ...added], dropped };
}

// OCG I.C.9.e.1 — "The ICD-10-CM codes for type 1 acute myocardial infarction (AMI) identify the site", and
// the Alphabetic Index lists the ST elevation MI by the artery involved ("Infarct, myocardium, ST elevation,
// involving, left anterior descending coronary artery I21.02"; "… right coronary artery I21.11"). A STEMI
// read by wall alone ("anterior wall STEMI" → I21.09, "other coronary artery of anterior wall") is re-read
// to the artery the same sentence names. Cardiologists name the arteries by their standard abbreviations,
// expanded here only inside an infarction's own sentence (outside it "LAD" may be left axis deviation).
const STEMI = /^I21\.[0-3]/;
const ARTERY_ABBREVIATIONS: readonly [RegExp, string][] = [
  [/\bLAD\b/g, 'left anterior descending'],
  [/\bLMCA\b|\bLM\b/g, 'left main'],
  [/\bL?Cx\b|\bLCX\b/g, 'left circumflex'],
  [/\bRCA\b/g, 'right coronary'],
  [/\bOM\d?\b|\bobtuse marginal\b/gi, 'oblique marginal'],
  [/\bD[12]\b/g, 'diagonal'],
];
/** Words every artery subterm shares, and the Index's catch-alls ("… of anterior wall NEC"). */
const ARTERY_COMMON = new Set(stems('coronary artery'));

interface ArteryTerm {
  words: string[];
  code: string;
  text: string;
}
const arteryCache = new WeakMap<Knowledge, ArteryTerm[]>();

/** Index subterms "Infarct, myocardium, ST elevation, involving, <artery>" (NEC catch-alls left out). */
function arteryTerms(kb: Knowledge): ArteryTerm[] {
  let terms = arteryCache.get(kb);
  if (terms) return terms;
  terms = [];
  for (const e of kb.dictionary.entries) {
    const path = e.term.path;
    if (e.term.kind !== 'index' || !path || !/^Infarct/i.test(path[0] ?? '') || !STEMI.test(e.term.code)) continue;
    const at = path.findIndex((p) => /^involving$/i.test(p));
    if (at < 0 || at !== path.length - 2 || !path.some((p) => /^ST elevation/i.test(p)) || /\bNEC\b/.test(path[at + 1]!)) continue;
    if (!kb.codes.get(e.term.code)?.billable) continue;
    terms.push({ words: stems(path[at + 1]!).filter((w) => !ARTERY_COMMON.has(w)), code: e.term.code, text: path[at + 1]! });
  }
  arteryCache.set(kb, terms);
  return terms;
}

/** The one artery the infarction's sentences name (several: the coder reads the culprit, so none). */
function namedArtery(c: RuledCandidate, input: GuidelineInput, terms: readonly ArteryTerm[]): ArteryTerm | null {
  const found = new Map<string, ArteryTerm>();
  for (const m of c.evidence) {
    let text = input.sentences[m.sentenceIndex]?.text ?? '';
    for (const [re, expansion] of ARTERY_ABBREVIATIONS) text = text.replace(re, expansion);
    const words = new Set(stems(text));
    for (const t of terms) if (t.words.length && t.words.every((w) => words.has(w))) found.set(t.code, t);
  }
  return found.size === 1 ? [...found.values()][0]! : null;
}

/** Example: "Acute anterior wall STEMI due to occlusion of the proximal LAD" read as I21.09 → I21.02. */
export function applyInfarctionSite(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const stemi = kept.filter((c) => STEMI.test(c.code));
  if (stemi.length === 0) return { kept, dropped: [] };
  const terms = arteryTerms(input.kb);
  const dropped: Dropped[] = [];
  const out: RuledCandidate[] = [];
  for (const c of kept) {
    if (out.includes(c)) continue;
    const artery = STEMI.test(c.code) ? namedArtery(c, input, terms) : null;
    if (!artery || artery.code === c.code) {
      out.push(c);
      continue;
    }
    dropped.push({ code: c.code, reason: `the infarction's artery is documented: ${artery.code} (OCG I.C.9.e.1)` });
    const detail = `${c.code} → ${artery.code}: the sentence names the artery involved (${artery.text}; Index: Infarct, myocardium, ST elevation, involving; OCG I.C.9.e.1)`;
    // Two readings of one infarction ("anterior wall STEMI", "STEMI") become one code with both evidences.
    const same = out.find((o) => o.code === artery.code) ?? kept.find((o) => o.code === artery.code);
    if (same) {
      if (!out.includes(same)) out.push(same);
      same.evidence.push(...c.evidence.filter((m) => !same.evidence.includes(m)));
      same.confidence = Math.max(same.confidence, c.confidence);
      noteDrop(same, 'infarction_site', detail);
    } else out.push({ ...c, code: artery.code, evidence: [...c.evidence], rules: [...c.rules, { rule: 'infarction_site', detail }] });
  }
  return { kept: out, dropped };
}
