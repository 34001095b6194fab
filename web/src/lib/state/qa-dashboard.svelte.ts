import { call, client, fetchDashboard, messageOf, type DrillNote, type QaDashboard } from '../api.ts';

const STALE_RETRY_MS = 1000;

/** A dashboard table the server exports as CSV (GET /api/qa/tables/{table}). */
export type QaTable = 'trends' | 'chapters' | 'bands' | 'systems' | 'reasons' | 'queries' | 'agreement' | 'audits';

/** The QA dashboard for a period (from/to, inclusive UTC days; empty = unbounded) and the drill-down list open on it. */
export class QaDashboardState {
  from = $state('');
  to = $state('');
  data = $state.raw<QaDashboard | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);
  /** The notes behind one number: `label` says which. */
  drill = $state.raw<{ key: string; label: string; notes: DrillNote[] | null; error: string | null } | null>(null);

  private get period(): { from?: string; to?: string } {
    return { ...(this.from ? { from: this.from } : {}), ...(this.to ? { to: this.to } : {}) };
  }

  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  /**
   * Loads the dashboard. The server may answer with the previous build marked `stale` while it folds a
   * recent change in (server/evaluation/qa-service.ts); then this asks again shortly. `fresh` waits for
   * every change so far instead (the Refresh button).
   */
  async load(fresh = false): Promise<void> {
    clearTimeout(this.timer);
    this.loading = true;
    try {
      this.data = await fetchDashboard({ ...this.period, ...(fresh ? { fresh: 'true' as const } : {}) });
      this.error = null;
      if (this.data.stale && !this.stopped) this.timer = setTimeout(() => void this.load(), STALE_RETRY_MS);
    } catch (err) {
      this.error = messageOf(err);
    } finally {
      this.loading = false;
    }
  }

  /** Stops asking again (the page is gone). */
  dispose(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Notes behind a drill key of the dashboard ("all", "chapter:4", "week:2026-W48", "reason:negated", "queries" …). */
  count(key: string): number {
    return this.data?.drillCounts[key] ?? 0;
  }

  async openDrill(key: string, label: string): Promise<void> {
    this.drill = { key, label, notes: null, error: null };
    try {
      const res = await call(client.api.qa.drill.$get({ query: { key, ...this.period } }));
      if (this.drill?.key === key) this.drill = { key, label, notes: res.notes, error: null };
    } catch (err) {
      if (this.drill?.key === key) this.drill = { key, label, notes: [], error: messageOf(err) };
    }
  }

  closeDrill(): void {
    this.drill = null;
  }

  /** The CSV download of one table for the period shown (a plain link: the session cookie authorises the GET). */
  csvUrl(table: QaTable): string {
    const q = new URLSearchParams(this.period).toString();
    return `/api/qa/tables/${table}${q ? `?${q}` : ''}`;
  }
}
