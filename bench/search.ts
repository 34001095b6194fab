// `npm run bench -- search`: 1,000 coder-style queries over the whole loaded release (codes and prefixes,
// 1–4-word terms, abbreviations, drug names), drawn with a fixed seed, timed one at a time; hit rates for
// the labelled subset (every code query, every drug name, and hand-labelled term queries) beside the latency.
import type { Db } from '../server/db/client.ts';
import { catalogFor, codeKey } from '../server/index/code-catalog.ts';
import { searchCodeSets } from '../server/index/code-search.ts';
import type { Embedder } from '../server/index/embedder.ts';
import { DEFAULT_ABBREVIATIONS } from '../server/pipeline/abbreviations.ts';
import { seededRandom } from '../server/seeded-random.ts';
import { queryRows } from '../server/db/client.ts';
import { sql } from 'drizzle-orm';
import { pct } from './stats.ts';

interface Query {
  q: string;
  kind: 'code' | 'prefix' | 'term' | 'abbreviation' | 'drug' | 'labelled term';
  /** The hit counts when its code starts with one of these (a drug: when it is the drug's row or Z79 code). */
  expect?: readonly string[];
}

/** Hand-labelled term queries as coders type them, with the code (or code prefix) a coder would pick. */
const LABELLED: [string, string[]][] = [
  ['chf exacerbation', ['I50']],
  ['acute on chronic systolic chf', ['I50.23']],
  ['afib', ['I48']],
  ['copd exacerbation', ['J44.1']],
  ['t2dm with hyperglycemia', ['E11.65']],
  ['t2dm', ['E11']],
  ['ckd 3a', ['N18.31']],
  ['essential hypertension', ['I10']],
  ['htn', ['I10']],
  ['fracture femur neck left', ['S72.0']],
  ['pneumonia', ['J18.9']],
  ['uti', ['N39.0']],
  ['urinary tract infection', ['N39.0']],
  ['hyperlipidemia', ['E78.5']],
  ['hypothyroidism', ['E03.9']],
  ['gerd', ['K21.9']],
  ['major depressive disorder single episode', ['F32']],
  ['anxiety', ['F41.9']],
  ['obesity', ['E66.9']],
  ['morbid obesity', ['E66.01']],
  ['osteoarthritis knee', ['M17']],
  ['low back pain', ['M54.5']],
  ['migraine', ['G43']],
  ['sepsis', ['A41.9']],
  ['acute kidney injury', ['N17.9']],
  ['dehydration', ['E86.0']],
  ['iron deficiency anemia', ['D50.9']],
  ['asthma', ['J45']],
  ['coronary artery disease', ['I25.10']],
  ['history of myocardial infarction', ['I25.2']],
  ['long term use of insulin', ['Z79.4']],
  ['metformin', ['Z79.84']],
  ['warfarin', ['Z79.01']],
  ['aspirin', ['Z79.82']],
  ['family history of breast cancer', ['Z80.3']],
  ['dvt', ['I82.40']],
  ['pulmonary embolism', ['I26.99']],
  ['cellulitis of left lower leg', ['L03.116']],
  ['alzheimer disease', ['G30.9']],
  ['tobacco use', ['Z72.0']],
];

/** 1,000 queries drawn from the release itself with seed 12. */
async function buildQueries(db: Db): Promise<Query[]> {
  const versions = await queryRows<{ id: number; system: 'ICD10CM' | 'HCPCS'; version: string }>(
    db,
    sql`select distinct on (system) id, system, version from code_set_versions where system in ('ICD10CM', 'HCPCS') order by system, effective_from desc`,
  );
  const cm = versions.find((v) => v.system === 'ICD10CM');
  if (!cm) throw new Error('no ICD-10-CM release is loaded: run `npm run medcode -- codes load` first');
  const icd = await catalogFor(db, { system: 'ICD10CM', versionId: Number(cm.id), version: cm.version });
  const hcpcsRow = versions.find((v) => v.system === 'HCPCS');
  const hcpcs = hcpcsRow ? await catalogFor(db, { system: 'HCPCS', versionId: Number(hcpcsRow.id), version: hcpcsRow.version }) : undefined;
  const random = seededRandom(12);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const billable = icd.codes.filter((c) => c.billable);
  const out: Query[] = LABELLED.map(([q, expect]) => ({ q, kind: 'labelled term' as const, expect }));
  // 250 codes as typed: dotted, undotted, lower case; HCPCS now and then.
  for (let i = 0; i < 250; i++) {
    const c = hcpcs && i % 10 === 0 ? pick(hcpcs.codes.filter((x) => x.billable)) : pick(billable);
    const form = i % 3 === 0 ? c.code : i % 3 === 1 ? c.code.replace('.', '') : c.code.toLowerCase();
    out.push({ q: form, kind: 'code', expect: [c.code] });
  }
  // 150 prefixes: a category or a subcategory, sometimes with a trailing dot.
  for (let i = 0; i < 150; i++) {
    const c = pick(billable);
    const prefix = i % 2 === 0 ? c.code.slice(0, 3) : c.code.slice(0, 5);
    const typed = i % 5 === 0 && prefix.length === 3 ? `${prefix}.` : prefix;
    out.push({ q: typed, kind: 'prefix', expect: [prefix] });
  }
  // 300 terms of 1–4 words from titles and Index entries.
  const words = (text: string) => text.toLowerCase().replace(/\([^)]*\)/g, ' ').match(/[a-z]+/g) ?? [];
  for (let i = 0; i < 300; i++) {
    const w = words(pick(billable).title).filter((x) => !['of', 'and', 'the', 'with', 'for', 'in', 'unspecified', 'other', 'initial', 'encounter'].includes(x));
    if (w.length === 0) continue;
    const n = 1 + Math.floor(random() * Math.min(4, w.length));
    const start = Math.floor(random() * (w.length - n + 1));
    out.push({ q: w.slice(start, start + n).join(' '), kind: 'term' });
  }
  // 100 abbreviations, alone or with a word a coder adds.
  const abbrs = DEFAULT_ABBREVIATIONS.entries.map((e) => e.abbr);
  const extra = ['', '', 'acute', 'chronic', 'exacerbation', 'history of'];
  for (let i = 0; i < 100; i++) {
    const e = pick(extra);
    const a = pick(abbrs);
    out.push({ q: e === 'history of' ? `${e} ${a}` : `${a} ${e}`.trim(), kind: 'abbreviation' });
  }
  // 160 drug names from the Table of Drugs.
  const drugs = [...icd.drugs.keys()].filter((d) => d.length > 3 && !/\d/.test(d));
  for (let i = 0; i < 160; i++) out.push({ q: pick(drugs), kind: 'drug', expect: [] });
  return out.slice(0, 1000);
}

export async function runSearchBench(db: Db, embedder: Embedder | null): Promise<string> {
  const t0 = performance.now();
  const queries = await buildQueries(db);
  await searchCodeSets(db, embedder, 'warm up', { k: 10 }); // loads every release's catalogue
  const loadS = (performance.now() - t0) / 1000;
  const times: number[] = [];
  const rates = new Map<string, { n: number; top1: number; top5: number }>();
  const t1 = performance.now();
  for (const query of queries) {
    const t = performance.now();
    const hits = await searchCodeSets(db, embedder, query.q, { k: 10 });
    times.push(performance.now() - t);
    if (!query.expect) continue;
    // A code typed without its dot can be two codes ("M1218": HCPCS M1218, ICD-10-CM M12.18): either is the code typed.
    const ok =
      query.kind === 'drug'
        ? (h: (typeof hits)[number]) => h.matchedKind === 'drug' || h.matchedKind === 'long_term_use'
        : query.kind === 'code'
          ? (h: (typeof hits)[number]) => codeKey(h.code) === codeKey(query.expect![0]!)
          : (h: (typeof hits)[number]) => query.expect!.some((e) => h.code.startsWith(e));
    const r = rates.get(query.kind) ?? { n: 0, top1: 0, top5: 0 };
    r.n++;
    if (hits[0] && ok(hits[0])) r.top1++;
    if (hits.slice(0, 5).some(ok)) r.top5++;
    rates.set(query.kind, r);
  }
  const wall = (performance.now() - t1) / 1000;
  const perKind = new Map<string, number>();
  for (const q of queries) perKind.set(q.kind, (perKind.get(q.kind) ?? 0) + 1);
  const counts = [...perKind].map(([k, n]) => `${n} ${k}`).join(', ');
  const lines = [
    `search: ${queries.length} queries (${counts}), ${(queries.length / wall).toFixed(0)} q/s, p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms, max ${Math.max(...times).toFixed(0)} ms; catalogue load ${loadS.toFixed(1)} s`,
    ...[...rates].map(([kind, r]) => `  ${kind.padEnd(14)} n=${String(r.n).padStart(3)}  top-1 ${((100 * r.top1) / r.n).toFixed(1)}%  top-5 ${((100 * r.top5) / r.n).toFixed(1)}%`),
  ];
  return lines.join('\n');
}
