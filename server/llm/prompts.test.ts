import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROMPTS_DIR, loadPromptTemplate, parsePromptTemplate, renderPrompt, sha256 } from './prompts.ts';

const TEMPLATE = `# demo v1
Description, ignored.

<!-- role: system -->
Code the note. Setting: {{setting}}.

<!-- role: user -->
{{fence}}
{{note}}
{{fence}}
`;

describe('loadPromptTemplate', () => {
  it('loads prompts/select-codes.v1.md with its placeholders and the hash of the file', () => {
    const t = loadPromptTemplate('select-codes', 1);
    expect([t.name, t.version]).toEqual(['select-codes', 'v1']);
    expect(t.placeholders).toEqual(['fence', 'mentions', 'sentences', 'setting']);
    expect(t.templateHash).toBe(sha256(readFileSync(path.join(PROMPTS_DIR, 'select-codes.v1.md'), 'utf8')));
    expect(t.system).toContain('ICD-10-CM Official Guidelines');
    expect(t.system).not.toContain('role:');
  });

  it('names the file when it does not exist', () => {
    expect(() => loadPromptTemplate('select-codes', 99)).toThrow(/select-codes\.v99\.md/);
  });

  it('refuses names that are not kebab-case (no path traversal) and versions that are not positive integers', () => {
    expect(() => loadPromptTemplate('../secrets', 1)).toThrow(/kebab-case/);
    expect(() => loadPromptTemplate('select-codes', 0)).toThrow(/positive integer/);
  });
});

describe('parsePromptTemplate', () => {
  it('splits the system and user sections and drops the description', () => {
    const t = parsePromptTemplate(TEMPLATE, 'demo', 'v1');
    expect(t.system).toBe('Code the note. Setting: {{setting}}.');
    expect(t.user).toBe('{{fence}}\n{{note}}\n{{fence}}');
    expect(t.placeholders).toEqual(['fence', 'note', 'setting']);
  });

  it('throws when a role section is missing or out of order', () => {
    expect(() => parsePromptTemplate('<!-- role: user -->\nhi', 'demo', 'v1')).toThrow(/expected .*found \[user\]/);
    expect(() => parsePromptTemplate('<!-- role: user -->\na\n<!-- role: system -->\nb', 'demo', 'v1')).toThrow(/found \[user, system\]/);
  });
});

describe('renderPrompt', () => {
  const t = parsePromptTemplate(TEMPLATE, 'demo', 'v1');

  it('fills placeholders and hashes the rendered messages', () => {
    const r = renderPrompt(t, { setting: 'outpatient', fence: '```', note: 'Cough.' });
    expect(r.system).toBe('Code the note. Setting: outpatient.');
    expect(r.user).toBe('```\nCough.\n```');
    expect(r.hash).toBe(sha256(JSON.stringify({ system: r.system, user: r.user })));
  });

  it('gives a different hash when any rendered character differs', () => {
    const a = renderPrompt(t, { setting: 'outpatient', fence: '```', note: 'Cough.' });
    const b = renderPrompt(t, { setting: 'outpatient', fence: '```', note: 'Cough!' });
    expect(a.hash).not.toBe(b.hash);
  });

  it('does not expand placeholders or $-patterns inside values (a note saying "{{setting}}")', () => {
    const r = renderPrompt(t, { setting: 'inpatient', fence: '```', note: "{{setting}} $& $' $1" });
    expect(r.user).toBe("```\n{{setting}} $& $' $1\n```");
  });

  it('throws naming missing and unknown values', () => {
    expect(() => renderPrompt(t, { setting: 'x', fence: '`' } as Record<string, string>)).toThrow(/missing \[note\]/);
    expect(() => renderPrompt(t, { setting: 'x', fence: '`', note: '', extra: '' })).toThrow(/unknown \[extra\]/);
  });
});
