// Procedure lines through the API (issue 13 items 6–7): the structured claim line and E/M panel on GET,
// the coder's units/modifiers on accept, the evaluation record, and the FHIR Claim export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFhirBundle } from '../../eval/formats.ts';
import { createApp } from '../app.ts';
import { loginAs, type TestSession } from '../auth/testing.ts';
import { loadConfig } from '../config.ts';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../db/client.ts';
import { claimNextNote, insertNotes, storeSuggestions } from '../db/queries/notes.ts';
import { freshDatabase, insertTinyIcd10cm } from '../db/testing.ts';
import { suggestionAt } from '../pipeline/fixtures/suggestion.ts';
import { loadProfessionalDeps, withProfessionalCoding } from '../pipeline/professional/professional-coding.ts';
import type { Encounter, Suggestion } from '../pipeline/types.ts';

const OFFICE: Encounter = { setting: 'professional', dateOfService: '2025-11-04', patient: { age: 44 } };
const NOTE = 'INTERNAL MEDICINE - SAME-DAY SICK VISIT, established patient\nAssessment/Plan:\n1. Asthma with acute exacerbation. Dexamethasone 10 mg IM given in clinic. Start prednisone 40 mg daily x 5 days.';

interface Line { units: number; modifiers: string[]; diagnosisPointers: string[]; em?: { level: string; problems: { level: string; reasons: { evidence: { start: number; end: number; quote: string }[] }[] } } }
interface NoteJson {
  version: number;
  suggestions: { id: string; system: string; code: string; rationale: { line?: Line; findings?: { rule: string; source: string; message: string; code: string }[] } }[];
  decisions: { suggestionId: string | null; action: string; line: { units: number; modifiers: string[]; diagnosisPointers?: string[] } | null; reasonText: string | null }[];
}

describe('procedure lines API', () => {
  let database: Database;
  let app: ReturnType<typeof createApp>;
  let coder: TestSession;
  let qa: TestSession;
  const call = (s: TestSession, method: string, path: string, body?: unknown) =>
    app.request(path, { method, headers: { ...s.headers, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const ok = async <T = Record<string, unknown>>(res: Response | Promise<Response>, status = 200): Promise<T> => {
    const r = await res;
    const text = await r.text();
    expect(r.status, text).toBe(status);
    return JSON.parse(text) as T;
  };
  const raw = async (res: Response | Promise<Response>): Promise<string> => {
    const r = await res;
    expect(r.status).toBe(200);
    return r.text();
  };
  const view = (id: string) => ok<NoteJson>(call(coder, 'GET', `/api/notes/${id}`));

  /** The note as the worker stores it: the asthma diagnosis plus the professional lines the engine adds. */
  async function officeNote(withDiagnosis = true): Promise<string> {
    const dx: Suggestion[] = withDiagnosis ? [suggestionAt(NOTE, 'Asthma with acute exacerbation', 'J45.901', 'Unspecified asthma with (acute) exacerbation')] : [];
    const sugs = withProfessionalCoding({ text: NOTE, encounter: OFFICE }, dx, loadProfessionalDeps(), { engine: 'test', prompt: null, model: null, embedder: null });
    await insertNotes(database.db, [{ text: NOTE, encounter: OFFICE, externalId: null, format: 'json' }]);
    const lease = await claimNextNote(database.db, { workerId: 'test', leaseMs: 60_000 });
    await storeSuggestions(database.db, { id: lease!.id, version: lease!.version, workerId: 'test', engineVersion: 'test-1', suggestions: sugs, warnings: [] });
    return lease!.id;
  }

  beforeAll(async () => {
    database = await freshDatabase('pglite');
    app = createApp({ db: database.db, embedder: null, suggester: null, config: loadConfig({}), databaseKind: database.kind, now: () => new Date('2025-11-05T09:00:00Z') });
    await insertTinyIcd10cm(database.db, [['J45.901', 'Unspecified asthma with (acute) exacerbation'], ['R06.2', 'Wheezing']]);
    coder = await loginAs(app, database.db, 'coder');
    qa = await loginAs(app, database.db, 'qa_lead');
  });
  afterAll(async () => database?.close());

  it('GET returns each procedure line with units, modifiers, pointers, the E/M panel and structured claim findings', async () => {
    const n = await view(await officeNote(false));
    const em = n.suggestions.find((s) => s.code === '99214')!;
    expect(em.rationale.line).toMatchObject({ units: 1, modifiers: ['25'], diagnosisPointers: [] });
    expect(em.rationale.line!.em!.level).toBe('moderate');
    const span = em.rationale.line!.em!.problems.reasons[0]!.evidence[0]!;
    expect(NOTE.slice(span.start, span.end)).toBe(span.quote);
    expect(n.suggestions.find((s) => s.code === 'J1100')!.rationale.line).toEqual({ units: 10, modifiers: [], diagnosisPointers: [] });
    // No diagnosis on the claim: every line gets the pointer finding, with its source.
    expect(em.rationale.findings).toEqual([{ rule: 'diagnosis_pointer', severity: 'warning', code: '99214', message: 'Line 99214 has no supporting diagnosis to point to.', source: 'CMS-1500 item 24E (up to 4 pointers per line)' }]);
  });

  it("accept takes the coder's units and modifiers on a procedure line only, and refuses bad modifiers", async () => {
    const id = await officeNote();
    let n = await view(id);
    const claim = await ok<{ version: number }>(call(coder, 'POST', `/api/notes/${id}/claim`, { version: n.version }));
    const drug = n.suggestions.find((s) => s.code === 'J1100')!;
    const dx = n.suggestions.find((s) => s.code === 'J45.901')!;
    const notLine = await call(coder, 'POST', `/api/notes/${id}/decisions`, { version: claim.version, action: 'accept', suggestionId: dx.id, line: { units: 2, modifiers: [] } });
    expect(notLine.status).toBe(400);
    expect(((await notLine.json()) as { error: { code: string } }).error.code).toBe('not_a_procedure_line');
    const bad = await call(coder, 'POST', `/api/notes/${id}/decisions`, { version: claim.version, action: 'accept', suggestionId: drug.id, line: { units: 8, modifiers: ['25X'] } });
    expect(bad.status).toBe(400);
    const r = await ok<{ decision: { line: unknown; reasonText: unknown } }>(call(coder, 'POST', `/api/notes/${id}/decisions`, { version: claim.version, action: 'accept', suggestionId: drug.id, line: { units: 8, modifiers: ['jw'] } }));
    expect(r.decision).toMatchObject({ line: { units: 8, modifiers: ['JW'] }, reasonText: null });
    n = await view(id);
    expect(n.decisions.find((d) => d.suggestionId === drug.id)).toMatchObject({ action: 'accept', line: { units: 8, modifiers: ['JW'] }, reasonText: null });
  });

  it('the E/M line can be re-levelled to another E/M code number without a licensed CPT file; other CPT codes need one', async () => {
    const id = await officeNote();
    const n = await view(id);
    const { version } = await ok<{ version: number }>(call(coder, 'POST', `/api/notes/${id}/claim`, { version: n.version }));
    const em = n.suggestions.find((s) => s.code === '99214')!;
    const r = await ok<{ version: number; decision: { action: string; code: string; description: string } }>(call(coder, 'POST', `/api/notes/${id}/decisions`, { version, action: 'edit', suggestionId: em.id, code: '99215' }));
    expect(r.decision).toMatchObject({ action: 'edit', code: '99215', description: 'E/M office/outpatient visit, established patient, level 5' });
    const other = await call(coder, 'POST', `/api/notes/${id}/decisions`, { version: r.version, action: 'edit', suggestionId: em.id, code: '12001' });
    expect(other.status).toBe(400);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('no_code_set');
  });

  it('finalized lines reach the evaluation record and export as a FHIR Claim that imports back', async () => {
    const id = await officeNote();
    let n = await view(id);
    let version = (await ok<{ version: number }>(call(coder, 'POST', `/api/notes/${id}/claim`, { version: n.version }))).version;
    const decide = async (code: string, extra: object = {}) => {
      const s = n.suggestions.find((x) => x.code === code)!;
      version = (await ok<{ version: number }>(call(coder, 'POST', `/api/notes/${id}/decisions`, { version, action: 'accept', suggestionId: s.id, ...extra }))).version;
    };
    await decide('J45.901');
    await decide('99214');
    await decide('J1100', { line: { units: 8, modifiers: [] } });
    const admin = n.suggestions.find((x) => x.code === '96372')!;
    version = (await ok<{ version: number }>(call(coder, 'POST', `/api/notes/${id}/decisions`, { version, action: 'reject', suggestionId: admin.id, reason: 'not_documented' }))).version;
    await ok(call(coder, 'POST', `/api/notes/${id}/finalize`, { version }));

    // The outcome keeps the engine's line beside the coder's (the units edit is what the evaluation learns from).
    const [stored] = await queryRows<{ outcomes: { code: string; outcome: string; suggestedLine?: Line; line?: Line }[] }>(database.db, sql`select outcomes from dataset_records where record_key = ${id}`);
    expect(stored!.outcomes.find((o) => o.code === 'J1100')).toMatchObject({ outcome: 'accepted', suggestedLine: { units: 10 }, line: { units: 8 } });
    expect(stored!.outcomes.find((o) => o.code === '96372')).toMatchObject({ outcome: 'rejected', suggestedLine: { units: 1 } });
    expect(stored!.outcomes.find((o) => o.code === '96372')!.line).toBeUndefined();

    const frozen = await ok<{ version: { id: string } }>(call(qa, 'POST', '/api/datasets/decisions/versions', { name: 'lines-1' }), 201);
    const jsonl = await raw(call(qa, 'GET', `/api/dataset-versions/${frozen.version.id}/export?format=jsonl`));
    const record = jsonl.trim().split('\n').map((l) => JSON.parse(l) as { id: string; gold: { code: string; line?: Line }[] }).find((r) => r.id === id)!;
    // Procedure codes follow the diagnoses in decision order (the same instant here, so compare by code).
    expect(record.gold.map((g) => [g.code, g.line ?? null]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['99214', { units: 1, modifiers: ['25'], diagnosisPointers: ['J45.901'] }],
      ['J1100', { units: 8, modifiers: [], diagnosisPointers: ['J45.901'] }],
      ['J45.901', null],
    ]);

    const fhirText = await raw(call(qa, 'GET', `/api/dataset-versions/${frozen.version.id}/export?format=fhir`));
    const bundle = JSON.parse(fhirText) as { entry: { resource: Record<string, unknown> }[] };
    const claims = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'Claim') as { status: string; diagnosis: unknown[]; item: unknown[] }[];
    expect(claims).toHaveLength(1);
    expect(claims[0]!.status).toBe('draft');
    expect(claims[0]!.diagnosis).toEqual([{ sequence: 1, diagnosisCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'J45.901' }] } }]);
    const byService = (x: unknown) => JSON.stringify((x as { productOrService: unknown }).productOrService);
    expect([...claims[0]!.item].sort((a, b) => byService(a).localeCompare(byService(b))).map((x, i) => ({ ...(x as object), sequence: i + 1 }))).toEqual([
      { sequence: 1, productOrService: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '99214' }] }, modifier: [{ coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '25' }] }], quantity: { value: 1 }, diagnosisSequence: [1], servicedDate: '2025-11-04' },
      { sequence: 2, productOrService: { coding: [{ system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'J1100' }] }, quantity: { value: 8 }, diagnosisSequence: [1], servicedDate: '2025-11-04' },
    ]);
    const back = parseFhirBundle(fhirText).find((d) => d.id === id)!;
    expect(back.gold.find((g) => g.code === 'J1100')!.line).toEqual({ units: 8, modifiers: [], diagnosisPointers: ['J45.901'] });
  });

  it("the coder's line is stored in decisions.line (not reason_text); pointers only among the note's kept diagnoses, a bad line writes nothing", async () => {
    const id = await officeNote();
    let n = await view(id);
    let version = (await ok<{ version: number }>(call(coder, 'POST', `/api/notes/${id}/claim`, { version: n.version }))).version;
    const drug = n.suggestions.find((s) => s.code === 'J1100')!;
    const dx = n.suggestions.find((s) => s.code === 'J45.901')!;
    version = (await ok<{ version: number }>(call(coder, 'POST', `/api/notes/${id}/decisions`, { version, action: 'accept', suggestionId: dx.id }))).version;
    const at = NOTE.indexOf('Asthma');
    version = (await ok<{ version: number }>(call(coder, 'POST', `/api/notes/${id}/decisions`, { version, action: 'add', system: 'ICD10CM', code: 'R06.2', evidence: [{ start: at, end: at + 6 }] }))).version;
    const before = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from audit_log`);
    const refused = async (line: unknown, code: string, message: RegExp) => {
      const r = await call(coder, 'POST', `/api/notes/${id}/decisions`, { version, action: 'accept', suggestionId: drug.id, line });
      const body = (await r.json()) as { error: { code: string; message: string } };
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(body.error.code).toBe(code);
      expect(JSON.stringify(body.error)).toMatch(message);
    };
    // A diagnosis the note does not keep (a code never decided), five pointers, and a pointer that is not an ICD-10-CM code.
    await refused({ units: 8, modifiers: [], diagnosisPointers: ['I10'] }, 'pointer_not_kept', /I10 is not/);
    await refused({ units: 8, modifiers: [], diagnosisPointers: ['J45.901', 'R06.2', 'R05.9', 'R50.9', 'I10'] }, 'invalid_request', /at most 4 diagnoses/);
    await refused({ units: 8, modifiers: [], diagnosisPointers: ['99214'] }, 'invalid_request', /ICD-10-CM code/);
    // Nothing written by the refusals: no decision on the line, no audit entry, the same note version.
    expect((await view(id)).decisions.find((d) => d.suggestionId === drug.id)).toBeUndefined();
    expect(await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from audit_log`)).toEqual(before);
    expect((await view(id)).version).toBe(version);

    const r = await ok<{ version: number; decision: { line: unknown; reasonText: unknown } }>(call(coder, 'POST', `/api/notes/${id}/decisions`, { version, action: 'accept', suggestionId: drug.id, line: { units: 8, modifiers: [], diagnosisPointers: ['r06.2', 'J45.901'] } }));
    expect(r.decision).toMatchObject({ line: { units: 8, modifiers: [], diagnosisPointers: ['R06.2', 'J45.901'] }, reasonText: null });
    const [row] = await queryRows<{ line: unknown; reason_text: string | null }>(database.db, sql`select line, reason_text from decisions where suggestion_id = ${drug.id}`);
    expect(row).toEqual({ line: { units: 8, modifiers: [], diagnosisPointers: ['R06.2', 'J45.901'] }, reason_text: null });
    n = await view(id);
    expect(n.decisions.find((d) => d.suggestionId === drug.id)!.line).toEqual({ units: 8, modifiers: [], diagnosisPointers: ['R06.2', 'J45.901'] });

    // Finalized and exported: the FHIR Claim.item points at R06.2 first, then J45.901, by their Claim.diagnosis sequence.
    version = r.version;
    for (const code of ['99214', '96372']) {
      const s = n.suggestions.find((x) => x.code === code)!;
      version = (await ok<{ version: number }>(call(coder, 'POST', `/api/notes/${id}/decisions`, { version, action: 'accept', suggestionId: s.id }))).version;
    }
    await ok(call(coder, 'POST', `/api/notes/${id}/finalize`, { version }));
    const frozen = await ok<{ version: { id: string } }>(call(qa, 'POST', '/api/datasets/decisions/versions', { name: 'lines-pointers' }), 201);
    const jsonl = await raw(call(qa, 'GET', `/api/dataset-versions/${frozen.version.id}/export?format=jsonl`));
    const record = jsonl.trim().split('\n').map((l) => JSON.parse(l) as { id: string; gold: { code: string; line?: Line }[] }).find((x) => x.id === id)!;
    expect(record.gold.find((g) => g.code === 'J1100')!.line).toEqual({ units: 8, modifiers: [], diagnosisPointers: ['R06.2', 'J45.901'] });
    const fhirText = await raw(call(qa, 'GET', `/api/dataset-versions/${frozen.version.id}/export?format=fhir`));
    const claim = (JSON.parse(fhirText) as { entry: { resource: { resourceType: string; diagnosis?: { sequence: number; diagnosisCodeableConcept: { coding: { code: string }[] } }[]; item?: { productOrService: { coding: { code: string }[] }; diagnosisSequence?: number[] }[] } }[] }).entry
      .map((e) => e.resource)
      .filter((x) => x.resourceType === 'Claim')
      .find((c) => c.item?.some((i) => i.productOrService.coding[0]!.code === 'J1100' && i.diagnosisSequence?.length === 2))!;
    const seqOf = (code: string) => claim.diagnosis!.find((d) => d.diagnosisCodeableConcept.coding[0]!.code === code)!.sequence;
    expect(claim.item!.find((i) => i.productOrService.coding[0]!.code === 'J1100')!.diagnosisSequence).toEqual([seqOf('R06.2'), seqOf('J45.901')]);
    expect(parseFhirBundle(fhirText).find((d) => d.id === id)!.gold.find((g) => g.code === 'J1100')!.line).toEqual({ units: 8, modifiers: [], diagnosisPointers: ['R06.2', 'J45.901'] });
  });
});
