// Multiple rheumatic valve diseases (I08) and leukemia in remission or relapse (C90–C95 titles): one sentence per rule.
import { describe, expect, it } from 'vitest';
import { codes, suggest } from './fixture-knowledge.ts';

describe('two valves classified as rheumatic are one multiple-valve code (I08)', () => {
  it('"Rheumatic mitral stenosis; tricuspid regurgitation" → I08.1, not I05.0 and I07.1; the reason on I08.1', () => {
    const out = suggest('Assessment:\n1. Rheumatic mitral stenosis, moderate.\n2. Tricuspid regurgitation, moderate.');
    expect(out.map((s) => s.code)).toEqual(['I08.1']);
    expect(out[0]!.rationale.rules.filter((r) => r.rule === 'multiple_valves' && /not reported/.test(r.detail)).map((r) => r.detail.slice(0, 5))).toEqual(['I05.0', 'I07.1']);
  });

  it('one rheumatic valve stays its own code', () => {
    expect(codes('Assessment:\n1. Rheumatic mitral stenosis, moderate.')).toEqual(['I05.0']);
  });
});

describe('leukemia in remission or relapse', () => {
  it('"Chronic lymphocytic leukemia, in complete remission" → C91.11, not C91.10', () => {
    expect(codes('Assessment:\n1. Chronic lymphocytic leukemia, in complete remission after therapy.')).toEqual(['C91.11']);
  });

  it('"relapsed" → C91.12; "no evidence of relapse" alone says nothing: C91.10 stays', () => {
    expect(codes('Assessment:\n1. Chronic lymphocytic leukemia, relapsed.')).toEqual(['C91.12']);
    expect(codes('Assessment:\n1. Chronic lymphocytic leukemia, on therapy; no evidence of relapse.')).toEqual(['C91.10']);
  });
});

describe('jaundice is the sign of its hyperbilirubinemia (OCG I.B.5)', () => {
  it('"Gilbert syndrome with intermittent jaundice" → E80.4 alone', () => {
    expect(codes('Assessment:\n1. Gilbert syndrome.\n2. Jaundice, intermittent, with fasting.')).toEqual(['E80.4']);
  });
});
