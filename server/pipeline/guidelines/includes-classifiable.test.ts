// The tabular's "Includes: any condition classifiable to …" ranks codes of a category (I70.2-): one sentence per case.
import { describe, expect, it } from 'vitest';
import { ruledAt } from '../fixtures/ruled.ts';
import { buildKnowledge } from '../knowledge.ts';
import { applyIncludesClassifiable } from './includes-classifiable.ts';

const code = (c: string, title: string, parent: string | null = null, billable = true) => ({ code: c, billable, title, parent });
const kb = buildKnowledge(
  'test',
  [
    code('I70.21', 'Atherosclerosis of native arteries of extremities with intermittent claudication', null, false),
    code('I70.211', 'Atherosclerosis of native arteries of extremities with intermittent claudication, right leg', 'I70.21'),
    code('I70.212', 'Atherosclerosis of native arteries of extremities with intermittent claudication, left leg', 'I70.21'),
    code('I70.22', 'Atherosclerosis of native arteries of extremities with rest pain', null, false),
    code('I70.221', 'Atherosclerosis of native arteries of extremities with rest pain, right leg', 'I70.22'),
    code('I70.222', 'Atherosclerosis of native arteries of extremities with rest pain, left leg', 'I70.22'),
    code('I70.23', 'Atherosclerosis of native arteries of right leg with ulceration', null, false),
    code('I70.234', 'Atherosclerosis of native arteries of right leg with ulceration of heel and midfoot', 'I70.23'),
  ],
  [
    { code: 'I70.22', kind: 'includes', text: 'any condition classifiable to I70.21-' },
    { code: 'I70.23', kind: 'includes', text: 'any condition classifiable to I70.211 and I70.221' },
  ],
  [],
);
const run = (text: string, ...kept: ReturnType<typeof ruledAt>[]) =>
  applyIncludesClassifiable(kept, { note: { text, encounter: { setting: 'professional', dateOfService: '2026-01-15' } }, sentences: [], kb, scored: [] }).kept.map((c) => c.code);

describe('a code the tabular says another includes is not reported beside it', () => {
  it('"Right leg atherosclerosis with ulceration of the heel, rest pain" → I70.234, not I70.221', () => {
    const text = 'Atherosclerosis of native arteries of the right leg with ulceration of the heel; rest pain.';
    expect(run(text, ruledAt(text, 'ulceration of the heel', 'I70.234'), ruledAt(text, 'rest pain', 'I70.221'))).toEqual(['I70.234']);
  });

  it('rest pain of the left leg includes the left leg\'s claudication, not the right leg\'s', () => {
    const text = 'Left leg rest pain; right calf claudication.';
    expect(run(text, ruledAt(text, 'Left leg rest pain', 'I70.222'), ruledAt(text, 'right calf claudication', 'I70.211'))).toEqual(['I70.222', 'I70.211']);
    expect(run(text, ruledAt(text, 'Left leg rest pain', 'I70.222'), ruledAt(text, 'right calf claudication', 'I70.212'))).toEqual(['I70.222']);
  });
});
