// QA dashboard metrics at scale: 10,000 synthetic finalized notes × 5–15 suggestions (~100,000 coder
// decisions plus ~10,000 added codes), scored by decisionMetrics, weeklyTrends and computeMetrics.
// Seeded PRNG, so every run measures the same data. Target: all three under 2 s together.
// Wired into `npm run bench` from bench/main.ts (not edited here).
import { decisionMetrics, weeklyTrends } from '../eval/decision-metrics.ts';
import { scoredDocument, type DecisionRecord, type SuggestionOutcome } from '../eval/decision-record.ts';
import { computeMetrics } from '../eval/metrics.ts';
import { REJECT_REASON_CHOICES } from '../server/db/schema/review.ts';
import { seededRandom } from '../server/seeded-random.ts';


const LETTERS = 'ABCDEFGHIJKLMNOPQRSTVWXYZ';
/** 3,000 distinct ICD-10-CM-shaped codes ("A00.0" …), index 0 the most frequent. */
const CODES = Array.from({ length: 3000 }, (_, i) => `${LETTERS[i % 25]}${String(Math.floor(i / 25) % 100).padStart(2, '0')}.${Math.floor(i / 2500)}`);

/** Zipf(s = 1.1) over CODES: a head of a few dozen codes covers half the mentions, a long tail the rest. */
function zipfSampler(random: () => number): () => string {
  const cumulative: number[] = [];
  let sum = 0;
  for (let r = 1; r <= CODES.length; r++) cumulative.push((sum += 1 / r ** 1.1));
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return CODES[lo]!;
  };
}

/** Synthetic finalized notes: outcome mix ~55% accepted, 22% rejected, 8% edited, 15% undecided. */
export function syntheticDecisions(notes = 10_000, seed = 20261124): DecisionRecord[] {
  const random = seededRandom(seed);
  const code = zipfSampler(random);
  const start = Date.UTC(2026, 5, 1); // 26 weeks from Monday 2026-06-01
  const records: DecisionRecord[] = [];
  for (let n = 0; n < notes; n++) {
    const outcomes: SuggestionOutcome[] = [];
    const gold = new Map<string, { system: 'ICD10CM'; code: string }>();
    const k = 5 + Math.floor(random() * 11);
    for (let s = 0; s < k; s++) {
      const c = code();
      const roll = random();
      const id = `s${n}-${s}`;
      if (roll < 0.55) {
        outcomes.push({ suggestionId: id, system: 'ICD10CM', code: c, confidence: 0.5 + random() * 0.5, outcome: 'accepted' });
        gold.set(c, { system: 'ICD10CM', code: c });
      } else if (roll < 0.77) {
        // Reasons skewed towards the first entries, as real rejections are.
        const reason = REJECT_REASON_CHOICES[Math.min(REJECT_REASON_CHOICES.length - 1, Math.floor(random() ** 2 * REJECT_REASON_CHOICES.length))]!;
        outcomes.push({ suggestionId: id, system: 'ICD10CM', code: c, confidence: random() * 0.7, outcome: 'rejected', reason });
      } else if (roll < 0.85) {
        const to = code();
        outcomes.push({ suggestionId: id, system: 'ICD10CM', code: c, confidence: 0.3 + random() * 0.5, outcome: 'edited', editedTo: { system: 'ICD10CM', code: to } });
        gold.set(to, { system: 'ICD10CM', code: to });
      } else {
        outcomes.push({ suggestionId: id, system: 'ICD10CM', code: c, confidence: random() * 0.5, outcome: 'undecided' });
      }
    }
    const adds = Math.floor(random() * 3); // 0–2, mean 1
    for (let j = 0; j < adds; j++) {
      const c = code();
      outcomes.push({ suggestionId: null, system: 'ICD10CM', code: c, confidence: null, outcome: 'added' });
      gold.set(c, { system: 'ICD10CM', code: c });
    }
    records.push({
      noteId: `note-${n}`,
      coderId: `coder-${n % 12}`,
      finalizedAt: new Date(start + Math.floor(random() * 26 * 7 * 86_400_000)).toISOString(),
      setting: n % 3 === 0 ? 'inpatient' : 'outpatient',
      gold: [...gold.values()],
      outcomes,
      versions: [{ engine: 'offline-1', prompt: null, model: null, embedder: 'medcode-glove-100d' }],
    });
  }
  return records;
}

export interface EvalMetricsBench {
  notes: number;
  suggestions: number;
  addedCodes: number;
  weeks: number;
  generateMs: number;
  decisionMetricsMs: number;
  /** Given the computeMetrics result. */
  weeklyTrendsMs: number;
  /** Computing its own metrics. */
  weeklyTrendsStandaloneMs: number;
  computeMetricsMs: number;
  /** decisionMetrics + computeMetrics + weeklyTrends (given the metrics): the dashboard's work. */
  totalMs: number;
  /** User + system CPU of a second dashboard pass (warm). */
  totalCpuMs: number;
  heapUsedMb: number;
  /** Heap growth while scoring (after generation); without --expose-gc only a rough figure. */
  heapGrowthMb: number;
}

/** Times the QA dashboard metrics over ~100,000 synthetic decisions and prints the numbers. */
export async function benchEvalMetrics(): Promise<EvalMetricsBench> {
  const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
  const time = <T>(f: () => T): [T, number] => {
    const t = performance.now();
    const out = f();
    return [out, performance.now() - t];
  };
  const [records, generateMs] = time(() => syntheticDecisions());
  const heapBefore = process.memoryUsage().heapUsed;
  // The dashboard path: one computeMetrics run, shared with weeklyTrends.
  const [summary, decisionMetricsMs] = time(() => decisionMetrics(records));
  const [metrics, computeMetricsMs] = time(() => computeMetrics(records.map(scoredDocument)));
  const [weeks, weeklyTrendsMs] = time(() => weeklyTrends(records, metrics));
  const heapUsed = process.memoryUsage().heapUsed;
  // weeklyTrends on its own runs computeMetrics itself (without P@k).
  const [, weeklyTrendsStandaloneMs] = time(() => weeklyTrends(records));
  // CPU time of the dashboard path (GC threads included): steadier than wall time on a shared machine.
  const cpu0 = process.cpuUsage();
  weeklyTrends(records, computeMetrics(records.map(scoredDocument)));
  decisionMetrics(records);
  const cpu = process.cpuUsage(cpu0);
  const result: EvalMetricsBench = {
    notes: summary.notes,
    suggestions: summary.suggestions,
    addedCodes: records.reduce((n, r) => n + r.outcomes.filter((o) => o.outcome === 'added').length, 0),
    weeks: weeks.length,
    generateMs: Math.round(generateMs),
    decisionMetricsMs: Math.round(decisionMetricsMs),
    weeklyTrendsMs: Math.round(weeklyTrendsMs),
    weeklyTrendsStandaloneMs: Math.round(weeklyTrendsStandaloneMs),
    computeMetricsMs: Math.round(computeMetricsMs),
    totalMs: Math.round(decisionMetricsMs + weeklyTrendsMs + computeMetricsMs),
    totalCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    heapUsedMb: mb(heapUsed),
    heapGrowthMb: mb(heapUsed - heapBefore),
  };
  console.log(
    `eval metrics: ${result.notes} notes, ${result.suggestions} suggestions + ${result.addedCodes} added codes, ${result.weeks} weeks — ` +
      `decisionMetrics ${result.decisionMetricsMs} ms, computeMetrics ${result.computeMetricsMs} ms, weeklyTrends ${result.weeklyTrendsMs} ms ` +
      `(total ${result.totalMs} ms, warm pass CPU ${result.totalCpuMs} ms; weeklyTrends alone ${result.weeklyTrendsStandaloneMs} ms; generation ${result.generateMs} ms), heap ${result.heapUsedMb} MB (+${result.heapGrowthMb} MB while scoring)`,
  );
  return result;
}
