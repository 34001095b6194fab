// Deficits that remain after a stroke are coded to I69.3- (OCG I.C.9.d): one clinical sentence per rule.
import { describe, expect, it } from 'vitest';
import { codes, suggest } from './fixture-knowledge.ts';

describe('sequelae of cerebral infarction', () => {
  it('"Residual left hemiparesis from prior stroke" → I69.354 (left: non-dominant by default), not G81.9x, I63.9 or Z86.73', () => {
    const out = suggest('Assessment:\n1. Residual left hemiparesis from prior stroke in 2022.');
    expect(out.map((s) => s.code)).toEqual(['I69.354']);
  });

  it('"History of CVA with residual right hemiparesis" → I69.351: a deficit after "history of" is still a current deficit', () => {
    expect(codes('Assessment:\n1. History of stroke with residual right hemiparesis.')).toEqual(['I69.351']);
  });

  it('"Aphasia due to remote stroke" → I69.320, the aphasia code dropped with the reason on the I69 code', () => {
    const out = suggest('Assessment:\n1. Aphasia due to remote stroke.');
    expect(out.map((s) => s.code)).toEqual(['I69.320']);
    expect(out[0]!.rationale.rules.some((r) => r.rule === 'stroke_sequela' && /^R47\.01 \(Aphasia\)/.test(r.detail))).toBe(true);
  });

  it('"Oropharyngeal dysphagia, late effect of prior stroke" → I69.391 with R13.12, which I69.391 asks for ("use additional code … (R13.1-)")', () => {
    expect(codes('Assessment:\n1. Oropharyngeal phase dysphagia as residual of prior stroke.').sort()).toEqual(['I69.391', 'R13.12']);
  });

  it('deficits of a current stroke keep their own codes beside it (OCG I.C.9.d.2 is for deficits of an old one)', () => {
    expect(codes('Assessment:\n1. Acute stroke with right hemiparesis and aphasia.', 'inpatient').sort()).toEqual(['G81.91', 'I63.9', 'R47.01']);
  });

  it('"Left hemiparesis following stroke" (the Index\'s I69.35-) takes the left non-dominant default: the I69 titles write "non-dominant"', () => {
    expect(codes('Assessment:\n1. Left hemiparesis following stroke.')).toEqual(['I69.354']);
  });

  it('a deficit code the I69 code asks for stays beside another sequela of the same sentence (R13.12 with I69.391 and I69.351)', () => {
    expect(codes('Assessment:\n1. Residual right hemiparesis and oropharyngeal phase dysphagia from prior stroke.').sort()).toEqual(['I69.351', 'I69.391', 'R13.12']);
  });

  it('"dominant" said of the other side is no contradiction of the title\'s "non-dominant": I69.354 stays', () => {
    expect(codes('Assessment:\n1. Left hemiparesis from prior stroke (dominant right side).')).toEqual(['I69.354']);
  });

  it('"no residual deficits" is no sequela: a new aphasia beside it keeps its own code', () => {
    expect(codes('Assessment:\n1. Aphasia, new, under evaluation; stroke in 2019 with no residual deficits.')).toContain('R47.01');
  });
});
