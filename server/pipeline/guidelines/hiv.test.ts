// HIV infection status (OCG I.C.1.a.2.e–f): one clinical sentence per rule.
import { describe, expect, it } from 'vitest';
import { codes, suggest } from './fixture-knowledge.ts';

describe('asymptomatic HIV is Z21, HIV disease is B20 (OCG I.C.1.a.2.e)', () => {
  it('"Asymptomatic HIV infection, virologically suppressed on ART" → Z21 alone: not B20, and its "infection" is no B99.9', () => {
    const out = suggest('Assessment:\n1. Asymptomatic HIV infection, virologically suppressed on ART.');
    expect(out.map((s) => s.code)).toEqual(['Z21']);
    expect(out[0]!.rationale.rules.some((r) => r.rule === 'hiv_status' && /^B20 .* not reported/.test(r.detail))).toBe(true);
  });

  it('"HIV positive", "HIV+" and "known HIV" are the status too', () => {
    for (const text of ['HPI: HIV since 2019, never had an opportunistic infection or any HIV-related illness.\nAssessment:\n1. HIV positive, on Biktarvy.', 'Assessment:\n1. HIV+ on ART, undetectable.', 'Assessment:\n1. Known HIV, adherent to ART.']) expect(codes(text)).toEqual(['Z21']);
  });

  it('AIDS, or HIV documented with a related illness, keeps B20 (OCG I.C.1.a.2.f); "HIV infection" alone is B20 without B99.9', () => {
    expect(codes('Assessment:\n1. HIV positive; AIDS diagnosed 2019 (PCP).')).toEqual(['B20']);
    expect(codes('Assessment:\n1. HIV infection, on ART.')).toEqual(['B20']);
  });
});

describe('HIV named only as a test is no case (OCG I.C.1.a.1: only confirmed cases)', () => {
  it('a negative or nonreactive result, or a lab ordered, is not B20', () => {
    for (const text of [
      'Labs: HIV, HBsAg, and hepatitis C negative; rubella immune.\nAssessment:\n1. Intrauterine pregnancy.',
      'Labs: ALT 68, HIV Ag/Ab nonreactive, HBsAg negative.\nAssessment:\n1. Fatty liver.',
      'Labs: HIV Ag/Ab non-reactive.\nAssessment:\n1. Fatty liver.',
      'Assessment:\n1. Chronic hepatitis C - start treatment; HIV and HBV labs ordered.',
      'Assessment:\n1. Thrombocytopenia. Repeat CBC, B12/folate, HIV/HCV, liver US.',
    ]) expect(codes(text)).not.toContain('B20');
  });

  it('a positive result, or HIV disease stated in the note, stays coded', () => {
    expect(codes('Labs: HIV Ag/Ab reactive, confirmed; CD4 180.\nAssessment:\n1. HIV infection, new diagnosis.')).toContain('B20');
    expect(codes('Labs: HIV viral load undetectable, hepatitis B negative.\nAssessment:\n1. HIV disease on ART.')).toContain('B20');
    expect(codes('Assessment:\n1. HIV on bictegravir, viral load undetectable, hepatitis B negative.')).toContain('B20');
    // A known case's story before a result or an order is not a test name: B20 stays.
    expect(codes('Assessment:\n1. HIV on Biktarvy, CD4 and viral load pending.')).toContain('B20');
    expect(codes('Assessment:\n1. HIV, well controlled, HCV negative.')).toContain('B20');
  });
});
