// The QA dashboard as served: reads what it needs, builds it with the pure functions, and caches the
// result until anything behind it changes (dashboardStamp), so a busy QA team costs one build per change.
import { agreement, auditAccuracy, type AgreementReport, type AuditReport } from '../../eval/agreement.ts';
import type { Db } from '../db/client.ts';
import { listRuns } from '../db/queries/eval-runs.ts';
import { dashboardStamp, decisionRecords, listAudits, queryFacts, secondCodingPairs, type Period } from '../db/queries/qa.ts';
import { listUsers } from '../db/queries/users.ts';
import { auditItems, buildDashboard, type BreakdownRow, type Dashboard } from './dashboard.ts';

export type TableRow = Omit<BreakdownRow, 'noteIds'> & { notes: number; drill: string };

export interface QaOverview extends Omit<Dashboard, 'byChapter' | 'byBand' | 'bySystem' | 'drill' | 'queries'> {
  byChapter: TableRow[];
  byBand: TableRow[];
  bySystem: TableRow[];
  queries: Omit<Dashboard['queries'], 'noteIds'>;
  agreement: AgreementReport & { pairs: number; byCoder: { coderId: string; pairs: number; kappa: number | null; positiveAgreement: number | null }[] };
  audits: AuditReport & { worksheets: number };
  /** Display names of the coders named in agreement and audits. */
  coders: Record<string, string>;
  /** Note counts per drill key (the lists come from `drill`). */
  drillCounts: Record<string, number>;
}

const periodKey = (p: Period) => `${p.from?.toISOString() ?? ''}|${p.to?.toISOString() ?? ''}`;

export function createQaService(db: Db) {
  const cache = new Map<string, { stamp: string; built: { overview: QaOverview; drill: Record<string, string[]> } }>();

  async function build(period: Period) {
    const [records, queries, pairs, audits, users] = await Promise.all([decisionRecords(db, period), queryFacts(db, period), secondCodingPairs(db), listAudits(db, period), listUsers(db, {})]);
    const dash = buildDashboard(records, queries);
    const rows = (prefix: string, list: BreakdownRow[]): TableRow[] => {
      return list.map(({ noteIds, ...r }) => {
        dash.drill[`${prefix}:${r.key}`] = noteIds;
        return { ...r, notes: noteIds.length, drill: `${prefix}:${r.key}` };
      });
    };
    const byCoder = [...new Set(pairs.map((p) => p.firstCoderId))].sort().map((coderId) => {
      const mine = pairs.filter((p) => p.firstCoderId === coderId);
      const a = agreement(mine).overall;
      return { coderId, pairs: mine.length, kappa: a.kappa, positiveAgreement: a.positiveAgreement };
    });
    const auditReport = auditAccuracy(audits.flatMap((a) => auditItems(a)));
    const { byChapter, byBand, bySystem, drill, queries: q, ...rest } = dash;
    const { noteIds: queried, ...queryStats } = q;
    drill['queries'] = queried;
    const overview: QaOverview = {
      ...rest,
      byChapter: rows('chapter', byChapter),
      byBand: rows('band', byBand),
      bySystem: rows('system', bySystem),
      queries: queryStats,
      agreement: { ...agreement(pairs), pairs: pairs.length, byCoder },
      audits: { ...auditReport, worksheets: audits.length },
      coders: Object.fromEntries(users.map((u) => [u.id, u.displayName])),
      drillCounts: Object.fromEntries(Object.entries(drill).map(([k, v]) => [k, v.length])),
    };
    return { overview, drill };
  }

  async function current(period: Period) {
    const stamp = await dashboardStamp(db);
    const key = periodKey(period);
    const hit = cache.get(key);
    if (hit && hit.stamp === stamp) return hit.built;
    const built = await build(period);
    if (cache.size > 50) cache.clear();
    cache.set(key, { stamp, built });
    return built;
  }

  return {
    overview: async (period: Period) => (await current(period)).overview,
    drill: async (period: Period, key: string) => (await current(period)).drill[key] ?? null,
    runs: () => listRuns(db, 20),
  };
}
export type QaService = ReturnType<typeof createQaService>;
