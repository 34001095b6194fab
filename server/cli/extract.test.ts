import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeSuggester } from '../notes/testing.ts';
import { loadProfessionalDeps, withProfessionalCoding } from '../pipeline/professional/professional-coding.ts';
import { ExtractInputError, extractNotes } from './extract.ts';

const encounter = { setting: 'outpatient', dateOfService: '2025-03-14' };
const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const readOut = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; suggestions: { code: string }[]; warnings: string[] });

describe('extract: notes JSONL → suggestions JSONL', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medcode-extract-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes one line per note with its suggestions and warnings', async () => {
    const inFile = path.join(dir, 'a.jsonl');
    const outFile = path.join(dir, 'a.out.jsonl');
    fs.writeFileSync(inFile, jsonl([{ id: 'n1', text: 'Essential hypertension.', encounter }, { id: 'n2', text: 'Well child visit.', encounter }]) + '\n\n');
    const progress: [number, number][] = [];
    const r = await extractNotes({ inFile, outFile, suggester: fakeSuggester(), concurrency: 2, onProgress: (d, t) => progress.push([d, t]) });
    expect(r).toEqual({ written: 2, skipped: 0, failed: [] });
    const out = readOut(outFile).sort((a, b) => a.id.localeCompare(b.id));
    expect(out.map((o) => [o.id, o.suggestions.map((s) => s.code), o.warnings])).toEqual([
      ['n1', ['I10'], []],
      ['n2', [], ['no codable finding']],
    ]);
    expect(progress.at(-1)).toEqual([2, 2]);
  });

  it('procedure lines carry units, modifiers and diagnosis pointers in the output (rationale.line)', async () => {
    const inFile = path.join(dir, 'p.jsonl');
    const outFile = path.join(dir, 'p.out.jsonl');
    const text = 'INTERNAL MEDICINE - SAME-DAY SICK VISIT, established patient\nAssessment/Plan:\n1. Asthma with acute exacerbation. Dexamethasone 10 mg IM given in clinic. Start prednisone 40 mg daily x 5 days.';
    fs.writeFileSync(inFile, jsonl([{ id: 'visit', text, encounter: { setting: 'professional', dateOfService: '2025-03-14' } }]));
    // The engine's professional stage on its own (no diagnoses): the lines the full engine appends.
    const versions = { engine: 'test', prompt: null, model: null, embedder: null };
    const professional = { engineVersion: 'test', suggest: async (note: Parameters<typeof withProfessionalCoding>[0]) => ({ suggestions: withProfessionalCoding(note, [], loadProfessionalDeps(), versions), warnings: [] }) };
    await extractNotes({ inFile, outFile, suggester: professional });
    const [out] = readOut(outFile) as unknown as { suggestions: { code: string; rationale: { line?: { units: number; modifiers: string[]; diagnosisPointers: string[] } } }[] }[];
    expect(out!.suggestions.map((s) => [s.code, s.rationale.line?.units, s.rationale.line?.modifiers])).toEqual([
      ['99214', 1, ['25']],
      ['J1100', 10, []],
      ['96372', 1, []],
    ]);
    expect(out!.suggestions[0]!.rationale.line?.diagnosisPointers).toEqual([]);
  });

  it('skips ids already in the output on a re-run, and re-does a note whose line was cut off', async () => {
    const inFile = path.join(dir, 'b.jsonl');
    const outFile = path.join(dir, 'b.out.jsonl');
    fs.writeFileSync(inFile, jsonl([1, 2, 3].map((i) => ({ id: `n${i}`, text: `note ${i} hypertension`, encounter }))));
    await extractNotes({ inFile, outFile, suggester: fakeSuggester() });
    // An interrupted run: the last line lost its end.
    const full = fs.readFileSync(outFile, 'utf8');
    fs.writeFileSync(outFile, full.slice(0, full.length - 20));
    const again = fakeSuggester();
    const r = await extractNotes({ inFile, outFile, suggester: again });
    expect(r).toEqual({ written: 1, skipped: 2, failed: [] });
    expect(again.calls).toBe(1);
    expect(readOut(outFile).map((o) => o.id).sort()).toEqual(['n1', 'n2', 'n3']);
    const third = await extractNotes({ inFile, outFile, suggester: fakeSuggester() });
    expect(third).toEqual({ written: 0, skipped: 3, failed: [] });
  });

  it('does not write a note the engine failed on, so the next run tries it again', async () => {
    const inFile = path.join(dir, 'c.jsonl');
    const outFile = path.join(dir, 'c.out.jsonl');
    fs.writeFileSync(inFile, jsonl([{ id: 'ok', text: 'hypertension', encounter }, { id: 'bad', text: 'FAIL', encounter }]));
    const r = await extractNotes({ inFile, outFile, suggester: fakeSuggester() });
    expect(r.written).toBe(1);
    expect(r.failed).toEqual([{ id: 'bad', error: 'Error: engine exploded' }]);
    expect(readOut(outFile).map((o) => o.id)).toEqual(['ok']);
  });

  it('refuses a bad line by its number before coding anything, keeping the output as it was', async () => {
    const outFile = path.join(dir, 'd.out.jsonl');
    fs.writeFileSync(outFile, JSON.stringify({ id: 'old', suggestions: [], warnings: [] }) + '\n');
    const cases: [string, RegExp][] = [
      [jsonl([{ id: 'a', text: 'x', encounter }]) + '{"id": "b", "text": \n', /:2: not valid JSON/],
      [jsonl([{ id: 'a', text: 'x', encounter }, { id: 'b', text: 'x', encounter: { ...encounter, setting: 'ward' } }]), /:2: encounter\.setting/],
      [jsonl([{ id: 'a', text: 'x', encounter }, { text: 'x', encounter }]), /:2: id/],
      ['\n' + jsonl([{ id: 'a', text: 'x', encounter }, { id: 'a', text: 'y', encounter }]), /:3: id "a" repeats line 2/],
    ];
    for (const [content, message] of cases) {
      const inFile = path.join(dir, 'd.jsonl');
      fs.writeFileSync(inFile, content);
      const s = fakeSuggester();
      const err = await extractNotes({ inFile, outFile, suggester: s }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExtractInputError);
      expect((err as Error).message).toMatch(message);
      expect(s.calls).toBe(0);
    }
    expect(readOut(outFile).map((o) => o.id)).toEqual(['old']);
  });
});
