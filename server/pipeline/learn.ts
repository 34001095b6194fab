// Learning the engine's confidence from labelled notes (CodiEsp train today; coders' final codes once
// they exist): per (phrase → code) and per code, how often a candidate that survived the rules was in
// the gold; priors per kind of match; and the threshold that maximises micro-F1 — each note scored with
// its own counts left out, so the threshold is not tuned on memorised answers.
import type { Knowledge } from './knowledge.ts';
import { bestMention, codeKey, contextKey, coveredKey, coveredScore, isRetrievedOnly, phraseKey, priorKey, procedureCodeKey, procedurePhraseKey, scoreCandidate, scoredMentions, scoreProcedure, type Counts, type LearnedModel } from './learned.ts';
import type { RuledCandidate } from './rules.ts';
import { expandAbbreviations } from './abbreviations.ts';
import type { ProcedureKnowledge, ScoredProcedure } from './procedures.ts';
import type { RetrievedHits } from './retrieve.ts';
import { suggestCodes } from './run.ts';
import { splitSections } from './sections.ts';
import { splitSentences } from './sentences.ts';
import { tokenize } from './tokens.ts';
import type { NoteInput } from './types.ts';

export interface LabelledNote {
  id: string;
  note: NoteInput;
  /** Gold ICD-10-CM codes of the note. */
  gold: string[];
  /** Codes retrieved for the note's leftover phrases (run.ts retrieveFor), learned like dictionary matches. */
  retrieved?: RetrievedHits;
  /** Gold ICD-10-PCS codes (may be prefixes, as CodiEsp's are); procedures are learned when given. */
  procedures?: string[];
  /**
   * Codes a coder added with the text they selected as evidence ("SCHF-r" → I50.22): the selection's
   * phrases may be mined for the code without sharing a word with its titles — the coder grounded them.
   */
  selected?: { code: string; text: string }[];
  /** Suggestions coders rejected, with what the reason teaches (models/decision-notes.ts maps the reasons). */
  rejected?: readonly Rejection[];
}

/**
 * A rejected diagnosis and where its negative applies. `plain`: the code is wrong for the words that found it
 * (not documented). `context`: wrong only in this wording ("fall risk low", "no evidence of …": negated,
 * ruled out, history only) — the code stays learnable where the same phrase is affirmed. `covered`: wrong
 * only beside `coveredBy`, the diagnosis it is integral to (OCG I.B.5). `replacedBy`: codes the coder put in
 * its place (a more specific code, a history code), grounded on the rejected suggestion's words.
 */
export interface Rejection {
  code: string;
  scope: 'plain' | 'context' | 'covered';
  coveredBy?: readonly string[];
  replacedBy?: readonly string[];
}

export interface LearnOptions {
  /** The ICD-10-PCS release: with it, procedure candidates are counted against the notes' `procedures`. */
  procedures?: ProcedureKnowledge;
  isProcedureCorrect?: IsCorrect;
  /**
   * Count a candidate the guideline layer folded into a code it derived (hypertension + heart failure →
   * I11.0, OCG I.C.9.a) as right. Coders' decisions judge the suggestions they saw: a rejected combination
   * code would otherwise teach the model to drop its inputs, and with them a code the guidelines require.
   */
  keepGuidelineInputs?: boolean;
}

/** Whether a predicted code counts as the gold code (the eval's vintage alignment, e.g. R51.9 ≈ R51). */
export type IsCorrect = (predicted: string, gold: ReadonlySet<string>) => boolean;

interface Observed {
  noteId: string;
  candidate: RuledCandidate;
  correct: boolean;
  /** Rejected as negated/history (only its wording's counts) or as integral (only its counts beside coveredBy). */
  scope: 'general' | 'context' | 'covered';
  /** The gold codes beside it (a general observation also counts beside those coders judged it with). */
  gold: ReadonlySet<string>;
  coveredBy: readonly string[];
  /** The codes it was counted beside (coveredKey), set by countModel for leave-one-out. */
  covering?: string[];
}

export interface LearnReport {
  model: LearnedModel;
  notes: number;
  candidates: number;
  trainF1: number;
  trainPrecision: number;
  trainRecall: number;
}

export function learnModel(id: string, notes: readonly LabelledNote[], kb: Knowledge, isCorrect: IsCorrect, options: LearnOptions = {}): LearnReport {
  // Pass 1: what the dictionary finds; the gold codes it misses are mined for phrase associations.
  const first = notes.map((n) => ({ n, gold: new Set(n.gold), ranked: suggestCodes(n.note, kb, null, undefined, { retrieved: n.retrieved }).ranked }));
  const mined = mineAssociations(first, kb, isCorrect);
  // Pass 2: every candidate, dictionary and mined, through the same rules, counted against the gold.
  const stub: LearnedModel = { id, params: {}, phrase: new Map(), code: new Map(), mined };
  const observed: Observed[] = [];
  const procedures: { candidate: ScoredProcedure; correct: boolean }[] = [];
  let goldTotal = 0;
  let procedureGold = 0;
  const learnProcedures = options.procedures && notes.some((n) => n.procedures);
  for (const { n, gold } of first) {
    goldTotal += gold.size;
    const r = suggestCodes(n.note, kb, mined.size ? stub : null, undefined, { retrieved: n.retrieved, procedures: learnProcedures ? options.procedures : undefined });
    const inputs = options.keepGuidelineInputs ? guidelineInputs(r) : new Set<RuledCandidate>();
    const rejections = new Map((n.rejected ?? []).map((x) => [x.code, x]));
    for (const c of r.ranked) {
      const correct = inputs.has(c) || isCorrect(c.code, gold);
      // A code still finalized (rejected once, added back) is right whatever the reason said.
      const rejection = correct ? undefined : rejections.get(c.code);
      const scope = rejection?.scope === 'context' ? 'context' : rejection?.scope === 'covered' && rejection.coveredBy?.length ? 'covered' : 'general';
      observed.push({ noteId: n.id, candidate: c, correct, scope, gold, coveredBy: rejection?.coveredBy ?? [] });
    }
    if (!learnProcedures) continue;
    // As the eval counts them: one prediction per code, and one gold code matched once (CodiEsp's prefix
    // gold "BT4" is not two hits for BT41ZZZ and BT42ZZZ).
    const pGold = n.procedures ?? [];
    procedureGold += new Set(pGold).size;
    const seen = new Set<string>();
    const claimed = new Set<string>();
    for (const c of r.procedures) {
      if (seen.has(c.code)) continue;
      seen.add(c.code);
      const g = pGold.find((x) => !claimed.has(x) && (options.isProcedureCorrect ?? isCorrect)(c.code, new Set([x])));
      if (g) claimed.add(g);
      procedures.push({ candidate: c, correct: g != null });
    }
  }
  const model = countModel(id, observed);
  model.mined = mined;
  if (learnProcedures) learnProcedureCounts(model, procedures, procedureGold);
  // Leave-one-note-out confidences, then the threshold with the best micro-F1 over the dictionary's
  // candidates; then, with those fixed, the threshold for codes only retrieval found — so retrieval's many
  // weak hits can add what raises F1 but never move the dictionary's threshold.
  const loo = observed.map((o) => ({ correct: o.correct, retrieved: isRetrievedOnly(o.candidate), score: looScore(o, model) }));
  const main = bestThreshold(loo.filter((s) => !s.retrieved), goldTotal, { tp: 0, n: 0 });
  model.params.threshold = finite(main.threshold);
  const retrieved = bestThreshold(loo.filter((s) => s.retrieved && s.score >= main.threshold), goldTotal, { tp: main.tp, n: main.n }, main.f1);
  model.params.retrievedThreshold = finite(retrieved.threshold);
  const best = retrieved.f1 > main.f1 ? retrieved : main;
  return { model, notes: notes.length, candidates: observed.length, trainF1: best.f1, trainPrecision: best.p, trainRecall: best.r };
}

/**
 * Procedure counts (per modality + body words → code, and per code) and the procedure threshold that
 * maximises procedure micro-F1, each candidate scored with its own observation left out.
 */
function learnProcedureCounts(model: LearnedModel, observed: readonly { candidate: ScoredProcedure; correct: boolean }[], goldTotal: number): void {
  for (const o of observed) {
    bump(model.code, procedureCodeKey(o.candidate.code), o.correct);
    const key = procedurePhraseKey(o.candidate.key);
    const byCode = model.phrase.get(key) ?? new Map<string, Counts>();
    bump(byCode, o.candidate.code, o.correct);
    model.phrase.set(key, byCode);
  }
  const loo = observed.map((o) => ({ correct: o.correct, score: scoreProcedure(o.candidate, model, { correct: o.correct }) }));
  model.params.procedureThreshold = finite(bestThreshold(loo, goldTotal, { tp: 0, n: 0 }).threshold);
}

/**
 * The candidates the guideline layer dropped into a code it derived: dropped by a stage (they passed the
 * rules, so `ranked` holds them) and sharing evidence with a suggestion that no candidate proposed.
 */
function guidelineInputs(r: ReturnType<typeof suggestCodes>): Set<RuledCandidate> {
  const candidateCodes = new Set(r.ranked.map((c) => c.code));
  const derivedSpans = r.suggestions.filter((s) => s.system === 'ICD10CM' && !candidateCodes.has(s.code)).flatMap((s) => s.evidence);
  const droppedCodes = new Set(r.dropped.map((d) => d.code));
  const overlaps = (a: { start: number; end: number }) => derivedSpans.some((b) => a.start < b.end && b.start < a.end);
  return new Set(r.ranked.filter((c) => droppedCodes.has(c.code) && c.evidence.some((m) => overlaps(m.span))));
}

/** Stored thresholds are JSON numbers: "nothing passes" is stored as 2, above any confidence. */
const finite = (threshold: number) => (Number.isFinite(threshold) ? threshold : 2);

interface Threshold {
  threshold: number;
  f1: number;
  p: number;
  r: number;
  tp: number;
  n: number;
}

/**
 * The score threshold with the best micro-F1 when the candidates at or above it are added to `base`
 * (already accepted: tp correct of n). Infinity when adding none is best (F1 `baseF1`).
 */
function bestThreshold(list: readonly { correct: boolean; score: number }[], goldTotal: number, base: { tp: number; n: number }, baseF1 = 0): Threshold {
  const f1Of = (tp: number, n: number) => {
    const p = n ? tp / n : 0;
    const r = goldTotal ? tp / goldTotal : 0;
    return { p, r, f1: p + r ? (2 * p * r) / (p + r) : 0 };
  };
  let best: Threshold = { threshold: Infinity, ...f1Of(base.tp, base.n), f1: baseF1, tp: base.tp, n: base.n };
  const sorted = [...list].sort((a, b) => b.score - a.score);
  let tp = base.tp;
  sorted.forEach((s, i) => {
    if (s.correct) tp++;
    const next = sorted[i + 1];
    if (next && next.score === s.score) return;
    const n = base.n + i + 1;
    const m = f1Of(tp, n);
    if (m.f1 > best.f1) best = { threshold: s.score, ...m, tp, n };
  });
  return best;
}

function bump(map: Map<string, Counts>, key: string, correct: boolean) {
  const c = map.get(key) ?? { tp: 0, fp: 0 };
  if (correct) c.tp++;
  else c.fp++;
  map.set(key, c);
}

function phraseKeys(c: RuledCandidate): string[] {
  return [...new Set(scoredMentions(c).map(phraseKey))];
}

/** The wordings (contextKey) of a candidate's scored mentions. */
const contextKeys = (c: RuledCandidate): string[] => [...new Set(scoredMentions(c).map(contextKey).filter((k): k is string => k != null))];

/** The codes an observation is counted beside (coveredKey): its covering codes, or the tracked ones on its note. */
function coveringCodes(o: Observed, tracked: ReadonlySet<string>): string[] {
  if (o.scope === 'covered') return [...new Set(o.coveredBy)];
  if (o.scope === 'context') return [];
  return [...o.gold].filter((g) => g !== o.candidate.code && tracked.has(coveredKey(g, o.candidate.code)));
}

/** Leave-one-out confidence of an observation: its own counts taken out at every level it was counted at. */
function looScore(o: Observed, model: LearnedModel): number {
  const leaveOut = { correct: o.correct };
  const score = scoreCandidate(o.candidate, model, { ...leaveOut, general: o.scope === 'general' });
  return o.covering?.length ? coveredScore(o.candidate.code, score, new Set(o.covering), model, leaveOut) : score;
}

function countModel(id: string, observed: readonly Observed[]): LearnedModel {
  const code = new Map<string, Counts>();
  const phrase = new Map<string, Map<string, Counts>>();
  const prior = new Map<string, Counts>();
  const bumpPhrase = (key: string, c: string, correct: boolean) => {
    const byCode = phrase.get(key) ?? new Map<string, Counts>();
    bump(byCode, c, correct);
    phrase.set(key, byCode);
  };
  // Only the wordings and code pairs some rejection was about are kept: every observation there counts under
  // them (so a wording coders also accepted is not all negative), the rest of the model stays as it was.
  const contexts = new Set(observed.filter((o) => o.scope === 'context').flatMap((o) => contextKeys(o.candidate).map((k) => `${k}\u0000${o.candidate.code}`)));
  const pairs = new Set(observed.filter((o) => o.scope === 'covered').flatMap((o) => o.coveredBy.map((g) => coveredKey(g, o.candidate.code))));
  for (const o of observed) {
    for (const key of contextKeys(o.candidate)) if (contexts.has(`${key}\u0000${o.candidate.code}`)) bumpPhrase(key, o.candidate.code, o.correct);
    o.covering = coveringCodes(o, pairs);
    for (const g of o.covering) bump(code, coveredKey(g, o.candidate.code), o.correct);
    if (o.scope !== 'general') continue;
    bump(code, codeKey(o.candidate), o.correct);
    for (const key of phraseKeys(o.candidate)) bumpPhrase(key, o.candidate.code, o.correct);
    bump(prior, priorKey(bestMention(o.candidate)), o.correct);
  }
  const params: Record<string, number> = {};
  for (const [k, c] of prior) params[k] = (c.tp + 1) / (c.tp + c.fp + 2);
  return { id, params, phrase, code, mined: new Map() };
}

/** A phrase must occur in this many training notes whose gold has the code the dictionary missed… */
const MIN_SUPPORT = 4;
/** …and those must be at least this share of all notes with the phrase. */
const MIN_SHARE = 0.5;
const MAX_CODES_PER_GROUNDING_WORD = 600;

/**
 * Mention→code associations mined from gold codes: one- and two-word phrases (stems) that, across the
 * labelled notes, come with a gold code the dictionary did not find ("smoker" → F17.210). Only codes
 * that are billable in the release; at most two codes per phrase.
 */
function mineAssociations(
  first: { n: LabelledNote; gold: Set<string>; ranked: RuledCandidate[] }[],
  kb: Knowledge,
  isCorrect: IsCorrect,
): Map<string, string[]> {
  const df = new Map<string, number>();
  const co = new Map<string, Map<string, number>>();
  const coderGrounded = new Set<string>();
  for (const { n, gold, ranked } of first) {
    for (const s of n.selected ?? []) for (const p of notePhrases(s.text)) coderGrounded.add(`${p}\u0000${s.code}`);
    // A code the coder put in place of a rejected suggestion (more specific, history) is grounded on its words.
    for (const x of n.rejected ?? []) {
      const words = ranked.find((c) => c.code === x.code)?.mentions.map((m) => m.span.quote) ?? [];
      for (const code of x.replacedBy ?? []) for (const w of words) for (const p of notePhrases(w)) coderGrounded.add(`${p}\u0000${code}`);
    }
    const phrases = notePhrases(n.note.text);
    for (const p of phrases) df.set(p, (df.get(p) ?? 0) + 1);
    // A code only retrieval proposed (weakly, perhaps never suggested) is still a code the dictionary missed.
    const missed = [...gold].filter((g) => kb.codes.get(g)?.billable && !ranked.some((c) => !isRetrievedOnly(c) && isCorrect(c.code, new Set([g]))));
    if (missed.length === 0) continue;
    for (const p of phrases) {
      const byCode = co.get(p) ?? new Map<string, number>();
      for (const g of missed) byCode.set(g, (byCode.get(g) ?? 0) + 1);
      co.set(p, byCode);
    }
  }
  const vocabulary = codeVocabulary(kb);
  const codesWithWord = new Map<string, number>();
  for (const words of vocabulary.values()) for (const w of words) codesWithWord.set(w, (codesWithWord.get(w) ?? 0) + 1);
  // A word shared by this many codes ("disease", "virus", "left") grounds nothing.
  const specific = (w: string) => (codesWithWord.get(w) ?? 0) <= MAX_CODES_PER_GROUNDING_WORD;
  const mined = new Map<string, string[]>();
  for (const [p, byCode] of co) {
    const codes = [...byCode]
      .filter(([g, k]) => k >= MIN_SUPPORT && k / df.get(p)! >= MIN_SHARE && (coderGrounded.has(`${p}\u0000${g}`) || grounded(p, vocabulary.get(g), specific)))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 2)
      .map(([c]) => c);
    if (codes.length) mined.set(p, codes);
  }
  return mined;
}

/**
 * Every word of a code's own texts (title, Index paths, inclusion terms, modifiers). A mined phrase must
 * share a word with them — "cigarette" with "Nicotine dependence, cigarettes", "liver metastases" with
 * "Secondary malignant neoplasm of liver" — so that co-occurrences specific to one corpus ("November",
 * "were administered") are not learned as codes.
 */
function codeVocabulary(kb: Knowledge): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (code: string, words: Iterable<string>) => {
    const set = out.get(code) ?? new Set<string>();
    for (const w of words) set.add(w);
    out.set(code, set);
  };
  for (const e of kb.dictionary.entries) add(e.term.code, [...e.slots.flatMap((s) => s.alternatives.flat()), ...e.optional]);
  for (const [code, info] of kb.codes) add(code, tokenize(info.title).map((t) => t.stem));
  return out;
}

/** Whether some word of the phrase is a word of the code (same stem, or the same first six letters). */
function grounded(phrase: string, words: Set<string> | undefined, specific: (w: string) => boolean): boolean {
  if (!words) return false;
  return phrase
    .split(' ')
    .some((w) => (words.has(w) && specific(w)) || (w.length >= 6 && [...words].some((v) => v.length >= 6 && v.slice(0, 6) === w.slice(0, 6) && specific(v))));
}

/** Distinct one- and two-word stem phrases of a note, as findMinedMentions reads sentences. */
function notePhrases(text: string): Set<string> {
  const out = new Set<string>();
  for (const s of splitSentences(text, splitSections(text))) {
    const tokens = tokenize(expandAbbreviations(s.text).text);
    tokens.forEach((t, i) => {
      if (/^\d+$/.test(t.stem) || t.stem.length < 3) return;
      out.add(t.stem);
      const next = tokens[i + 1];
      if (next && next.position - t.position === 1 && !/^\d+$/.test(next.stem)) out.add(`${t.stem} ${next.stem}`);
    });
  }
  return out;
}

