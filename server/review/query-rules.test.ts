import { describe, expect, it } from 'vitest';
import { checkAnswer, checkQuery } from './query-rules.ts';
import { parseTemplates, QUERY_TEMPLATES } from './query-templates.ts';

const mc = (question: string, options = ['Acute systolic heart failure', 'Chronic diastolic heart failure']) => checkQuery({ kind: 'multiple_choice', purpose: 'specificity', question, options });

describe('physician query compliance', () => {
  it('"Can the type of heart failure be clarified?" passes and gets the two standard options appended', () => {
    expect(mc('Can the type of heart failure be clarified?')).toEqual({
      errors: [],
      warnings: [],
      options: ['Acute systolic heart failure', 'Chronic diastolic heart failure', 'Other (please specify)', 'Clinically undetermined'],
    });
  });

  it('does not add the standard options twice, in whatever case the coder typed them', () => {
    expect(mc('Can it be clarified?', ['Sepsis', 'SIRS', 'other (please specify)', 'clinically undetermined']).options).toEqual(['Sepsis', 'SIRS', 'Other (please specify)', 'Clinically undetermined']);
  });

  it.each([
    ['Please document acute blood loss anemia.', /please document/],
    ['Would you agree that the patient has sepsis?', /would you agree/],
    ['Consider documenting malnutrition.', /consider documenting/],
    ['Can you document the stage of the ulcer?', /can you document/],
  ])('warns on leading wording: %s', (question, expected) => {
    const r = mc(question);
    expect(r.errors).toEqual([]);
    expect(r.warnings.join(' ')).toMatch(expected);
  });

  it.each([
    'This will increase reimbursement.',
    'The MS-DRG depends on it.',
    'Needed for payment.',
    'Revenue impact is significant.',
    'It is worth $4,000.',
    'It adds an MCC.',
  ])('refuses any mention of money: %s', (question) => {
    expect(mc(`Can the heart failure be clarified? ${question}`).errors).not.toEqual([]);
  });

  it('refuses money in an option too', () => {
    expect(mc('Can it be clarified?', ['Sepsis (higher DRG)', 'SIRS']).errors).not.toEqual([]);
  });

  it('allows yes/no only to confirm a documented diagnosis, for present on admission and for cause and effect', () => {
    for (const purpose of ['confirm_documented_diagnosis', 'present_on_admission', 'cause_and_effect'] as const) {
      expect(checkQuery({ kind: 'yes_no', purpose, question: 'Was the ulcer present on admission?', options: [] }).errors).toEqual([]);
    }
    expect(checkQuery({ kind: 'yes_no', purpose: 'clarify_diagnosis', question: 'Does the patient have sepsis?', options: [] }).errors.join(' ')).toMatch(/yes\/no/);
  });

  it('needs two clinical options for multiple choice, and none for open-ended', () => {
    expect(mc('Can it be clarified?', ['Sepsis']).errors).not.toEqual([]);
    expect(mc('Can it be clarified?', ['Sepsis', 'Other', 'Clinically undetermined']).errors).not.toEqual([]);
    expect(checkQuery({ kind: 'open_ended', purpose: 'clarify_diagnosis', question: 'Can it be clarified?', options: ['A'] }).errors).not.toEqual([]);
  });

  it('checks answers: an offered option, text with "Other", text for open-ended', () => {
    const q = { kind: 'multiple_choice' as const, options: ['Sepsis', 'SIRS', 'Other (please specify)', 'Clinically undetermined'] };
    expect(checkAnswer(q, { option: 'Sepsis' })).toBeNull();
    expect(checkAnswer(q, { option: 'Bacteremia' })).toMatch(/not one of/);
    expect(checkAnswer(q, { option: 'Other (please specify)' })).toMatch(/needs the text/);
    expect(checkAnswer(q, { option: 'Other (please specify)', text: 'Urosepsis' })).toBeNull();
    expect(checkAnswer({ kind: 'open_ended', options: [] }, { text: '  ' })).toMatch(/text/);
  });
});

describe('query templates', () => {
  it('all pass the compliance check with no warning and carry the standard options', () => {
    expect(QUERY_TEMPLATES.length).toBeGreaterThanOrEqual(6);
    for (const t of QUERY_TEMPLATES) {
      expect(checkQuery(t), t.id).toMatchObject({ errors: [], warnings: [] });
      if (t.kind !== 'open_ended') expect(t.options.slice(-2), t.id).toEqual(['Other (please specify)', 'Clinically undetermined']);
    }
  });

  it('fails loudly on an unknown key, a bad purpose or leading wording', () => {
    const base = { id: 'x', title: 'X', purpose: 'specificity', kind: 'open_ended', question: 'Can it be clarified?', options: [] };
    expect(() => parseTemplates([{ ...base, extra: 1 }])).toThrow(/extra/);
    expect(() => parseTemplates([{ ...base, purpose: 'upcoding' }])).toThrow(/purpose/);
    expect(() => parseTemplates([{ ...base, question: 'Please document sepsis.' }])).toThrow(/Leading/);
  });
});
