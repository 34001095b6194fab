import { call, client, type NoteListItem, type NoteStatus } from '../api.ts';
import { STATUS_LABELS } from '../labels.ts';

const SORTS = ['newest', 'oldest', 'suggestions', 'dateOfService'] as const;
export type QueueSort = (typeof SORTS)[number];

/** Notes a coder can pick up next: coded, failed, queued and query-pending notes are not. */
const NEXT_STATUSES = new Set<NoteStatus>(['suggested', 'in_review']);
const STORAGE_KEY = 'medcode.queue';

/**
 * The queue's filter and sort, kept for the session (sessionStorage): the queue opens as it was left, and
 * "Finalize and next" walks the same list the coder was working through.
 */
export class QueueView {
  status = $state<NoteStatus | ''>('');
  externalId = $state('');
  sort = $state<QueueSort>('newest');

  constructor() {
    try {
      // Stored by an older build (or edited by hand): only values this build knows are taken.
      const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '{}') as Record<string, unknown>;
      if (typeof saved.status === 'string' && saved.status in STATUS_LABELS) this.status = saved.status as NoteStatus;
      if (typeof saved.externalId === 'string') this.externalId = saved.externalId;
      if (SORTS.includes(saved.sort as QueueSort)) this.sort = saved.sort as QueueSort;
    } catch {
      // A damaged entry: start from the defaults.
    }
  }

  /** Stores the current filter (called whenever it changes). */
  save(): void {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ status: this.status, externalId: this.externalId, sort: this.sort }));
  }

  /** The list request for the current filter (the server orders by creation; other orders apply to the page, see `order`). */
  query() {
    return {
      ...(this.status ? { status: this.status } : {}),
      ...(this.externalId.trim() ? { externalId: this.externalId.trim() } : {}),
      sort: this.sort === 'oldest' ? ('oldest' as const) : ('newest' as const),
      limit: '200',
    };
  }

  /** The page in the order the queue shows it. */
  order(notes: NoteListItem[]): NoteListItem[] {
    if (this.sort === 'suggestions') return [...notes].sort((a, b) => b.suggestionCount - a.suggestionCount);
    if (this.sort === 'dateOfService') return [...notes].sort((a, b) => b.encounter.dateOfService.localeCompare(a.encounter.dateOfService));
    return notes;
  }

  /**
   * The note to open after `current`: the next one below it in the queue as filtered and sorted (from the
   * top when it left the list), that is ready to code and not held by someone else.
   */
  async nextAfter(current: string, me: string): Promise<string | null> {
    const rows = this.order((await call(client.api.notes.$get({ query: this.query() }))).notes);
    const at = rows.findIndex((n) => n.id === current);
    const after = at < 0 ? rows : [...rows.slice(at + 1), ...rows.slice(0, at)];
    return after.find((n) => n.id !== current && NEXT_STATUSES.has(n.status) && (n.claimedBy === null || n.claimedBy === me))?.id ?? null;
  }
}

export const queueView = new QueueView();
