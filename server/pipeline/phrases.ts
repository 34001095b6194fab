// The clinical phrases the dictionary left over: runs of words that no Index path, inclusion term or title
// matched whole, and that contain a word of the code texts specific enough to be a finding
// ("hyperechoic lesion", "left hydronephrosis"). They go to retrieval (term-index.ts, retrieve.ts).
// Written by hand: a noun-phrase chunker tuned to code vocabulary, not a general parser — a phrase is
// bounded by punctuation, by matched words, by words no code text uses ("showed", "patient"), and by
// numbers and dosing words (vital signs and doses are not diagnoses).
import { stemWord } from '../index/lexical-score.ts';
import type { Token } from './tokens.ts';

/** Longest phrase sent to retrieval, in words: English noun phrases end in their head, so the last ones are kept. */
export const MAX_PHRASE_WORDS = 5;

export interface PhraseVocabulary {
  /** The stem is a word of some code text. */
  known(stem: string): boolean;
  /** The stem can name a finding on its own (rare enough in code texts, not a laterality or filler word). */
  specific(stem: string): boolean;
}

/**
 * Dose units, dosing frequencies and routes ("20 mg daily", "500 mg BID", "1 g IV q8h") end a phrase as the
 * number before them does: they are how a drug is given, not a finding. Read on the word as written.
 */
// Letters that are also findings or sides ("L", "IV" of a stage, "HS" hidradenitis) are left out.
const DOSING = /^(?:mg|mcg|µg|ug|ng|gm|ml|meq|mmol|units?|iu|puffs?|tabs?|tablets?|capsules?|daily|bid|tid|qid|qd|qod|qhs|qam|qpm|prn|q\d+hr?s?|po|subq)$/i;

/**
 * Words that say a finding is normal ("neuro intact", "lungs clear", "UA negative"): never the word that makes a run a
 * finding. The Index has them in rare paths ("Injury, skin NEC, surface intact" T14.8), which retrieval would read
 * a normal exam as.
 */
const NORMAL_FINDING: ReadonlySet<string> = new Set(['intact', 'normal', 'unremarkable', 'negative', 'clear', 'stable', 'benign'].map(stemWord));

/** Token index runs of a sentence that are phrases worth retrieving. `covered` = token indexes inside dictionary matches. */
export function uncoveredPhrases(text: string, tokens: readonly Token[], covered: ReadonlySet<number>, vocabulary: PhraseVocabulary): number[][] {
  const out: number[][] = [];
  let run: number[] = [];
  const flush = () => {
    const kept = run.slice(-MAX_PHRASE_WORDS);
    if (kept.some((i) => vocabulary.specific(tokens[i]!.stem) && !NORMAL_FINDING.has(tokens[i]!.stem))) out.push(kept);
    run = [];
  };
  tokens.forEach((t, i) => {
    const prev = tokens[i - 1];
    const broken = !prev || t.position - prev.position > 2 || /[,;:.()[\]/]/.test(text.slice(prev.end, t.start));
    if (broken) flush();
    if (covered.has(i) || /^\d/.test(t.stem) || DOSING.test(text.slice(t.start, t.end)) || !vocabulary.known(t.stem)) return flush();
    run.push(i);
  });
  flush();
  return out;
}
