import { describe, expect, it } from 'vitest';
import { engineLevels, relevel, type EmPanelData } from './em-level.ts';

const element = (level: 'straightforward' | 'low' | 'moderate' | 'high') => ({ level, reasons: [] });
const OFFICE: EmPanelData = { family: 'office_established', basis: 'mdm', newPatient: false, level: 'moderate', problems: element('moderate'), data: element('low'), risk: element('moderate'), totalMinutes: null, source: 'AMA' };

describe('relevel (the engine table in the review UI)', () => {
  it("keeps the engine's level when nothing changes: moderate → 99214", () => {
    expect(relevel(OFFICE, engineLevels(OFFICE)!)).toMatchObject({ code: '99214', mdm: 'moderate', basis: 'mdm' });
  });
  it('risk raised to high alone does not move the level (two of three); data raised to high too → 99215', () => {
    expect(relevel(OFFICE, { problems: 'moderate', data: 'low', risk: 'high' })?.code).toBe('99214');
    expect(relevel(OFFICE, { problems: 'moderate', data: 'high', risk: 'high' })?.code).toBe('99215');
  });
  it('documented time still supports its level when MDM is lowered: 35 min → 99214 by time', () => {
    expect(relevel({ ...OFFICE, totalMinutes: 35 }, { problems: 'low', data: 'low', risk: 'low' })).toMatchObject({ code: '99214', mdm: 'low', basis: 'time' });
  });
  it('a visit without MDM elements (post-op 99024) has no levels to change', () => {
    expect(engineLevels({ ...OFFICE, family: 'postop_global', basis: 'global', level: null, problems: null, data: null, risk: null })).toBeNull();
  });
});
