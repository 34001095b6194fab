import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('configuration', () => {
  it('EXTERNAL_CAUSE_CODES defaults to inpatient and refuses an unknown value by name (OCG I.C.20 site setting)', () => {
    expect(loadConfig({}).EXTERNAL_CAUSE_CODES).toBe('inpatient');
    expect(loadConfig({ EXTERNAL_CAUSE_CODES: 'all' }).EXTERNAL_CAUSE_CODES).toBe('all');
    expect(() => loadConfig({ EXTERNAL_CAUSE_CODES: 'sometimes' })).toThrow(/EXTERNAL_CAUSE_CODES/);
  });
});
