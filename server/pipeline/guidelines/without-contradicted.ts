// OCG I.B.2 / I.A.15 — a title's "without X" is a claim: "Acute appendicitis with localized peritonitis, without
// perforation or gangrene" (K35.30) for "Acute gangrenous appendicitis with localized peritonitis" says the gangrene
// the note documents is absent. The Index reached it through "Appendicitis, gangrenous — see Appendicitis, acute",
// which drops the gangrene; the sibling that names it, with the rest of the title kept (K35.31 *…with localized
// peritonitis and gangrene, without perforation*), is the code. Found from the titles of the code's own siblings.
import { applyContext } from '../context.ts';
import type { Dropped, RuledCandidate } from '../rules.ts';
import { noteDrop, statementEvidence, type GuidelineInput, type StageResult } from './types.ts';

const WORD = /[a-z]+/g;
/** A word by its first six letters: the note's "gangrenous" is the title's "gangrene", "perforated" its "perforation". */
const head = (w: string) => w.slice(0, 6);
/** Words that join or qualify, not conditions. */
const JOINING = new Set(['with', 'without', 'and', 'or', 'of', 'the', 'a', 'an', 'in', 'to', 'not', 'other', 'unspecified']);

/** A title's claims: the condition words it says are present, and those after "without" it says are absent. */
function claims(title: string): { present: Set<string>; absent: Set<string> } {
  const lower = title.toLowerCase();
  const at = lower.search(/\bwithout\b/);
  const words = (text: string) => new Set([...text.matchAll(WORD)].map((m) => m[0]).filter((w) => w.length > 3 && !JOINING.has(w)).map(head));
  if (at < 0) return { present: words(lower), absent: new Set() };
  // The "without" clause runs to the next comma ("…, without perforation or gangrene", "…without perforation, right").
  const rest = lower.slice(at);
  const end = rest.indexOf(',');
  const clause = end < 0 ? rest : rest.slice(0, end);
  return { present: words(lower.slice(0, at) + (end < 0 ? '' : rest.slice(end))), absent: words(clause) };
}

/** Whether a clause states a word (by its head) that the context rules do not deny ("no perforation", "without gangrene"). */
function affirms(text: string, word: string): boolean {
  const lower = text.toLowerCase();
  for (const m of lower.matchAll(WORD)) {
    if (m[0].length < 4 || head(m[0]) !== word) continue;
    // "complicated by" is the pregnancy's, not a complication named.
    if (/^\s+by\b/.test(lower.slice(m.index + m[0].length))) continue;
    const [status] = applyContext(text, [{ start: m.index, end: m.index + m[0].length }]);
    if (!status!.negated) return true;
  }
  return false;
}

function clauseOf(text: string, start: number, end: number, sentence: { start: number; end: number } | undefined): string {
  const from = Math.max(sentence?.start ?? 0, text.lastIndexOf(';', start) + 1);
  const next = text.indexOf(';', end);
  const to = Math.min(sentence?.end ?? text.length, next < 0 ? text.length : next);
  return text.slice(from, to);
}

/** Example: K35.30 read from "Acute gangrenous appendicitis with localized peritonitis, no perforation" → K35.31. */
export function applyWithoutContradicted(kept: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb, sentences } = input;
  const dropped: Dropped[] = [];
  const out = kept.map((c) => {
    const own = claims(kb.codes.get(c.code)?.title ?? '');
    if (own.absent.size === 0) return c;
    // The clause of each reading (to the semicolons around it): "Sliding hiatal hernia, repaired; obstructive sleep
    // apnea" says no obstruction of the hernia.
    const said = statementEvidence(c).map((m) => clauseOf(input.note.text, m.span.start, m.span.end, sentences[m.sentenceIndex]));
    const contradicted = [...own.absent].filter((w) => said.some((t) => affirms(t, w)));
    if (contradicted.length === 0) return c;
    const parent = kb.codes.get(c.code)?.parent;
    // The sibling that names what the note documents, keeps the rest of the title's claims, and claims nothing more.
    const fits = (kb.children.get(parent ?? '') ?? []).filter((s) => {
      // Not one "unspecified as to" the word: it documents nothing of it (K35.209 beside K35.201).
      if (s === c.code || !kb.codes.get(s)?.billable || /\bunspecified\b/i.test(kb.codes.get(s)!.title)) return false;
      const other = claims(kb.codes.get(s)!.title);
      const stillAbsent = [...own.absent].filter((w) => !contradicted.includes(w));
      return contradicted.every((w) => other.present.has(w) && !other.absent.has(w)) && stillAbsent.every((w) => other.absent.has(w)) && [...other.present].every((w) => own.present.has(w) || contradicted.includes(w));
    });
    if (fits.length !== 1) return c;
    const code = fits[0]!;
    const named = contradicted.map((w) => (kb.codes.get(c.code)?.title.toLowerCase().match(WORD) ?? []).find((x) => head(x) === w) ?? w);
    dropped.push({ code: c.code, reason: `its title says no ${named.join(', ')}, which the statement documents: ${code} (OCG I.B.2)` });
    const next = { ...c, code };
    noteDrop(next, 'more_specific_code', `${c.code} → ${code}: the statement documents what ${c.code}'s "without" denies (OCG I.B.2)`);
    return next;
  });
  return { kept: out, dropped };
}
