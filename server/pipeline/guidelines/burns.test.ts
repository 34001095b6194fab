// Burns (OCG I.C.19.d): one clinical sentence per rule, through the whole engine on the fixture slice.
import { describe, expect, it } from 'vitest';
import type { AnalysedSentence } from '../candidates.ts';
import { extentCode, statedExtent } from './burns.ts';
import { codes } from './fixture-knowledge.ts';

const sentences = (...texts: string[]) => texts.map((text, index) => ({ text, index, start: 0 }) as unknown as AnalysedSentence);

describe('burns of one site: the highest degree (OCG I.C.19.d.2)', () => {
  it('a second-degree burn with a first-degree rim on the same forearm → T22.211A only', () => {
    const out = codes('Assessment: Second degree burn of right forearm, with first degree burn of right forearm around it.');
    expect(out).toContain('T22.211A');
    expect(out).not.toContain('T22.111A');
  });

  it('an unspecified depth gives way to a documented one of the same site; another side keeps its own code', () => {
    expect(codes('Assessment:\n1. Burn of right forearm.\n2. Second degree burn of right forearm.')).toEqual(['T22.211A']);
    expect(codes('Assessment:\n1. First degree burn of right forearm.\n2. Second degree burn of left forearm.').sort()).toEqual(['T22.111A', 'T22.212A']);
  });
});

describe('each burn coded to its site (OCG I.C.19.d.5)', () => {
  it('"second-degree burn of back of R hand" → T23.261A: not the hand\'s unspecified site, not the lower back, not an unspecified degree', () => {
    expect(codes('Exam: dorsum of R hand: second-degree burn with blistering; fingers, palm and wrist spared.\nAssessment: Second degree burn of back of right hand.')).toEqual(['T23.261A']);
  });

  it('no site named on the hand: the unspecified-site code stays', () => {
    expect(codes('Assessment: Second degree burn of right hand.')).toEqual(['T23.201A']);
  });
});

describe('extent of body surface, T31 (OCG I.C.19.d.6)', () => {
  it('"Total burns <10% TBSA" beside the site codes → T31.0; no extent stated → no T31', () => {
    expect(codes('Assessment:\n1. Second degree burn of right forearm.\n2. Second degree burn of back of right hand.\n3. Total burns <10% TBSA.')).toEqual(
      expect.arrayContaining(['T22.211A', 'T23.261A', 'T31.0']),
    );
    expect(codes('Assessment: Second degree burn of right forearm.')).toEqual(['T22.211A']);
  });

  it('not for the sequela of a burn', () => {
    expect(codes('Assessment: Sequela of second degree burn of right forearm; burn was 12% TBSA.')).not.toContain('T31.10');
  });

  it('reads the total and the third-degree share; a treated area is not the total', () => {
    expect(statedExtent(sentences('TBSA 24%, third-degree 12%.'))).toEqual({ total: 24, third: 12 });
    expect(statedExtent(sentences('Debrided area <5% TBSA.', 'Total burns 15% TBSA.'))).toEqual({ total: 15, third: 0 });
    expect(statedExtent(sentences('Partial-thickness TBSA ~2%.'))).toEqual({ total: 2, third: 0 });
    expect(statedExtent(sentences('BP 120/80, 98% on room air.'))).toBeNull();
    expect(extentCode('T31', 24, 12)).toBe('T31.21');
    expect(extentCode('T31', 9, 0)).toBe('T31.0');
    expect(extentCode('T32', 15, 0)).toBe('T32.10');
  });
});
