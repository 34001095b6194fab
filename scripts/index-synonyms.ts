// `npx tsx scripts/index-synonyms.ts`: regenerates server/pipeline/data/index-synonyms.json from the shipped
// Alphabetic Index CSV: one-word main terms (and their comma forms) whose entry is only a cross-reference to
// another one-word main term ("Lithiasis — see Calculus", "Bleeding — see also Hemorrhage"). Prints the count.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';

const SOURCE = 'data/codesets/icd10cm-index-fy2025.csv.gz';
const OUT = 'server/pipeline/data/index-synonyms.json';
/** Cross-references to these say "look elsewhere", not "this word means that one". */
const GENERIC = new Set(['condition', 'disease', 'syndrome', 'anomaly', 'accessory', 'distortion', 'removal', 'damage', 'deficiency', 'care', 'counseling', 'hypertrophy', 'discord', 'maltreatment', 'sequelae', 'delivery', 'disorder', 'complication']);
const ONE_WORD = /^[A-Za-z]+$/;

interface Row {
  Level: string;
  Term: string;
  See: string;
  SeeAlso: string;
  Code: string;
}
const rows = parse(gunzipSync(readFileSync(SOURCE)), { columns: true, skip_empty_lines: true }) as Row[];

/** Comma forms of one word share a long prefix ("Calculus, calculi"); "Wound, superficial" is one term, not two forms. */
function sameFamily(a: string, b: string): boolean {
  let n = 0;
  while (n < Math.min(a.length, b.length) && a[n] === b[n]) n++;
  return n >= 3 && n >= 0.6 * Math.min(a.length, b.length);
}

/** "gastroenteritis" is a compound of "enteritis": it ends with it and is longer. */
const isCompoundOf = (word: string, target: string) => word.length > target.length && word.endsWith(target);

const entries: { words: string[]; target: string; kind: 'see' | 'see_also' }[] = [];
for (const r of rows) {
  if (r.Level !== '0') continue;
  // "Extremity — see condition, limb": the condition is filed under the other word.
  const target = (r.See || r.SeeAlso || '').trim().replace(/^condition,\s*/i, '');
  if (!target) continue;
  const forms = r.Term.split(',').map((f) => f.trim());
  if (!forms.every((f) => ONE_WORD.test(f)) || !ONE_WORD.test(target) || GENERIC.has(target.toLowerCase())) continue;
  if (!forms.slice(1).every((f) => sameFamily(forms[0]!.toLowerCase(), f.toLowerCase()))) continue;
  const kind = r.See ? 'see' : 'see_also';
  // The term has a code of its own: not a synonym, except a compound whose "see also" is its own last element
  // ("Gastroenteritis — see also Enteritis", "Tenosynovitis — see also Synovitis"): the base condition's subterms
  // ("Enteritis, norovirus" A08.11) are the compound's too.
  if (kind === 'see_also' && r.Code && !isCompoundOf(forms[0]!.toLowerCase(), target.toLowerCase())) continue;
  entries.push({ words: forms.map((f) => f.toLowerCase()), target: target.toLowerCase(), kind });
}
const comment =
  'One-word synonyms from the ICD-10-CM Alphabetic Index (FY2025 CSV, data/codesets/icd10cm-index-fy2025.csv.gz): main terms of one word (and their comma forms) whose entry is only a cross-reference to another one-word main term, "Lithiasis - see Calculus", "Bleeding - see also Hemorrhage" (see also only when the term has no code of its own, or is a compound of the target: "Gastroenteritis - see also Enteritis"), and "Extremity - see condition, limb". Cross-references to generic terms (condition, disease, syndrome, anomaly, disorder, ...) are left out. A note word that is a synonym also matches the target word of Index paths, titles and inclusion terms.';
writeFileSync(OUT, `{\n  "$comment": ${JSON.stringify(comment)},\n  "entries": [\n${entries.map((e) => '    ' + JSON.stringify(e)).join(',\n')}\n  ]\n}\n`);
console.log(`${entries.length} synonyms (${entries.filter((e) => e.kind === 'see').length} "see") written to ${OUT}`);
