import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCodeSets } from '../codes/load.ts';
import type { Database } from '../db/client.ts';
import { fullDatabase } from '../db/full-database.ts';
import { NO_CPT_FILE } from './professional/cpt-lines.ts';
import { NO_CPT_FILE_VACCINES } from './professional/vaccines.ts';
import { createSuggester } from './suggester.ts';
import type { NoteInput } from './types.ts';

// Written for this test, not AMA text: lines must show the imported file's own descriptor.
const LICENSED = ['code,descriptor', '12002,TEST simple wound repair trunk or limbs 2.6-7.5 cm', '12042,TEST intermediate wound repair hand foot or neck 2.6-7.5 cm', '93000,TEST electrocardiogram with interpretation and report'].join('\n');
const REPAIR_ONLY = 'URGENT CARE VISIT, established patient\nProcedure: 2.5 cm simple laceration repair of the scalp and 3 cm of the forearm.\nAssessment/Plan:\n1. Lacerations of scalp and forearm, repaired. Suture removal in 7 days.';
// A second problem managed at the visit makes the E/M separately identifiable (modifier 25 beside the repair).
const TEXT = `${REPAIR_ONLY}\n2. Essential hypertension, above goal - start amlodipine 5 mg daily.`;
const NOTE: NoteInput = { text: TEXT, encounter: { setting: 'professional', dateOfService: '2026-03-02' } };

describe('suggester: CPT procedure lines follow the imported licensed CPT file', () => {
  let database: Database;
  let dir: string;
  beforeAll(async () => {
    ({ database } = await fullDatabase());
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medcode-cpt-'));
    fs.writeFileSync(path.join(dir, 'cpt.csv'), LICENSED);
  });
  afterAll(async () => {
    await database?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a repair-only office visit: no E/M (the repair includes it, NCCI ch. I), and without a CPT file the warnings say what was documented', async () => {
    const suggester = await createSuggester(database.db);
    const { suggestions, warnings } = await suggester.suggest({ ...NOTE, text: REPAIR_ONLY });
    expect(suggestions.filter((s) => s.system === 'CPT' && /^99/.test(s.code))).toEqual([]);
    expect(warnings.join(' ')).toContain('No E/M suggested');
    expect(warnings.join(' ')).toContain(`${NO_CPT_FILE} Documented: wound repair.`);
  });

  it('without a CPT file: no procedure line, and the E/M suggestion says why; after `codes import-cpt`: 12002 with the file\'s descriptor', async () => {
    const suggester = await createSuggester(database.db);
    const before = await suggester.suggest(NOTE);
    expect(before.suggestions.filter((s) => s.system === 'CPT').map((s) => s.code)).toEqual([expect.stringMatching(/^992\d\d$/)]);
    const em = before.suggestions.find((s) => s.system === 'CPT')!;
    expect(em.rationale.reminders).toContain(`${NO_CPT_FILE} Documented: wound repair.`);

    await loadCodeSets(database.db, dir, [{ system: 'CPT', version: '2026', effectiveFrom: '2026-01-01', effectiveTo: null, files: { csv: 'cpt.csv' } }]);
    // A running suggester picks up a newly loaded release within its release TTL (1 s).
    await new Promise((r) => setTimeout(r, 1_100));
    const after = await suggester.suggest(NOTE);
    const repair = after.suggestions.find((s) => s.code === '12002');
    expect(repair).toMatchObject({ system: 'CPT', description: 'TEST simple wound repair trunk or limbs 2.6-7.5 cm', rationale: { matchKind: 'cpt_repair' } });
    for (const e of repair!.evidence) expect(TEXT.slice(e.start, e.end)).toBe(e.quote);
    const emAfter = after.suggestions.find((s) => s.system === 'CPT' && /^992/.test(s.code))!;
    expect(emAfter.rationale.rules).toContainEqual({ rule: 'modifiers', detail: '25' });
    expect(emAfter.rationale.reminders.some((r) => r.startsWith(NO_CPT_FILE))).toBe(false);
  });

  it('a vaccine given in an office visit: Z23 once (OCG I.C.21.c.2), 90471 pointing to it, and no product the licensed file lacks', async () => {
    const text = 'PRENATAL VISIT - OB/GYN OFFICE\n29 y/o G2P1001 at 34w2d, routine prenatal visit.\nTdap 0.5 mL IM L deltoid given today; VIS provided.\nA/P: IUP at 34w2d.\n- Tdap administered.';
    const suggester = await createSuggester(database.db);
    const { suggestions } = await suggester.suggest({ text, encounter: { setting: 'professional', dateOfService: '2026-02-03', patient: { age: 29, sex: 'female' } } });
    expect(suggestions.filter((s) => s.code === 'Z23')).toHaveLength(1);
    const admin = suggestions.find((s) => s.code === '90471')!;
    expect(admin.rationale.line?.diagnosisPointers).toEqual(['Z23']);
    expect(text.slice(admin.evidence[0]!.start, admin.evidence[0]!.end)).toBe('Tdap');
    // The three-row licensed file imported above is in force on this date and has no vaccine product.
    expect(suggestions.flatMap((s) => s.rationale.reminders)).toContain('No vaccine product in the licensed CPT file 2026 names Tdap for age 29: add its product line by hand.');
    expect(suggestions.flatMap((s) => s.rationale.reminders).some((r) => r.startsWith(NO_CPT_FILE_VACCINES))).toBe(false);
  });
});
