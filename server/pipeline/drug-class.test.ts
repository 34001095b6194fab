// A drug word's Table of Drugs class, by the Table's own rows or by USAN stem for drugs the Table does not list.
import { describe, expect, it } from 'vitest';
import { drugClass } from './drug-class.ts';
import { GUIDELINE_KB } from './guidelines/fixture-knowledge.ts';

describe('drugClass', () => {
  it('reads a Table row, and a class by its USAN stem where the Table has no row', () => {
    expect(drugClass(GUIDELINE_KB, 'Metformin')).toBe('T38.3X');
    expect(drugClass(GUIDELINE_KB, 'amlodipine')).toBe('T46.1X');
    expect(drugClass(GUIDELINE_KB, 'atorvastatin')).toBe('T46.6X');
    expect(drugClass(GUIDELINE_KB, 'pantoprazole')).toBe('T47.1X');
    expect(drugClass(GUIDELINE_KB, 'carvedilol')).toBe('T44.7X');
    // Antineoplastics: platinum compounds, taxanes, anthracyclines, kinase inhibitors, vinca alkaloids.
    for (const drug of ['oxaliplatin', 'paclitaxel', 'doxorubicin', 'imatinib', 'vincristine', 'gemcitabine']) expect(drugClass(GUIDELINE_KB, drug)).toBe('T45.1X');
    expect(drugClass(GUIDELINE_KB, 'fatigue')).toBeNull();
  });
});
