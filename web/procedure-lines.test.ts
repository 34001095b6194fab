// Browser test (issue 13 item 6): an office note with an E/M line and a drug line. The suggestions are the
// engine's professional stage on the note (pipeline/professional) beside two diagnoses. The coder sees the
// procedure lines with units, modifiers and pointers, re-levels the E/M from its MDM elements (and applies it), sees the
// claim-readiness findings, and a procedure line accepted with edited units reaches the evaluation record.
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../server/db/client.ts';
import { suggestionAt } from '../server/pipeline/fixtures/suggestion.ts';
import { loadProfessionalDeps, withProfessionalCoding } from '../server/pipeline/professional/professional-coding.ts';
import type { Encounter } from '../server/pipeline/types.ts';
import { browserAvailable, RESULTS, startWorkspace, type TestNote, type Workspace } from './e2e-setup.ts';

const runnable = browserAvailable('web/procedure-lines.test.ts');

const TEXT =
  'FAMILY MEDICINE OFFICE VISIT, established patient\nAssessment/Plan:\n1. Type 2 diabetes mellitus with hyperglycemia, worsening, A1c 9.8. Increase metformin to 1000 mg twice daily.\n2. Acute low back pain. Ketorolac 60 mg IM given in clinic.';
const encounter: Encounter = { setting: 'professional', dateOfService: '2025-11-04', patient: { age: 58 } };
const diagnoses = [
  suggestionAt(TEXT, 'Type 2 diabetes mellitus with hyperglycemia', 'E11.65', 'Type 2 diabetes mellitus with hyperglycemia'),
  suggestionAt(TEXT, 'Acute low back pain', 'M54.50', 'Low back pain, unspecified'),
];

// Two claims that break a rule each: units above the practitioner MUE (J3420 has an MUE of 1) and, on an
// inpatient claim, a manifestation code sequenced as principal (Medicare Code Editor).
const MUE_TEXT =
  'FAMILY MEDICINE OFFICE VISIT, established patient\nAssessment/Plan:\n1. Pernicious anemia, B12 level low on oral replacement. Cyanocobalamin 2000 mcg IM given in clinic.';
const MCE_TEXT = 'DISCHARGE SUMMARY\nPrincipal diagnosis: Anemia in chronic kidney disease.\nSecondary diagnoses: Chronic kidney disease, stage 4.';
const inpatient: Encounter = { setting: 'inpatient', dateOfService: '2025-11-04', patient: { age: 71, sex: 'female' } };

describe.skipIf(!runnable)('procedure lines, the E/M panel and claim readiness in Chromium', () => {
  let ws: Workspace;

  beforeAll(async () => {
    const suggestions = withProfessionalCoding({ text: TEXT, encounter }, diagnoses, loadProfessionalDeps(), { engine: 'e2e', prompt: null, model: null, embedder: null });
    const versions = { engine: 'e2e', prompt: null, model: null, embedder: null };
    const mue = withProfessionalCoding({ text: MUE_TEXT, encounter }, [suggestionAt(MUE_TEXT, 'Pernicious anemia', 'D51.0', 'Vitamin B12 deficiency anemia due to intrinsic factor deficiency')], loadProfessionalDeps(), versions);
    const mceDx = [
      suggestionAt(MCE_TEXT, 'Anemia in chronic kidney disease', 'D63.1', 'Anemia in chronic kidney disease'),
      suggestionAt(MCE_TEXT, 'Chronic kidney disease, stage 4', 'N18.4', 'Chronic kidney disease, stage 4 (severe)'),
    ];
    const mce = withProfessionalCoding({ text: MCE_TEXT, encounter: inpatient }, mceDx, loadProfessionalDeps(), versions);
    const notes: TestNote[] = [
      { note: { externalId: 't-office', format: 'json', text: TEXT, encounter }, suggestions },
      { note: { externalId: 't-pointers', format: 'json', text: TEXT, encounter }, suggestions },
      { note: { externalId: 't-mue', format: 'json', text: MUE_TEXT, encounter }, suggestions: mue },
      { note: { externalId: 't-mce', format: 'json', text: MCE_TEXT, encounter: inpatient }, suggestions: mce },
    ];
    ws = await startWorkspace(notes);
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('shows the lines, re-levels the E/M, lists the findings, and an accepted line reaches the evaluation record', async () => {
    const page = await ws.signIn('coder');
    await page.goto(`${ws.base}/notes/${ws.noteIds[0]}`);
    await page.getByTestId('note-view').waitFor();

    // Procedure lines in their own lists, each with units, modifiers and pointers.
    await page.locator('h3[data-group="CPT"]').waitFor();
    const em = page.locator('[data-code="99214"][data-suggestion-id]');
    expect(await em.getByTestId('procedure-line').getAttribute('data-modifiers')).toBe('25');
    const drug = page.locator('[data-code="J1885"][data-suggestion-id]');
    expect(await drug.getByTestId('procedure-line').getAttribute('data-units')).toBe('4');
    expect(await drug.getByTestId('procedure-line').textContent()).toContain('→ M54.50, E11.65');
    // Clicking a line highlights its evidence in the note, as a diagnosis does.
    await drug.click();
    expect(await page.locator('[data-testid="note-text"] mark.sel').allTextContents()).toContain('Ketorolac 60 mg');

    // The E/M panel: three elements with evidence; two raised to high move the level to 99215.
    const panel = page.getByTestId('em-panel');
    expect(await panel.getByTestId('em-level').getAttribute('data-code')).toBe('99214');
    expect(await panel.locator('[data-element="risk"] .quote').first().textContent()).toContain('metformin');
    await panel.getByLabel('Problems addressed level').selectOption('high');
    expect(await panel.getByTestId('em-level').getAttribute('data-code')).toBe('99214'); // one element alone does not move it
    await panel.getByLabel('Risk of management level').selectOption('high');
    expect(await panel.getByTestId('em-level').getAttribute('data-code')).toBe('99215');
    expect(await panel.getByTestId('em-mdm').textContent()).toBe('high');
    await page.screenshot({ path: path.join(RESULTS, 'procedure-lines.png'), fullPage: true });

    // Claim readiness: the CMS-HCC finding on the diabetes code, with its source table and version.
    const finding = page.getByTestId('claim-panel').locator('[data-rule="hcc_payment"][data-code="E11.65"]');
    expect(await finding.textContent()).toContain('CMS-HCC V28, PY2026 final mappings');

    // Accept the drug line with 2 units (the coder's line), then everything else, and finalize.
    await drug.click();
    await drug.getByTestId('edit-line').click();
    await page.getByTestId('line-units').fill('2');
    await page.getByTestId('line-save').click();
    await page.getByTestId('dialog-line').waitFor({ state: 'detached' });
    await drug.locator('[data-testid="procedure-line"][data-units="2"]').waitFor();
    // "Use 99215" edits the E/M line to the level the coder's MDM reaches (no licensed CPT file loaded here).
    await panel.getByTestId('em-use').click();
    expect(await em.getByTestId('decision').textContent()).toContain('Edited to 99215');
    await panel.getByTestId('em-use').waitFor({ state: 'detached' }); // the line now holds the level shown
    for (const code of ['E11.65', 'M54.50', '96372']) {
      const item = page.locator(`[data-code="${code}"][data-suggestion-id]`);
      await item.click();
      await item.getByRole('button', { name: 'Accept' }).click();
      await item.getByTestId('decision').waitFor();
    }
    await page.getByRole('button', { name: 'Finalize' }).first().click();
    await page.getByTestId('dialog-finalize').getByRole('button', { name: 'Finalize', exact: true }).click();
    await page.locator('[data-testid="note-status"]', { hasText: 'Coded' }).waitFor();

    const [record] = await queryRows<{ outcomes: { code: string; outcome: string; suggestedLine?: { units: number }; line?: { units: number; modifiers: string[] }; editedTo?: { system: string; code: string } }[] }>(
      ws.database.db,
      sql`select outcomes from dataset_records where record_key = ${ws.noteIds[0]!}`,
    );
    expect(record!.outcomes.find((o) => o.code === 'J1885')).toMatchObject({ outcome: 'accepted', suggestedLine: { units: 4 }, line: { units: 2 } });
    expect(record!.outcomes.find((o) => o.code === '99214')).toMatchObject({ outcome: 'edited', editedTo: { system: 'CPT', code: '99215' }, line: { units: 1, modifiers: ['25'] } });
  });

  it("the coder re-orders and removes a line's diagnosis pointers among the kept diagnoses; a line pointing nowhere raises the claim check", async () => {
    const page = await ws.signIn('coder');
    await page.goto(`${ws.base}/notes/${ws.noteIds[1]}`);
    await page.getByTestId('note-view').waitFor();
    const item = (code: string) => page.locator(`[data-code="${code}"][data-suggestion-id]`);
    const pointersOf = (code: string) => item(code).getByTestId('procedure-line').getAttribute('data-pointers');
    expect(await pointersOf('J1885')).toBe('M54.50 E11.65');
    // Pointers name kept diagnoses: keep both first.
    for (const code of ['E11.65', 'M54.50']) {
      await item(code).click();
      await item(code).getByRole('button', { name: 'Accept' }).click();
      await item(code).getByTestId('decision').waitFor();
    }

    // The drug line: the diabetes code moved first, saved through decisions.line.
    await item('J1885').click();
    await item('J1885').getByTestId('edit-line').click();
    const dialog = page.getByTestId('dialog-line');
    expect(await dialog.getByTestId('pointer').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).toEqual(['M54.50', 'E11.65']);
    await dialog.getByRole('button', { name: 'Move E11.65 up' }).click();
    expect(await dialog.getByTestId('pointer').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).toEqual(['E11.65', 'M54.50']);
    await dialog.getByTestId('line-save').click();
    await dialog.waitFor({ state: 'detached' });
    await item('J1885').locator('[data-testid="procedure-line"][data-pointers="E11.65 M54.50"]').waitFor();
    const stored = async (code: string) =>
      (await queryRows<{ line: unknown }>(ws.database.db, sql`select d.line from decisions d join suggestions s on s.id = d.suggestion_id where s.note_id = ${ws.noteIds[1]!} and s.code = ${code}`))[0]?.line;
    expect(await stored('J1885')).toEqual({ units: 4, modifiers: [], diagnosisPointers: ['E11.65', 'M54.50'] });
    // Editing the units again keeps the pointers the coder chose.
    await item('J1885').click();
    await item('J1885').getByTestId('edit-line').click();
    await page.getByTestId('line-units').fill('3');
    await dialog.getByTestId('line-save').click();
    await dialog.waitFor({ state: 'detached' });
    await item('J1885').locator('[data-testid="procedure-line"][data-units="3"]').waitFor();
    expect(await stored('J1885')).toEqual({ units: 3, modifiers: [], diagnosisPointers: ['E11.65', 'M54.50'] });

    // The administration line pointed nowhere: the claim-readiness panel warns, and stops once a pointer is back.
    const warning = page.getByTestId('claim-panel').locator('[data-rule="diagnosis_pointer"][data-code="96372"]');
    expect(await warning.count()).toBe(0);
    await item('96372').click();
    await item('96372').getByTestId('edit-line').click();
    for (const code of ['M54.50', 'E11.65']) await dialog.getByRole('button', { name: `Remove ${code}` }).click();
    await dialog.getByTestId('no-pointer').waitFor();
    await dialog.getByTestId('line-save').click();
    await dialog.waitFor({ state: 'detached' });
    await warning.waitFor();
    expect(await warning.textContent()).toContain('points to no diagnosis');
    expect(await item('96372').getByTestId('procedure-line').textContent()).toContain('no diagnosis');
    await page.screenshot({ path: path.join(RESULTS, 'procedure-line-pointers.png'), fullPage: true });
    await item('96372').click();
    await item('96372').getByTestId('edit-line').click();
    await dialog.locator('[data-testid="pointer-add"][data-code="M54.50"]').click();
    await dialog.getByTestId('line-save').click();
    await dialog.waitFor({ state: 'detached' });
    await warning.waitFor({ state: 'detached' });
    expect(await stored('96372')).toEqual({ units: 1, modifiers: [], diagnosisPointers: ['M54.50'] });
  });

  it('shows the MUE and Medicare Code Editor findings, each with its rule, source table and version', async () => {
    const page = await ws.signIn('coder');
    await page.goto(`${ws.base}/notes/${ws.noteIds[2]}`);
    await page.getByTestId('note-view').waitFor();
    const mue = page.getByTestId('claim-panel').locator('[data-rule="mue"][data-code="J3420"]');
    await mue.waitFor();
    expect(await mue.textContent()).toMatch(/MUE units.*2 units exceed the practitioner MUE of 1.*CMS MUE practitioner, effective 2026-04-01/);
    await page.goto(`${ws.base}/notes/${ws.noteIds[3]}`);
    await page.getByTestId('note-view').waitFor();
    const mce = page.getByTestId('claim-panel').locator('[data-rule="mce_manifestation_pdx"][data-code="D63.1"]');
    await mce.waitFor();
    expect(await mce.textContent()).toMatch(/MCE: manifestation as principal.*may not be the principal diagnosis.*CMS MCE v43 \(FY2026\)/);
    // Clicking the finding selects the code it names: its evidence is highlighted in the note.
    await mce.click();
    await page.locator('[data-testid="note-text"] mark.sel', { hasText: 'Anemia in chronic kidney disease' }).waitFor();
  });
});
