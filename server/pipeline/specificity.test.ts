// Completion of a header or an unspecified code against its sentence (specificity.ts).
import { describe, expect, it } from 'vitest';
import { completionStems } from './candidates.ts';
import { buildKnowledge, type CodeInfo } from './knowledge.ts';
import { completeCode } from './specificity.ts';
import { stemWord } from '../index/lexical-score.ts';
import { tokenize } from './tokens.ts';

const code = (c: string, title: string, parent: string | null = null, billable = true): CodeInfo => ({ code: c, title, parent, billable });
const CODES: CodeInfo[] = [
  code('E11.329', 'Type 2 diabetes mellitus with mild nonproliferative diabetic retinopathy without macular edema', null, false),
  code('E11.3291', 'Type 2 diabetes mellitus with mild nonproliferative diabetic retinopathy without macular edema, right eye', 'E11.329'),
  code('E11.3292', 'Type 2 diabetes mellitus with mild nonproliferative diabetic retinopathy without macular edema, left eye', 'E11.329'),
  code('E11.3293', 'Type 2 diabetes mellitus with mild nonproliferative diabetic retinopathy without macular edema, bilateral', 'E11.329'),
  code('E11.3299', 'Type 2 diabetes mellitus with mild nonproliferative diabetic retinopathy without macular edema, unspecified eye', 'E11.329'),
  code('D50', 'Iron deficiency anemia', null, false),
  code('M85.8', 'Other specified disorders of bone density and structure', null, false),
  code('M85.80', 'Other specified disorders of bone density and structure, unspecified site', 'M85.8'),
  code('M85.81', 'Other specified disorders of bone density and structure, shoulder', 'M85.8', false),
  code('M85.811', 'Other specified disorders of bone density and structure, right shoulder', 'M85.81'),
  code('M85.812', 'Other specified disorders of bone density and structure, left shoulder', 'M85.81'),
  code('M85.819', 'Other specified disorders of bone density and structure, unspecified shoulder', 'M85.81'),
  code('M85.88', 'Other specified disorders of bone density and structure, other site', 'M85.8'),
  code('M85.89', 'Other specified disorders of bone density and structure, multiple sites', 'M85.8'),
  code('I83', 'Varicose veins of lower extremities', null, false),
  code('I83.8', 'Varicose veins of lower extremities with other complications', 'I83', false),
  code('I83.81', 'Varicose veins of lower extremities with pain', 'I83.8', false),
  code('I83.813', 'Varicose veins of bilateral lower extremities with pain', 'I83.81'),
  code('I83.819', 'Varicose veins of unspecified lower extremity with pain', 'I83.81'),
  code('I83.9', 'Asymptomatic varicose veins of lower extremities', 'I83', false),
  code('I83.93', 'Asymptomatic varicose veins of bilateral lower extremities', 'I83.9'),
  code('D50.0', 'Iron deficiency anemia secondary to blood loss (chronic)', 'D50'),
  code('D50.8', 'Other iron deficiency anemias', 'D50'),
  code('D50.9', 'Iron deficiency anemia, unspecified', 'D50'),
  code('S01.11', 'Laceration without foreign body of eyelid and periocular area', null, false),
  code('S01.111A', 'Laceration without foreign body of right eyelid and periocular area, initial encounter', 'S01.11'),
  code('S01.112A', 'Laceration without foreign body of left eyelid and periocular area, initial encounter', 'S01.11'),
  code('S01.119A', 'Laceration without foreign body of unspecified eyelid and periocular area, initial encounter', 'S01.11'),
  code('G20.A', "Parkinson's disease without dyskinesia", null, false),
  code('G20.A1', "Parkinson's disease without dyskinesia, without mention of fluctuations", 'G20.A'),
  code('G20.A2', "Parkinson's disease without dyskinesia, with fluctuations", 'G20.A'),
  code('D25', 'Leiomyoma of uterus', null, false),
  code('D25.0', 'Submucous leiomyoma of uterus', 'D25'),
  code('D25.1', 'Intramural leiomyoma of uterus', 'D25'),
  code('D25.9', 'Leiomyoma of uterus, unspecified', 'D25'),
  code('M19', 'Other and unspecified osteoarthritis', null, false),
  code('M19.0', 'Primary osteoarthritis of other joints', 'M19', false),
  code('M19.01', 'Primary osteoarthritis, shoulder', 'M19.0', false),
  code('M19.011', 'Primary osteoarthritis, right shoulder', 'M19.01'),
  code('M19.019', 'Primary osteoarthritis, unspecified shoulder', 'M19.01'),
  code('M19.9', 'Osteoarthritis, unspecified site', 'M19', false),
  code('M19.90', 'Unspecified osteoarthritis, unspecified site', 'M19.9'),
  code('S42.41', 'Simple supracondylar fracture without intercondylar fracture of humerus', null, false),
  code('S42.411A', 'Displaced simple supracondylar fracture without intercondylar fracture of right humerus, initial encounter for closed fracture', 'S42.41'),
  code('S42.412A', 'Displaced simple supracondylar fracture without intercondylar fracture of left humerus, initial encounter for closed fracture', 'S42.41'),
  code('S42.413A', 'Displaced simple supracondylar fracture without intercondylar fracture of unspecified humerus, initial encounter for closed fracture', 'S42.41'),
  code('L82', 'Seborrheic keratosis', null, false),
  code('L82.0', 'Inflamed seborrheic keratosis', 'L82'),
  code('L82.1', 'Other seborrheic keratosis', 'L82'),
  code('G35.C', 'Secondary progressive multiple sclerosis', null, false),
  code('G35.C0', 'Secondary progressive multiple sclerosis, unspecified', 'G35.C'),
  code('G35.C1', 'Active secondary progressive multiple sclerosis', 'G35.C'),
  code('G35.C2', 'Non-active secondary progressive multiple sclerosis', 'G35.C'),
  code('M05', 'Rheumatoid arthritis with rheumatoid factor', null, false),
  code('M05.7', 'Rheumatoid arthritis with rheumatoid factor without organ or systems involvement', 'M05', false),
  code('M05.79', 'Rheumatoid arthritis with rheumatoid factor of multiple sites without organ or systems involvement', 'M05.7'),
  code('M05.9', 'Rheumatoid arthritis with rheumatoid factor, unspecified', 'M05'),
  code('G56.0', 'Carpal tunnel syndrome', null, false),
  code('G56.00', 'Carpal tunnel syndrome, unspecified upper limb', 'G56.0'),
  code('G56.01', 'Carpal tunnel syndrome, right upper limb', 'G56.0'),
  code('G56.02', 'Carpal tunnel syndrome, left upper limb', 'G56.0'),
  code('G56.03', 'Carpal tunnel syndrome, bilateral upper limbs', 'G56.0'),
  code('L03.11', 'Cellulitis of other parts of limb', null, false),
  code('L03.111', 'Cellulitis of right axilla', 'L03.11'),
  code('L03.112', 'Cellulitis of left axilla', 'L03.11'),
  code('L03.113', 'Cellulitis of right upper limb', 'L03.11'),
  code('L03.114', 'Cellulitis of left upper limb', 'L03.11'),
  code('L03.115', 'Cellulitis of right lower limb', 'L03.11'),
  code('L03.116', 'Cellulitis of left lower limb', 'L03.11'),
  code('L03.119', 'Cellulitis of unspecified part of limb', 'L03.11'),
  code('M10.0', 'Idiopathic gout', null, false),
  code('M10.00', 'Idiopathic gout, unspecified site', 'M10.0'),
  code('M10.01', 'Idiopathic gout, shoulder', 'M10.0', false),
  code('M10.011', 'Idiopathic gout, right shoulder', 'M10.01'),
  code('M10.012', 'Idiopathic gout, left shoulder', 'M10.01'),
  code('M10.019', 'Idiopathic gout, unspecified shoulder', 'M10.01'),
  code('M10.07', 'Idiopathic gout, ankle and foot', 'M10.0', false),
  code('M10.071', 'Idiopathic gout, right ankle and foot', 'M10.07'),
  code('M10.072', 'Idiopathic gout, left ankle and foot', 'M10.07'),
  code('M10.079', 'Idiopathic gout, unspecified ankle and foot', 'M10.07'),
];
const kb = buildKnowledge('test', CODES, [], []);
const stemsOf = (sentence: string) => completionStems(sentence, tokenize(sentence));

describe('a joint of the foot and a site written "ankle and foot"', () => {
  it('"Idiopathic gout of the right first metatarsophalangeal joint" → M10.071 *…, right ankle and foot*: the toe\'s joint is the foot\'s, and the foot meets "ankle and foot"', () => {
    expect(completeCode(kb, 'M10.0', stemsOf('Idiopathic gout of the right first metatarsophalangeal joint.'))?.code).toBe('M10.071');
    expect(completeCode(kb, 'M10.0', stemsOf('Idiopathic gout of the left great toe.'))?.code).toBe('M10.072');
    expect(completeCode(kb, 'M10.0', stemsOf('Idiopathic gout, left foot.'))?.code).toBe('M10.072');
  });
});

describe('completion reads a title\'s "with" up to its "without"', () => {
  it('"Mild nonproliferative diabetic retinopathy without macular edema, left eye" → E11.3292', () => {
    expect(completeCode(kb, 'E11.329', stemsOf('Mild nonproliferative diabetic retinopathy without macular edema, left eye.'))?.code).toBe('E11.3292');
  });
});

describe('the noun of an "unspecified" side is no claim the sentence meets', () => {
  it('"…without macular edema, both eyes" → E11.3293 (bilateral), not E11.3299 *…, unspecified eye* met by "eye"', () => {
    expect(completeCode(kb, 'E11.329', stemsOf('Mild nonproliferative diabetic retinopathy without macular edema, both eyes.'))?.code).toBe('E11.3293');
    expect(completeCode(kb, 'E11.329', stemsOf('Mild nonproliferative diabetic retinopathy without macular edema.'))?.code).toBe('E11.3299');
  });
});

describe('a title\'s "without …" stops before the side', () => {
  it('"Closed displaced supracondylar fracture of the left humerus, without intercondylar fracture" → S42.412A (left), not the right-sided first sibling', () => {
    expect(completeCode(kb, 'S42.41', stemsOf('Closed displaced supracondylar fracture of the left humerus, without intercondylar fracture.'))?.code).toBe('S42.412A');
  });
});

describe('a title\'s "without foreign body" denies the foreign body, not the site after it', () => {
  it('"Laceration of left eyebrow without foreign body" → S01.112A (left), not the first sibling', () => {
    expect(completeCode(kb, 'S01.11', stemsOf('Laceration of left eyelid without foreign body, repaired.'))?.code).toBe('S01.112A');
  });
});

describe('a sentence\'s "without … or X" contradicts a title\'s "with X"', () => {
  it('"Parkinson\'s disease without dyskinesia or fluctuations" → G20.A1, not G20.A2', () => {
    expect(completeCode(kb, 'G20.A', stemsOf("Parkinson's disease without dyskinesia or fluctuations."))?.code).toBe('G20.A1');
  });
});

describe('a completion does not depend on the sentences completed before it', () => {
  it('"bilateral …, more marked on the left" first does not make a later "left" complete as it did', () => {
    // The same codes in a knowledge base of their own: its memo is empty, so its answer is the sentence's alone.
    const alone = completeCode(buildKnowledge('test', CODES, [], []), 'M85.8', stemsOf('Osteopenia, left.'))?.code;
    const before = completeCode(kb, 'M85.8', stemsOf('Bilateral hydrocele, more marked on the left side.'))?.code;
    expect(before).not.toBe(alone);
    expect(completeCode(kb, 'M85.8', stemsOf('Osteopenia, left.'))?.code).toBe(alone);
  });
});

describe('an unspecified code gives way to the sibling its statement sentence documents (OCG I.B.18)', () => {
  it('"Intramural leiomyoma of uterus" read as D25.9 is D25.1 in a statement; elsewhere it stays', () => {
    const stems = stemsOf('Uterine leiomyoma, intramural, 4 cm.');
    expect(completeCode(kb, 'D25.9', stems, { siblings: true })?.code).toBe('D25.1');
    expect(completeCode(kb, 'D25.9', stems)?.code).toBe('D25.9');
  });

  it('not to a far sibling whose own words the sentence lacks: "primary osteoarthritis of the right knee" is no M19.011 (shoulder)', () => {
    expect(completeCode(kb, 'M19.90', stemsOf('Primary osteoarthritis of the right knee.'), { siblings: true })?.code).toBe('M19.90');
  });

  it('"asymptomatic" is a default too: "Symptomatic varicose veins of both legs with pain" read as I83.93 is I83.813', () => {
    expect(completeCode(kb, 'I83.93', stemsOf('Symptomatic varicose veins of bilateral lower extremities with pain.'), { siblings: true })?.code).toBe('I83.813');
    expect(completeCode(kb, 'I83.93', stemsOf('Varicose veins of bilateral lower extremities, no symptoms.'), { siblings: true })?.code).toBe('I83.93');
  });

  it('the note\'s "due to" is the title\'s "secondary to": "iron deficiency anemia due to chronic blood loss" is D50.0', () => {
    expect(completeCode(kb, 'D50.9', stemsOf('Iron deficiency anemia due to chronic blood loss from the tumor.'), { siblings: true })?.code).toBe('D50.0');
  });

  it('a site\'s noun reads its adjective and back: "Pressure ulcer of sacrum" has "sacral" for "…of sacral region"', () => {
    expect(stemsOf('Pressure ulcer of sacrum, stage 3.').has(stemWord('sacral'))).toBe(true);
    expect(stemsOf('Renal calculus.').has(stemWord('kidney'))).toBe(true);
  });

  it('"not yet in remission" denies the remission', () => {
    expect(stemsOf('AML, not yet in remission.').has('without:remission')).toBe(true);
  });
});

describe('a title\'s leading "Other" is the classification\'s word', () => {
  it('"every other day" in the sentence is no D50.8 *Other iron deficiency anemias*', () => {
    expect(completeCode(kb, 'D50', stemsOf('Iron deficiency anemia - ferrous sulfate 325 mg every other day.'))?.code).not.toBe('D50.8');
  });
});

describe('"non-" denies the word it prefixes', () => {
  it('"Seborrheic keratoses, non-inflamed" is not completed to L82.0 *Inflamed seborrheic keratosis*', () => {
    // (The Index's "Keratosis, seborrheic" and the inclusion "Seborrheic keratosis NOS" read it as L82.1.)
    expect(completeCode(kb, 'L82', stemsOf('Seborrheic keratoses, non-inflamed - reassurance.'))?.code).not.toBe('L82.0');
    expect(completeCode(kb, 'L82', stemsOf('Inflamed seborrheic keratosis of the back.'))?.code).toBe('L82.0');
  });

  it('a title that says "Non-active" itself is met by it: "secondary progressive MS, non-active" is G35.C2', () => {
    expect(completeCode(kb, 'G35.C', stemsOf('Secondary progressive MS, non-active (no relapses).'))?.code).toBe('G35.C2');
  });
});

describe('a title\'s "upper limb" / "lower limb" is met by a site of that limb (Index: "Cellulitis, hand — see Cellulitis, upper limb")', () => {
  it('"Cellulitis of R hand" → L03.113, "…of the left forearm" → L03.114, "…of the left calf" → L03.116', () => {
    expect(completeCode(kb, 'L03.11', stemsOf('Cellulitis of R hand.'))?.code).toBe('L03.113');
    expect(completeCode(kb, 'L03.11', stemsOf('Cellulitis of the left forearm secondary to the bite.'))?.code).toBe('L03.114');
    expect(completeCode(kb, 'L03.11', stemsOf('Cellulitis of the left calf.'))?.code).toBe('L03.116');
  });
  it('not when the sentence names no limb site, or sites of both limbs: the unspecified part of limb stays', () => {
    expect(completeCode(kb, 'L03.11', stemsOf('Cellulitis of the limb.'))?.code).toBe('L03.119');
    expect(completeCode(kb, 'L03.11', stemsOf('Cellulitis spreading from the left hand; swelling of the left foot.'))?.code).toBe('L03.119');
  });
});

describe('a sibling\'s "A or B" is met by either word', () => {
  it('"…, multiple sites, without organ involvement" read as M05.9 is M05.79 *…without organ or systems involvement*', () => {
    const sentence = 'Rheumatoid arthritis with rheumatoid factor, multiple sites, without organ involvement.';
    expect(completeCode(kb, 'M05.9', stemsOf(sentence), { siblings: true })?.code).toBe('M05.79');
    expect(completeCode(kb, 'M05.9', stemsOf('Rheumatoid arthritis with rheumatoid factor.'), { siblings: true })?.code).toBe('M05.9');
  });
});

describe('a remembered completion takes the sibling step too', () => {
  it('the same header and words complete to the documented sibling whether or not an earlier note primed the memo', () => {
    const fresh = () =>
      buildKnowledge(
        'test',
        [
          code('W01', 'Widget disorder', null, false),
          code('W01.0', 'Widget disorder of unspecified kind', 'W01', false),
          code('W01.00', 'Widget disorder of unspecified kind, unspecified side', 'W01.0'),
          code('W01.1', 'Widget disorder, granular kind', 'W01'),
        ],
        [],
        [],
      );
    const sentence = stemsOf('Granular kind widget disorder.');
    const cold = fresh();
    expect(completeCode(cold, 'W01.0', sentence, { siblings: true })?.code).toBe('W01.1');
    const primed = fresh();
    // A sentence outside the diagnostic statement completes without the sibling step, and is remembered.
    expect(completeCode(primed, 'W01.0', sentence)?.code).toBe('W01.00');
    expect(completeCode(primed, 'W01.0', sentence, { siblings: true })?.code).toBe('W01.1');
  });
});

describe('"bilateral" with both sides named claims against a one-sided title', () => {
  it('"Bilateral carpal tunnel syndrome, right moderate, left mild" → G56.03; "right carpal tunnel syndrome" → G56.01', () => {
    expect(completeCode(kb, 'G56.0', stemsOf('Bilateral carpal tunnel syndrome, right moderate, left mild; night splints both wrists.'))?.code).toBe('G56.03');
    expect(completeCode(kb, 'G56.0', stemsOf('Right carpal tunnel syndrome; wrist splint.'))?.code).toBe('G56.01');
    // The condition both-sided, a procedure one-sided: "Carpal tunnel syndrome of both wrists — right release planned".
    expect(completeCode(kb, 'G56.0', stemsOf('Carpal tunnel syndrome of both wrists — right carpal tunnel release planned.'))?.code).toBe('G56.03');
  });
});
