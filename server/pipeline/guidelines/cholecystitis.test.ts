// Cholecystitis with gallbladder stones is one K80 code (Index: Calculus, gallbladder, with cholecystitis; K81
// Excludes1; OCG I.B.9): one clinical sentence per rule.
import { describe, expect, it } from 'vitest';
import { ruledAt } from '../fixtures/ruled.ts';
import { applyDeniedDuctStone } from './cholecystitis.ts';
import { codes, GUIDELINE_KB, suggest } from './fixture-knowledge.ts';

describe('calculous cholecystitis', () => {
  it('"Acute calculous cholecystitis without obstruction" → K80.00, not K81.0, the drop on its rationale', () => {
    const out = suggest('Principal diagnosis: Acute calculous cholecystitis without obstruction.', 'inpatient');
    expect(out.map((s) => s.code)).toEqual(['K80.00']);
    expect(out[0]!.rationale.rules.some((r) => r.rule === 'combination_code' && /^K81\.0 /.test(r.detail))).toBe(true);
  });

  it('"acute cholecystitis due to gallstones, with cystic duct obstruction" → K80.01', () => {
    expect(codes('Principal diagnosis: Acute cholecystitis due to gallstones, with cystic duct obstruction.', 'inpatient')).toEqual(['K80.01']);
  });

  it('acalculous cholecystitis stays K81.0', () => {
    expect(codes('Principal diagnosis: Acute acalculous cholecystitis.', 'inpatient')).toEqual(['K81.0']);
  });
});

describe('"biliary colic" with the duct stone denied', () => {
  const text = 'Biliary colic from gallstones; no choledocholithiasis.';
  const at = (quote: string, code: string, negated = false) => {
    const c = ruledAt(text, quote, code);
    const m = { ...c.evidence[0]!, context: { ...c.evidence[0]!.context, negated } };
    return { ...c, mentions: [m], evidence: [m] };
  };
  const input = (scored: ReturnType<typeof at>[]) => ({ note: { text, encounter: { setting: 'outpatient' as const, dateOfService: '2026-01-15' } }, sentences: [], kb: GUIDELINE_KB, scored });

  it('K80.50 read only from "biliary colic" goes when the note denies choledocholithiasis', () => {
    const colic = at('Biliary colic', 'K80.50');
    const out = applyDeniedDuctStone([colic], input([colic, at('choledocholithiasis', 'K80.50', true)]));
    expect(out.kept).toEqual([]);
    expect(out.dropped[0]!.code).toBe('K80.50');
  });

  it('without the denial it stays', () => {
    const colic = at('Biliary colic', 'K80.50');
    expect(applyDeniedDuctStone([colic], input([colic])).kept.map((c) => c.code)).toEqual(['K80.50']);
  });
});

describe('stones in the gallbladder and in the bile duct are one code (Index: Calculus, gallbladder and bile duct)', () => {
  it('"Cholelithiasis with obstruction; choledocholithiasis" → K80.71, not K80.21 and K80.50', () => {
    expect(codes('Principal diagnosis: Cholelithiasis with obstruction.\nSecondary diagnoses: Choledocholithiasis.', 'inpatient')).toEqual(['K80.71']);
  });

  it('gallbladder calculus with acute cholecystitis and a bile duct stone → K80.62', () => {
    expect(codes('Principal diagnosis: Calculus of gallbladder with acute cholecystitis.\nSecondary diagnoses: Choledocholithiasis.', 'inpatient')).toEqual(['K80.62']);
  });
});

describe('cholelithiasis is a calculus of the gallbladder (Index: Cholelithiasis — see Calculus, gallbladder)', () => {
  it('"Cholelithiasis" read as K80.80 Other cholelithiasis → K80.20', () => {
    expect(codes('Secondary diagnoses: Cholelithiasis.', 'inpatient')).toEqual(['K80.20']);
    // Read as K80.20 already: the same stones, one code.
    expect(codes('Secondary diagnoses: Cholelithiasis; calculus of gallbladder on ultrasound.', 'inpatient')).toEqual(['K80.20']);
  });
});

