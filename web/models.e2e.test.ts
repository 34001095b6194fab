// Browser test of the QA dashboard's Models panel (setup in ./e2e-setup.ts): the shipped model is active, a
// candidate learned from the site's decisions shows its comparison with it; the QA lead promotes the
// candidate (audited), sees the trend across the change, and rolls back. A model an engine upgrade cannot
// use shows its notice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../server/db/queries/audit.ts';
import { activeModel, saveLearnedModel } from '../server/db/queries/learned.ts';
import type { LearnedModel } from '../server/pipeline/learned.ts';
import { ENGINE_VERSION } from '../server/pipeline/run.ts';
import { browserAvailable, startWorkspace, type Workspace } from './e2e-setup.ts';

const runnable = browserAvailable('web/models.e2e.test.ts');

const model = (id: string): LearnedModel => ({ id, params: { threshold: 0.3 }, phrase: new Map(), code: new Map([['I10', { tp: 3, fp: 1 }]]), mined: new Map() });

describe.skipIf(!runnable)('Models panel in Chromium', () => {
  let ws: Workspace;

  beforeAll(async () => {
    ws = await startWorkspace([]);
    const db = ws.database.db;
    await saveLearnedModel(db, model('shipped-1'), { dataset: 'codiesp-train', engineVersion: ENGINE_VERSION, notes: 500, status: 'active', source: 'shipped' });
    await saveLearnedModel(db, model('site-old'), { dataset: 'decisions@2025-10', engineVersion: 'offline-0', notes: 200 });
    await db.execute(`update learned_models set notice = 'learned by engine offline-0; this engine cannot use it' where id = 'site-old'`);
    await saveLearnedModel(db, model('site-2026-03'), {
      dataset: 'decisions@2026-03',
      engineVersion: ENGINE_VERSION,
      notes: 300,
      training: { dataset: 'decisions', version: '2026-03', records: 300, decisions: { accepted: 600, 'rejected:not_documented': 300, added: 120 } },
      metrics: {
        train: { precision: 0.97, recall: 0.96, f1: 0.965 },
        evaluation: { version: 'decisions@2026-04', model: { precision: 0.98, recall: 0.97, f1: 0.975 }, active: { id: 'shipped-1', precision: 0.66, recall: 0.83, f1: 0.735 }, modelRun: 'b', activeRun: 'a' },
      },
    });
    // The first browser test after a change to web/src builds the app (minutes on a loaded machine).
  }, 600_000);
  afterAll(async () => ws?.close());

  it('shows the active model and the candidate against it; promotes (audited) and rolls back', async () => {
    const qa = await ws.signIn('qa');
    await qa.getByRole('link', { name: 'QA', exact: true }).click();
    const panel = qa.getByTestId('models');
    await expect.poll(() => panel.getByTestId('active-model').textContent()).toBe('active: shipped-1');
    expect(await panel.getByTestId('model-notice').textContent()).toContain('site-old: learned by engine offline-0');
    const row = panel.locator('tr[data-model-id="site-2026-03"]');
    expect(await row.getAttribute('data-status')).toBe('candidate');
    const evaluation = (await row.getByTestId('model-evaluation').textContent())!.replace(/\s+/g, ' ');
    expect(evaluation).toContain('97.5% vs 73.5% (+24.0 pp) on decisions@2026-04');
    expect(await row.getByRole('link', { name: 'per-note comparison' }).getAttribute('href')).toBe('/qa/runs/compare?a=a&b=b');

    await row.getByRole('button', { name: 'Promote' }).click();
    await expect.poll(() => panel.getByTestId('active-model').textContent()).toBe('active: site-2026-03');
    await expect.poll(() => panel.getByRole('status').textContent()).toContain('Promoted site-2026-03');
    expect((await activeModel(ws.database.db))!.id).toBe('site-2026-03');
    // The trend lists the models in the order they took effect, with the F1 each had on later notes.
    const trend = panel.getByTestId('model-trend').locator('tbody tr');
    await expect.poll(() => trend.count()).toBe(2);
    expect((await trend.nth(0).locator('td').allTextContents()).slice(1)).toEqual(['shipped-1', '—', '—']);
    expect((await trend.nth(1).locator('td').allTextContents()).slice(1)).toEqual(['site-2026-03 (active)', '97.5%', 'shipped-1: 73.5%']);

    await panel.getByRole('button', { name: 'Roll back' }).click();
    await expect.poll(() => panel.getByTestId('active-model').textContent()).toBe('active: shipped-1');
    const audit = await listAudit(ws.database.db, { entity: 'learned_model', limit: 10 });
    expect(audit.map((a) => [a.action, a.entityId])).toEqual([
      ['model.promote', 'site-2026-03'],
      ['model.rollback', 'shipped-1'],
    ]);
  }, 120_000);
});
