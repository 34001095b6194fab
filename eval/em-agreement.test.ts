import { describe, expect, it } from 'vitest';
import { emAgreement, emPosition, precisionByRule } from './em-agreement.ts';

describe('emPosition', () => {
  it('places codes in their family and level', () => {
    // Ranks count every row, 99211 and 99281 included, so they are the level numbers coders use.
    expect(emPosition('99214')).toEqual({ family: 'office_established', rank: 4 });
    expect(emPosition('99211')).toEqual({ family: 'office_established', rank: 1 });
    expect(emPosition('99285')).toEqual({ family: 'emergency', rank: 5 });
    expect(emPosition('99396')).toEqual({ family: 'preventive', rank: 1 });
    expect(emPosition('93000')).toBeNull();
  });
});

describe('emAgreement', () => {
  it('counts exact, within one level of the same family, misses, and E/M suggested where the coder reported none', () => {
    const a = emAgreement([
      { id: 'a', gold: '99214', predicted: '99214' },
      { id: 'b', gold: '99214', predicted: '99213' },
      { id: 'c', gold: '99214', predicted: '99212' },
      { id: 'd', gold: '99214', predicted: '99284' },
      { id: 'e', gold: '99285', predicted: null },
      { id: 'f', gold: null, predicted: '99213' },
      { id: 'g', gold: null, predicted: null },
    ]);
    expect(a).toMatchObject({ withGold: 5, exact: 1, withinOne: 2, spurious: 1, exactRate: 0.2, withinOneRate: 0.4 });
    expect(a.confusion).toEqual({ '99214': { '99214': 1, '99213': 1, '99212': 1, '99284': 1 }, '99285': { none: 1 } });
  });
  it('an empty set has rates of 0, not NaN', () => {
    expect(emAgreement([])).toMatchObject({ withGold: 0, exactRate: 0, withinOneRate: 0 });
  });
});

describe('precisionByRule', () => {
  it('counts predicted CPT lines per rule and those the gold has, so the descriptor matcher is scored apart from the rules', () => {
    expect(
      precisionByRule([
        { gold: ['12032', '90471'], lines: [{ code: '12032', rule: 'cpt_repair' }, { code: '90471', rule: 'vaccine_admin' }, { code: '93000', rule: 'cpt_descriptor' }] },
        { gold: [], lines: [{ code: '96372' }] },
      ]),
    ).toEqual({ cpt_repair: { predicted: 1, correct: 1 }, vaccine_admin: { predicted: 1, correct: 1 }, cpt_descriptor: { predicted: 1, correct: 0 }, administration: { predicted: 1, correct: 0 } });
  });
});
