import { describe, expect, it } from 'vitest';
import { acronymAlias, buildDictionary, compileTerm } from './dictionary.ts';
import { findMentions } from './mentions.ts';
import { listBoundaries, tokenize } from './tokens.ts';

describe('term dictionary', () => {
  it('reads comma forms of one word as alternatives and other comma pieces as required', () => {
    const diabetes = compileTerm({ code: 'E11.65', kind: 'index', text: 'Diabetes, diabetic, type 2, with hyperglycemia', path: ['Diabetes, diabetic', 'type 2', 'with', 'hyperglycemia'] }, 0)!;
    expect(diabetes.slots.map((s) => s.alternatives)).toEqual([[['diabete'], ['diabetic']], [['type', '2']], [['hyperglycemia']]]);
    const pathological = compileTerm({ code: 'M84.45', kind: 'index', text: 'Fracture, pathological, femur', path: ['Fracture, pathological', 'femur'] }, 0)!;
    // The bone's adjective is a site alternative too ("pathological femoral fracture").
    expect(pathological.slots.map((s) => s.alternatives)).toEqual([[['fracture']], [['pathological']], [['femur'], ['femoral']]]);
  });

  it('"with, complication, fistula": the level that groups the named complications is implied by one of them; not before "specified NEC"', () => {
    const dict = buildDictionary([
      { code: 'K50.113', kind: 'index', text: 'Enteritis, regional, large intestine, with, complication, fistula', path: ['Enteritis, regional', 'large intestine', 'with', 'complication', 'fistula'] },
      { code: 'E11.69', kind: 'index', text: 'Diabetes, diabetic, type 2, with, complication, specified NEC', path: ['Diabetes, diabetic', 'type 2', 'with', 'complication', 'specified NEC'] },
    ]);
    const codesIn = (text: string) => findMentions(tokenize(text), dict).map((m) => m.entry.term.code);
    expect(codesIn('regional enteritis of the large intestine with perianal fistula')).toEqual(['K50.113']);
    expect(codesIn('type 2 diabetes with specified neuropathy')).toEqual([]);
  });

  it('"Neoplasm, lung, lower lobe": an upper, middle or lower lobe is the lung\'s, so "carcinoma of the left lower lobe" meets it', () => {
    const dict = buildDictionary([
      { code: 'C34.3', kind: 'neoplasm', text: 'Neoplasm, lung, lower lobe, malignant primary', path: ['Neoplasm', 'lung', 'lower lobe', 'malignant primary'] },
      { code: 'C22.9', kind: 'neoplasm', text: 'Neoplasm, liver, malignant primary', path: ['Neoplasm', 'liver', 'malignant primary'] },
    ]);
    const codesIn = (text: string) => findMentions(tokenize(text), dict).map((m) => m.entry.term.code);
    expect(codesIn('Small cell carcinoma of the left lower lobe')).toEqual(['C34.3']);
    expect(codesIn('carcinoma of the left lower lobe of the lung')).toEqual(['C34.3']);
    expect(codesIn('carcinoma of the right lobe')).toEqual([]);
  });

  it('"Tear, torn" is one word spelled two ways (so are "Atresia, atretic", "Tendinitis, tendonitis"): "rotator cuff tear" meets its subterms', () => {
    const dict = buildDictionary([
      { code: 'M75.12', kind: 'index', text: 'Tear, torn, rotator cuff, complete', path: ['Tear, torn', 'rotator cuff', 'complete'] },
      { code: 'Q39.0', kind: 'index', text: 'Atresia, atretic, esophagus', path: ['Atresia, atretic', 'esophagus'] },
      { code: 'M19.01', kind: 'index', text: 'Osteoarthritis, primary, shoulder', path: ['Osteoarthritis', 'primary', 'shoulder'] },
    ]);
    const codesIn = (text: string) => findMentions(tokenize(text), dict).map((m) => m.entry.term.code);
    expect(codesIn('Complete nontraumatic rotator cuff tear, right shoulder')).toEqual(['M75.12']);
    expect(codesIn('esophageal atresia')).toEqual(['Q39.0']);
    // The glenohumeral joint is the shoulder's.
    expect(codesIn('primary osteoarthritis of the right glenohumeral joint')).toEqual(['M19.01']);
  });

  it('a possessive "\'s" is not a word: "cow\'s milk" is not hemoglobin S; "Crohn\'s disease" still meets its term', () => {
    const dict = buildDictionary([
      { code: 'D57.3', kind: 'index', text: 'Hemoglobin, S', path: ['Hemoglobin', 'S'] },
      { code: 'K50.90', kind: 'index', text: "Crohn's disease", path: ["Crohn's disease"] },
    ]);
    const codesIn = (text: string) => findMentions(tokenize(text), dict).map((m) => m.entry.term.code);
    expect(codesIn("Hgb 9.8 - iron deficiency from excessive cow's milk")).toEqual([]);
    expect(codesIn('Hemoglobin S disease')).toEqual(['D57.3']);
    expect(codesIn("Crohn's disease, in remission")).toEqual(['K50.90']);
  });

  it('reads a hyphenated compound with a digit as one word, as the note\'s tokenizer does: "COVID-19" meets the title COVID-19 (U07.1)', () => {
    const dict = buildDictionary([
      { code: 'U07.1', kind: 'title', text: 'COVID-19' },
      { code: 'E25.0', kind: 'index', text: 'Deficiency, 21-hydroxylase', path: ['Deficiency', '21-hydroxylase'] },
    ]);
    const codesIn = (text: string) => findMentions(tokenize(text), dict).map((m) => m.entry.term.code);
    expect(codesIn('COVID-19 with acute bronchitis')).toEqual(['U07.1']);
    expect(codesIn('21-hydroxylase deficiency')).toEqual(['E25.0']);
    // The parts alone are no compound: "COVID test 19 days ago" is not COVID-19.
    expect(codesIn('COVID test 19 days ago')).toEqual([]);
  });

  it('treats "traumatic" as the default qualifier of a fracture', () => {
    const e = compileTerm({ code: 'S72.9', kind: 'index', text: 'Fracture, traumatic, femur, femoral', path: ['Fracture, traumatic', 'femur, femoral'], incomplete: true }, 0)!;
    expect(e.slots.map((s) => s.alternatives)).toEqual([[['fracture']], [['femur'], ['femoral']]]);
  });

  it('reads "irradiation therapy" as the radiation treatment, "therapy" optional: "hypothyroidism due to prior neck irradiation" is E89.0', () => {
    const e = compileTerm({ code: 'E89.0', kind: 'index', text: 'Hypothyroidism, due to irradiation therapy', path: ['Hypothyroidism', 'due to', 'irradiation therapy'] }, 0)!;
    expect(e.slots.map((s) => s.alternatives)).toEqual([[['hypothyroidism']], [['irradiation'], ['radiation'], ['radiotherapy'], ['radioiodine'], ['radioactive', 'iodine'], ['rai']]]);
    expect(e.optional).toContain('therapy');
  });

  it('reads "intra-articular" as the Index\'s "intraarticular", and a calcaneus without its bone group: S92.06 for "intra-articular fracture of right calcaneus"', () => {
    const dict = buildDictionary([
      { code: 'S92.00', kind: 'index', text: 'Fracture, traumatic, tarsal bone, calcaneus', path: ['Fracture, traumatic', 'tarsal bone', 'calcaneus'] },
      { code: 'S92.06', kind: 'index', text: 'Fracture, traumatic, tarsal bone, calcaneus, intraarticular', path: ['Fracture, traumatic', 'tarsal bone', 'calcaneus', 'intraarticular'] },
    ]);
    const longest = (text: string) => findMentions(tokenize(text), dict).sort((a, b) => b.entry.size - a.entry.size)[0]?.entry.term.code;
    expect(longest('Closed displaced intra-articular fracture of right calcaneus')).toBe('S92.06');
    expect(longest('Calcaneal fracture, right')).toBe('S92.00');
  });

  it('reads an Index level "X or Y" of one word a side as either word: "Diabetes, due to drug or chemical" (E09) needs "drug" or "chemical", not both', () => {
    const e = compileTerm({ code: 'E09.9', kind: 'index', text: 'Diabetes, due to drug or chemical', path: ['Diabetes, diabetic', 'due to drug or chemical'] }, 0)!;
    expect(e.slots.map((s) => s.alternatives)).toEqual([[['diabete'], ['diabetic']], [['drug'], ['chemical']]]);
    // Not a generic word, nor a side of several words.
    const h = compileTerm({ code: 'Z87.898', kind: 'index', text: 'History, personal, disease or disorder', path: ['History', 'personal', 'disease or disorder'] }, 0)!;
    expect(h.slots.at(-1)!.alternatives).toEqual([['disease', 'disorder']]);
  });

  it('reads the Index\'s "intestine, large" as the large intestine or a part of it: "sigmoid diverticulitis" is K57.3-, not the part-unspecified K57.9-', () => {
    const dict = buildDictionary([
      { code: 'K57.92', kind: 'index', text: 'Diverticulitis, intestine', path: ['Diverticulitis', 'intestine'] },
      { code: 'K57.32', kind: 'index', text: 'Diverticulitis, intestine, large', path: ['Diverticulitis', 'intestine', 'large'] },
    ]);
    const found = (text: string) => findMentions(tokenize(text), dict).map((m) => m.entry.term.code).sort();
    expect(found('Acute uncomplicated sigmoid diverticulitis')).toEqual(['K57.32']);
    expect(found('Diverticulitis of the large intestine')).toContain('K57.32');
    expect(found('Diverticulitis of the small intestine')).toEqual(['K57.92']);
  });

  it('reads radioactive iodine as the Index\'s "irradiation therapy": "hypothyroidism after radioactive iodine" is E89.0', () => {
    const dict = buildDictionary([{ code: 'E89.0', kind: 'index', text: 'Hypothyroidism, due to irradiation therapy', path: ['Hypothyroidism', 'due to', 'irradiation therapy'] }]);
    const found = (text: string) => findMentions(tokenize(text), dict).map((m) => m.entry.term.code);
    expect(found('Hypothyroidism after radioactive iodine ablation')).toEqual(['E89.0']);
    expect(found('Hypothyroidism after RAI for Graves disease')).toEqual(['E89.0']);
    expect(found('Hypothyroidism; iodine-rich diet')).toEqual([]);
  });

  it('reads "with current pathologic fracture" with "current" implied and the site between: "osteoporosis with pathologic L1 vertebral fracture" is M80.08-', () => {
    const dict = buildDictionary([
      { code: 'M81.0', kind: 'index', text: 'Osteoporosis, age-related', path: ['Osteoporosis', 'age-related'] },
      { code: 'M80.08', kind: 'index', text: 'Osteoporosis, age-related, with current pathologic fracture, vertebra', path: ['Osteoporosis', 'age-related', 'with current pathologic fracture', 'vertebra'] },
    ]);
    const found = (text: string) => findMentions(tokenize(text), dict).filter((m) => !m.subsumed).map((m) => m.entry.term.code);
    expect(found('Age-related osteoporosis with pathologic L1 vertebral fracture, routine healing')).toEqual(['M80.08']);
    expect(found('Age-related osteoporosis with pathological vertebral fracture')).toEqual(['M80.08']);
    expect(found('Age-related osteoporosis; DXA of the lumbar vertebra')).toEqual(['M81.0']);
    // A spinal level names its vertebra.
    expect(found('Age-related osteoporosis with current pathological (fragility) fracture of T12')).toEqual(['M80.08']);
    expect(found('Age-related osteoporosis with current pathological fracture of L1')).toEqual(['M80.08']);
  });

  it('reads "intestine, small" as the small intestine or a part of it: "Crohn\'s disease of the terminal ileum" is K50.0-', () => {
    const dict = buildDictionary([
      { code: 'K50.90', kind: 'index', text: "Crohn's disease", path: ["Crohn's disease"] },
      { code: 'K50.00', kind: 'index', text: "Crohn's disease, intestine, small", path: ["Crohn's disease", 'intestine', 'small'] },
    ]);
    const found = (text: string) => findMentions(tokenize(text), dict).map((m) => m.entry.term.code).sort();
    expect(found("Crohn's disease of the terminal ileum")).toContain('K50.00');
    expect(found("Crohn's disease of the duodenum")).toEqual(['K50.90']);
    const one = buildDictionary([{ code: 'K50.00', kind: 'index', text: 'Enteritis, regional, small intestine', path: ['Enteritis', 'regional', 'small intestine'] }]);
    expect(findMentions(tokenize('Regional enteritis of the terminal ileum'), one).map((m) => m.entry.term.code)).toEqual(['K50.00']);
  });

  it('an inclusion term linked by "due to" reads the note\'s own "due to" between its words: D50.8 for "iron deficiency anemia due to inadequate dietary iron intake"', () => {
    const dict = buildDictionary([{ code: 'D50.8', kind: 'inclusion', text: 'Iron deficiency anemia due to inadequate dietary iron intake' }]);
    const found = (text: string) => findMentions(tokenize(text), dict).map((m) => m.entry.term.code);
    expect(found('Iron deficiency anemia due to inadequate dietary iron intake')).toEqual(['D50.8']);
    // Only the link's two words: the term's words may not wander further.
    expect(found('Iron deficiency anemia with a history of inadequate dietary iron and low intake')).toEqual([]);
  });

  it('reads an eponym\'s "syndrome" and "disease" alike: "Kawasaki disease" meets "Kawasaki\'s syndrome" (M30.3)', () => {
    const dict = buildDictionary([{ code: 'M30.3', kind: 'index', text: "Kawasaki's syndrome", path: ["Kawasaki's syndrome"] }]);
    expect(findMentions(tokenize('Kawasaki disease, complete, IVIG-responsive'), dict).map((m) => m.entry.term.code)).toEqual(['M30.3']);
    expect(findMentions(tokenize("Kawasaki's syndrome"), dict).map((m) => m.entry.term.code)).toEqual(['M30.3']);
  });

  it('requires "traumatic" under a main term that is no injury itself: "Hemorrhage, subarachnoid, traumatic" (S06.6-) is not every subarachnoid hemorrhage', () => {
    const e = compileTerm({ code: 'S06.6X0A', kind: 'index', text: 'Hemorrhage, subarachnoid, traumatic', path: ['Hemorrhage, hemorrhagic', 'subarachnoid', 'traumatic'] }, 0)!;
    expect(e.slots.map((s) => s.alternatives)).toEqual([[['hemorrhage'], ['hemorrhagic']], [['subarachnoid']], [['traumatic']]]);
    const f = compileTerm({ code: 'S72.90XA', kind: 'index', text: 'Fracture, traumatic, femur', path: ['Fracture, traumatic', 'femur'] }, 0)!;
    expect(f.slots.flatMap((s) => s.alternatives.flat())).not.toContain('traumatic');
  });

  it('requires "traumatic" outside the injuries by region: "Emphysema, traumatic" (T79.7) is not every emphysema', () => {
    const e = compileTerm({ code: 'T79.7', kind: 'index', text: 'Emphysema, traumatic', path: ['Emphysema', 'traumatic'] }, 0)!;
    expect(e.slots.map((s) => s.alternatives)).toEqual([[['emphysema']], [['traumatic']]]);
  });

  it('reads a spinal segment without the Index\'s word "region": "lumbar spinal stenosis with neurogenic claudication" is M48.062, not M48.00', () => {
    const dict = buildDictionary([
      { code: 'M48.00', kind: 'index', text: 'Stenosis, spinal', path: ['Stenosis, stenotic', 'spinal'] },
      { code: 'M48.061', kind: 'index', text: 'Stenosis, spinal, lumbar region', path: ['Stenosis, stenotic', 'spinal', 'lumbar region'] },
      { code: 'M48.062', kind: 'index', text: 'Stenosis, spinal, lumbar region, with neurogenic claudication', path: ['Stenosis, stenotic', 'spinal', 'lumbar region', 'with neurogenic claudication'] },
    ]);
    const longest = (text: string) => findMentions(tokenize(text), dict).sort((a, b) => b.entry.size - a.entry.size)[0]?.entry.term.code;
    expect(longest('Chronic low back pain due to lumbar spinal stenosis L3-L5 with neurogenic claudication')).toBe('M48.062');
    expect(longest('Lumbar spinal stenosis.')).toBe('M48.061');
    expect(longest('Spinal stenosis, cervical.')).toBe('M48.00');
  });

  it('reads a title without its bracketed synonym (OCG I.A.7): "heterozygous familial hypercholesterolemia" is E78.011, not E78.019', () => {
    const dict = buildDictionary([
      { code: 'E78.011', kind: 'title', text: 'Heterozygous familial hypercholesterolemia [HeFH]' },
      { code: 'E78.019', kind: 'title', text: 'Familial hypercholesterolemia, unspecified' },
    ]);
    const longest = (text: string) => findMentions(tokenize(text), dict).sort((a, b) => b.entry.size - a.entry.size)[0]?.entry.term.code;
    expect(longest('46 y/o M with heterozygous familial hypercholesterolemia (LDLR variant)')).toBe('E78.011');
    expect(longest('Familial hypercholesterolemia.')).toBe('E78.019');
    const e = compileTerm({ code: 'E78.011', kind: 'title', text: 'Heterozygous familial hypercholesterolemia [HeFH]' }, 0)!;
    expect(e.optional).toEqual(['hefh']);
  });

  it('reads a side letter before a word as the side: "L index finger" meets "Laceration, finger, index, left" (S61.211), not the unsided S61.218', () => {
    const dict = buildDictionary([
      { code: 'S61.218', kind: 'index', text: 'Laceration, finger, index', path: ['Laceration', 'finger(s)', 'index'] },
      { code: 'S61.211', kind: 'index', text: 'Laceration, finger, index, left', path: ['Laceration', 'finger(s)', 'index', 'left'] },
      { code: 'S61.210', kind: 'index', text: 'Laceration, finger, index, right', path: ['Laceration', 'finger(s)', 'index', 'right'] },
    ]);
    const longest = (text: string) => findMentions(tokenize(text), dict).sort((a, b) => b.entry.size - a.entry.size)[0]?.entry.term.code;
    expect(longest('Laceration of L index finger without foreign body.')).toBe('S61.211');
    expect(longest('Rt index finger laceration.')).toBe('S61.210');
    // After a number "L" is a unit or a level, and "R/O" is no side.
    expect(tokenize('2 L nasal cannula').map((t) => t.stem)).not.toContain('left');
    expect(tokenize('R/O fracture').map((t) => t.stem)).not.toContain('right');
  });

  it('a comma before how a condition is controlled does not start a new list item: "Gestational diabetes mellitus, insulin controlled, 30 weeks"', () => {
    const dict = buildDictionary([{ code: 'O24.414', kind: 'index', text: 'Diabetes, diabetic, gestational, insulin', path: ['Diabetes, diabetic', 'gestational', 'insulin'] }]);
    const codesIn = (text: string) => { const tokens = tokenize(text); return findMentions(tokens, dict, listBoundaries(text, tokens)).map((m) => m.entry.term.code); };
    expect(codesIn('Gestational diabetes mellitus, insulin controlled, 30 weeks')).toEqual(['O24.414']);
    // A list item of its own stays one: "gestational diabetes, asthma, insulin pump" joins nothing across its commas.
    expect(codesIn('gestational diabetes, asthma, insulin pump')).toEqual([]);
  });

  it('reads a Roman numeral after class, stage, grade or type as the number titles write: "Obesity class II" is E66.812', () => {
    const dict = buildDictionary([
      { code: 'E66.811', kind: 'title', text: 'Obesity, class 1' },
      { code: 'E66.812', kind: 'title', text: 'Obesity, class 2' },
    ]);
    const longest = (text: string) => findMentions(tokenize(text), dict).sort((a, b) => b.entry.size - a.entry.size)[0]?.entry.term.code;
    expect(longest('3) Obesity class II.')).toBe('E66.812');
    expect(longest('Obesity, class I, BMI 32.')).toBe('E66.811');
    // Elsewhere "I" is the pronoun and "V" a letter.
    expect(tokenize('I spent 40 minutes').map((t) => t.stem)).not.toContain('1');
    expect(tokenize('lead V5 and II').map((t) => t.stem)).not.toContain('2');
  });

  it('keeps nonessential modifiers optional', () => {
    const e = compileTerm({ code: 'N39.0', kind: 'index', text: 'Infection, urinary', path: ['Infection, infected, infective', 'urinary'], modifiers: ['(opportunistic)', '(tract)'] }, 0)!;
    expect(e.size).toBe(2);
    expect(e.optional).toEqual(['opportunistic', 'tract']);
  });

  it('aliases a bracketed acronym for the words it abbreviates', () => {
    expect(acronymAlias('Human immunodeficiency virus [HIV] disease')).toBe('HIV disease');
    expect(acronymAlias('Essential (primary) hypertension')).toBeNull();
    const dict = buildDictionary([{ code: 'B20', kind: 'title', text: 'Human immunodeficiency virus [HIV] disease' }]);
    expect(dict.entries.map((e) => e.term.text)).toEqual(['Human immunodeficiency virus [HIV] disease', 'HIV disease']);
  });

  it('reads the "skin" level of a skin lesion\'s path as implied: "Melanoma, skin, arm" needs melanoma and arm; elsewhere "skin" is required', () => {
    const melanoma = compileTerm({ code: 'C43.6', kind: 'index', text: 'Melanoma, skin, arm', path: ['Melanoma', 'skin', 'arm'] }, 0)!;
    expect(melanoma.slots.map((s) => s.alternatives[0])).toEqual([['melanoma'], ['arm']]);
    expect(melanoma.optional).toContain('skin');
    const ulcer = compileTerm({ code: 'L98.419', kind: 'index', text: 'Ulcer, skin, buttock', path: ['Ulcer', 'skin', 'buttock'] }, 0)!;
    expect(ulcer.slots.map((s) => s.alternatives[0])).toEqual([['ulcer'], ['skin'], ['buttock']]);
  });

  it('lists the one-word main terms with their own neoplasm code, which the Neoplasm Table does not read', () => {
    const dict = buildDictionary([
      { code: 'C43.9', kind: 'index', text: 'Melanoma', path: ['Melanoma'], modifiers: ['(malignant)'] },
      { code: 'D17.9', kind: 'index', text: 'Lipoma', path: ['Lipoma'] },
      { code: 'I10', kind: 'index', text: 'Hypertension, hypertensive', path: ['Hypertension, hypertensive'] },
      { code: 'C43.6', kind: 'index', text: 'Melanoma, skin, arm', path: ['Melanoma', 'skin', 'arm'] },
    ]);
    expect([...dict.ownMorphology].sort()).toEqual(['lipoma', 'melanoma']);
  });

  it('reads a Neoplasm Table row as site words plus the words of its column', () => {
    const e = compileTerm({ code: 'C78.7', kind: 'neoplasm', text: 'Neoplasm, liver, malignant secondary', path: ['Neoplasm', 'liver', 'malignant secondary'] }, 0)!;
    expect(e.slots[0]!.alternatives).toEqual([['liver'], ['hepatic']]);
    expect(e.slots[1]!.alternatives).toContainEqual(['metastasis']);
    expect(compileTerm({ code: 'D37.6', kind: 'neoplasm', text: 'Neoplasm, liver, uncertain behavior', path: ['Neoplasm', 'liver', 'uncertain behavior'] }, 0)).toBeNull();
  });

  it('"metastatic breast carcinoma" names the primary site: no "breast, malignant secondary" (C79.81) reading; "liver metastases" still is one', () => {
    const dict = buildDictionary([
      { code: 'C79.81', kind: 'neoplasm', text: 'Neoplasm, breast, malignant secondary', path: ['Neoplasm', 'breast', 'malignant secondary'] },
      { code: 'C78.7', kind: 'neoplasm', text: 'Neoplasm, liver, malignant secondary', path: ['Neoplasm', 'liver', 'malignant secondary'] },
    ]);
    const found = (text: string) => findMentions(tokenize(text), dict).map((m) => m.entry.term.code);
    expect(found('Malignant pleural effusion due to metastatic breast carcinoma')).toEqual([]);
    expect(found('Liver metastases.')).toEqual(['C78.7']);
    expect(found('Metastatic to the breast from melanoma')).toEqual(['C79.81']);
  });

  it('a table site printed with its adjective is one site, and a skin morphology names the skin: "basal cell carcinoma of nose" meets C44.311', () => {
    const path = ['Neoplasm', 'nose, nasal', 'skin', 'basal cell carcinoma', 'malignant primary'];
    const e = compileTerm({ code: 'C44.311', kind: 'neoplasm', text: path.join(', '), path }, 0)!;
    expect(e.slots.slice(0, 2).map((s) => s.alternatives)).toEqual([[['nose'], ['nasal']], [['basal', 'cell', 'carcinoma']]]);
    // Not a skin lesion's row: "skin" stays a required site word.
    const other = compileTerm({ code: 'C76.0', kind: 'neoplasm', text: 'Neoplasm, face, skin, malignant primary', path: ['Neoplasm', 'face', 'skin', 'malignant primary'] }, 0)!;
    expect(other.slots.map((s) => s.alternatives[0])).toContainEqual(['skin']);
  });

  it('matches an Index subterm site by the organ adjective of the note ("Abscess, liver" ← "hepatic abscess")', () => {
    const e = compileTerm({ code: 'K75.0', kind: 'index', text: 'Abscess, liver', path: ['Abscess', 'liver'] }, 0)!;
    expect(e.slots.map((s) => s.alternatives)).toEqual([[['abscess']], [['liver'], ['hepatic']]]);
    const main = compileTerm({ code: 'K76.9', kind: 'index', text: 'Disease, liver', path: ['Liver'] }, 0)!;
    expect(main.slots.map((s) => s.alternatives)).toEqual([[['liver']]]);
  });

  it('skips an Index path whose last level lost its object ("Hypotension, due to")', () => {
    expect(compileTerm({ code: 'I95.3', kind: 'index', text: 'Hypotension, due to', path: ['Hypotension', 'due to'] }, 0)).toBeNull();
    expect(compileTerm({ code: 'E11.65', kind: 'index', text: 'Diabetes, type 2, with, hyperglycemia', path: ['Diabetes', 'type 2', 'with', 'hyperglycemia'] }, 0)).not.toBeNull();
  });

  it('a connective level "in (due to)" lost its object when a site follows ("Gout, in (due to), knee"), not when a condition does ("Varix, esophagus, in (due to), portal hypertension")', () => {
    const gout = compileTerm({ code: 'M10.36', kind: 'index', text: 'Gout, in, knee', path: ['Gout', 'in', 'knee'], modifiers: ['', '(due to)', ''] }, 0);
    expect(gout).toBeNull();
    const varix = compileTerm({ code: 'I85.10', kind: 'index', text: 'Varix, esophagus, in portal hypertension', path: ['Varix', 'esophagus', 'in', 'portal hypertension'], modifiers: ['', '', '(due to)', ''] }, 0);
    expect(varix?.slots.map((s) => s.alternatives[0])).toEqual([['varix'], ['esophagus'], ['portal', 'hypertension']]);
  });

  it('keeps the capital "A" of "Hepatitis A" as a word', () => {
    expect(compileTerm({ code: 'B15.9', kind: 'inclusion', text: 'Hepatitis A (acute)(viral) NOS' }, 0)!.slots[0]!.alternatives).toEqual([['hepatitis', 'a']]);
  });

  it('skips a term with no required word', () => {
    expect(compileTerm({ code: 'X', kind: 'index', text: 'NEC', path: ['NEC'] }, 0)).toBeNull();
  });
});
