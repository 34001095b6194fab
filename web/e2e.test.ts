// Browser test of the review workspace: the whole coding workflow in Chromium (setup in ./e2e-setup.ts).
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisions, finalCodes, notes } from '../server/db/schema/index.ts';
import type { Suggestion } from '../server/pipeline/types.ts';
import { browserAvailable, RESULTS, selectInNote, startWorkspace, type Workspace } from './e2e-setup.ts';
import { NO_CONTEXT } from '../server/pipeline/candidates.ts';
import { suggestionAt } from '../server/pipeline/fixtures/suggestion.ts';

const runnable = browserAvailable('web/e2e.test.ts');

const NOTE =
  'Assessment: type 2 diabetes mellitus with hyperglycemia, HbA1c 9.8%.\n' +
  'Essential hypertension, not at goal. No evidence of pneumonia.\n' +
  'Mixed hyperlipidemia on atorvastatin.\n' +
  'Worsening shortness of breath with bilateral leg edema; BNP 1,450 pg/mL; ejection fraction 30%.\n';

// E11.9 (to edit to its sibling E11.65) and R73.9 overlap: "hyperglycemia" lies inside the diabetes span.
const WORKFLOW_SUGGESTIONS: Suggestion[] = [
  suggestionAt(NOTE, 'type 2 diabetes mellitus with hyperglycemia', 'E11.9', 'Type 2 diabetes mellitus without complications', { confidence: 0.74 }),
  suggestionAt(NOTE, 'hyperglycemia', 'R73.9', 'Hyperglycemia, unspecified', { confidence: 0.52, rationale: { matched: 'Hyperglycemia', matchKind: 'index', rules: [{ rule: 'integral_symptom', detail: 'OCG I.B.5: signs integral to a definitive diagnosis are not coded' }], reminders: [] } }),
  suggestionAt(NOTE, 'Essential hypertension', 'I10', 'Essential (primary) hypertension', { confidence: 0.95 }),
  suggestionAt(NOTE, 'pneumonia', 'J18.9', 'Pneumonia, unspecified organism', { confidence: 0.4, context: { ...NO_CONTEXT, negated: true } }),
];

/** A long note with 60 suggestions (some overlapping) for the render measurement. */
function sixtyNote(): { text: string; suggestions: Suggestion[] } {
  const findings = ['essential hypertension', 'type 2 diabetes mellitus', 'mixed hyperlipidemia', 'chronic kidney disease stage 3a', 'atrial fibrillation', 'obstructive sleep apnea'];
  const lines = Array.from({ length: 30 }, (_, i) => `${i + 1}. Follow-up of ${findings[i % findings.length]} with stable ${findings[(i + 1) % findings.length]} noted.`);
  const text = `Problem list\n${lines.join('\n')}\n`;
  const suggestions: Suggestion[] = [];
  let from = 0;
  for (let i = 0; i < 30; i++) {
    const line = lines[i]!;
    const at = text.indexOf(line, from);
    from = at + line.length;
    const a = findings[i % findings.length]!;
    const b = findings[(i + 1) % findings.length]!;
    const aStart = at + line.indexOf(a);
    const bStart = at + line.indexOf(b, line.indexOf(a) + a.length);
    const ev = (start: number, end: number) => [{ start, end, quote: text.slice(start, end) }];
    suggestions.push(
      { ...suggestionAt(text, a, `Z${String(10 + i).padStart(2, '0')}.1`, `Finding ${i + 1}: ${a}`), evidence: ev(aStart, aStart + a.length) },
      // The second span overlaps the first one's words ("with stable …") so overlapping highlights are in the measure.
      { ...suggestionAt(text, b, `Z${String(10 + i).padStart(2, '0')}.2`, `Finding ${i + 1}: ${b}`), evidence: ev(aStart + Math.floor(a.length / 2), bStart + b.length), confidence: 0.6 },
    );
  }
  return { text, suggestions };
}

describe.skipIf(!runnable)('review workspace in Chromium', () => {
  let ws: Workspace;
  let workflowId: string;
  const started = Date.now();
  const signIn = (username: string): Promise<Page> => ws.signIn(username);

  beforeAll(async () => {
    const sixty = sixtyNote();
    ws = await startWorkspace([
      { note: { externalId: 'e2e-1', format: 'json', text: NOTE, encounter: { setting: 'outpatient', dateOfService: '2025-11-04', patient: { age: 61, sex: 'male' } } }, suggestions: WORKFLOW_SUGGESTIONS },
      { note: { externalId: 'e2e-60', format: 'json', text: sixty.text, encounter: { setting: 'outpatient', dateOfService: '2025-11-04' } }, suggestions: sixty.suggestions },
    ]);
    workflowId = ws.noteIds[0]!;
    console.log(`e2e setup: ${Date.now() - started} ms`);
  }, 120_000);

  afterAll(async () => {
    await ws?.close();
    console.log(`e2e total: ${Date.now() - started} ms`);
  });

  it('a coder reviews and queries, the physician answers, the coder finalizes', async () => {
    const coder = await signIn('coder');

    // Queue: the notes with their counts; search by external id narrows it.
    await coder.locator('tr', { hasText: 'e2e-1' }).waitFor();
    await expect.poll(() => coder.locator('tbody tr').count()).toBe(7);
    await coder.screenshot({ path: path.join(RESULTS, 'queue.png') });
    await coder.getByLabel('Search by external id').fill('e2e');
    await expect.poll(() => coder.locator('tbody tr').count()).toBe(2);
    await expect(coder.locator('tr', { hasText: 'e2e-1' }).locator('td').nth(4).textContent()).resolves.toBe('4');

    // Open the note: it is shown verbatim with the evidence highlighted, and not claimed by reading it.
    await coder.getByRole('link', { name: 'e2e-1' }).click();
    const view = coder.getByTestId('note-view');
    await expect.poll(() => view.getAttribute('data-status')).toBe('suggested');
    expect(await coder.getByTestId('note-text').textContent()).toBe(NOTE);
    expect(await coder.locator('mark[data-keys*=" "]').count()).toBe(1); // "hyperglycemia": the overlap of two suggestions
    await coder.screenshot({ path: path.join(RESULTS, 'note-view.png') });

    const item = (code: string) => coder.locator(`[data-suggestion-id][data-code="${code}"]`);
    const decided = (code: string) => item(code).getByTestId('decision');

    // Clicking the overlapping highlight selects its suggestions in turn.
    await coder.locator('mark[data-keys*=" "]').click();
    await expect.poll(() => coder.locator('[data-suggestion-id][aria-selected="true"]').getAttribute('data-code')).toMatch(/^(E11\.9|R73\.9)$/);

    // Accept (keyboard a): the first decision claims the note.
    await item('I10').click();
    await coder.keyboard.press('a');
    await expect.poll(() => decided('I10').textContent()).toContain('Accepted');
    await expect.poll(() => view.getAttribute('data-status')).toBe('in_review');

    // Reject with a reason (mouse): "other" needs its text.
    await item('R73.9').click();
    await item('R73.9').getByRole('button', { name: 'Reject' }).click();
    await coder.getByTestId('dialog-reject').getByLabel('Other', { exact: true }).check();
    await coder.getByTestId('dialog-reject').locator('input[name="reasonText"]').fill('Integral to the diabetes code');
    await coder.getByTestId('dialog-reject').getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => decided('R73.9').textContent()).toContain('Integral to the diabetes code');

    // Edit E11.9 to its sibling E11.65 through the type-ahead (keyboard e), confirmed with Enter.
    await item('E11.9').click();
    await coder.keyboard.press('e');
    await coder.getByTestId('dialog-edit').getByLabel('Search codes').fill('hyperglycemia');
    await coder.getByTestId('dialog-edit').locator('button[data-code="E11.65"]').click();
    await coder.getByTestId('confirm-replace').waitFor();
    await coder.keyboard.press('Enter');
    await expect.poll(() => decided('E11.9').textContent()).toContain('Edited to E11.65');

    // The negated pneumonia: r opens the form with no reason chosen (Reject stays disabled until one is).
    await item('J18.9').click();
    await coder.keyboard.press('r');
    await expect(coder.getByTestId('dialog-reject').getByRole('button', { name: 'Reject' }).isDisabled()).resolves.toBe(true);
    await coder.getByTestId('dialog-reject').getByLabel('Negated / ruled out').check();
    await coder.getByTestId('dialog-reject').getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => decided('J18.9').textContent()).toContain('Negated');

    // Add a missed code from a selected span (keyboard n).
    await selectInNote(coder, 'Mixed hyperlipidemia');
    await coder.getByTestId('selection-bar').waitFor();
    await coder.locator('body').press('n');
    await coder.getByTestId('dialog-add').locator('button[data-code="E78.2"]').click();
    await coder.getByTestId('code-summary').locator('[data-code="E78.2"]').waitFor();
    const [added] = await ws.database.db.select().from(decisions).where(and(eq(decisions.noteId, workflowId), eq(decisions.action, 'add')));
    const start = NOTE.indexOf('Mixed hyperlipidemia');
    expect(added?.evidence).toEqual([{ start, end: start + 'Mixed hyperlipidemia'.length, quote: 'Mixed hyperlipidemia' }]);

    // A multiple-choice query from a selected span, from a template; leading wording is flagged as it is typed.
    await selectInNote(coder, 'shortness of breath with bilateral leg edema');
    await coder.getByTestId('selection-bar').getByRole('button', { name: 'Query' }).click();
    const composer = coder.getByTestId('dialog-query');
    await composer.getByLabel('Template').selectOption('heart-failure-type');
    await composer.getByLabel('Question').fill('Please document acute on chronic systolic heart failure.');
    await composer.getByTestId('query-warning').first().waitFor();
    await composer.getByLabel('Template').selectOption('');
    await composer.getByLabel('Template').selectOption('heart-failure-type');
    await expect.poll(() => composer.getByTestId('query-warning').count()).toBe(0);
    await composer.locator('select[aria-label="Physician"]').selectOption({ label: 'Dr. Priya Raman' });
    const question = await composer.getByLabel('Question').inputValue();

    // Someone else writes first: the send gets 409, the note reloads, and the composer keeps what was typed.
    await ws.database.db.update(notes).set({ version: sql`${notes.version} + 1` }).where(eq(notes.id, workflowId));
    await composer.getByRole('button', { name: 'Send query' }).click();
    await coder.getByTestId('stale-notice').first().waitFor();
    expect(await composer.getByLabel('Question').inputValue()).toBe(question);
    await composer.getByRole('button', { name: 'Send query' }).click();
    await composer.waitFor({ state: 'detached' });
    await expect.poll(() => view.getAttribute('data-status')).toBe('query_pending');

    // The physician answers from the inbox.
    const physician = await signIn('physician');
    await expect.poll(() => physician.evaluate(() => location.pathname)).toBe('/inbox');
    const card = physician.locator('[data-query-id]').first();
    await card.getByText('shortness of breath with bilateral leg edema').waitFor();
    await card.getByLabel('Acute on chronic systolic (HFrEF) heart failure').check();
    await card.getByRole('button', { name: 'Send answer' }).click();
    await physician.getByText('No open queries.').waitFor();

    // The coder sees the answer on the note, then finalizes (keyboard f).
    await coder.reload();
    await expect.poll(() => coder.getByTestId('query-answer').textContent()).toContain('Acute on chronic systolic (HFrEF) heart failure');
    await expect.poll(() => view.getAttribute('data-status')).toBe('in_review');
    await coder.locator('body').press('f');
    await coder.getByTestId('dialog-finalize').getByRole('button', { name: 'Finalize', exact: true }).click();
    await expect.poll(() => view.getAttribute('data-status')).toBe('coded');
    const final = await ws.database.db.select().from(finalCodes).where(eq(finalCodes.noteId, workflowId));
    expect(final.map((f) => f.code).sort()).toEqual(['E11.65', 'E78.2', 'I10']);
    await coder.screenshot({ path: path.join(RESULTS, 'note-coded.png') });
  });

  it('renders a note with 60 suggestions (measured, not asserted)', async () => {
    const coder = await signIn('coder');
    await coder.getByRole('link', { name: 'e2e-60' }).waitFor();
    await coder.evaluate(() => performance.clearMeasures());
    const clicked = Date.now();
    await coder.getByRole('link', { name: 'e2e-60' }).click();
    await expect.poll(() => coder.locator('[data-suggestion-id]').count()).toBe(60);
    const wall = Date.now() - clicked;
    await expect.poll(() => coder.evaluate(() => performance.getEntriesByName('note-paint').length)).toBe(1);
    const [render, paint] = await coder.evaluate(() => ['note-render', 'note-paint'].map((m) => performance.getEntriesByName(m)[0]!.duration));
    console.log(`note view with 60 suggestions: ${render!.toFixed(1)} ms data → DOM, ${paint!.toFixed(1)} ms data → next frame; click → all 60 shown ${wall} ms (includes the API read)`);
    expect(await coder.locator('mark').count()).toBeGreaterThan(60);
  });
});
