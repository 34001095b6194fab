// The QA dashboard as served: reads what it needs, builds it with the pure functions, and caches the
// result until anything behind it changes (dashboardStamp), so a busy QA team costs one build per change.
import { agreement, auditAccuracy, type AgreementReport, type AuditReport } from '../../eval/agreement.ts';
import type { Db } from '../db/client.ts';
import { dashboardStamp, decisionRecordsAfter, latestByNote, listAudits, newestInPeriod, queryFacts, secondCodingPairs, type Period, type StoredDecisionRecord } from '../db/queries/qa.ts';
import { listUsers } from '../db/queries/users.ts';
import { auditItems, buildDashboard, type BreakdownRow, type Dashboard, type NoteCode } from './dashboard.ts';

export type TableRow = Omit<BreakdownRow, 'noteIds'> & { notes: number; drill: string };

export interface QaOverview extends Omit<Dashboard, 'byChapter' | 'byBand' | 'bySystem' | 'drill' | 'queries' | 'noteCodes'> {
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

/** The dashboard as served: `stale` when it predates a change that is still being folded in. */
export type QaDashboard = QaOverview & { stale: boolean; asOf: string };

const periodKey = (p: Period) => `${p.from?.toISOString() ?? ''}|${p.to?.toISOString() ?? ''}`;

export interface QaServiceOptions {
  /**
   * How long a request waits for a rebuild after something changed before it is answered with the previous
   * dashboard (marked stale; the rebuild goes on and the next request gets it). Default 100 ms.
   */
  freshWithinMs?: number;
  /**
   * How long a change check (one cheap query) is reused: requests within this window trust the last check,
   * so a busy dashboard costs the database nothing extra and a change shows within this long. Default 1 s.
   */
  stampTtlMs?: number;
}

interface Built {
  stamp: string;
  builtAt: Date;
  overview: QaOverview;
  drill: Record<string, string[]>;
  noteCodes: Dashboard['noteCodes'];
}

/** A note of a drill-down list with its codes as TP / FP / FN: a breakdown row's codes only, else all of them. */
export interface DrillEntry {
  noteId: string;
  codes: Omit<NoteCode, 'rows'>[];
}

/**
 * Serves the dashboard stale-while-revalidate: records are loaded incrementally (only rows added since the
 * last load: the set is append-only), a change starts one rebuild per period, and a request waits for it
 * at most `freshWithinMs`. So a QA lead never waits for 10,000 notes to be re-scored, and sees the change
 * within seconds (the response says `stale` and `asOf`). `freshWithinMs` ≤ 0 never waits.
 */
export function createQaService(db: Db, options: QaServiceOptions = {}) {
  const freshWithinMs = options.freshWithinMs ?? 100;
  const stampTtlMs = options.stampTtlMs ?? 1_000;
  let lastStamp: { value: string; at: number } | null = null;
  async function stampNow(force: boolean): Promise<string> {
    if (!force && lastStamp && performance.now() - lastStamp.at < stampTtlMs) return lastStamp.value;
    lastStamp = { value: await dashboardStamp(db), at: performance.now() };
    return lastStamp.value;
  }
  const latest = new Map<string, StoredDecisionRecord>();
  let loadedThrough = 0;
  let loading: Promise<void> | null = null;
  const built = new Map<string, Built>();
  const building = new Map<string, Promise<Built>>();

  async function loadNewRecords() {
    // One load at a time: two concurrent loads would read the same rows twice (harmless, but wasted).
    loading ??= (async () => {
      const fresh = await decisionRecordsAfter(db, loadedThrough);
      latestByNote(fresh, latest);
      if (fresh.length) loadedThrough = fresh[fresh.length - 1]!.id;
    })().finally(() => (loading = null));
    await loading;
  }

  async function build(period: Period, stamp: string): Promise<Built> {
    await loadNewRecords();
    const records = newestInPeriod(latest, period);
    const [queries, pairs, audits, users] = await Promise.all([queryFacts(db, period), secondCodingPairs(db), listAudits(db, period), listUsers(db, {})]);
    const dash = await buildDashboard(records, queries);
    const rows = (prefix: string, list: BreakdownRow[]): TableRow[] =>
      list.map(({ noteIds, ...r }) => {
        dash.drill[`${prefix}:${r.key}`] = noteIds;
        return { ...r, notes: noteIds.length, drill: `${prefix}:${r.key}` };
      });
    const byCoder = [...new Set(pairs.map((p) => p.firstCoderId))].sort().map((coderId) => {
      const mine = pairs.filter((p) => p.firstCoderId === coderId);
      const a = agreement(mine).overall;
      return { coderId, pairs: mine.length, kappa: a.kappa, positiveAgreement: a.positiveAgreement };
    });
    const { byChapter, byBand, bySystem, drill, noteCodes, queries: q, ...rest } = dash;
    const { noteIds: queried, ...queryStats } = q;
    drill['queries'] = queried;
    // The agreement and audit tables drill to the notes of their pairs and worksheets (overall, per system, per coder).
    const add = (key: string, id: string) => {
      const list = (drill[key] ??= []);
      if (!list.includes(id)) list.push(id);
    };
    for (const p of pairs) {
      add('agreement', p.noteId);
      add(`agreement:coder:${p.firstCoderId}`, p.noteId);
      for (const c of [...p.first, ...p.second]) add(`agreement:system:${c.system}`, p.noteId);
    }
    for (const a of audits) {
      add('audits', a.noteId);
      add(`audits:coder:${a.coderId ?? 'unknown'}`, a.noteId);
    }
    const overview: QaOverview = {
      ...rest,
      byChapter: rows('chapter', byChapter),
      byBand: rows('band', byBand),
      bySystem: rows('system', bySystem),
      queries: queryStats,
      agreement: { ...agreement(pairs), pairs: pairs.length, byCoder },
      audits: { ...auditAccuracy(audits.flatMap((a) => auditItems(a))), worksheets: audits.length },
      coders: Object.fromEntries(users.map((u) => [u.id, u.displayName])),
      drillCounts: Object.fromEntries(Object.entries(drill).map(([k, v]) => [k, v.length])),
    };
    return { stamp, builtAt: new Date(), overview, drill, noteCodes };
  }

  function rebuild(period: Period, stamp: string): Promise<Built> {
    const key = periodKey(period);
    let pending = building.get(key);
    if (!pending) {
      pending = build(period, stamp)
        .then((b) => {
          if (built.size > 50) built.clear();
          built.set(key, b);
          return b;
        })
        .finally(() => building.delete(key));
      building.set(key, pending);
      // A stale answer was served meanwhile: a failed background rebuild must not become unhandled.
      pending.catch(() => {});
    }
    return pending;
  }

  /** `wait`: answer only with a dashboard that includes every change so far (tests, "refresh now"). */
  async function current(period: Period, wait = false): Promise<Built & { stale: boolean }> {
    const stamp = await stampNow(wait);
    const have = built.get(periodKey(period));
    if (have?.stamp === stamp) return { ...have, stale: false };
    let pending = rebuild(period, stamp);
    // An older rebuild may be in flight; waiting means waiting for one that started from this stamp.
    while (wait && (await pending).stamp !== stamp) pending = rebuild(period, stamp);
    if (!have || wait) return { ...(await pending), stale: false };
    if (freshWithinMs <= 0) return { ...have, stale: true };
    const timeout = new Promise<null>((r) => setTimeout(() => r(null), freshWithinMs));
    const fresh = await Promise.race([pending, timeout]);
    return fresh ? { ...fresh, stale: fresh.stamp !== stamp } : { ...have, stale: true };
  }

  return {
    overview: async (period: Period, wait = false): Promise<QaDashboard> => {
      const b = await current(period, wait);
      return { ...b.overview, stale: b.stale, asOf: b.builtAt.toISOString() };
    },
    drill: async (period: Period, key: string): Promise<DrillEntry[] | null> => {
      const b = await current(period, true);
      const ids = b.drill[key];
      if (!ids) return null;
      const row = /^(chapter|band|system):/.test(key);
      return ids.map((noteId) => ({
        noteId,
        codes: (b.noteCodes.get(noteId) ?? []).filter((c) => !row || c.rows.includes(key)).map(({ rows: _rows, ...c }) => c),
      }));
    },
  };
}
export type QaService = ReturnType<typeof createQaService>;
