import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { joinIndexPath, readIndexCode } from './index-csv.ts';
import { CodeSetParseError, type TermRecord } from './types.ts';

export type IndexTableKind = 'drug' | 'neoplasm' | 'eindex';

/** First heading column of each CDC table (`<indexHeading><head col="1">`); the index has none. */
const FIRST_HEAD: Record<IndexTableKind, string | null> = { drug: 'Substance', neoplasm: 'Neoplasm', eindex: null };

/** Elements of a mainTerm/term that carry no code of their own. */
const NO_CODE = new Set(['title', 'see', 'seeAlso', 'nemod', 'manif']);

/**
 * Parses a CDC index XML file (`<ICD10CM.index>`): the Table of Drugs and Chemicals and the Neoplasm
 * Table give one row per term × column with a code ("Acetaminophen, poisoning, accidental
 * (unintentional)" → T39.1X1; "Neoplasm, lung, malignant primary" → C34.9, incomplete), the External
 * Cause Index one row per term with a `<code>`. Terms with only `<see>`/`<seeAlso>` give no row.
 */
export function parseIndexTableXml(xml: string, file: string, kind: IndexTableKind): TermRecord[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new CodeSetParseError(file, valid.err.line ?? null, `malformed XML: ${valid.err.msg}`);
  const parser = new XMLParser({
    preserveOrder: true, // titles are mixed content: "Acid<nemod>(corrosive)</nemod> NEC"
    ignoreAttributes: false,
    attributeNamePrefix: '',
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
    captureMetaData: true,
  });
  const doc = parser.parse(xml) as XNode[];
  const meta = XMLParser.getMetaDataSymbol();
  const lineOf = (node: XNode): number | null => {
    const start = (node[meta as unknown as string] as { startIndex?: number } | undefined)?.startIndex;
    return start == null ? null : xml.slice(0, start).split('\n').length;
  };
  const fail = (node: XNode | null, problem: string): never => {
    throw new CodeSetParseError(file, node ? lineOf(node) : null, problem);
  };

  const root = doc.find((n) => tagOf(n) === 'ICD10CM.index');
  if (!root) return fail(null, `root element is not <ICD10CM.index> (found ${doc.map(tagOf).filter((t) => t !== '?xml').join(', ') || 'nothing'})`);
  const top = childrenOf(root);

  // Column labels from <head>: "Poisoning Accidental (unintentional)" → "poisoning, accidental (unintentional)".
  const heads = new Map<string, string>();
  const heading = top.find((n) => tagOf(n) === 'indexHeading');
  for (const h of heading ? childrenOf(heading).filter((n) => tagOf(n) === 'head') : []) {
    heads.set(attrsOf(h)['col'] ?? '', squash(textOf(h)));
  }
  const firstHead = FIRST_HEAD[kind];
  if (firstHead === null) {
    if (heading) return fail(heading, `kind "eindex" expects no <indexHeading>; this looks like a table (first column "${heads.get('1') ?? ''}")`);
  } else {
    if (!heading) return fail(root, `kind "${kind}" expects an <indexHeading> with the table columns`);
    if (heads.get('1') !== firstHead) return fail(heading, `kind "${kind}" expects first column "${firstHead}", found "${heads.get('1') ?? ''}"`);
    if (heads.size < 2) return fail(heading, 'table heading has no code columns');
  }
  const labels = new Map([...heads].filter(([col]) => col !== '1').map(([col, h]) => [col, h.replace(/^Poisoning\s+/i, 'poisoning, ').toLowerCase()]));

  const out: TermRecord[] = [];
  const push = (node: XNode, raw: string, parts: string[], mods: string[], forceIncomplete = false) => {
    const code = readIndexCode(raw);
    if (!code) return fail(node, `code "${raw}" is not an ICD-10-CM code`);
    const incomplete = code.incomplete || forceIncomplete;
    out.push({ code: code.code, kind, text: joinIndexPath(parts), path: parts, modifiers: mods, ...(incomplete ? { incomplete: true } : {}) });
  };

  const walk = (node: XNode, depth: number, parentParts: string[], parentMods: string[]) => {
    const children = childrenOf(node);
    if (depth > 0) {
      const level = attrsOf(node)['level'];
      if (level !== String(depth)) fail(node, `<term level="${level ?? ''}"> at nesting depth ${depth}`);
    }
    const title = children.find((n) => tagOf(n) === 'title');
    if (!title) return fail(node, `<${tagOf(node)}> has no <title>`);
    let { part, modifiers } = splitTitle(title);
    // The Neoplasm Table's one main term is "Neoplasm, neoplastic"; its rows read "Neoplasm, lung, …".
    if (depth === 0 && kind === 'neoplasm' && firstHead) part = firstHead;
    if (!part) return fail(title, 'empty <title>');
    const parts = [...parentParts, part];
    const mods = [...parentMods, modifiers];
    for (const child of children) {
      const tag = tagOf(child);
      if (tag === '#text') {
        if (textOf(child).trim()) fail(node, `unexpected text "${squash(textOf(child)).slice(0, 40)}" in <${tagOf(node)}>`);
      } else if (tag === 'term') {
        walk(child, depth + 1, parts, mods);
      } else if (tag === 'cell') {
        const col = attrsOf(child)['col'] ?? '';
        const value = squash(textOf(child));
        if (value === '' || /^-+$/.test(value)) continue; // "--" / "-": no code in this column
        const label = labels.get(col);
        if (!label) return fail(child, `<cell col="${col}"> has no column heading`);
        push(child, value, [...parts, label], [...mods, '']);
      } else if (tag === 'code') {
        push(child, squash(textOf(child)), parts, mods);
      } else if (tag === 'subcat' || tag === 'seecat') {
        // "see subcategory T75.0" / "see category T71": the code needs characters from the Tabular.
        push(child, squash(textOf(child)), parts, mods, true);
      } else if (!NO_CODE.has(tag)) {
        fail(child, `unexpected element <${tag}> in <${tagOf(node)}>`);
      }
    }
  };

  for (const letter of top.filter((n) => tagOf(n) === 'letter')) {
    for (const main of childrenOf(letter).filter((n) => tagOf(n) === 'mainTerm')) walk(main, 0, [], []);
  }
  if (out.length === 0) return fail(root, 'no coded terms found');
  return out;
}

/** A node of fast-xml-parser's preserveOrder output: `{ tag: children, ':@': attributes }` or `{ '#text': s }`. */
type XNode = Record<string, unknown>;

function tagOf(node: XNode): string {
  return Object.keys(node).find((k) => k !== ':@') ?? '';
}

function childrenOf(node: XNode): XNode[] {
  const v = node[tagOf(node)];
  return Array.isArray(v) ? (v as XNode[]) : [];
}

function attrsOf(node: XNode): Record<string, string | undefined> {
  return (node[':@'] as Record<string, string> | undefined) ?? {};
}

function textOf(node: XNode): string {
  if ('#text' in node) return String(node['#text']);
  return childrenOf(node).map(textOf).join('');
}

/** `<title>Acid<nemod>(corrosive)</nemod> NEC</title>` → part "Acid NEC", modifiers "(corrosive)". */
function splitTitle(title: XNode): { part: string; modifiers: string } {
  let part = '';
  const mods: string[] = [];
  for (const child of childrenOf(title)) {
    if (tagOf(child) === 'nemod') mods.push(textOf(child));
    else part += textOf(child);
  }
  return { part: squash(part), modifiers: squash(mods.join(' ')) };
}

function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
