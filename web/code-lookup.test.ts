// Browser test of the code search in the edit dialog (issue 12): a typed code — with or without its dot, in
// any case — comes first, and a coder's abbreviation finds the code it stands for. The codes typed here are in
// the small slice web/e2e-setup.ts loads (E11.x, I50.x), so the hits come from the real /api/search.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Encounter } from '../server/pipeline/types.ts';
import { suggestionAt } from '../server/pipeline/fixtures/suggestion.ts';
import { browserAvailable, startWorkspace, type TestNote, type Workspace } from './e2e-setup.ts';

const runnable = browserAvailable('web/code-lookup.test.ts');

const TEXT = 'Assessment: T2DM with hyperglycemia. CHF exacerbation.\n';
const encounter: Encounter = { setting: 'outpatient', dateOfService: '2025-11-05' };
const NOTES: TestNote[] = [
  { note: { externalId: 'cl-1', format: 'json', text: TEXT, encounter }, suggestions: [suggestionAt(TEXT, 'T2DM with hyperglycemia', 'E11.9', 'Type 2 diabetes mellitus without complications')] },
];

describe.skipIf(!runnable)('code lookup in the edit dialog, in Chromium', () => {
  let ws: Workspace;

  beforeAll(async () => {
    ws = await startWorkspace(NOTES);
  }, 120_000);

  afterAll(async () => {
    await ws?.close();
  });

  it('a typed code (E11.65, e1165) is the first hit; "T2DM" and "chf exacerbation" find E11.x and I50.x codes among the first hits', async () => {
    const coder = await ws.signIn('coder');
    await coder.goto(`${ws.base}/notes/${ws.noteIds[0]}`);
    await coder.locator('[data-suggestion-id][data-code="E11.9"]').click();
    await coder.keyboard.press('e');
    const dialog = coder.getByTestId('dialog-edit');
    const search = dialog.getByLabel('Search codes');
    const hits = () => dialog.getByRole('listbox', { name: 'Codes' }).locator('button[data-code]').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')!));
    // Clearing the box empties the list at once, so the next non-empty list answers the next query.
    const lookUp = async (query: string) => {
      await search.fill('');
      await expect.poll(hits).toEqual([]);
      await search.fill(query);
      await expect.poll(async () => (await hits()).length, { timeout: 10_000 }).toBeGreaterThan(0);
      return hits();
    };

    expect((await lookUp('E11.65'))[0]).toBe('E11.65');
    expect((await lookUp('e1165'))[0]).toBe('E11.65');

    const t2dm = await lookUp('T2DM');
    expect(t2dm.slice(0, 3).every((c) => c.startsWith('E11.'))).toBe(true);

    const chf = await lookUp('chf exacerbation');
    // Heart failure codes, not the diabetes hits of the previous query.
    expect(chf[0]).toMatch(/^I50\./);
  });
});
