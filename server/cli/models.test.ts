// The learning loop's commands as a site runs them: `medcode learn --from decisions@V` and `medcode models
// list | evaluate | promote | rollback`, each a real process on a real data directory (all shipped code sets),
// with their exit codes and messages, refused cases included (exit 2 and a message naming the problem).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.ts';
import { listAudit } from '../db/queries/audit.ts';
import { freezeVersion } from '../db/queries/datasets.ts';
import { fullDataDirCopy } from '../db/full-database.ts';
import { datasetRecords, datasets, DECISIONS_DATASET } from '../db/schema/index.ts';
import { DEFAULT_LEARNED_FILE, ensureLearnedModel } from '../learned-default.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DOS = '2026-03-02';

/** Runs the real CLI (`npm run medcode -- …` without npm's banner); learning and evaluating load the code set. */
function medcode(dataDir: string, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/cli/main.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, MEDCODE_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Finalized notes as finalizing writes them: hypertension and hyperlipidemia accepted, a screening "fall" rejected. */
async function storeDecisions(dataDir: string, from: number, to: number, version: string) {
  const database = await openDatabase({ dataDir });
  try {
    const [set] = await database.db.select().from(datasets).where(eq(datasets.name, DECISIONS_DATASET));
    for (let i = from; i < to; i++) {
      await database.db.insert(datasetRecords).values({
        datasetId: set!.id,
        recordKey: `note-${String(i).padStart(3, '0')}`,
        revision: 1,
        text: 'Problem list:\n1. Essential hypertension.\n2. Hyperlipidemia.\nScreening: fall score 0, low.',
        encounter: { setting: 'outpatient', dateOfService: DOS },
        gold: [
          { system: 'ICD10CM', code: 'I10', description: 'Essential (primary) hypertension', principal: true, evidence: [] },
          { system: 'ICD10CM', code: 'E78.5', description: 'Hyperlipidemia, unspecified', principal: false, evidence: [] },
        ],
        outcomes: [
          { suggestionId: `i10-${i}`, system: 'ICD10CM', code: 'I10', confidence: 0.9, outcome: 'accepted' },
          { suggestionId: `e785-${i}`, system: 'ICD10CM', code: 'E78.5', confidence: 0.9, outcome: 'accepted' },
          { suggestionId: `w19-${i}`, system: 'ICD10CM', code: 'W19.XXXA', confidence: 0.5, outcome: 'rejected', reason: 'negated', reasonText: null },
        ],
        finalizedAt: new Date(),
      });
    }
    await freezeVersion(database.db, { dataset: DECISIONS_DATASET, name: version, actorId: null });
  } finally {
    await database.close();
  }
}

describe('medcode learn / models as commands (real processes, full code sets)', () => {
  let dir: string;
  let shipped: string;
  beforeAll(async () => {
    dir = await fullDataDirCopy();
    const database = await openDatabase({ dataDir: dir });
    await ensureLearnedModel(database.db, DEFAULT_LEARNED_FILE);
    await database.close();
    await storeDecisions(dir, 0, 5, 'week-1');
    await storeDecisions(dir, 5, 30, 'month-1');
    await storeDecisions(dir, 30, 45, 'month-2');
    const list = await medcode(dir, 'models', 'list', '--json');
    expect(list.status, list.stderr).toBe(0);
    shipped = (JSON.parse(list.stdout) as { active: { id: string } }).active.id;
  }, 1_200_000);
  afterAll(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('learn refuses too few decisions (exit 2, naming the counts and the minimum)', async () => {
    const r = await medcode(dir, 'learn', '--from', 'decisions@week-1');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('error: too few decisions to learn from: decisions@week-1 holds 5 finalized notes and 15 decided suggestions; at least 20 notes and 50 decisions are needed');
  }, 300_000);

  it('learns a candidate, lists it, evaluates it on a later version, promotes it and rolls back (audited)', async () => {
    const learned = await medcode(dir, 'learn', '--from', 'decisions@month-1');
    expect(learned.status, learned.stderr).toBe(0);
    expect(learned.stdout).toMatch(/^learned candidate model site-month-1 from 30 notes .*decisions accepted 60, rejected:negated 30/m);

    const list = await medcode(dir, 'models', 'list', '--json');
    expect(list.status).toBe(0);
    const view = JSON.parse(list.stdout) as { active: { id: string }; models: { id: string; status: string; dataset: string }[] };
    expect(view.active.id).toBe(shipped);
    expect(view.models.find((m) => m.id === 'site-month-1')).toMatchObject({ status: 'candidate', dataset: 'decisions@month-1' });

    // Refused: an unknown id; the version it learned from (time split); a version that is not the decisions set's.
    const unknown = await medcode(dir, 'models', 'evaluate', 'no-such-model', '--on', 'decisions@month-2');
    expect([unknown.status, unknown.stderr.trim()]).toEqual([2, 'error: no model named "no-such-model"']);
    const same = await medcode(dir, 'models', 'evaluate', 'site-month-1', '--on', 'decisions@month-1');
    expect(same.status).toBe(2);
    expect(same.stderr).toContain('evaluate on a version frozen after "month-1"');

    const evaluated = await medcode(dir, 'models', 'evaluate', 'site-month-1', '--on', 'decisions@month-2');
    expect(evaluated.status, evaluated.stderr).toBe(0);
    expect(evaluated.stdout).toMatch(new RegExp(`^decisions@month-2: candidate site-month-1 P [01]\\.\\d{3} R [01]\\.\\d{3} F1 [01]\\.\\d{3}; active ${shipped.replace(/[.+]/g, '\\$&')} P `, 'm'));
    expect(evaluated.stdout).toMatch(/^compare: GET \/api\/runs\/compare\?a=[0-9a-f-]+&b=[0-9a-f-]+$/m);

    const promoteUnknown = await medcode(dir, 'models', 'promote', 'no-such-model');
    expect([promoteUnknown.status, promoteUnknown.stderr.trim()]).toEqual([2, 'error: no model named "no-such-model"']);
    const promoted = await medcode(dir, 'models', 'promote', 'site-month-1');
    expect([promoted.status, promoted.stdout.trim()]).toEqual([0, 'active model: site-month-1']);
    const again = await medcode(dir, 'models', 'promote', 'site-month-1');
    expect([again.status, again.stderr.trim()]).toEqual([2, 'error: site-month-1 is the active model already']);

    const back = await medcode(dir, 'models', 'rollback');
    expect([back.status, back.stdout.trim()]).toEqual([0, `active model: ${shipped}`]);
    const after = JSON.parse((await medcode(dir, 'models', 'list', '--json')).stdout) as { active: { id: string } };
    expect(after.active.id).toBe(shipped);

    const database = await openDatabase({ dataDir: dir });
    try {
      const audit = await listAudit(database.db, { entity: 'learned_model', limit: 10 });
      expect(audit.map((a) => [a.action, a.entityId, a.userId])).toEqual([
        ['model.promote', 'site-month-1', null],
        ['model.rollback', shipped, null],
      ]);
    } finally {
      await database.close();
    }
  }, 1_200_000);
});
