import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CodeSetParseError, formatIcd10cm, type NoteKind, type NoteRecord } from './types.ts';

/** A Tabular List chapter: "4", "Endocrine, nutritional and metabolic diseases (E00-E89)", E00..E89. */
export interface Chapter {
  number: number;
  desc: string;
  /** First and last 3-character category of the chapter's range ("E00", "E89"). */
  first: string;
  last: string;
}

/** A block (`<section>` holding categories), e.g. "E08-E13" Diabetes mellitus. */
export interface Block {
  id: string;
  desc: string;
  first: string;
  last: string;
  /**
   * The 3-character categories actually listed in the section, in tabular order. Needed because
   * the ranges are not enough: C4A, M1A and Z3A fall outside their block's range by character
   * order, and C7A/C7B/D3A fall inside a neighbouring range as well as their own.
   */
  categories: string[];
}

export interface TabularContent {
  /** Instructional notes written on <diag> elements, in document order. */
  notes: NoteRecord[];
  chapters: Chapter[];
  /** Sections that hold categories; heading-only sections such as "C00-C96" are left out. */
  blocks: Block[];
  /** Number of <diag> elements (categories, subcategories and codes). */
  diagCount: number;
}

const ROOT = 'ICD10CM.tabular';

/** <diag> child element → note kind. <sevenChrDef> is handled apart (it holds <extension>s). */
const NOTE_ELEMENTS: Record<string, NoteKind> = {
  inclusionTerm: 'inclusion',
  includes: 'includes',
  excludes1: 'excludes1',
  excludes2: 'excludes2',
  codeFirst: 'code_first',
  useAdditionalCode: 'use_additional',
  codeAlso: 'code_also',
  notes: 'note',
  sevenChrNote: 'seventh_char_note',
};

/** fast-xml-parser `preserveOrder` node: one element name → children, attributes under ":@". */
type XNode = { [tag: string]: XNode[] | string | Record<string, string> | undefined; ':@'?: Record<string, string> };

const parser = new XMLParser({
  // Order matters inside <sevenChrDef>: a <note> there belongs to the <extension> before it.
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Keep every value a string: a note reading "2021" or an extension "1" must not become a number.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/**
 * Parses the CDC ICD-10-CM Tabular List XML (`<ICD10CM.tabular>`) into diag-level notes, chapters
 * and blocks. Chapter- and section-level notes (e.g. chapter 4's Excludes1 "transitory endocrine …
 * specific to newborn") are deliberately not returned: NoteRecord is keyed by code, and callers
 * apply notes by walking up the code hierarchy only.
 */
export function parseTabularXml(xml: string, file: string): TabularContent {
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  if (text.trim() === '') throw new CodeSetParseError(file, null, 'file is empty');
  // The CDC files carry no DTD; refusing one avoids entity-expansion tricks entirely.
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype) throw new CodeSetParseError(file, lineAt(text, doctype.index), 'DOCTYPE declarations are not allowed in the tabular XML');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new CodeSetParseError(file, valid.err.line ?? null, `malformed XML: ${valid.err.msg}`);

  const doc = parser.parse(text) as XNode[];
  const rootNode = doc.find((n) => tagOf(n) !== undefined);
  const rootTag = rootNode ? tagOf(rootNode) : undefined;
  if (!rootNode || rootTag !== ROOT) {
    throw new CodeSetParseError(file, null, `root element is <${rootTag ?? 'none'}>, expected <${ROOT}>`);
  }

  const out: TabularContent = { notes: [], chapters: [], blocks: [], diagCount: 0 };
  for (const chapter of childrenNamed(rootNode, ROOT, 'chapter')) readChapter(chapter, file, out);
  if (out.chapters.length === 0) throw new CodeSetParseError(file, null, `<${ROOT}> holds no <chapter>`);
  return out;
}

/** Chapter number of a code by its 3-character category ("E11.65" → 4), undefined outside all chapters. */
export function chapterFor(code: string, chapters: Chapter[]): number | undefined {
  const cat = categoryOf(code);
  if (!cat) return undefined;
  return chapters.find((c) => c.first <= cat && cat <= c.last)?.number;
}

/**
 * Block id of a code ("E11.65" → "E08-E13"). A category listed in a block wins; otherwise (a
 * category newer than the tabular) the narrowest block whose range contains it.
 */
export function blockFor(code: string, blocks: Block[]): string | undefined {
  const cat = categoryOf(code);
  if (!cat) return undefined;
  const listed = blocks.find((b) => b.categories.includes(cat));
  if (listed) return listed.id;
  let best: Block | undefined;
  for (const b of blocks) {
    if (b.first <= cat && cat <= b.last && (!best || span(b) < span(best))) best = b;
  }
  return best?.id;
}

function readChapter(node: XNode, file: string, out: TabularContent): void {
  const kids = childrenOf(node, 'chapter');
  const name = textOf(firstChild(kids, 'name'));
  const desc = textOf(firstChild(kids, 'desc'));
  const number = Number(name);
  if (!/^\d+$/.test(name) || number < 1) throw new CodeSetParseError(file, null, `chapter name "${name}" is not a chapter number`);

  const blocksBefore = out.blocks.length;
  for (const section of kids.filter((k) => tagOf(k) === 'section')) readSection(section, file, out);
  const own = out.blocks.slice(blocksBefore);

  // The range in the chapter title is the official one (chapter 22 is "U00-U85" though only U00-U49
  // is used); fall back to the sections when the title has none.
  const titled = /\(([A-Z][0-9][0-9A-Z])-([A-Z][0-9][0-9A-Z])\)\s*$/.exec(desc);
  const first = titled?.[1] ?? own.map((b) => b.first).sort()[0];
  const last = titled?.[2] ?? own.map((b) => b.last).sort().at(-1);
  if (!first || !last) throw new CodeSetParseError(file, null, `chapter ${number} has no category range`);
  out.chapters.push({ number, desc, first, last });
}

function readSection(node: XNode, file: string, out: TabularContent): void {
  const kids = childrenOf(node, 'section');
  const id = node[':@']?.['@_id'] ?? '';
  const range = /^([A-Z][0-9][0-9A-Z])(?:-([A-Z][0-9][0-9A-Z]))?$/.exec(id);
  if (!range) throw new CodeSetParseError(file, null, `section id "${id}" is not a category range`);
  const categories: string[] = [];
  for (const diag of kids.filter((k) => tagOf(k) === 'diag')) categories.push(readDiag(diag, file, out));
  // Heading-only sections (C00-C96, M00-M25, T07-T88 …) group blocks and hold no categories.
  if (categories.length === 0) return;
  out.blocks.push({ id, desc: textOf(firstChild(kids, 'desc')), first: range[1]!, last: range[2] ?? range[1]!, categories });
}

/** Emits the diag's notes, recurses into child diags; returns the diag's dotted code. */
function readDiag(node: XNode, file: string, out: TabularContent): string {
  out.diagCount++;
  const kids = childrenOf(node, 'diag');
  const raw = textOf(firstChild(kids, 'name'));
  if (!/^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/i.test(raw)) throw new CodeSetParseError(file, null, `<diag> name "${raw}" is not an ICD-10-CM code`);
  const code = formatIcd10cm(raw);
  for (const kid of kids) {
    const tag = tagOf(kid);
    if (tag === 'diag') readDiag(kid, file, out);
    else if (tag === 'sevenChrDef') readSeventhChars(kid, code, file, out);
    else if (tag !== undefined && tag in NOTE_ELEMENTS) {
      const kind = NOTE_ELEMENTS[tag]!;
      for (const note of childrenOf(kid, tag)) {
        if (tagOf(note) !== 'note') continue;
        const t = textOf(note);
        if (t) out.notes.push({ code, kind, text: t });
      }
    }
  }
  return code;
}

/**
 * <extension char="A">initial encounter for closed fracture</extension> → seventh_char "A". A <note>
 * between extensions qualifies the extension before it (S72 "B … type I or II" then "initial
 * encounter for open fracture NOS"); it becomes a seventh_char_note carrying that char.
 */
function readSeventhChars(node: XNode, code: string, file: string, out: TabularContent): void {
  let char: string | undefined;
  for (const kid of childrenOf(node, 'sevenChrDef')) {
    const tag = tagOf(kid);
    if (tag === 'extension') {
      char = kid[':@']?.['@_char'];
      if (!char || !/^[0-9A-Z]$/.test(char)) throw new CodeSetParseError(file, null, `${code}: <extension> char "${char ?? ''}" is not one character`);
      out.notes.push({ code, kind: 'seventh_char', text: textOf(kid), char });
    } else if (tag === 'note') {
      const t = textOf(kid);
      if (t) out.notes.push(char ? { code, kind: 'seventh_char_note', text: t, char } : { code, kind: 'seventh_char_note', text: t });
    }
  }
}

function tagOf(node: XNode): string | undefined {
  for (const k in node) if (k !== ':@' && k !== '#text') return k;
  return undefined;
}

function childrenOf(node: XNode, tag: string): XNode[] {
  const v = node[tag];
  return Array.isArray(v) ? v : [];
}

function childrenNamed(node: XNode, tag: string, child: string): XNode[] {
  return childrenOf(node, tag).filter((k) => tagOf(k) === child);
}

function firstChild(kids: XNode[], tag: string): XNode | undefined {
  return kids.find((k) => tagOf(k) === tag);
}

/** Concatenated text of an element's text children (trimmed by the parser). */
function textOf(node: XNode | undefined): string {
  if (!node) return '';
  const tag = tagOf(node);
  if (!tag) return '';
  return childrenOf(node, tag)
    .map((k) => (typeof k['#text'] === 'string' ? k['#text'] : ''))
    .join(' ')
    .trim();
}

function categoryOf(code: string): string | undefined {
  const c = formatIcd10cm(code).slice(0, 3);
  return /^[A-Z][0-9][0-9A-Z]$/.test(c) ? c : undefined;
}

/** Rough width of a range, for picking the narrowest block: positions of first and last compared. */
function span(b: Block): number {
  const v = (c: string) => c.charCodeAt(0) * 1296 + parseInt(c.slice(1), 36);
  return v(b.last) - v(b.first);
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
