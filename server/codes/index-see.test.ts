import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseIndexCsv, type IndexCsvContent } from './index-csv.ts';
import { crossReferenceRows, limbSiteReferences, resolveSeeReferences } from './index-see.ts';
import { readCodeSetFile } from './read-files.ts';
import type { TermRecord } from './types.ts';

const file = path.resolve(import.meta.dirname, '../../data/codesets/icd10cm-index-fy2025.csv.gz');

describe('Index cross-references on the FY2025 Alphabetic Index', () => {
  let index: IndexCsvContent;
  let resolved: TermRecord[];
  let rows: TermRecord[];
  beforeAll(() => {
    index = parseIndexCsv(readCodeSetFile(file), file);
    const see = resolveSeeReferences(index.terms, index.crossRefs);
    resolved = see.terms;
    rows = crossReferenceRows(see.unresolved, index.crossRefs);
  });

  it('makes a "see" entry a synonym of its target\'s code: Abdominalgia → the code at "Pain, abdominal"', () => {
    const abdominal = index.terms.find((t) => t.text === 'Pain, abdominal')!;
    expect(resolved).toContainEqual(expect.objectContaining({ kind: 'index', text: 'Abdominalgia', code: abdominal.code }));
  });

  it('finds a target named by the first form of its main term: "Nephropathy, hypertensive — see Hypertension, kidney" → I12.9 (printed "Hypertension, hypertensive")', () => {
    const kidney = index.terms.find((t) => t.text === 'Hypertension, hypertensive, kidney')!;
    expect(kidney.code).toBe('I12.9');
    expect(resolved).toContainEqual(expect.objectContaining({ kind: 'index', path: ['Nephropathy', 'hypertensive'], code: 'I12.9' }));
  });

  it('a main term that names a two-level target inherits its subterms: "Anaphylaxis — see Shock, anaphylactic" reads "due to food, peanuts" as T78.01', () => {
    expect(resolved).toContainEqual(expect.objectContaining({ kind: 'index', path: ['Anaphylaxis', 'due to food', 'peanuts'], code: 'T78.01' }));
    expect(resolved).toContainEqual(expect.objectContaining({ kind: 'index', path: ['Anaphylaxis'], code: 'T78.2' }));
    // Not a subterm's "see", and not a whole entry: "Wound, superficial — see Injury" inherits none of Injury's rows.
    expect(resolved.filter((t) => t.path?.[0] === 'Wound, superficial' && (t.path?.length ?? 0) > 1)).toEqual([]);
  });

  it('a subterm that names a sibling inherits its subterms: "Obstruction, bowel — see Obstruction, intestine" reads "partial" as K56.600', () => {
    const bowel = resolved.filter((t) => /^Obstruction/.test(t.path?.[0] ?? '') && t.path?.[1] === 'bowel');
    expect(bowel).toContainEqual(expect.objectContaining({ path: [expect.any(String), 'bowel', 'partial'], code: 'K56.600' }));
    expect(bowel.length).toBeGreaterThan(5);
    // Another main term's target is no sibling: "Wound, superficial — see Injury" stays as it was (above).
  });

  it('follows a target to its own subterm for the same word: "Sprain, talofibular — see Sprain, ankle" is "…, ankle, talofibular ligament" (S93.49-), "Pain, hand — see Pain, limb, upper" is "…, upper, hand" (M79.64-)', () => {
    const at = (...p: string[]) => resolved.filter((t) => t.path?.length === p.length && t.path.every((x, i) => x === p[i]));
    expect(at('Sprain', 'talofibular')).toEqual([expect.objectContaining({ code: 'S93.49', incomplete: true })]);
    expect(at('Sprain', 'calcaneofibular')).toEqual([expect.objectContaining({ code: 'S93.41', incomplete: true })]);
    expect(at('Pain', 'hand')).toEqual([expect.objectContaining({ code: 'M79.64', incomplete: true })]);
    // No subterm of that word: the target itself ("Cellulitis, hand — see Cellulitis, upper limb").
    expect(at('Cellulitis', 'hand')).toEqual([expect.objectContaining({ code: 'L03.11', incomplete: true })]);
  });

  it('finds a target printed with "NEC" on a level: "Dependence, tobacco — see Dependence, drug, nicotine" is "Dependence, drug NEC, nicotine" (F17.200)', () => {
    expect(resolved).toContainEqual(expect.objectContaining({ path: ['Dependence', 'tobacco'], code: 'F17.200' }));
    expect(resolved).toContainEqual(expect.objectContaining({ path: ['Abuse', 'cocaine'], code: 'F14.10' }));
    // "Smoker — see Dependence, drug, nicotine" holds for a current smoker only: the tobacco rules read it, no term does.
    expect(resolved.some((t) => t.path?.[0] === 'Smoker')).toBe(false);
  });

  it('sends a limb\'s unlisted segments where the Index sends its listed sites: "Cellulitis, forearm" and "…, calf" as "…, hand" and "…, leg"; never a joint, never a site with its own code', () => {
    const added = limbSiteReferences(index.terms, index.crossRefs);
    expect(added).toContainEqual({ path: ['Cellulitis', 'forearm'], kind: 'see', target: 'Cellulitis, upper limb' });
    expect(added).toContainEqual({ path: ['Cellulitis', 'calf'], kind: 'see', target: 'Cellulitis, lower limb' });
    expect(resolved).toContainEqual(expect.objectContaining({ path: ['Cellulitis', 'forearm'], code: 'L03.11' }));
    // "Septic, arm / hand — see Cellulitis, upper limb", but a septic knee is septic arthritis: no joint is added.
    expect(added.filter((r) => r.path[0] === 'Septic').map((r) => r.path[1])).not.toContain('knee');
    expect(added.some((r) => r.path[1] === 'elbow' || r.path[1] === 'knee' || r.path[1] === 'shoulder')).toBe(false);
    // "Abscess, hand" has its own code (L02.51-): nothing is added for it.
    expect(added).not.toContainEqual(expect.objectContaining({ path: ['Abscess', 'hand'] }));
    // "Pain, limb, upper" names the arm by its parts (M79.62- upper arm): no site is added to it.
    expect(added.some((r) => r.path[0] === 'Pain')).toBe(false);
  });

  it('keeps every "see also" and each unresolved "see" for the search to follow, without a code', () => {
    expect(rows).toContainEqual({ code: '', kind: 'see_also', text: 'Abscess, hand', path: ['Abscess', 'finger'], modifiers: ['', ''] });
    expect(rows).toContainEqual(expect.objectContaining({ kind: 'see_also', path: ['Arthritis, arthritic', 'chylous'], text: 'category M01' }));
    // A target printed with a stray space is normalised.
    expect(rows).toContainEqual(expect.objectContaining({ kind: 'see_also', path: ['Abscess', 'bone'], text: 'Osteomyelitis, specified type NEC' }));
    const seeAlso = index.crossRefs.filter((r) => r.kind === 'see_also' && !/^condition$/i.test(r.target)).length;
    expect(rows.filter((r) => r.kind === 'see_also')).toHaveLength(seeAlso);
    expect(rows.filter((r) => r.kind === 'see').length).toBeGreaterThan(0);
  });

  it('drops "see condition" and "see also condition": the coder\'s query already names the condition', () => {
    expect(rows.some((r) => /^condition$/i.test(r.text))).toBe(false);
    expect(rows.some((r) => r.path?.[0] === 'Accidental')).toBe(false);
  });
});
