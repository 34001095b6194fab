// Cirrhosis with a named cause is K74.69 *Other cirrhosis of liver*, not the unspecified K74.60 (Index
// "Cirrhosis, postnecrotic" K74.69; OCG I.B.18): one clinical sentence per rule.
import { describe, expect, it } from 'vitest';
import { codes, suggest } from './fixture-knowledge.ts';

describe('cirrhosis the provider attributes to a cause', () => {
  it('"Cirrhosis due to chronic hepatitis C" → K74.69 beside B18.2, the rationale naming the cause', () => {
    const out = suggest('Assessment:\n1. Cirrhosis due to chronic hepatitis C, compensated.');
    expect(out.map((s) => s.code).sort()).toEqual(['B18.2', 'K74.69']);
    expect(out.find((s) => s.code === 'K74.69')!.rationale.rules.some((r) => r.rule === 'cirrhosis_cause' && /B18\.2/.test(r.detail))).toBe(true);
  });

  it('the cause named before the word ("NASH cirrhosis", "hepatitis C-related cirrhosis") links it too', () => {
    expect(codes('Assessment:\n1. Nonalcoholic steatohepatitis (NASH) cirrhosis, compensated.')).toContain('K74.69');
    expect(codes('Assessment:\n1. Chronic hepatitis C-related cirrhosis.')).toContain('K74.69');
  });

  it('a cause cured before the visit still names the cirrhosis ("treated, SVR")', () => {
    expect(codes('HPI: Cirrhosis secondary to chronic hepatitis C, treated 2021 with SVR.\nAssessment:\n1. Cirrhosis, compensated.')).toContain('K74.69');
  });

  it('cirrhosis listed apart from a hepatitis, with no link, stays unspecified', () => {
    const out = codes('Assessment:\n1. Cirrhosis, compensated.\n2. Chronic hepatitis C.');
    expect(out).toContain('K74.60');
    expect(out).not.toContain('K74.69');
  });
});
