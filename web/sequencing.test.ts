// Browser test: the note view lists the engine's diagnoses in reporting order (OCG Section II / IV.G). The
// suggestions are the real engine's on a hand-made ICD-10-CM slice (pipeline/guidelines/fixture-knowledge.ts):
// a heart-failure admission with hypertension, where the combination code I11.0 comes first, marked
// principal, and the unspecified I50.9 read from "heart failure" is not suggested beside I50.22.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suggest } from '../server/pipeline/guidelines/fixture-knowledge.ts';
import type { Encounter } from '../server/pipeline/types.ts';
import { browserAvailable, RESULTS, startWorkspace, type TestNote, type Workspace } from './e2e-setup.ts';

const runnable = browserAvailable('web/sequencing.test.ts');

const TEXT = 'DISCHARGE SUMMARY\nPrincipal diagnosis: Chronic systolic heart failure.\nSecondary diagnoses:\n- Hypertension\n- Heart failure, compensated\n';
const encounter: Encounter = { setting: 'inpatient', dateOfService: '2025-11-04' };
const NOTES: TestNote[] = [{ note: { externalId: 't-seq', format: 'json', text: TEXT, encounter }, suggestions: suggest(TEXT, 'inpatient') }];

describe.skipIf(!runnable)('sequenced diagnoses in Chromium', () => {
  let ws: Workspace;

  beforeAll(async () => {
    ws = await startWorkspace(NOTES);
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('shows the combination code first, marked principal, and no unspecified sibling', async () => {
    const page = await ws.signIn('coder');
    await page.goto(`${ws.base}/notes/${ws.noteIds[0]}`);
    await page.getByTestId('note-view').waitFor();
    const items = page.locator('[data-suggestion-id]');
    await items.first().waitFor();
    const codes = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
    expect(codes.slice(0, 2)).toEqual(['I11.0', 'I50.22']);
    expect(codes).not.toContain('I50.9');
    expect(codes).not.toContain('I10');
    expect(await items.first().locator('[data-first]').textContent()).toBe('Principal');
    await page.screenshot({ path: path.join(RESULTS, 'sequencing.png') });
  });
});
