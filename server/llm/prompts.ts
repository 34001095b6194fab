// Versioned prompt templates: prompts/<name>.v<N>.md. A file is never edited once results cite it; a change
// is a new version. Each result stores the name, the version, the template's hash and the hash of the exact
// rendered messages, so any suggestion can be traced to the words the model saw.
//
// File format: free text (a description of the template) up to the first role marker, then
// `<!-- role: system -->` and `<!-- role: user -->` sections. Placeholders are `{{snake_case}}`.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROMPTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prompts');

export interface PromptTemplate {
  name: string;
  /** "v1", "v2", … as in the file name. */
  version: string;
  system: string;
  user: string;
  /** Placeholder names used by the template, sorted. */
  placeholders: string[];
  /** sha256 (hex) of the template file as read. */
  templateHash: string;
}

export interface RenderedPrompt {
  system: string;
  user: string;
  /** sha256 (hex) of the rendered system and user messages. */
  hash: string;
}

const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ROLE_MARKER = /^<!--\s*role:\s*(\w+)\s*-->[^\S\n]*\n?/gm;
const PLACEHOLDER = /\{\{([a-z][a-z0-9_]*)\}\}/g;

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Reads and checks prompts/<name>.v<version>.md; a missing or malformed section throws and names the file. */
export function loadPromptTemplate(name: string, version: number, dir: string = PROMPTS_DIR): PromptTemplate {
  if (!NAME.test(name)) throw new Error(`prompt name "${name}" must be kebab-case`);
  if (!Number.isInteger(version) || version < 1) throw new Error(`prompt version must be a positive integer, got ${version}`);
  const file = path.join(dir, `${name}.v${version}.md`);
  return parsePromptTemplate(readFileSync(file, 'utf8'), name, `v${version}`, file);
}

/** Parses template text (see the file format above). Exported for tests. */
export function parsePromptTemplate(raw: string, name: string, version: string, file = `${name}.${version}.md`): PromptTemplate {
  const markers = [...raw.matchAll(ROLE_MARKER)];
  const roles = markers.map((m) => m[1]);
  if (roles.length !== 2 || roles[0] !== 'system' || roles[1] !== 'user') {
    throw new Error(`${file}: expected "<!-- role: system -->" then "<!-- role: user -->", found [${roles.join(', ')}]`);
  }
  const [systemMarker, userMarker] = markers as [RegExpExecArray, RegExpExecArray];
  const system = raw.slice(systemMarker.index + systemMarker[0].length, userMarker.index).trim();
  const user = raw.slice(userMarker.index + userMarker[0].length).trim();
  if (system === '' || user === '') throw new Error(`${file}: system and user sections must not be empty`);
  const placeholders = [...new Set([...`${system}\n${user}`.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();
  return { name, version, system, user, placeholders, templateHash: sha256(raw) };
}

/**
 * Fills every placeholder in one pass, so text inside a value (a note saying "{{mentions}}") is never
 * expanded. The values must name exactly the template's placeholders: a missing or extra one throws.
 */
export function renderPrompt(template: PromptTemplate, values: Readonly<Record<string, string>>): RenderedPrompt {
  const given = Object.keys(values).sort();
  const missing = template.placeholders.filter((p) => !Object.hasOwn(values, p));
  const extra = given.filter((k) => !template.placeholders.includes(k));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `prompt ${template.name}.${template.version}: missing [${missing.join(', ')}], unknown [${extra.join(', ')}]; ` +
        `placeholders are [${template.placeholders.join(', ')}]`,
    );
  }
  const fill = (text: string) => text.replace(PLACEHOLDER, (_, key: string) => values[key]!);
  const system = fill(template.system);
  const user = fill(template.user);
  return { system, user, hash: sha256(JSON.stringify({ system, user })) };
}
