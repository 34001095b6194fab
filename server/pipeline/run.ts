// The offline engine, composed: candidates → learned scores → rules → suggestions. Pure: the knowledge
// base and the learned model come in as data.
import { generateCandidates, withRetrieved, type AnalysedSentence, type CandidateMention, type ClinicalPhrase } from './candidates.ts';
import type { Knowledge } from './knowledge.ts';
import { bestMention, coveredScore, isRetrievedOnly, priorKey, readsWholeTerm, procedureThresholdOf, retrievedThresholdOf, scoreCandidate, scoreProcedure, thresholdOf, type LearnedModel } from './learned.ts';
import { procedureCandidates, procedureRules, type ProcedureKnowledge, type ScoredProcedure } from './procedures.ts';
import type { Retrieve, RetrievedHits } from './retrieve.ts';
import { applyGuidelines } from './guidelines/apply.ts';
import type { ExternalCausePolicy } from './guidelines/external-causes.ts';
import { DIAGNOSTIC_SECTIONS, otherCategoryOfBlock } from './guidelines/types.ts';
import { applyRules, type Dropped, type RuledCandidate, type ScoredCandidate } from './rules.ts';
import type { NoteInput, Suggestion } from './types.ts';

/** Bump when the engine's behaviour changes: stored with every suggestion and eval run. */
export const ENGINE_VERSION = 'offline-8';

/**
 * A diagnosis the provider states in the diagnostic statement in the classification's own words — a whole Index
 * path or code title of three words or more, at most one of the note's words skipped ("COPD with acute
 * exacerbation": "acute" is the Index's nonessential modifier) — is what a coder reports (OCG IV.A, IV.C,
 * Section III), whatever the learned model's counts: those come from case reports coded for another purpose
 * (CodiEsp train has "COPD with exacerbation" J44.1 as 0 right / 2 wrong). On the US dev notes three such
 * candidates fell below the threshold: K25.4 (right), J96.20 (wrong; another stage drops it) and "CXR" read as
 * a routine exam, hence no Z codes here.
 */
function statedInFull(c: RuledCandidate): boolean {
  return !c.code.startsWith('Z') && c.evidence.some((m) => DIAGNOSTIC_SECTIONS.has(m.section) && readsWholeTerm(m, 3, 1));
}
/**
 * A code suggested only from words a longer dictionary reading of the statement holds ("Herpes" read as B00.9 inside
 * "Herpes zoster", the Index's "Herpes, zoster" B02.9, scored below the threshold): the longer reading is the
 * condition the statement names (OCG I.B.2), suggested at the threshold; the shorter one is dropped with the reason.
 */
export function promoteLongerReadings(above: RuledCandidate[], below: RuledCandidate[], kb: Knowledge, threshold: number, dropped: Dropped[]): void {
  const inside = (m: CandidateMention, n: CandidateMention) => m.sentenceIndex === n.sentenceIndex && n.span.start <= m.span.start && n.span.end >= m.span.end && n.span.end - n.span.start > m.span.end - m.span.start;
  // The statement's whole readings below the threshold, found once: most notes have none.
  const readings = below.filter((b) => !/^[RZ]/.test(b.code) && !isRetrievedOnly(b)).map((b) => ({ b, spans: b.evidence.filter((n) => !n.subsumed && DIAGNOSTIC_SECTIONS.has(n.section) && readsWholeTerm(n, 2)) })).filter((r) => r.spans.length > 0);
  if (readings.length === 0) return;
  for (let i = above.length - 1; i >= 0; i--) {
    const c = above[i]!;
    if (/^[RZ]/.test(c.code) || c.evidence.length === 0 || !c.evidence.every((m) => m.subsumed)) continue;
    const longer = readings.find(({ b, spans }) => b.code.slice(0, 3) !== c.code.slice(0, 3) && below.includes(b) && c.evidence.every((m) => spans.some((n) => inside(m, n))))?.b;
    if (!longer || above.some((a) => a.code === longer.code)) continue;
    above.splice(i, 1, { ...longer, confidence: threshold, rules: [...longer.rules, { rule: 'longer_reading', detail: `${c.code} (${kb.codes.get(c.code)?.title ?? c.code}) not reported: read from words the statement's "${bestMention(longer).span.quote}" names in full, ${longer.code} (OCG I.B.2)` }] });
    below.splice(below.indexOf(longer), 1);
    dropped.push({ code: c.code, reason: `read from part of the words ${longer.code} reads in full (OCG I.B.2)` });
  }
}

/**
 * An unspecified code the statement qualifies with a disease of the same block named right before it ("Hashimoto's
 * (autoimmune) hypothyroidism": E06.3, read below the threshold, before E03.9 *Hypothyroidism, unspecified*) is that
 * disease: the documentation names the type, so the unspecified code is not the one to report (OCG I.B.2). The
 * named disease is suggested at the threshold; the unspecified code is dropped with the reason.
 */
export function promoteNamedTypes(above: RuledCandidate[], below: RuledCandidate[], kb: Knowledge, text: string, threshold: number, dropped: Dropped[]): void {
  // Right before it in the same sentence, a few words at most and no list word between: "Hashimoto's (autoimmune) …".
  const qualifies = (n: CandidateMention, m: CandidateMention) => {
    const between = text.slice(n.span.end, m.span.start);
    return n.sentenceIndex === m.sentenceIndex && n.span.end <= m.span.start && /^[\s()'’\w-]{0,16}$/.test(between) && !/\b(?:and|or|with|vs|versus)\b/i.test(between);
  };
  for (let i = above.length - 1; i >= 0; i--) {
    const u = above[i]!;
    if (!/\bunspecified\b/i.test(kb.codes.get(u.code)?.title ?? '') || /^[RZ]/.test(u.code)) continue;
    const stated = u.evidence.filter((m) => DIAGNOSTIC_SECTIONS.has(m.section));
    const named = below.find((c) => !/^[RZ]/.test(c.code) && !isRetrievedOnly(c) && otherCategoryOfBlock(c.code, u.code) && stated.some((m) => c.evidence.some((n) => qualifies(n, m))));
    if (!named) continue;
    above.splice(i, 1, { ...named, confidence: threshold, rules: [...named.rules, { rule: 'named_type', detail: `${u.code} (${kb.codes.get(u.code)?.title ?? u.code}) not reported: the statement names its type, ${named.code} (OCG I.B.2)` }] });
    below.splice(below.indexOf(named), 1);
    dropped.push({ code: u.code, reason: `the statement names its type: ${named.code} (OCG I.B.2)` });
  }
}

/** Its confidence is the learned prior of its kind of match (how often such a reading was right), not its code's counts. */
function statedPrior(c: RuledCandidate, model: LearnedModel | null): number {
  const m = bestMention(c);
  return model?.params[priorKey(m)] ?? 0;
}
const STATED_DETAIL = 'stated in the diagnostic statement in the classification\'s words: suggested although the learned model scores it below its threshold (OCG IV.A, IV.C)';

/** Share of the learned retrieved-code threshold below which a retrieved-only code is not kept at all. */
const RETRIEVED_FLOOR = 0.5;

export interface EngineVersions {
  engine: string;
  embedder: string | null;
}

export interface EngineResult {
  suggestions: Suggestion[];
  /** Candidates that passed the rules but not the confidence threshold (kept for learning and review). */
  belowThreshold: RuledCandidate[];
  /** Every candidate that passed the rules, best first (above and below the threshold). */
  ranked: RuledCandidate[];
  dropped: Dropped[];
  sentences: AnalysedSentence[];
  /** The phrases the dictionary left over (retrieval queries). */
  phrases: ClinicalPhrase[];
  /** Procedure candidates that passed the procedure rules, with confidences (above and below the threshold). */
  procedures: ScoredProcedure[];
}

export interface EngineOptions {
  threshold?: number;
  /** Codes retrieved for the note's leftover phrases (see suggestWithRetrieval). */
  retrieved?: RetrievedHits;
  /** The ICD-10-PCS release in force: procedures are suggested for inpatient encounters when given. */
  procedures?: ProcedureKnowledge;
  /** Which encounters get chapter 20 external cause codes (default inpatient only; OCG I.C.20). */
  externalCauses?: ExternalCausePolicy;
}

/** Reads a note and returns code suggestions with evidence spans, best first (dictionary matches, plus retrieved codes when given). */
export function suggestCodes(
  note: NoteInput,
  kb: Knowledge,
  model: LearnedModel | null,
  versions: EngineVersions = { engine: ENGINE_VERSION, embedder: null },
  options: EngineOptions = {},
): EngineResult {
  return finish(generateCandidates(note.text, kb, { mined: model?.mined, setting: note.encounter.setting, sex: note.encounter.patient?.sex }), note, kb, model, versions, options);
}

/** The note's leftover phrases and their retrieved codes: the one I/O step of the engine (see retrieve.ts). */
export async function retrieveFor(note: NoteInput, kb: Knowledge, retrieve: Retrieve): Promise<RetrievedHits> {
  return retrieveForPhrases(generateCandidates(note.text, kb, { setting: note.encounter.setting, sex: note.encounter.patient?.sex }).phrases, retrieve);
}

/** suggestCodes with retrieval for the phrases the dictionary left over. */
export async function suggestWithRetrieval(
  note: NoteInput,
  kb: Knowledge,
  model: LearnedModel | null,
  versions: EngineVersions,
  retrieve: Retrieve,
  options: Omit<EngineOptions, 'retrieved'> = {},
): Promise<EngineResult> {
  // Leftover phrases do not depend on the learned model's mined phrases (see candidates.ts), so one analysis serves both.
  const analysis = generateCandidates(note.text, kb, { mined: model?.mined, setting: note.encounter.setting, sex: note.encounter.patient?.sex });
  return finish(analysis, note, kb, model, versions, { ...options, retrieved: await retrieveForPhrases(analysis.phrases, retrieve) });
}

const retrieveForPhrases = (phrases: readonly ClinicalPhrase[], retrieve: Retrieve) => retrieve([...new Set(phrases.map((p) => p.text))]);

/**
 * Lowers a candidate that coders rejected as integral to another code (OCG I.B.5) when that code is on the
 * note too (scored at or above its threshold); a model without such counts changes nothing.
 */
function withCoveredScores<C extends ScoredCandidate>(scored: C[], model: LearnedModel | null, thresholdFor: (c: C) => number): C[] {
  if (!model) return scored;
  const present = new Set(scored.filter((c) => c.confidence >= thresholdFor(c)).map((c) => c.code));
  return scored.map((c) => {
    const confidence = coveredScore(c.code, c.confidence, present, model);
    return confidence === c.confidence ? c : { ...c, confidence };
  });
}

function finish(
  analysis: ReturnType<typeof generateCandidates>,
  note: NoteInput,
  kb: Knowledge,
  model: LearnedModel | null,
  versions: EngineVersions,
  options: EngineOptions,
): EngineResult {
  const candidates = options.retrieved ? withRetrieved(analysis.candidates, analysis.phrases, options.retrieved, kb) : analysis.candidates;
  const threshold = options.threshold ?? thresholdOf(model);
  const retrievedThreshold = Math.max(threshold, retrievedThresholdOf(model));
  // A note yields ~100 retrieved codes; once their threshold is learned, those far below it are not kept:
  // they could never be suggested and would only crowd the rules (and the LLM's candidate lists).
  const floor = model?.params.retrievedThreshold != null ? retrievedThreshold * RETRIEVED_FLOOR : 0;
  const scored = withCoveredScores(
    candidates.map((c) => ({ ...c, confidence: scoreCandidate(c, model) })).filter((c) => c.confidence >= floor || !isRetrievedOnly(c)),
    model,
    (c) => (isRetrievedOnly(c) ? retrievedThreshold : threshold),
  );
  const { kept, dropped } = applyRules(scored, note.encounter.setting, kb);
  const suggestions: Suggestion[] = [];
  const belowThreshold: RuledCandidate[] = [];
  const ranked = kept.sort((a, b) => b.confidence - a.confidence);
  const above: RuledCandidate[] = [];
  for (const c of ranked) {
    if (c.confidence >= (isRetrievedOnly(c) ? retrievedThreshold : threshold)) above.push(c);
    else if (statedInFull(c)) above.push({ ...c, confidence: Math.max(threshold, statedPrior(c, model)), rules: [...c.rules, { rule: 'stated_diagnosis', detail: STATED_DETAIL }] });
    else belowThreshold.push(c);
  }
  promoteNamedTypes(above, belowThreshold, kb, note.text, threshold, dropped);
  promoteLongerReadings(above, belowThreshold, kb, threshold, dropped);
  const guided = applyGuidelines(above, { note, sentences: analysis.sentences, kb, scored, threshold, externalCauses: options.externalCauses });
  dropped.push(...guided.dropped);
  for (const c of guided.kept) suggestions.push(toSuggestion(c, kb, versions));
  const procedures: ScoredProcedure[] = [];
  if (options.procedures) {
    const ruled = procedureRules(procedureCandidates(note.text, analysis.sentences, options.procedures), note.encounter.setting);
    dropped.push(...ruled.dropped);
    procedures.push(...ruled.kept.map((c) => ({ ...c, confidence: scoreProcedure(c, model) })).sort((a, b) => b.confidence - a.confidence));
    const seen = new Set<string>();
    for (const c of procedures) {
      if (c.confidence < procedureThresholdOf(model) || seen.has(c.code)) continue;
      seen.add(c.code);
      suggestions.push(toProcedureSuggestion(c, procedures, versions));
    }
  }
  return { suggestions, belowThreshold, ranked, dropped, sentences: analysis.sentences, phrases: analysis.phrases, procedures };
}

/** A PCS suggestion: evidence from every mention of the same code. */
function toProcedureSuggestion(c: ScoredProcedure, all: readonly ScoredProcedure[], versions: EngineVersions): Suggestion {
  return {
    system: 'ICD10PCS',
    code: c.code,
    description: c.title,
    evidence: dedupeSpans(all.filter((o) => o.code === c.code).map((o) => o.span)),
    context: c.context,
    confidence: Math.round(c.confidence * 1000) / 1000,
    kind: 'final',
    rationale: {
      matched: c.title,
      matchKind: `procedure:${c.cue}`,
      rules: [{ rule: 'pcs_inpatient', detail: 'ICD-10-PCS is reported for procedures performed during an inpatient stay' }],
      reminders: [],
    },
    source: 'offline',
    versions: { engine: versions.engine, prompt: null, model: null, embedder: versions.embedder },
  };
}

export function toSuggestion(c: RuledCandidate, kb: Knowledge, versions: EngineVersions): Suggestion {
  const best = bestMention(c);
  const spans = dedupeSpans(c.evidence.map((m) => m.span));
  return {
    system: 'ICD10CM',
    code: c.code,
    description: kb.codes.get(c.code)?.title ?? c.code,
    evidence: spans,
    context: c.context,
    confidence: Math.round(c.confidence * 1000) / 1000,
    kind: c.kind,
    rationale: { matched: best.termText, matchKind: best.termKind, rules: c.rules, reminders: c.reminders },
    source: 'offline',
    versions: { engine: versions.engine, prompt: null, model: null, embedder: versions.embedder },
  };
}

function dedupeSpans<T extends { start: number; end: number }>(spans: T[]): T[] {
  const seen = new Set<string>();
  return spans.filter((s) => (seen.has(`${s.start}:${s.end}`) ? false : (seen.add(`${s.start}:${s.end}`), true))).sort((a, b) => a.start - b.start);
}
