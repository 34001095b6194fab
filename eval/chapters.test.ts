import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseTabularXml } from '../server/codes/tabular-xml.ts';
import { ICD10CM_CHAPTERS, icd10cmChapter } from './chapters.ts';

describe('ICD-10-CM chapter table', () => {
  it('matches the chapters of the shipped tabular XML', () => {
    const file = new URL('../data/codesets/icd10cm-tabular-2021.xml.gz', import.meta.url);
    const { chapters } = parseTabularXml(gunzipSync(readFileSync(file)).toString('utf8'), 'icd10cm-tabular-2021.xml');
    expect(ICD10CM_CHAPTERS).toEqual(chapters);
  });

  it.each([
    ['A41.9', 1],
    ['C4A.9', 2],
    ['D3A.010', 2],
    ['D50.0', 3],
    ['H59.89', 7],
    ['H60.00', 8],
    ['O9A.111', 15],
    ['QA0.0101', 17],
    ['T88.7XXA', 19],
    ['W19XXXA', 20],
    ['U07.1', 22],
  ])('%s is in chapter %i', (code, chapter) => {
    expect(icd10cmChapter(code)).toBe(chapter);
  });

  it('has no chapter for a non-ICD-10-CM string', () => {
    expect(icd10cmChapter('0DTJ4ZZ')).toBeUndefined();
  });
});
