import { describe, expect, it } from 'vitest';
import { buildDictionary, type DictionaryTerm } from './dictionary.ts';
import { findMentions } from './mentions.ts';
import { tokenize } from './tokens.ts';

const TERMS: DictionaryTerm[] = [
  { code: 'E11.65', kind: 'index', text: 'Diabetes, type 2, with hyperglycemia', path: ['Diabetes, diabetic', 'type 2', 'with', 'hyperglycemia'] },
  { code: 'E11.9', kind: 'index', text: 'Diabetes, type 2', path: ['Diabetes, diabetic', 'type 2'] },
  { code: 'N39.0', kind: 'index', text: 'Infection, urinary', path: ['Infection, infected, infective', 'urinary'], modifiers: ['(tract)'] },
  { code: 'I10', kind: 'title', text: 'Essential (primary) hypertension' },
];
const codesIn = (dict: ReturnType<typeof buildDictionary>, sentence: string) =>
  findMentions(tokenize(sentence), dict)
    .map((m) => `${m.entry.term.code}${m.subsumed ? ' (subsumed)' : ''}`)
    .sort();

describe('dictionary matching', () => {
  it('a title read word for word with its own function words matches ("Crohn\'s disease of both small and large intestine")', () => {
    const dict = buildDictionary([{ code: 'K50.80', kind: 'title', text: "Crohn's disease of both small and large intestine without complications" }]);
    expect(codesIn(dict, "Crohn's disease of both small and large intestine without complications")).toEqual(['K50.80']);
    // Its words still stand together: not across a whole other clause.
    expect(codesIn(dict, "Crohn's disease of the small bowel, both knees with large effusions and no intestine complications")).toEqual([]);
  });

  it('"oropharyngeal dysphagia" reads "Dysphagia, oropharyngeal phase" (R13.12): the phase is the level\'s noun', () => {
    const dict = buildDictionary([{ code: 'R13.12', kind: 'index', text: 'Dysphagia, oropharyngeal phase', path: ['Dysphagia', 'oropharyngeal phase'] }]);
    expect(codesIn(dict, 'Oropharyngeal dysphagia after stroke')).toEqual(['R13.12']);
    expect(codesIn(dict, 'Dysphagia to solids, pharyngeal swelling')).toEqual([]);
  });

  it('"lumbar disc herniation with L5 radiculopathy" reads "Displacement, intervertebral disc NEC, lumbar region, with neuritis, radiculitis, radiculopathy or sciatica" (M51.16)', () => {
    const dict = buildDictionary([
      {
        code: 'M51.16',
        kind: 'index',
        text: 'Displacement, displaced, intervertebral disc NEC, lumbar region, with neuritis, radiculitis, radiculopathy or sciatica',
        path: ['Displacement, displaced', 'intervertebral disc NEC', 'lumbar region', 'with', 'neuritis, radiculitis, radiculopathy or sciatica'],
      },
    ]);
    // "intervertebral" is implied by "disc"; herniation is the displacement; the "…, … or …" list is alternatives.
    expect(codesIn(dict, 'Lumbar disc herniation at L4-L5 with right L5 radiculopathy')).toEqual(['M51.16']);
    expect(codesIn(dict, 'Lumbar disc herniation, no neuritis')).toEqual([]);
  });

  it('an Index level written around its main term still stands together ("multiple subsegmental pulmonary emboli without acute cor pulmonale")', () => {
    const dict = buildDictionary([
      { code: 'I26.94', kind: 'index', text: 'Embolism, pulmonary, multiple subsegmental without acute cor pulmonale', path: ['Embolism', 'pulmonary', 'multiple subsegmental without acute cor pulmonale'] },
    ]);
    expect(codesIn(dict, 'Multiple subsegmental pulmonary embolism without acute cor pulmonale')).toEqual(['I26.94']);
    expect(codesIn(dict, 'Multiple nodules, subsegmental atelectasis and pulmonary embolism; acute cor pulmonale absent without shock')).toEqual([]);
  });

  it('finds the entries whose every slot a sentence has, and none from the sentence matched before it', () => {
    const dict = buildDictionary(TERMS);
    // The words of one sentence are marked for the next one's slot test only if it has them too.
    expect(codesIn(dict, 'type 2 diabetes with hyperglycemia and a urinary tract infection')).toEqual(['E11.65', 'E11.9 (subsumed)', 'N39.0']);
    expect(codesIn(dict, 'hyperglycemia, infection')).toEqual([]);
    expect(codesIn(dict, 'type 2 diabetes')).toEqual(['E11.9']);
    expect(codesIn(dict, 'hypertension')).toEqual([]);
    expect(codesIn(dict, 'essential hypertension, urinary infection')).toEqual(['I10', 'N39.0']);
    // The same sentences against a dictionary that has matched nothing yet: the same answers.
    for (const s of ['hyperglycemia, infection', 'type 2 diabetes', 'essential hypertension, urinary infection']) expect(codesIn(buildDictionary(TERMS), s)).toEqual(codesIn(dict, s));
  });

  it('a word a path repeats stands at each of its occurrences: "rheumatoid arthritis with rheumatoid factor" meets "Arthritis, rheumatoid, with, rheumatoid factor"; one level\'s words still stand together', () => {
    const dict = buildDictionary([
      { code: 'M05.9', kind: 'index', text: 'Arthritis, rheumatoid, with, rheumatoid factor', path: ['Arthritis, arthritic', 'rheumatoid', 'with', 'rheumatoid factor'] },
      { code: 'I26.99', kind: 'inclusion', text: 'Acute pulmonary embolism NOS' },
    ]);
    expect(codesIn(dict, 'Rheumatoid arthritis with rheumatoid factor, multiple sites')).toEqual(['M05.9']);
    expect(codesIn(dict, 'Rheumatoid arthritis, elevated factor VIII levels')).toEqual([]);
    // A term of one level is not helped by a word it does not repeat: "acute" far from "pulmonary embolism".
    expect(codesIn(dict, 'Acute single subsegmental pulmonary embolism without acute cor pulmonale')).toEqual([]);
  });

  it('shares the words and slots that entries repeat, without changing what each entry requires', () => {
    const dict = buildDictionary(TERMS);
    const [withHyperglycemia, typeTwo] = dict.entries;
    expect(withHyperglycemia!.slots[0]).toBe(typeTwo!.slots[0]); // "Diabetes, diabetic": one slot object
    expect(typeTwo!.slots.map((s) => s.alternatives)).toEqual([[['diabete'], ['diabetic']], [['type', '2']]]);
    expect(dict.entries[2]!.optional).toEqual(['tract']);
  });
});

describe('tokenize', () => {
  it('reads a decimal number as its whole part: "BMI 36.1" has no "1" for "Obesity, class 1" to meet; "19.6 weeks" is 19 weeks', () => {
    expect(tokenize('Obesity, class 2 (BMI 36.1)').map((t) => t.stem)).toEqual(['obesity', 'class', '2', 'bmi', '36']);
    expect(tokenize('19.6 weeks').map((t) => t.stem)).toEqual(['19', 'week']);
    const dict = buildDictionary([{ code: 'E66.811', kind: 'index', text: 'Obesity, class 1', path: ['Obesity', 'class 1'], modifiers: ['', ''] }]);
    expect(findMentions(tokenize('Obesity, class 2 (BMI 36.1).'), dict)).toEqual([]);
  });
});

describe('a negation between the matched words', () => {
  it('"Ectopic pregnancy excluded: intrauterine pregnancy confirmed" is no "Pregnancy, ectopic, with intrauterine pregnancy" (O00.91)', () => {
    const dict = buildDictionary([{ code: 'O00.91', kind: 'index', text: 'Pregnancy, ectopic, with intrauterine pregnancy', path: ['Pregnancy', 'ectopic', 'with intrauterine pregnancy'] }]);
    expect(codesIn(dict, 'Ectopic pregnancy excluded: intrauterine pregnancy confirmed')).toEqual([]);
    expect(codesIn(dict, 'ectopic pregnancy with intrauterine pregnancy')).toEqual(['O00.91']);
  });
});
