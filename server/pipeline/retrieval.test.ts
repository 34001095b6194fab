import path from 'node:path';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadEmbedder } from '../index/embedder.ts';
import { generateCandidates } from './candidates.ts';
import type { DictionaryTerm } from './dictionary.ts';
import { buildKnowledge, type CodeInfo } from './knowledge.ts';
import { learnModel, type LabelledNote } from './learn.ts';
import type { LearnedModel } from './learned.ts';
import { uncoveredPhrases, type PhraseVocabulary } from './phrases.ts';
import { createRetriever } from './retrieve.ts';
import { retrieveFor, suggestCodes } from './run.ts';
import { buildTermIndex, lexicalCandidates } from './term-index.ts';
import { tokenize } from './tokens.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ENCOUNTER = { setting: 'inpatient', dateOfService: '2026-01-15' } as const;

const CODES: CodeInfo[] = [
  { code: 'I10', billable: true, title: 'Essential (primary) hypertension', parent: null },
  { code: 'N13.1', billable: true, title: 'Hydronephrosis with ureteral stricture, not elsewhere classified', parent: null },
  { code: 'N20.0', billable: true, title: 'Calculus of kidney', parent: null },
  { code: 'J98.4', billable: true, title: 'Other disorders of lung', parent: null },
];
const TERMS: DictionaryTerm[] = [
  { code: 'I10', kind: 'index', text: 'Hypertension, hypertensive', path: ['Hypertension, hypertensive'], modifiers: ['(essential)'] },
  { code: 'N13.1', kind: 'title', text: 'Hydronephrosis with ureteral stricture, not elsewhere classified' },
  { code: 'N20.0', kind: 'index', text: 'Stone, kidney', path: ['Stone(s)', 'kidney'], modifiers: ['', ''] },
  { code: 'J98.4', kind: 'index', text: 'Stone, lung', path: ['Stone(s)', 'lung'], modifiers: ['', ''] },
];
const kb = buildKnowledge('test', CODES, [], TERMS);

describe('leftover phrases', () => {
  const vocabulary: PhraseVocabulary = {
    known: (s) => !['admitted', 'showed'].includes(s),
    specific: (s) => ['hyperechoic', 'hepatic', 'lesion', 'pain', 'colic'].includes(s),
  };
  const phrases = (text: string, coveredWords: string[] = []) => {
    const tokens = tokenize(text);
    const covered = new Set(tokens.flatMap((t, i) => (coveredWords.includes(text.slice(t.start, t.end)) ? [i] : [])));
    return uncoveredPhrases(text, tokens, covered, vocabulary).map((run) => text.slice(tokens[run[0]!]!.start, tokens[run.at(-1)!]!.end));
  };

  it('are runs of known words between punctuation, matched words, unknown words and numbers, with a specific word', () => {
    expect(phrases('Admitted for fever; CT showed a hyperechoic hepatic lesion, 3 cm, and pain', ['fever'])).toEqual(['hyperechoic hepatic lesion', 'pain']);
  });

  it('stop at dose units and dosing frequencies as at the number before them: "20 mg daily" is no finding ("mg daily" was retrieved as a headache)', () => {
    const dosing: PhraseVocabulary = { known: () => true, specific: (s) => ['mg', 'daily', 'lesion', 'hepatic'].includes(s) };
    const tokens = tokenize('lisinopril 20 mg daily, metformin 500 mg BID; hepatic lesion');
    const text = 'lisinopril 20 mg daily, metformin 500 mg BID; hepatic lesion';
    expect(uncoveredPhrases(text, tokens, new Set(), dosing).map((run) => text.slice(tokens[run[0]!]!.start, tokens[run.at(-1)!]!.end))).toEqual(['hepatic lesion']);
  });

  it('need a specific word that is no normal finding: "neuro intact" is no phrase ("intact" was retrieved as "Injury, skin NEC, surface intact")', () => {
    const normal: PhraseVocabulary = { known: () => true, specific: (s) => ['intact', 'neuro', 'lesion'].includes(s) };
    const text = 'Skin intact; lesion intact';
    const tokens = tokenize(text);
    expect(uncoveredPhrases(text, tokens, new Set(), normal).map((run) => text.slice(tokens[run[0]!]!.start, tokens[run.at(-1)!]!.end))).toEqual(['lesion intact']);
  });

  it('keep the last five words (the head of an English noun phrase)', () => {
    expect(phrases('severe acute recurrent painful left renal colic')).toEqual(['recurrent painful left renal colic']);
  });

  it('come out of candidate generation for words the dictionary did not match, with their context', () => {
    // "left" is no word of this tiny release's code texts, "renal stone" is matched by the dictionary ("Stone, kidney").
    const { phrases: found } = generateCandidates('Hypertension. Ultrasound: left hydronephrosis, renal stone. Later no hydronephrosis.', kb);
    expect(found.map((p) => [p.text, p.span.quote, p.context.negated])).toEqual([
      ['hydronephrosis', 'hydronephrosis', false],
      ['hydronephrosis', 'hydronephrosis', true],
    ]);
  });
});

describe('term index', () => {
  const index = buildTermIndex([
    { code: 'N13.30', kind: 'index', text: 'Hydronephrosis' },
    { code: 'N13.30', kind: 'title', text: 'Unspecified hydronephrosis' },
    { code: 'N13.1', kind: 'title', text: 'Hydronephrosis with ureteral stricture, not elsewhere classified' },
    { code: 'R52', kind: 'index', text: 'Pain(s)' },
  ]);

  it('ranks the terms sharing the phrase words, one per code, extra specific words costing', () => {
    const hits = lexicalCandidates(index, 'left hydronephrosis', 5);
    expect(hits.map((h) => [h.term.code, h.term.text])).toEqual([
      ['N13.30', 'Hydronephrosis'],
      ['N13.1', 'Hydronephrosis with ureteral stricture, not elsewhere classified'],
    ]);
    expect(hits[0]!.score).toBeCloseTo(0.5);
    expect(hits[1]!.score).toBeLessThan(hits[0]!.score);
  });

  it('finds nothing for words no code text has', () => {
    expect(lexicalCandidates(index, 'the patient walked home', 5)).toEqual([]);
  });

  it('indexes a text once per code: the first reading of it is kept, another code keeps its own', () => {
    const repeated = buildTermIndex([
      { code: 'N13.30', kind: 'index', text: 'Hydronephrosis' },
      { code: 'N13.1', kind: 'index', text: 'Hydronephrosis' },
      { code: 'N13.30', kind: 'title', text: 'Hydronephrosis' },
    ]);
    expect(repeated.terms.map((t) => [t.code, t.kind, t.text])).toEqual([
      ['N13.30', 'index', 'Hydronephrosis'],
      ['N13.1', 'index', 'Hydronephrosis'],
    ]);
    expect([...repeated.postings.values()]).toEqual([[0, 1]]);
  });
});

describe('hybrid retrieval', () => {
  it('re-ranks by meaning: "renal stone" is nearer "Stone, kidney" than the shorter "Stone, lung" that lexical order puts first', async () => {
    const lexical = await createRetriever(kb, null)(['renal stone']);
    expect(lexical.get('renal stone')!.map((h) => h.code)).toEqual(['J98.4', 'N20.0']);
    const embedder = await loadEmbedder({ model: path.join(ROOT, 'models/medcode-glove-100d'), allowRemote: false, cacheDir: path.join(os.tmpdir(), 'medcode-models') });
    const hybrid = (await createRetriever(kb, embedder)(['renal stone'])).get('renal stone')!;
    expect(hybrid.map((h) => h.code)).toEqual(['N20.0', 'J98.4']);
    expect(hybrid[0]!.similarity!).toBeGreaterThan(hybrid[1]!.similarity!);
    expect(hybrid[0]).toMatchObject({ rank: 1, text: 'Stone, kidney', kind: 'index' });
  });
});

describe('retrieved codes in the engine', () => {
  const note = { text: 'Hypertension. Ultrasound: left hydronephrosis.', encounter: ENCOUNTER };
  const retrieve = createRetriever(kb, null);

  it('are candidates with the phrase as evidence; negated phrases are dropped by the same rules', async () => {
    const retrieved = await retrieveFor(note, kb, retrieve);
    const r = suggestCodes(note, kb, null, undefined, { retrieved });
    const n131 = r.ranked.find((c) => c.code === 'N13.1')!;
    expect(n131.mentions.map((m) => [m.termKind, m.span.quote])).toEqual([['search', 'hydronephrosis']]);
    const negated = { text: 'Hypertension. No hydronephrosis.', encounter: ENCOUNTER };
    const r2 = suggestCodes(negated, kb, null, undefined, { retrieved: await retrieveFor(negated, kb, retrieve) });
    expect(r2.dropped.map((d) => d.code)).toEqual(['N13.1']);
    // Nothing learned: a code only retrieval found is never suggested on its own.
    expect(r.suggestions.map((s) => s.code)).toEqual(['I10']);
  });

  it('are suggested once a learned threshold for retrieved codes lets them through', async () => {
    const model: LearnedModel = { id: 'm', params: { threshold: 0.3, retrievedThreshold: 0.4, 'prior:search:3': 0.7 }, phrase: new Map(), code: new Map(), mined: new Map() };
    const r = suggestCodes(note, kb, model, undefined, { retrieved: await retrieveFor(note, kb, retrieve) });
    const s = r.suggestions.find((x) => x.code === 'N13.1')!;
    expect(s.rationale).toMatchObject({ matchKind: 'search', matched: 'Hydronephrosis with ureteral stricture, not elsewhere classified' });
    expect(s.evidence).toEqual([{ start: 31, end: 45, quote: 'hydronephrosis' }]);
  });
});

describe('learning with retrieval', () => {
  const notes = async (goldOfHydro: string): Promise<LabelledNote[]> =>
    Promise.all(
      Array.from({ length: 3 }, async (_, i) => {
        const n = { text: i % 2 ? 'Hypertension. Ultrasound: left hydronephrosis.' : 'Ultrasound: left hydronephrosis.', encounter: ENCOUNTER };
        return { id: `n${i}`, note: n, retrieved: await retrieveFor(n, kb, createRetriever(kb, null)), gold: i % 2 ? ['I10', goldOfHydro] : [goldOfHydro] };
      }),
    );
  const isCorrect = (code: string, gold: ReadonlySet<string>) => gold.has(code);

  it('never lets retrieval move the dictionary threshold; retrieved codes pass only when they were right', async () => {
    const right = learnModel('r', await notes('N13.1'), kb, isCorrect);
    const wrong = learnModel('w', await notes('N13.30'), kb, isCorrect);
    const without = learnModel('x', (await notes('N13.1')).map((n) => ({ ...n, retrieved: undefined })), kb, isCorrect);
    expect(right.model.params.threshold).toBe(without.model.params.threshold);
    expect(wrong.model.params.threshold).toBe(without.model.params.threshold);
    expect(right.model.params.retrievedThreshold).toBeGreaterThan(0);
    expect(right.model.params.retrievedThreshold).toBeLessThanOrEqual(1);
    expect(wrong.model.params.retrievedThreshold).toBe(2);
    expect(right.model.code.get('search:N13.1')).toEqual({ tp: 3, fp: 0 });
    const note = { text: 'CT: left hydronephrosis.', encounter: ENCOUNTER };
    const retrieved = await retrieveFor(note, kb, createRetriever(kb, null));
    expect(suggestCodes(note, kb, right.model, undefined, { retrieved }).suggestions.map((s) => s.code)).toEqual(['N13.1']);
    expect(suggestCodes(note, kb, wrong.model, undefined, { retrieved }).suggestions).toEqual([]);
  });
});
