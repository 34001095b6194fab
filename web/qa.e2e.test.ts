// Browser test of the QA lead's evaluation loop and the coder's blind second coding (setup in ./e2e-setup.ts):
// a coder finalizes a note; the QA lead sees it counted on the dashboard, drills down to it, freezes a snapshot,
// runs the engine on it twice (a baseline and a candidate that finds one more code) and compares the runs.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../server/auth/password.ts';
import { createUser } from '../server/db/queries/users.ts';
import type { Suggester } from '../server/notes/suggester.ts';
import { fakeSuggester } from '../server/notes/testing.ts';
import { browserAvailable, PASSWORD, RESULTS, startWorkspace, type Workspace } from './e2e-setup.ts';
import { NO_CONTEXT } from '../server/pipeline/candidates.ts';
import { suggestionAt } from '../server/pipeline/fixtures/suggestion.ts';

const runnable = browserAvailable('web/qa.e2e.test.ts');

const DIABETES = 'type 2 diabetes mellitus with hyperglycemia';
const NOTE = `Assessment: ${DIABETES}, HbA1c 9.8%.\nEssential hypertension, not at goal. No evidence of pneumonia.\n`;

/**
 * The engine the runs use: the fake one (I10 wherever "hypertension" appears) as the baseline; the
 * candidate also finds E11.65, so the comparison shows one gained code on the note.
 */
function evaluatedEngine() {
  const base = fakeSuggester({ engineVersion: 'engine-A' });
  const state = { candidate: false };
  const engine: Suggester = {
    get engineVersion() {
      return state.candidate ? 'engine-B' : 'engine-A';
    },
    async suggest(note) {
      const r = await base.suggest(note);
      if (!state.candidate || !note.text.includes(DIABETES)) return r;
      const extra = suggestionAt(note.text, DIABETES, 'E11.65', 'Type 2 diabetes mellitus with hyperglycemia', { versions: { engine: 'engine-B', prompt: null, model: null, embedder: null } });
      return { suggestions: [...r.suggestions, extra], warnings: [] };
    },
  };
  return { engine, state };
}

/** The whole page: the app scrolls inside <main>, so a full-page capture needs a viewport as tall as its content. */
async function screenshotAll(page: Page, file: string) {
  const height = await page.evaluate(() => document.querySelector('main')!.scrollHeight + 40);
  await page.setViewportSize({ width: 1280, height: Math.max(800, height) });
  await page.screenshot({ path: path.join(RESULTS, file) });
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe.skipIf(!runnable)('QA dashboard, evaluation runs and second coding in Chromium', () => {
  let ws: Workspace;
  let noteId: string;
  const { engine, state } = evaluatedEngine();
  const started = Date.now();

  beforeAll(async () => {
    ws = await startWorkspace(
      [
        {
          note: { externalId: 'qa-1', format: 'json', text: NOTE, encounter: { setting: 'outpatient', dateOfService: '2025-11-04' } },
          suggestions: [
            suggestionAt(NOTE, DIABETES, 'E11.65', 'Type 2 diabetes mellitus with hyperglycemia', { confidence: 0.9 }),
            suggestionAt(NOTE, 'Essential hypertension', 'I10', 'Essential (primary) hypertension', { confidence: 0.95 }),
            suggestionAt(NOTE, 'pneumonia', 'J18.9', 'Pneumonia, unspecified organism', { confidence: 0.4, context: { ...NO_CONTEXT, negated: true } }),
          ],
        },
      ],
      { engine },
    );
    noteId = ws.noteIds[0]!;
    // A second coder: blind second coding assigns a note to a coder other than the one who coded it.
    await createUser(ws.database.db, { username: 'coder2', displayName: 'Robin Second', role: 'coder', passwordHash: await hashPassword(PASSWORD) }, null);
    console.log(`qa e2e setup: ${Date.now() - started} ms`);
  }, 120_000);

  afterAll(async () => {
    await ws?.close();
    console.log(`qa e2e total: ${Date.now() - started} ms`);
  });

  /** The coder accepts E11.65 and I10, rejects the negated J18.9 and finalizes. */
  async function codeTheNote(coder: Page) {
    await coder.getByRole('link', { name: 'qa-1' }).click();
    const view = coder.getByTestId('note-view');
    await expect.poll(() => view.getAttribute('data-status')).toBe('suggested');
    const item = (code: string) => coder.locator(`[data-suggestion-id][data-code="${code}"]`);
    for (const code of ['E11.65', 'I10']) {
      await item(code).click();
      await coder.keyboard.press('a');
      await expect.poll(() => item(code).getByTestId('decision').textContent()).toContain('Accepted');
    }
    await item('J18.9').click();
    await coder.keyboard.press('r');
    await coder.getByTestId('dialog-reject').getByLabel('Negated / ruled out').check();
    await coder.getByTestId('dialog-reject').getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => item('J18.9').getByTestId('decision').textContent()).toContain('Negated');
    await coder.locator('body').press('f');
    await coder.getByTestId('dialog-finalize').getByRole('button', { name: 'Finalize', exact: true }).click();
    await expect.poll(() => view.getAttribute('data-status')).toBe('coded');
  }

  it('a finalized note is counted on the dashboard; the QA lead freezes a snapshot, runs it twice and compares the runs', async () => {
    await codeTheNote(await ws.signIn('coder'));

    const qa = await ws.signIn('qa');
    await qa.getByRole('link', { name: 'QA', exact: true }).click();
    await expect.poll(() => qa.getByTestId('stat-notes').textContent()).toBe('1');
    // Acceptance 2 of 2 final codes; the negated rejection is in the reasons table and drills to the note.
    await expect.poll(() => qa.getByTestId('qa-stats').textContent()).toContain('100.0%');
    // Each card names its definition and denominator; Accepted + Edited + Added are shares of the same final codes.
    const def = (card: string) => qa.getByTestId(card).locator('.def').textContent();
    expect(await def('stat-accepted')).toBe('2 of 2 final codes: an engine suggestion accepted as is');
    expect(await def('stat-edited')).toBe('0 of 2 final codes: a suggestion edited to this code');
    expect(await def('stat-added')).toBe('0 of 2 final codes: added by the coder');
    expect(await def('stat-rejected')).toBe('1 of 3 decided suggestions (not of final codes)');
    // Precision 2 of 3 suggested (J18.9 rejected), recall 2 of 2 final codes.
    expect(await qa.getByTestId('def-precision').textContent()).toBe('2 of 3 suggested codes are final codes');
    expect(await qa.getByTestId('def-recall').textContent()).toBe('2 of 2 final codes were suggested');
    await qa.getByTestId('qa-reasons').getByRole('button', { name: '1' }).click();
    await qa.getByTestId('drill').getByRole('link', { name: 'qa-1' }).waitFor();
    // The drill-down lists the note's codes as TP / FP / FN: the accepted codes are TP, the rejected J18.9 a FP.
    const codesOf = () => qa.getByTestId('drill').locator(`[data-note-id="${noteId}"] [data-kind]`).evaluateAll((els) => els.map((e) => e.textContent!.replace(/\s+/g, ' ').trim()).sort());
    await expect.poll(codesOf).toEqual(['FP J18.9', 'TP E11.65', 'TP I10']);
    await qa.getByTestId('drill').getByRole('button', { name: 'Close the note list' }).click();

    // Drill down from the chapter table to the note, open it, and come back.
    await qa.getByTestId('qa-chapters').locator('tr[data-key="chapter:4"]').getByRole('button').first().click();
    // A chapter row lists that chapter's codes only (chapter 4, endocrine: E11.65).
    await expect.poll(codesOf).toEqual(['TP E11.65']);
    await qa.getByTestId('drill').getByRole('link', { name: 'qa-1' }).click();
    await expect.poll(() => qa.getByTestId('note-view').getAttribute('data-status')).toBe('coded');
    expect(await qa.evaluate(() => location.pathname)).toBe(`/notes/${noteId}`);
    await qa.goBack();
    await qa.getByTestId('trend-chart').locator('svg path.lc-path').first().waitFor({ state: 'attached' });
    // Recall and acceptance are both 100% this week (precision 2/3): each series has its own shape and offset, so
    // equal values stay three marks; hovering the week shows a tooltip with the values.
    const chart = qa.getByTestId('trend-chart');
    const marks = chart.locator('.mark');
    await expect.poll(() => marks.count()).toBe(3);
    const placed = await marks.evaluateAll((els) =>
      els.map((e) => {
        const b = e.getBoundingClientRect();
        return { series: e.getAttribute('data-series'), shape: e.tagName, x: Math.round(b.x + b.width / 2), y: Math.round(b.y + b.height / 2) };
      }),
    );
    expect(placed.map((m) => m.series).sort()).toEqual(['acceptance', 'precision', 'recall']);
    expect(new Set(placed.map((m) => m.shape)).size).toBe(3);
    const [recall, acceptance] = ['recall', 'acceptance'].map((k) => placed.find((m) => m.series === k)!);
    expect(Math.abs(recall!.y - acceptance!.y)).toBeLessThanOrEqual(1);
    expect(Math.abs(recall!.x - acceptance!.x)).toBeGreaterThanOrEqual(8);
    // The tooltip follows the pointer (a move onto the chart, then onto the week); it may be portalled out of the chart.
    await qa.mouse.move(recall!.x - 60, recall!.y + 40);
    await qa.mouse.move(recall!.x, recall!.y, { steps: 4 });
    await expect.poll(() => qa.locator('.lc-tooltip-item-label').allTextContents(), { timeout: 5_000 }).toEqual(expect.arrayContaining([expect.stringContaining('Recall')]));

    // The period filter: nothing was finalized in 2030.
    await qa.getByLabel('From').fill('2030-01-01');
    await qa.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => qa.getByTestId('stat-notes').textContent()).toBe('0');
    await qa.getByRole('button', { name: 'All time' }).click();
    await expect.poll(() => qa.getByTestId('stat-notes').textContent()).toBe('1');

    // Every table downloads as CSV.
    const csvHref = await qa.getByTestId('qa-chapters').getByRole('link', { name: 'CSV' }).getAttribute('href');
    const csv = await qa.request.get(`${ws.base}${csvHref}`);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect((await csv.text()).split('\r\n')[0]).toBe('key,label,precision,recall,f1,tp,fp,fn,notes');

    // Freeze the decisions as a snapshot.
    await qa.getByLabel('Snapshot name').fill('e2e snapshot');
    await qa.getByRole('button', { name: 'Freeze snapshot' }).click();
    const snapshot = qa.locator('tr[data-version="decisions@e2e snapshot"]');
    await expect.poll(() => snapshot.locator('td').nth(2).textContent()).toBe('1');
    expect(await snapshot.getByRole('link', { name: 'FHIR' }).getAttribute('href')).toMatch(/\/api\/dataset-versions\/[0-9a-f-]+\/export\?format=fhir$/);
    // Import a gold-coded JSONL file as a dataset of its own.
    const gold = [{ id: 'g1', text: 'Essential hypertension.', encounter: { setting: 'outpatient', dateOfService: '2025-11-04' }, gold: [{ system: 'ICD10CM', code: 'I10' }] }];
    await qa.getByLabel('Imported dataset name').fill('gold-sample');
    await qa.getByLabel('Dataset file').setInputFiles({ name: 'gold.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(gold.map((g) => JSON.stringify(g)).join('\n')) });
    await qa.getByRole('button', { name: 'Import' }).click();
    await qa.getByText('Imported gold-sample (JSONL): 1 record(s)').waitFor();
    await screenshotAll(qa, 'qa-dashboard.png');

    // Two runs on it: the baseline engine, then the candidate.
    const runRow = (label: string) => qa.getByTestId('runs').locator('tbody tr', { hasText: label });
    for (const label of ['baseline', 'candidate']) {
      state.candidate = label === 'candidate';
      await qa.getByLabel('Run label').fill(label);
      await qa.getByRole('button', { name: 'Start run' }).click();
      await expect.poll(() => runRow(label).getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
    }
    expect(await runRow('candidate').locator('td').nth(2).textContent()).toBe('engine-B');

    // Compare them: recall goes from 1/2 to 2/2, the note gained E11.65.
    await qa.getByLabel('Run A (before)').selectOption({ label: 'baseline · decisions@e2e snapshot' });
    await qa.getByLabel('Run B (after)').selectOption({ label: 'candidate · decisions@e2e snapshot' });
    await qa.getByRole('button', { name: 'Compare' }).click();
    const compare = qa.getByTestId('run-compare');
    await expect.poll(() => compare.getByTestId('deltas-code').locator('tr[data-metric="recall"]').textContent()).toBe('Recall (micro)50.0%100.0%+50.0 pp');
    expect(await qa.evaluate(() => location.search)).toMatch(/^\?a=[0-9a-f-]{36}&b=[0-9a-f-]{36}$/);
    const changed = compare.getByTestId('changed-documents').locator(`tr[data-doc="${noteId}"]`);
    expect(await changed.locator('td').nth(1).textContent()).toBe('E11.65');
    await screenshotAll(qa, 'qa-run-compare.png');
    await changed.getByRole('link').click();
    await expect.poll(() => qa.evaluate(() => location.pathname)).toBe(`/notes/${noteId}`);
  });

  // Uses the note the first test finalized (tests in this file run in order, on one workspace).
  it('a coder second-codes a sampled note blind; a QA lead audits the note; both show on the dashboard, which an admin may view', async () => {
    const qa = await ws.signIn('qa');
    await qa.getByRole('link', { name: 'QA', exact: true }).click();
    await qa.getByLabel('Notes per coder').fill('1');
    await qa.getByRole('button', { name: 'Draw sample' }).click();
    await qa.getByText('Assigned 1 note(s) for blind second coding.').waitFor();

    const second = await ws.signIn('coder2');
    await second.getByRole('link', { name: 'Second coding' }).click();
    await second.locator('[data-status="assigned"] a').click();
    const page = second.getByTestId('second-coding');
    await expect.poll(() => page.getByLabel('Note text').textContent()).toBe(NOTE);
    // Blind: nothing of the first coding is on the page.
    expect(await page.textContent()).not.toContain('E11.65');
    await page.getByRole('button', { name: 'Add code' }).click();
    await page.getByLabel('Search codes').fill('hypertension');
    await page.locator('button[data-code="I10"]').click();
    await page.locator('li[data-code="I10"]').waitFor();
    await second.screenshot({ path: path.join(RESULTS, 'qa-second-coding.png') });
    await page.getByRole('button', { name: 'Submit second coding' }).click();
    await expect.poll(() => page.getAttribute('data-status')).toBe('done');

    // The audit worksheet from the note view: E11.65 correct, I10 incorrect with a reason, E78.5 missing.
    await qa.goto(`${ws.base}/notes/${noteId}`);
    await qa.getByRole('button', { name: 'Audit' }).click();
    const sheet = qa.getByTestId('audit-worksheet');
    await sheet.locator('tr[data-code="E11.65"]').getByLabel('Correct', { exact: true }).check();
    await sheet.locator('tr[data-code="I10"]').getByLabel('Incorrect', { exact: true }).check();
    await sheet.getByLabel('Reason for I10').fill('BP documented as controlled');
    await sheet.getByRole('button', { name: 'Add a missing code' }).click();
    await sheet.getByLabel('Search codes').fill('hyperlipidemia');
    await sheet.locator('button[data-code="E78.5"]').click();
    await sheet.getByRole('button', { name: 'Submit audit' }).click();
    await sheet.getByTestId('audit-stored').waitFor();

    await qa.getByRole('link', { name: 'QA dashboard' }).click();
    await expect.poll(() => qa.getByTestId('qa-agreement').locator('tbody tr').first().textContent()).toContain('All systems1');
    // Coder: 1 correct, 1 incorrect, 1 missing of 3.
    await expect.poll(() => qa.getByTestId('qa-audits').locator('tbody tr').first().textContent()).toContain('1 / 1 / 1');
    // The audit and agreement numbers drill down to the note too.
    await qa.getByTestId('qa-audits').getByRole('button', { name: 'Casey Coder' }).click();
    await qa.getByTestId('drill').getByRole('link', { name: 'qa-1' }).waitFor();
    await qa.getByTestId('drill').getByRole('button', { name: 'Close the note list' }).click();
    // An admin may look at the dashboard but not change anything.
    const admin = await ws.signIn('admin');
    await admin.getByRole('link', { name: 'QA', exact: true }).click();
    await expect.poll(() => admin.getByTestId('stat-notes').textContent()).toBe('1');
    await admin.locator('tr[data-version="decisions@e2e snapshot"]').waitFor();
    expect(await admin.getByRole('button', { name: 'Freeze snapshot' }).count()).toBe(0);
    expect(await admin.getByRole('button', { name: 'Start run' }).count()).toBe(0);

    await qa.getByTestId('qa-agreement').scrollIntoViewIfNeeded();
    await qa.screenshot({ path: path.join(RESULTS, 'qa-agreement-audits.png') });
  });
});
