// Learning the engine's confidence from labelled notes (CodiEsp train today; coders' final codes once
// they exist): per (phrase → code) and per code, how often a candidate that survived the rules was in
// the gold; priors per kind of match; and the threshold that maximises micro-F1 — each note scored with
// its own counts left out, so the threshold is not tuned on memorised answers.
import type { Knowledge } from './knowledge.ts';
import { phraseKey, priorKey, scoreCandidate, type Counts, type LearnedModel } from './learned.ts';
import type { RuledCandidate } from './rules.ts';
import { suggestCodes } from './run.ts';
import type { NoteInput } from './types.ts';

export interface LabelledNote {
  id: string;
  note: NoteInput;
  /** Gold ICD-10-CM codes of the note. */
  gold: string[];
}

/** Whether a predicted code counts as the gold code (the eval's vintage alignment, e.g. R51.9 ≈ R51). */
export type IsCorrect = (predicted: string, gold: ReadonlySet<string>) => boolean;

interface Observed {
  noteId: string;
  candidate: RuledCandidate;
  correct: boolean;
}

export interface LearnReport {
  model: LearnedModel;
  notes: number;
  candidates: number;
  trainF1: number;
  trainPrecision: number;
  trainRecall: number;
}

export function learnModel(id: string, notes: readonly LabelledNote[], kb: Knowledge, isCorrect: IsCorrect): LearnReport {
  const observed: Observed[] = [];
  let goldTotal = 0;
  for (const n of notes) {
    const gold = new Set(n.gold);
    goldTotal += gold.size;
    const r = suggestCodes(n.note, kb, null);
    for (const c of r.ranked) observed.push({ noteId: n.id, candidate: c, correct: isCorrect(c.code, gold) });
  }
  const model = countModel(id, observed);
  // Leave-one-note-out confidences, then the threshold with the best micro-F1.
  const scored = observed.map((o) => ({ correct: o.correct, score: scoreCandidate(o.candidate, model, { correct: o.correct }) }));
  scored.sort((a, b) => b.score - a.score);
  let tp = 0;
  let best = { f1: 0, threshold: 1, p: 0, r: 0 };
  scored.forEach((s, i) => {
    if (s.correct) tp++;
    const next = scored[i + 1];
    if (next && next.score === s.score) return;
    const p = tp / (i + 1);
    const r = goldTotal ? tp / goldTotal : 0;
    const f1 = p + r ? (2 * p * r) / (p + r) : 0;
    if (f1 > best.f1) best = { f1, threshold: s.score, p, r };
  });
  model.params.threshold = best.threshold;
  return { model, notes: notes.length, candidates: observed.length, trainF1: best.f1, trainPrecision: best.p, trainRecall: best.r };
}

function bump(map: Map<string, Counts>, key: string, correct: boolean) {
  const c = map.get(key) ?? { tp: 0, fp: 0 };
  if (correct) c.tp++;
  else c.fp++;
  map.set(key, c);
}

function phraseKeys(c: RuledCandidate): string[] {
  return [...new Set(c.mentions.map(phraseKey))];
}

function countModel(id: string, observed: readonly Observed[]): LearnedModel {
  const code = new Map<string, Counts>();
  const phrase = new Map<string, Map<string, Counts>>();
  const prior = new Map<string, Counts>();
  for (const o of observed) {
    bump(code, o.candidate.code, o.correct);
    for (const key of phraseKeys(o.candidate)) {
      const byCode = phrase.get(key) ?? new Map<string, Counts>();
      bump(byCode, o.candidate.code, o.correct);
      phrase.set(key, byCode);
    }
    const best = o.candidate.mentions.reduce((a, b) => (b.size > a.size ? b : a));
    bump(prior, priorKey(best), o.correct);
  }
  const params: Record<string, number> = {};
  for (const [k, c] of prior) params[k] = (c.tp + 1) / (c.tp + c.fp + 2);
  return { id, params, phrase, code };
}

