import { describe, expect, it } from 'vitest';
import { LONG_TERM_USE, longTermUseCode, parseLongTermUse } from './long-term-use.ts';

describe('long-term drug therapy codes (Z79) for Table of Drugs entries', () => {
  it('maps a drug by the class its T-code names, the longest prefix winning', () => {
    expect(longTermUseCode('metformin', 'T38.3X1')).toBe('Z79.84');
    expect(longTermUseCode('warfarin', 'T45.511')).toBe('Z79.01');
    expect(longTermUseCode('clopidogrel', 'T45.521')).toBe('Z79.02');
    expect(longTermUseCode('aspirin', 'T39.011')).toBe('Z79.82');
    expect(longTermUseCode('acetaminophen', 'T39.1X1')).toBeUndefined();
  });

  it('a drug named in the rules wins over its class: insulin and GLP-1 agonists share T38.3 with oral agents', () => {
    expect(longTermUseCode('insulin', 'T38.3X1')).toBe('Z79.4');
    expect(longTermUseCode('insulin lispro', 'T38.3X1')).toBe('Z79.4');
    expect(longTermUseCode('liraglutide', 'T38.3X1')).toBe('Z79.85');
  });

  it('an immunosuppressive biologic is Z79.620 by name (FY2026): the Table classes it with antineoplastics', () => {
    expect(longTermUseCode('infliximab', 'T45.1X1')).toBe('Z79.620');
    expect(longTermUseCode('adalimumab', undefined)).toBe('Z79.620');
    expect(longTermUseCode('ocrelizumab', undefined)).toBe('Z79.620');
  });

  it('methotrexate is an antimetabolite (Z79.631), a "-citinib" a Janus kinase inhibitor (Z79.622), not the Table\'s antineoplastic class', () => {
    expect(longTermUseCode('methotrexate', 'T45.1X1')).toBe('Z79.631');
    expect(longTermUseCode('tofacitinib', undefined)).toBe('Z79.622');
    expect(longTermUseCode('upadacitinib', undefined)).toBe('Z79.622');
  });

  it('refuses rules with an unknown key or a code outside Z79, naming the path', () => {
    expect(() => parseLongTermUse({ ...LONG_TERM_USE, extra: 1 })).toThrow(/Invalid long-term-use rules: .*extra/);
    expect(() => parseLongTermUse({ ...LONG_TERM_USE, byName: [{ name: 'insulin', code: 'E11.9', why: 'x' }] })).toThrow(/byName\.0\.code: a Z79 code/);
  });
});
