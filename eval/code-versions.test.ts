import { describe, expect, it } from 'vitest';
import { loadConversionTable, parseConversionTable, toGoldPcsPrefix, toGoldVintage } from './code-versions.ts';

describe('toGoldVintage with the shipped FY2026 conversion table', () => {
  const table = loadConversionTable();

  it('reads every row (5,892 rows, 8 repeated verbatim)', () => {
    expect(table.size).toBe(5884);
    expect(table.get('R51.9')).toEqual({ code: 'R51.9', effectiveYear: 2020, previous: [{ kind: 'code', code: 'R51' }] });
    expect(table.get('M54.50')).toEqual({ code: 'M54.50', effectiveYear: 2021, previous: [{ kind: 'code', code: 'M54.5' }] });
  });

  it('scores headache R51.9 (FY2020) as R51 when the older gold has R51', () => {
    expect(toGoldVintage('R51.9', new Set(['R51', 'I10']), table)).toBe('R51');
  });

  it('scores low back pain M54.50 (FY2021) as M54.5 when the older gold has M54.5', () => {
    expect(toGoldVintage('M54.50', new Set(['M54.5']), table)).toBe('M54.5');
  });

  it('keeps the code when gold holds it, or holds none of its previous codes', () => {
    expect(toGoldVintage('R51.9', new Set(['R51.9', 'R51']), table)).toBe('R51.9');
    expect(toGoldVintage('R51.9', new Set(['G44.209']), table)).toBe('R51.9');
    expect(toGoldVintage('I10', new Set(['I10.0']), table)).toBe('I10');
  });

  it('maps to one of several previous codes (E11.11 ← E11.69 and R40.20)', () => {
    expect(toGoldVintage('E11.11', new Set(['R40.20']), table)).toBe('R40.20');
  });

  it('ignores rows effective in or before effectiveAfter', () => {
    expect(toGoldVintage('R51.9', new Set(['R51']), table, { effectiveAfter: 2020 })).toBe('R51.9');
    expect(toGoldVintage('R51.9', new Set(['R51']), table, { effectiveAfter: 2019 })).toBe('R51');
  });
});

describe('parseConversionTable', () => {
  const csv = [
    'current_code,effective,previous_codes',
    'C.1,2022,B.1', // not a real code: only used via the chain below
    'A00.01,2020-04-01,"A00.0 and A00.9; A01.-"',
    'B00.01,2021,H44.20-H44.23',
    'C00.01,2023,Codes in Categories T15-T19',
    'D00.01,2016,None',
    'E00.01,2024,E00.00',
    'E00.00,2022,E00.0',
  ];

  it('rejects a previous code it cannot read, naming the line', () => {
    expect(() => parseConversionTable(csv.slice(0, 2).join('\n'), 'conv.csv')).toThrow('conv.csv:2: current_code "C.1" is not an ICD-10-CM code');
    expect(() => parseConversionTable('current_code,effective,previous_codes\nA00.1,2020,see A00', 'conv.csv')).toThrow('conv.csv:2: previous code "see A00"');
  });

  const table = parseConversionTable([csv[0], ...csv.slice(2)].join('\n'), 'conv.csv');

  it('splits lists, ranges, prefixes and "Codes in Categories" phrases', () => {
    expect(table.get('A00.01')!.previous).toEqual([
      { kind: 'code', code: 'A00.0' },
      { kind: 'code', code: 'A00.9' },
      { kind: 'prefix', prefix: 'A01' },
    ]);
    expect(table.get('A00.01')!.effectiveYear).toBe(2020);
    expect(table.get('C00.01')!.previous).toEqual([{ kind: 'range', first: 'T15', last: 'T19' }]);
    expect(table.get('D00.01')!.previous).toEqual([]);
  });

  it('matches gold inside ranges (ends inclusive of their subcodes) and prefixes', () => {
    expect(toGoldVintage('B00.01', new Set(['H44.22']), table)).toBe('H44.22');
    expect(toGoldVintage('B00.01', new Set(['H44.24']), table)).toBe('B00.01');
    expect(toGoldVintage('C00.01', new Set(['T19.9XXA']), table)).toBe('T19.9XXA');
    expect(toGoldVintage('A00.01', new Set(['A01.4']), table)).toBe('A01.4');
  });

  it('follows replacements transitively (E00.01 → E00.00 → E00.0)', () => {
    expect(toGoldVintage('E00.01', new Set(['E00.0']), table)).toBe('E00.0');
  });
});

describe('toGoldPcsPrefix', () => {
  it('scores a full PCS code as the truncated gold prefix it extends, longest first', () => {
    expect(toGoldPcsPrefix('BW20ZZZ', new Set(['BW2', 'BW20', 'BT41ZZZ']))).toBe('BW20');
  });

  it('keeps the code when gold holds it or no prefix of it', () => {
    expect(toGoldPcsPrefix('BT41ZZZ', new Set(['BT41ZZZ', 'BT4']))).toBe('BT41ZZZ');
    expect(toGoldPcsPrefix('0DTJ4ZZ', new Set(['BW20']))).toBe('0DTJ4ZZ');
  });
});

describe('7th character in CodiEsp gold', () => {
  it('scores a predicted injury or external-cause code as the gold code written without its 7th character', () => {
    const table = loadConversionTable();
    expect(toGoldVintage('T14.8XXA', new Set(['T14.8']), table)).toBe('T14.8');
    expect(toGoldVintage('W19.XXXA', new Set(['W19.XXX']), table)).toBe('W19.XXX');
    expect(toGoldVintage('S72.92XA', new Set(['S72.92']), table)).toBe('S72.92');
    expect(toGoldVintage('S72.92XA', new Set(['S72.9']), table)).toBe('S72.92XA'); // a real digit is never dropped
  });
});
