import { ApiError, call, client, messageOf, type CodeSystem, type Decision, type Note, type RejectChoice, type SessionUser, type Suggestion } from '../api.ts';
import { claimDiagnoses, linePointers, pointerFindings } from '../pointers.ts';

export interface SuggestionGroup {
  system: CodeSystem;
  suggestions: Suggestion[];
}

type SendQueryJson = Parameters<(typeof client.api.notes)[':id']['queries']['$post']>[0]['json'];

export interface QueryDraft {
  toUserId: string;
  suggestionId?: string;
  purpose: SendQueryJson['purpose'];
  kind: SendQueryJson['kind'];
  question: string;
  options: string[];
  indicators: { start: number; end: number }[];
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type DecisionJson = DistributiveOmit<Parameters<(typeof client.api.notes)[':id']['decisions']['$post']>[0]['json'], 'version'>;

const SYSTEM_ORDER: CodeSystem[] = ['ICD10CM', 'ICD10PCS', 'CPT', 'HCPCS'];
const WORKING = new Set<Note['status']>(['in_review', 'query_pending']);
const CLAIMABLE = new Set<Note['status']>(['suggested', 'in_review', 'query_pending']);

/**
 * One note under review: the note as last read, the selected suggestion, and every write. Each write
 * carries the version it read; a 409 "stale" swaps in the note as it is now (error.current) and reports
 * it, leaving the caller's form open with what the user typed so it can be sent again.
 */
export class NoteReview {
  readonly id: string;
  readonly me: SessionUser;
  note = $state.raw<Note | null>(null);
  selectedId = $state<string | null>(null);
  /** Suggestions sharing the highlight the user clicked last. */
  linked = $state<string[]>([]);
  busy = $state(false);
  /** performance.now() when the last read arrived, before it was rendered (the start of the "note-render" measure). */
  readAt = 0;
  error = $state<string | null>(null);
  notice = $state<string | null>(null);

  groups = $derived.by<SuggestionGroup[]>(() => {
    const bySystem = new Map<CodeSystem, Suggestion[]>();
    for (const s of this.note?.suggestions ?? []) bySystem.set(s.system, [...(bySystem.get(s.system) ?? []), s]);
    return SYSTEM_ORDER.filter((s) => bySystem.has(s)).map((system) => ({ system, suggestions: bySystem.get(system)! }));
  });
  /** The E/M line (its rationale carries the MDM panel), if the engine suggested one. */
  emLine = $derived((this.note?.suggestions ?? []).find((s) => s.rationale.line?.em) ?? null);
  /** Suggestions in display order (what j/k walk). */
  ordered = $derived(this.groups.flatMap((g) => g.suggestions));
  decisionBySuggestion = $derived(new Map((this.note?.decisions ?? []).filter((d) => d.suggestionId).map((d) => [d.suggestionId!, d])));
  added = $derived((this.note?.decisions ?? []).filter((d) => d.action === 'add'));
  /** The kept ICD-10-CM codes in the server's sequence (the coder's order, else the engine's): what PUT /sequence orders. */
  diagnoses = $derived.by(() => {
    const byId = new Map((this.note?.decisions ?? []).map((d) => [d.id, d]));
    return (this.note?.sequence ?? []).flatMap((id) => byId.get(id) ?? []);
  });
  /** The codes the note keeps so far: diagnoses in sequence, then procedure and service codes in decision order. */
  kept = $derived([...this.diagnoses, ...(this.note?.decisions ?? []).filter((d) => d.action !== 'reject' && d.code && d.system !== 'ICD10CM')]);
  /** ICD-10-CM codes on the claim as it stands (kept, plus suggested and undecided): what procedure lines point to. */
  claimDx = $derived(claimDiagnoses(this.note?.suggestions ?? [], (id) => this.decisionBySuggestion.get(id), this.diagnoses));
  /** "Points to no diagnosis" warnings, recomputed from the coder's decisions (they replace the engine's). */
  pointerFindings = $derived(pointerFindings(this.note?.suggestions ?? [], (id) => this.decisionBySuggestion.get(id), this.claimDx));
  undecided = $derived(this.ordered.filter((s) => !this.decisionBySuggestion.has(s.id)).length);
  openQueries = $derived((this.note?.queries ?? []).filter((q) => q.status === 'sent').length);
  selected = $derived(this.ordered.find((s) => s.id === this.selectedId) ?? null);
  /** Whether this user holds the note's claim (it is in review). */
  holdsClaim = $derived.by(() => !!this.note && WORKING.has(this.note.status) && this.note.claim?.userId === this.me.id);
  /**
   * Whether this user may code the note: they hold it, or it is free for them to take. Opening a note only
   * reads it; the first decision (or "Start coding") claims it, so reading never blocks a colleague for 30 minutes.
   */
  canWrite = $derived.by(() => {
    const n = this.note;
    if (!n || !['coder', 'qa_lead'].includes(this.me.role) || !CLAIMABLE.has(n.status)) return false;
    return !n.claim || n.claim.userId === this.me.id;
  });

  constructor(id: string, me: SessionUser) {
    this.id = id;
    this.me = me;
  }

  async load(): Promise<void> {
    try {
      const note = await call(client.api.notes[':id'].$get({ param: { id: this.id } }));
      this.readAt = performance.now();
      this.note = note;
      if (!this.selectedId || !this.ordered.some((s) => s.id === this.selectedId)) this.selectedId = this.firstUndecided() ?? this.ordered[0]?.id ?? null;
    } catch (err) {
      this.error = messageOf(err);
    }
  }

  /** Takes the note for coding ("Start coding", or implicitly before the first write). */
  claim(): Promise<boolean> {
    return this.write((version) => this.postClaim(version));
  }

  private postClaim(version: number) {
    return call(client.api.notes[':id'].claim.$post({ param: { id: this.id }, json: { version } }));
  }

  /**
   * A write that needs the claim: when this user does not hold it yet, claims first and sends with the version
   * the claim returned (one re-read for both).
   */
  private async coding(send: (version: number) => Promise<unknown>): Promise<boolean> {
    if (this.holdsClaim) return this.write(send);
    let claimed = false;
    const ok = await this.write(async (version) => {
      const r = await this.postClaim(version);
      claimed = true;
      return send(r.version);
    });
    // The claim stands even when the write after it was refused: show it (and the version it made).
    if (!ok && claimed) await this.load();
    return ok;
  }

  select(id: string | null, linked: string[] = []): void {
    this.selectedId = id;
    this.linked = linked;
  }

  move(delta: number): void {
    const list = this.ordered;
    if (list.length === 0) return;
    const at = list.findIndex((s) => s.id === this.selectedId);
    const next = at < 0 ? 0 : Math.max(0, Math.min(list.length - 1, at + delta));
    this.select(list[next]!.id);
  }

  /** Runs a write with the current version; true when it succeeded (the note is then re-read). */
  async write(send: (version: number) => Promise<unknown>): Promise<boolean> {
    if (!this.note || this.busy) return false;
    this.busy = true;
    this.error = null;
    try {
      await send(this.note.version);
      this.notice = null;
      await this.load();
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.code === 'stale' && err.detail.current) {
        this.note = err.detail.current as Note;
        this.notice = 'Someone else changed this note; it has been reloaded. Check it and send your change again.';
      } else {
        this.error = messageOf(err);
      }
      return false;
    } finally {
      this.busy = false;
    }
  }

  private decision(json: DecisionJson): Promise<boolean> {
    return this.coding((version) => call(client.api.notes[':id'].decisions.$post({ param: { id: this.id }, json: { ...json, version } })));
  }

  async accept(suggestionId: string): Promise<boolean> {
    const ok = await this.decision({ action: 'accept', suggestionId });
    if (ok) this.advance(suggestionId);
    return ok;
  }

  /** A procedure line's diagnosis pointers on the claim as it stands (the coder's, else the engine's). */
  pointersOf(s: Suggestion): string[] {
    return linePointers(s, this.decisionBySuggestion.get(s.id), this.claimDx);
  }

  /** Accepts a CPT/HCPCS line with the coder's units, modifiers and (when changed) diagnosis pointers. */
  async acceptLine(suggestionId: string, line: { units: number; modifiers: string[]; diagnosisPointers?: string[] }): Promise<boolean> {
    const ok = await this.decision({ action: 'accept', suggestionId, line });
    if (ok) this.advance(suggestionId);
    return ok;
  }

  async reject(suggestionId: string, reason: RejectChoice, reasonText?: string): Promise<boolean> {
    const ok = await this.decision({ action: 'reject', suggestionId, reason, ...(reasonText ? { reasonText } : {}) });
    if (ok) this.advance(suggestionId);
    return ok;
  }

  async edit(suggestionId: string, system: CodeSystem, code: string): Promise<boolean> {
    const ok = await this.decision({ action: 'edit', suggestionId, system, code });
    if (ok) this.advance(suggestionId);
    return ok;
  }

  add(system: CodeSystem, code: string, evidence: { start: number; end: number }[]): Promise<boolean> {
    return this.decision({ action: 'add', system, code, evidence });
  }

  /** Makes `decisionId` the principal / first-listed diagnosis, keeping the others in their order. */
  makePrincipal(decisionId: string): Promise<boolean> {
    return this.moveDiagnosis(decisionId, 0);
  }

  /** Moves a kept diagnosis to position `to` (0 = principal / first-listed) and stores the whole sequence. */
  moveDiagnosis(decisionId: string, to: number): Promise<boolean> {
    const order = this.diagnoses.map((d) => d.id).filter((id) => id !== decisionId);
    if (order.length === this.diagnoses.length) return Promise.resolve(false);
    order.splice(Math.max(0, Math.min(order.length, to)), 0, decisionId);
    return this.coding((version) => call(client.api.notes[':id'].sequence.$put({ param: { id: this.id }, json: { version, order } })));
  }

  sendQuery(draft: QueryDraft): Promise<boolean> {
    return this.coding((version) => call(client.api.notes[':id'].queries.$post({ param: { id: this.id }, json: { ...draft, version } })));
  }

  closeQuery(queryId: string): Promise<boolean> {
    return this.write((version) => call(client.api.queries[':id'].close.$post({ param: { id: queryId }, json: { version } })));
  }

  withdrawQuery(queryId: string): Promise<boolean> {
    return this.write((version) => call(client.api.queries[':id'].withdraw.$post({ param: { id: queryId }, json: { version } })));
  }

  /** Finalizes; `noCodesReason` is required by the server when the note keeps no codes. */
  finalize(noCodesReason?: string): Promise<boolean> {
    return this.coding((version) => call(client.api.notes[':id'].finalize.$post({ param: { id: this.id }, json: { version, ...(noCodesReason ? { noCodesReason } : {}) } })));
  }

  release(): Promise<boolean> {
    return this.write((version) => call(client.api.notes[':id'].release.$post({ param: { id: this.id }, json: { version } })));
  }

  reopen(reason: string): Promise<boolean> {
    return this.write((version) => call(client.api.notes[':id'].reopen.$post({ param: { id: this.id }, json: { version, reason } })));
  }

  decisionFor(suggestionId: string): Decision | undefined {
    return this.decisionBySuggestion.get(suggestionId);
  }

  private firstUndecided(): string | undefined {
    return this.ordered.find((s) => !this.decisionBySuggestion.has(s.id))?.id;
  }

  /** After deciding, move to the next undecided suggestion (keyboard flow: a, a, r, …). */
  private advance(from: string): void {
    const list = this.ordered;
    const at = list.findIndex((s) => s.id === from);
    const next = [...list.slice(at + 1), ...list.slice(0, at)].find((s) => !this.decisionBySuggestion.has(s.id));
    if (next) this.select(next.id);
  }
}
