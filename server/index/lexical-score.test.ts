import { describe, expect, it } from 'vitest';
import { lexicalScore, stems } from './lexical-score.ts';

describe('lexicalScore', () => {
  const q = stems('fracture of left femur');

  it('gives a full score to the unspecified, initial-encounter title', () => {
    expect(lexicalScore(q, 'Unspecified fracture of left femur, initial encounter for closed fracture')).toBe(1);
  });

  it('charges each specific word the query did not make', () => {
    expect(lexicalScore(q, 'Stress fracture, left femur')).toBeCloseTo(0.94);
    expect(lexicalScore(q, 'Unspecified fracture of left femur, subsequent encounter for closed fracture with delayed healing')).toBeLessThan(
      lexicalScore(q, 'Unspecified fracture of left femur, initial encounter for closed fracture'),
    );
  });

  it('counts uncovered query words', () => {
    expect(lexicalScore(q, 'Unspecified fracture of right femur')).toBeLessThan(0.75);
  });

  it('treats parenthesized nonessential modifiers as free', () => {
    expect(lexicalScore(stems('essential hypertension'), 'Essential (primary) hypertension')).toBe(1);
  });

  it('keeps "without" as a meaningful word', () => {
    expect(stems('diabetes without complications')).toEqual(['diabete', 'without', 'complication']);
  });

  it('stems Greek plurals of "-sis" nouns to the singular', () => {
    expect(stems('stenoses metastases dialyses prostheses')).toEqual(stems('stenosis metastasis dialysis prosthesis'));
    // Latin "-ae" plurals: "as sequela of prior stroke" meets the Index's "Sequelae".
    expect(stems('sequelae vertebrae bullae')).toEqual(stems('sequela vertebra bulla'));
    // Not an organism's epithet: "pneumoniae" is no pneumonia.
    expect(stems('pneumoniae influenzae')).not.toEqual(stems('pneumonia influenza'));
    expect(stems('doses diseases')).toEqual(['dose', 'disease']);
    // Latin "-i" / "-a" plurals of a list of clinical nouns: "pulmonary emboli" meets "embolus" (and so "Embolism").
    expect(stems('emboli thrombi calculi diverticula')).toEqual(stems('embolus thrombus calculus diverticulum'));
    // Not any word in "-i": an organism's epithet stays.
    expect(stems('coli')).toEqual(['coli']);
  });

  it('reads British spellings as the American ones the Index mostly uses', () => {
    expect(stems('Haemophilus anaemia ischaemic oedema oesophageal diarrhoea paediatric orthopaedic foetal coeliac tumours anaesthesia')).toEqual(
      stems('Hemophilus anemia ischemic edema esophageal diarrhea pediatric orthopedic fetal celiac tumors anesthesia'),
    );
    expect(stems('toe shoe aerobic')).toEqual(['toe', 'shoe', 'aerobic']);
  });

  it('scores an empty query 0', () => {
    expect(lexicalScore([], 'Essential (primary) hypertension')).toBe(0);
  });
});
