import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { applyTabularAddenda, parseTabularAddenda } from './tabular-addenda.ts';
import type { NoteRecord } from './types.ts';

const KNOWN = new Set(['E11', 'E11.9', 'E11.A', 'E27.5', 'K76', 'K76.0', 'B88.0', 'B88.01', 'F02', 'D12.6']);

// The layout `pdftotext -layout` gives the NCHS PDF: an action column, then the book's indentation.
const FIXTURE = [
  'No Change   Chapter 4',
  'No Change   Diabetes mellitus (E08-E13)',
  '',
  'No Change   E11 Type 2 diabetes mellitus',
  '',
  'No Change       E11.9 Type 2 diabetes mellitus without complications',
  '',
  'Add                  Excludes1: type 2 diabetes mellitus, without complications in remission (E11.A)',
  '',
  'Add             E11.A Type 2 diabetes mellitus without complications in remission',
  '',
  'Add                   Excludes1: type 2 diabetes mellitus, with complications (E11.0-E11.8)',
  'Add                              type 2 diabetes mellitus, without complications not in remission (E11.9)',
  '',
  'No Change       E27.5 Adrenomedullary hyperfunction',
  'Add                  Code also, if applicable:',
  'Add                           malignant pheochromocytoma (C74.1-)',
  'Add                           secondary hypertension (I15.2)',
  '\fNo Change     K76 Other diseases of liver',
  'No Change       K76.0 Fatty (change of) liver, not elsewhere classified',
  'Add                   Metabolic dysfunction-associated steatotic liver disease',
  '                      (MASLD)',
  'No Change     B88.0 Other acariasis',
  'Delete              Trombiculosis',
  'Delete              B88.02 A code the release does not have',
  'Delete                     Its inclusion term',
  'No Change     F02 Dementia in other diseases classified elsewhere',
  'No Change        Code first',
  'Revise from                   multiple sclerosis (G35)',
  'Revise to                     multiple sclerosis (G35.-)',
].join('\n');

describe('parseTabularAddenda', () => {
  const a = parseTabularAddenda(FIXTURE, 'fixture.txt', KNOWN);

  it('reads a line under a code that is no note as an inclusion term, joining its wrapped line', () => {
    expect(a.added).toContainEqual({ code: 'K76.0', kind: 'inclusion', text: 'Metabolic dysfunction-associated steatotic liver disease (MASLD)' });
  });

  it("reads a note's keyword line and the lines indented under it as the note's items", () => {
    expect(a.added.filter((n) => n.code === 'E11.A')).toEqual([
      { code: 'E11.A', kind: 'excludes1', text: 'type 2 diabetes mellitus, with complications (E11.0-E11.8)' },
      { code: 'E11.A', kind: 'excludes1', text: 'type 2 diabetes mellitus, without complications not in remission (E11.9)' },
    ]);
    expect(a.added).toContainEqual({ code: 'E11.9', kind: 'excludes1', text: 'type 2 diabetes mellitus, without complications in remission (E11.A)' });
    expect(a.added).toContainEqual({ code: 'E27.5', kind: 'code_also', text: 'secondary hypertension (I15.2)' });
  });

  it('reads Delete and "Revise from" as deletions, "Revise to" as an addition, under a keyword that did not change', () => {
    expect(a.deleted).toContainEqual({ code: 'B88.0', kind: 'inclusion', text: 'Trombiculosis' });
    expect(a.deleted).toContainEqual({ code: 'F02', kind: 'code_first', text: 'multiple sclerosis (G35)' });
    expect(a.added).toContainEqual({ code: 'F02', kind: 'code_first', text: 'multiple sclerosis (G35.-)' });
  });

  it('skips what is written under a code the release lacks instead of giving it to the code before', () => {
    expect([...a.added, ...a.deleted].some((n) => /inclusion term|does not have/.test(n.text))).toBe(false);
  });

  it('rejects a file with no addenda rows', () => {
    expect(() => parseTabularAddenda('ICD-10-CM TABULAR LIST\n', 'x.txt', KNOWN)).toThrow(/x\.txt.*no addenda lines/);
  });
});

describe('applyTabularAddenda', () => {
  it('removes deleted notes (spacing and case aside), adds new ones once, and labels them', () => {
    const older: (NoteRecord & { source: string })[] = [
      { code: 'B88.0', kind: 'inclusion', text: 'Trombiculosis', source: 'old' },
      { code: 'F02', kind: 'code_first', text: 'multiple  sclerosis (G35)', source: 'old' },
      { code: 'E11.9', kind: 'excludes1', text: 'type 2 diabetes mellitus, without complications in remission (E11.A)', source: 'old' },
    ];
    const out = applyTabularAddenda(older, parseTabularAddenda(FIXTURE, 'f', KNOWN), (n) => ({ ...n, source: 'new' }));
    expect(out.find((n) => n.text === 'Trombiculosis')).toBeUndefined();
    expect(out.find((n) => n.code === 'F02')?.text).toBe('multiple sclerosis (G35.-)');
    expect(out.filter((n) => n.code === 'E11.9')).toHaveLength(1);
    expect(out.find((n) => n.code === 'K76.0')?.source).toBe('new');
  });
});

describe('the shipped FY2026 addenda', () => {
  const text = gunzipSync(readFileSync(new URL('../../data/codesets/icd10cm-tabular-addenda-fy2026.txt.gz', import.meta.url))).toString('utf8');
  const known = new Set(['K75.81', 'K76.0', 'C50.A', 'D12.6', 'E11.9', 'E11.A']);
  const a = parseTabularAddenda(text, 'shipped', known);
  it('gives MASH to K75.81, MASLD to K76.0 and inflammatory breast cancer to C50.A', () => {
    expect(a.added).toContainEqual({ code: 'K75.81', kind: 'inclusion', text: 'Metabolic dysfunction-associated steatohepatitis (MASH)' });
    expect(a.added).toContainEqual({ code: 'K76.0', kind: 'inclusion', text: 'Metabolic dysfunction-associated steatotic liver disease (MASLD)' });
    expect(a.added).toContainEqual({ code: 'C50.A', kind: 'inclusion', text: 'Inflammatory breast cancer (IBC)' });
  });
  it("moves D12.6's inflammatory polyp from Excludes1 to Excludes2", () => {
    expect(a.deleted).toContainEqual({ code: 'D12.6', kind: 'excludes1', text: 'inflammatory polyp of colon (K51.4-)' });
    expect(a.added).toContainEqual({ code: 'D12.6', kind: 'excludes2', text: 'inflammatory polyp of colon (K51.4-)' });
  });
});

describe('parseTabularAddenda: headings and items', () => {
  const known = new Set(['Q99.89', 'QA0', 'C50.A']);
  const text = [
    'Add                   Q99.89 Other specified chromosome abnormalities',
    'Add         Genetic disorders, not elsewhere classified (QA0)',
    'Add         QA0 Neurodevelopmental disorders related to specific genetic pathogenic variants',
    'Add             Code also, if applicable, any associated conditions, such as:',
    'Add            attention-deficit hyperactivity disorders (F90.-)',
    'Add                     malignant neoplasm (C00-C96)',
    'Add               C50.A Malignant inflammatory neoplasm of breast',
    'Add                     Inflammatory breast cancer (IBC)',
  ].join('\n');
  const a = parseTabularAddenda(text, 'f', known);
  it('reads a block heading as no inclusion term of the code before it, and opens a category like QA0', () => {
    expect(a.added.filter((n) => n.code === 'Q99.89')).toEqual([]);
    expect(a.added.filter((n) => n.code === 'QA0').map((n) => n.text)).toEqual([
      'if applicable, any associated conditions, such as:',
      'attention-deficit hyperactivity disorders (F90.-)',
      'malignant neoplasm (C00-C96)',
    ]);
  });
  it('keeps an inclusion term whose abbreviation looks like a category, "(IBC)"', () => {
    expect(a.added).toContainEqual({ code: 'C50.A', kind: 'inclusion', text: 'Inflammatory breast cancer (IBC)' });
  });
});
