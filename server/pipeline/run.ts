// The offline engine, composed: candidates → learned scores → rules → suggestions. Pure: the knowledge
// base and the learned model come in as data.
import { generateCandidates, type AnalysedSentence } from './candidates.ts';
import type { Knowledge } from './knowledge.ts';
import { bestMention, scoreCandidate, thresholdOf, type LearnedModel } from './learned.ts';
import { applyRules, type Dropped, type RuledCandidate } from './rules.ts';
import type { NoteInput, Suggestion } from './types.ts';

/** Bump when the engine's behaviour changes: stored with every suggestion and eval run. */
export const ENGINE_VERSION = 'offline-4';

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
}

/** Reads a note and returns code suggestions with evidence spans, best first. */
export function suggestCodes(
  note: NoteInput,
  kb: Knowledge,
  model: LearnedModel | null,
  versions: EngineVersions = { engine: ENGINE_VERSION, embedder: null },
  options: { threshold?: number } = {},
): EngineResult {
  const { candidates, sentences } = generateCandidates(note.text, kb, model?.mined);
  const scored = candidates.map((c) => ({ ...c, confidence: scoreCandidate(c, model) }));
  const { kept, dropped } = applyRules(scored, note.encounter.setting, kb);
  const threshold = options.threshold ?? thresholdOf(model);
  const suggestions: Suggestion[] = [];
  const belowThreshold: RuledCandidate[] = [];
  const ranked = kept.sort((a, b) => b.confidence - a.confidence);
  for (const c of ranked) {
    if (c.confidence < threshold) {
      belowThreshold.push(c);
      continue;
    }
    suggestions.push(toSuggestion(c, kb, versions));
  }
  return { suggestions, belowThreshold, ranked, dropped, sentences };
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
