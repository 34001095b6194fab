// The learned layer: how often a (matched phrase → code) candidate was right on labelled notes, with
// back-off to the code and to the kind of match, turned into a confidence; and the threshold that
// maximised F1 on the training notes. Pure: the counts come in as data (see db/queries/learned.ts).
import { normaliseTermText } from '../codes/compose-terms.ts';
import { RETRIEVED_KIND, type Candidate, type CandidateMention } from './candidates.ts';

export interface Counts {
  tp: number;
  fp: number;
}

export interface LearnedModel {
  id: string;
  params: Record<string, number>;
  phrase: Map<string, Map<string, Counts>>;
  code: Map<string, Counts>;
  /**
   * Phrase → codes mined from gold codes the dictionary did not find (stems joined by spaces, e.g.
   * "smoker" → F17.210). Their counts live in `phrase` under the key `learned:<phrase>`.
   */
  mined: Map<string, string[]>;
}

/** The phrase key of a mined association, in the same map as dictionary phrases. */
export const MINED_KIND = 'learned';

/** Pseudo-count of the back-off prior at each level (Bayesian smoothing). */
const M = 2;
/** Threshold and priors used before anything is learned. */
export const DEFAULT_THRESHOLD = 0.3;

/** A mention inside a longer one ("pain" in "abdominal pain") is counted apart from the same words standing alone. */
const subsumedMark = (m: Pick<CandidateMention, 'subsumed'>) => (m.subsumed ? 'sub:' : '');
export const phraseKey = (m: Pick<CandidateMention, 'termKind' | 'termText' | 'subsumed'>) => `${subsumedMark(m)}${m.termKind}:${normaliseTermText(m.termText)}`;
export const priorKey = (m: Pick<CandidateMention, 'termKind' | 'size' | 'subsumed'>) => `prior:${subsumedMark(m)}${m.termKind}:${Math.min(m.size, 4)}`;

/**
 * The key of a candidate's code-level counts. A code found only by retrieval is counted apart from the same
 * code found by the dictionary: retrieval's many weak hits must not lower the dictionary's confidence in R50.9.
 */
export const codeKey = (c: Pick<Candidate, 'code' | 'mentions'>) => (isRetrievedOnly(c) ? `${RETRIEVED_KIND}:${c.code}` : c.code);

/** The mention that best supports a candidate: a dictionary match before a retrieved one, one standing alone, then the most specific, then the tightest. */
/** A mention that reads a whole Index path or code title of at least `words` words, skipping at most `gaps` of the note's. */
export const readsWholeTerm = (m: Pick<CandidateMention, 'termKind' | 'size' | 'gaps'>, words: number, gaps = 0) =>
  (m.termKind === 'index' || m.termKind === 'title') && m.size >= words && m.gaps <= gaps;

export function bestMention(c: Candidate): CandidateMention {
  // Ranked by: a dictionary match over a retrieved one, not inside a longer match, more words, fewer gaps. A loop
  // without a ranking array per mention: called for every candidate several times a note (profiled).
  let best = c.mentions[0]!;
  for (let i = 1; i < c.mentions.length; i++) if (outranks(c.mentions[i]!, best)) best = c.mentions[i]!;
  return best;
}

function outranks(b: CandidateMention, a: CandidateMention): boolean {
  const rb = b.termKind.startsWith(RETRIEVED_KIND) ? 0 : 1;
  const ra = a.termKind.startsWith(RETRIEVED_KIND) ? 0 : 1;
  if (rb !== ra) return rb > ra;
  if (b.subsumed !== a.subsumed) return !b.subsumed;
  if (b.size !== a.size) return b.size > a.size;
  return -b.gaps > -a.gaps;
}

/** Heuristic prior when nothing is learned: longer, tighter Index matches are more often right. */
function heuristicPrior(m: CandidateMention): number {
  // A retrieved code shares only some words with the note: below the default threshold until learned.
  if (m.termKind.startsWith(RETRIEVED_KIND)) return 0.1;
  const base = 0.25 + 0.12 * Math.min(m.size, 4) + (m.termKind === 'index' ? 0.05 : 0) - 0.04 * Math.min(m.gaps, 5);
  return Math.min(0.9, Math.max(0.05, base));
}

/** A probability smoothed toward `p` by the counts (M pseudo-observations at p). */
function smooth(counts: Counts | undefined, p: number): number {
  return counts && counts.tp + counts.fp > 0 ? (counts.tp + M * p) / (counts.tp + counts.fp + M) : p;
}

/** Counts with one observation taken out (leave-one-out scoring while learning). */
function withoutOne(x: Counts | undefined, leaveOut?: { correct: boolean }): Counts | undefined {
  return x && leaveOut ? { tp: x.tp - (leaveOut.correct ? 1 : 0), fp: x.fp - (leaveOut.correct ? 0 : 1) } : x;
}

/**
 * The mentions whose phrase counts score a candidate: a code the dictionary found is judged by its
 * dictionary phrases only, so retrieval's phrases neither raise nor lower it; a retrieved-only code by its own.
 */
export const scoredMentions = (c: Pick<Candidate, 'mentions'>): CandidateMention[] =>
  isRetrievedOnly(c) ? c.mentions : c.mentions.filter((m) => !m.termKind.startsWith(RETRIEVED_KIND));

/**
 * The key of a mention's wording (learned.ts `phrase` map): counts under it judge the code only where the
 * same words surround the mention, so a coder's "negated" or "history only" rejection of W19.XXXA in
 * "Screening: fall risk low." does not teach that a fall documented elsewhere is wrong. Only wordings a
 * coder rejected that way are kept (learn.ts), so most mentions have no such counts.
 */
export const contextKey = (m: Pick<CandidateMention, 'around'>) => (m.around == null ? null : `ctx:${m.around}`);

/**
 * The key (in the `code` map) of a code's counts beside another code: a symptom coders reject as integral to
 * a diagnosis (OCG I.B.5) is judged by how often it was right when that diagnosis was on the note too.
 */
const COVERED_PREFIX = 'with:';
export const coveredKey = (covering: string, code: string) => `${COVERED_PREFIX}${covering}>${code}`;

/** How one training observation was counted, so that leave-one-out takes out exactly what it added. */
export interface LeaveOut {
  correct: boolean;
  /** false: counted only under its wording (contextKey) or beside its covering codes, not for the code and phrase. */
  general?: boolean;
}

/**
 * Confidence in [0, 1] that the candidate code belongs on the claim. `leaveOut` removes one observation of
 * this very candidate from the counts (leave-one-out scoring while learning).
 */
export function scoreCandidate(c: Candidate, model: LearnedModel | null, leaveOut?: LeaveOut): number {
  const m = bestMention(c);
  if (!model) return heuristicPrior(m);
  // No closures here: this runs for every candidate of every note, and tsx names each closure it creates (profiled).
  const general = leaveOut?.general === false ? undefined : leaveOut;
  const prior = model.params[priorKey(m)] ?? heuristicPrior(m);
  const codeCounts = withoutOne(model.code.get(codeKey(c)), general);
  const pCode = codeCounts ? (codeCounts.tp + M * prior) / (codeCounts.tp + codeCounts.fp + M) : prior;
  // Every mention's phrase counts: a code found by a phrase that was often right is likelier; then the
  // counts of its wording, where coders judged it apart (every observation there is counted under it).
  let best: number | null = null;
  let anyCounts = false;
  const seen = new Set<string>();
  for (const mention of scoredMentions(c)) {
    const key = phraseKey(mention);
    const ctx = contextKey(mention);
    if (seen.has(`${key}\u0000${ctx}`)) continue;
    seen.add(`${key}\u0000${ctx}`);
    const counts = withoutOne(model.phrase.get(key)?.get(c.code), general);
    const hasPhrase = counts != null && counts.tp + counts.fp > 0;
    const inContext = ctx == null ? undefined : withoutOne(model.phrase.get(ctx)?.get(c.code), leaveOut);
    const hasContext = inContext != null && inContext.tp + inContext.fp > 0;
    if (!hasPhrase && !hasContext) continue;
    anyCounts = true;
    best = Math.max(best ?? 0, smooth(inContext, smooth(counts, pCode)));
  }
  return anyCounts ? best! : pCode;
}

const coveringIndexes = new WeakMap<LearnedModel, Map<string, Map<string, string>>>();

/** code → (covering code → its coveredKey), built once per model: most models have none. */
function coveringIndex(model: LearnedModel): Map<string, Map<string, string>> {
  let index = coveringIndexes.get(model);
  if (!index) {
    index = new Map();
    for (const key of model.code.keys()) {
      if (!key.startsWith(COVERED_PREFIX)) continue;
      const [covering, code] = key.slice(COVERED_PREFIX.length).split('>') as [string, string];
      index.set(code, (index.get(code) ?? new Map<string, string>()).set(covering, key));
    }
    coveringIndexes.set(model, index);
  }
  return index;
}

/**
 * A confidence lowered by the code's counts beside each of `present` (the other codes on the note) that
 * coders judged it with (coveredKey). Never raises a confidence: guideline rules stay in force.
 */
export function coveredScore(code: string, confidence: number, present: ReadonlySet<string>, model: LearnedModel | null, leaveOut?: { correct: boolean }): number {
  const coverings = model && coveringIndex(model).get(code);
  if (!coverings) return confidence;
  let out = confidence;
  for (const [other, key] of coverings) {
    if (other === code || !present.has(other)) continue;
    const counts = withoutOne(model.code.get(key), leaveOut);
    if (!counts || counts.tp + counts.fp === 0) continue;
    out = Math.min(out, (counts.tp + M * confidence) / (counts.tp + counts.fp + M));
  }
  return out;
}

export const thresholdOf = (model: LearnedModel | null) => model?.params.threshold ?? DEFAULT_THRESHOLD;

/** Threshold of a code found only by retrieval: learned apart (see learn.ts); none learned = never suggested. */
export const retrievedThresholdOf = (model: LearnedModel | null) => model?.params.retrievedThreshold ?? Infinity;

export const isRetrievedOnly = (c: Pick<Candidate, 'mentions'>) => c.mentions.every((m) => m.termKind.startsWith(RETRIEVED_KIND));

/** Keys of the procedure (ICD-10-PCS) counts, apart from diagnosis phrases and codes. */
export const procedurePhraseKey = (key: string) => `pcs:${key}`;
export const procedureCodeKey = (code: string) => `pcs:${code}`;

/** Heuristic before anything is learned: a title that says all the note said is likely right. */
const procedurePrior = (match: number) => Math.max(0.05, Math.min(0.8, 0.8 * match));

/** Confidence that a procedure candidate's PCS code belongs on the claim (same smoothing as scoreCandidate). */
export function scoreProcedure(c: { code: string; key: string; match: number }, model: LearnedModel | null, leaveOut?: { correct: boolean }): number {
  const prior = procedurePrior(c.match);
  if (!model) return prior;
  const less = (x: Counts | undefined) => withoutOne(x, leaveOut);
  const codeCounts = less(model.code.get(procedureCodeKey(c.code)));
  const pCode = codeCounts && codeCounts.tp + codeCounts.fp > 0 ? (codeCounts.tp + M * prior) / (codeCounts.tp + codeCounts.fp + M) : prior;
  const counts = less(model.phrase.get(procedurePhraseKey(c.key))?.get(c.code));
  return counts && counts.tp + counts.fp > 0 ? (counts.tp + M * pCode) / (counts.tp + counts.fp + M) : pCode;
}

/** Threshold for procedure codes: learned from labelled procedures, else the default. */
export const procedureThresholdOf = (model: LearnedModel | null) => model?.params.procedureThreshold ?? DEFAULT_THRESHOLD;
