// Fits the confidence calibration curves (data/learned/calibration.json) on the tuning data — the US
// notes tuned on (one or more JSONL sets) for notes with a diagnostic statement, CodiEsp train for narratives —
// with the shipped learned model and the full release, raw confidences. Prints the Brier score before/after;
// for the US notes 5-fold cross-validated (each fifth scored with a curve fitted without it).
// `npx tsx scripts/fit-calibration.ts --codiesp ../shared/data/codiesp/final_dataset_v4_to_publish --us ../shared/data/us-notes-dev/notes.jsonl eval/data/us-notes-heldout.jsonl eval/data/us-notes-heldout-2.jsonl`
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { loadConversionTable, toGoldVintage } from '../eval/code-versions.ts';
import { loadCodiesp, loadJsonl, type EvalDocument } from '../eval/datasets.ts';
import { loadConfig } from '../server/config.ts';
import { calibrate, DEFAULT_CALIBRATION_FILE, fitIsotonic, parseCalibration, parseCurve } from '../server/pipeline/calibration.ts';
import { createSuggester } from '../server/pipeline/suggester.ts';
import { loadConfiguredEmbedder, openConfiguredDatabase } from '../server/setup.ts';

const opts = new Command('fit-calibration').requiredOption('--codiesp <dir>').requiredOption('--us <files...>').parse().opts<{ codiesp: string; us: string[] }>();
const config = loadConfig();
const database = await openConfiguredDatabase(config);
const suggester = await createSuggester(database.db, { embedder: await loadConfiguredEmbedder(config), calibration: null });
const conversion = loadConversionTable();
type Pair = { confidence: number; correct: boolean; fold: number };
async function pairsOf(docs: readonly EvalDocument[], fold: (i: number) => number): Promise<Pair[]> {
  const out: Pair[] = [];
  for (const [i, d] of docs.entries()) {
    const gold = new Set(d.gold.filter((g) => g.system === 'ICD10CM').map((g) => g.code));
    const { suggestions } = await suggester.suggest({ text: d.text, encounter: d.encounter });
    for (const s of suggestions) if (s.system === 'ICD10CM' && s.kind === 'final') out.push({ confidence: s.confidence, correct: gold.has(toGoldVintage(s.code, gold, conversion)), fold: fold(i) });
  }
  return out;
}
const codiesp = await pairsOf(loadCodiesp(opts.codiesp, 'train'), () => -1);
const usNotes = opts.us.flatMap((f) => loadJsonl(f));
const us = await pairsOf(usNotes, (i) => i % 5);
await database.close();
const brier = (pairs: readonly Pair[], f: (p: Pair) => number) => pairs.reduce((sum, p) => sum + (f(p) - (p.correct ? 1 : 0)) ** 2, 0) / pairs.length;
const curveOf = (pairs: readonly Pair[], fittedOn: string) => parseCurve({ fittedOn, points: fitIsotonic(pairs) });
const calibration = parseCalibration({
  $comment: 'Isotonic calibration of the shown ICD-10-CM confidence (server/pipeline/calibration.ts), fitted by scripts/fit-calibration.ts with the shipped learned model: one curve for notes with a diagnostic statement, one for narratives',
  assessed: curveOf(us, `US notes tuned on: ${opts.us.map((f) => f.split('/').pop()).join(', ')} (${usNotes.length} notes, ${us.length} suggestions)`),
  narrative: curveOf(codiesp, `CodiEsp train (${codiesp.length} suggestions)`),
});
// Cross-validated on the US notes: each fifth scored with a curve fitted on the other four.
const cv = us.map((p) => (calibrate(curveOf(us.filter((q) => q.fold !== p.fold), 'cv'), p.confidence) - (p.correct ? 1 : 0)) ** 2);
console.log(`US notes tuned on (${usNotes.length}, with an assessment): Brier ${brier(us, (p) => p.confidence).toFixed(3)} raw → ${(cv.reduce((a, b) => a + b, 0) / cv.length).toFixed(3)} calibrated (5-fold cross-validated)`);
console.log(`CodiEsp train (narratives): Brier ${brier(codiesp, (p) => p.confidence).toFixed(3)} raw → ${brier(codiesp, (p) => calibrate(calibration.narrative, p.confidence)).toFixed(3)} calibrated (fitted on it; the learned counts are leave-one-out there already)`);
writeFileSync(DEFAULT_CALIBRATION_FILE, `${JSON.stringify(calibration, null, 2)}\n`);
console.log(`wrote ${DEFAULT_CALIBRATION_FILE.pathname}`);
