// Infections and their organisms (OCG I.C.1.b, I.C.1.d.1.a).
// - "If the type of infection or causal organism is not further specified, assign code A41.9, Sepsis,
//   unspecified organism" (I.C.1.d.1.a): an "unspecified organism" code (A41.9, J18.9 …) is for a note that
//   names no organism. When the note names it, the Index's subterm under the same main term gives the code
//   ("Sepsis, Escherichia coli (E. coli) A41.51"; "Pneumonia, Klebsiella (pneumoniae) J15.0"); when an
//   organism-specific code of the condition is already coded, the unspecified one is not reported beside it.
// - Where the infection code's tabular note asks for it ("use additional code (B95-B97) to identify infectious
//   agent", N30, N39.0, L03 …) and the infection's sentence names the organism, the B95–B97 code whose title
//   names it is added (most organism words; a tie goes to the "unspecified" form: the note said no more).
// - I.C.1.c: "assign a code from category Z16, Resistance to antimicrobial drugs, following the infection code"
//   when the note documents the resistance ("ESBL-producing", "vancomycin-resistant"): the Z16 code whose title
//   names the drug or the mechanism; not Z16.11 beside a code that already says methicillin resistant (I.C.1.e).
// - Severe sepsis and septic shock (R65.2-) are never coded alone: "code for the underlying systemic infection
//   first … If the causal organism is not documented, assign code A41.9" (I.C.1.d.1.b, I.C.1.d.2).
// - A vaccine is named after the disease it prevents: "Tetanus: Tdap 2021", "last tetanus >10 yrs" document an
//   immunization, not tetanus (immunizations are Z23 / Z28, OCG I.C.21.c.2). An infectious disease read only
//   from sentences that name a vaccine or an immunization is not coded.
// - An organism named beside a condition of another chapter is that condition's cause, not an infection of its
//   own: a chapter-1 code read only from the organism's name ("H. pylori positive" as A04.8 beside a gastric
//   ulcer in the same sentence) becomes the organism's B95–B97 code (B96.81) (I.C.1.b).
// - B95–B97 "is to be used as an additional code to identify the organism" where "no organism is identified
//   as part of the infection code" (I.C.1.b): an organism code whose organism another coded infection's
//   title already names (B96.1 beside J15.0 *Pneumonia due to Klebsiella pneumoniae*) is not reported, unless
//   a coded condition's own tabular note asks for it ("use additional code (B95-B97)", e.g. a UTI).
import { FREE_EXTRAS, stems } from '../../index/lexical-score.ts';
import { expandAbbreviations } from '../abbreviations.ts';
import type { AnalysedSentence } from '../candidates.ts';
import { applyContext } from '../context.ts';
import type { Knowledge } from '../knowledge.ts';
import { notesFor, titleStems } from '../knowledge.ts';
import { namesCode, type Dropped, type RuledCandidate } from '../rules.ts';
import { DIAGNOSTIC_SECTIONS, derivedCandidate, derivedMention, noteDrop, statementEvidence, type GuidelineInput, type StageResult } from './types.ts';

/** "Sepsis, unspecified organism", "Lobar pneumonia, unspecified organism": the condition before it. */
const UNSPECIFIED_ORGANISM = /^(.+), unspecified organism$/i;
const ORGANISM_CODE = /^B9[5-7]\./;
/**
 * Gram-negative bacilli a coder reads as "Sepsis, other gram-negative" (A41.59) when the Index names no sepsis code of
 * their own (microbiology, not a code table: E. coli, Pseudomonas, Serratia and A. baumannii have their own and win by
 * the longer match).
 */
const GRAM_NEGATIVE_GENUS = /\b(?:Klebsiella|Enterobacter|Proteus|Citrobacter|Morganella|Providencia|Stenotrophomonas|Acinetobacter)\b/i;
const IMMUNIZATION = /\b(vaccin\w*|immuni[sz]\w*|toxoid|booster|shots?|Td|Tdap|DTaP|MMR|TIG|up to date|UTD)\b|\blast (tetanus|flu|influenza)\b/i;
const VACCINE_GIVEN = /\b(given|administered|today|due|declined|refused|up to date|UTD|dose|#\s?\d|VIS)\b/i;
/** Infectious diseases a vaccine is named after (chapter 1, influenza). */
const VACCINE_PREVENTABLE = /^(A[0-9]|B[0-9]|J1[01]|J09)/;
/** Words of a Z16 title that are not the drug's or mechanism's name. */
const NOT_RESISTANCE = new Set(stems('resistance to other specified unspecified antibiotic antibiotics drug drugs antimicrobial'));
const RESISTANT = /\bresist\w*\b|\bproducing\b|\b(ESBL|VRE|MDR|CRE|XDR)\b/i;
/** Words that report a finding about an organism rather than a disease ("H. pylori antigen positive"). */
const FINDING_WORDS = new Set(stems('positive negative antigen antibody culture cultures test testing serology stool urine breath result results infection colonization grew growth'));
/**
 * Words of a B95–B97 title that are not the organism's name. "Viral" and "bacterial" say the kind of agent, not
 * which: "Viral URI" names no virus, and B97.89 *Other viral agents* is for a virus identified by name that has no
 * code of its own (OCG I.C.1.b: the code identifies the organism).
 */
const NOT_ORGANISM = new Set([...FREE_EXTRAS, ...stems('as the cause of diseases classified elsewhere other infection agent viral bacterial')]);

interface OrganismTerm {
  /** Each Index level below the main term: alternatives, each a list of stems all required. */
  levels: string[][][];
  code: string;
  text: string;
  size: number;
}

const termsCache = new WeakMap<Knowledge, Map<string, OrganismTerm[]>>();

/** Index entries below main term `head` (a stem: "sepsi", "pneumonia") whose code is an organism-specific form of it. */
function organismTerms(kb: Knowledge, head: string): OrganismTerm[] {
  let byHead = termsCache.get(kb);
  if (!byHead) termsCache.set(kb, (byHead = new Map()));
  const cached = byHead.get(head);
  if (cached) return cached;
  const out: OrganismTerm[] = [];
  for (const e of kb.dictionary.entries) {
    const { path, modifiers } = e.term;
    if (e.term.kind !== 'index' || !path || path.length < 2 || !stems(path[0]!).includes(head)) continue;
    const info = kb.codes.get(e.term.code);
    // The organism-specific form of the same condition: "Sepsis due to …", "Pneumonia due to …".
    if (!info?.billable || !/\bdue to\b/i.test(info.title) || !titleStems(kb, e.term.code).includes(head) || /\bNEC\b/.test(path.join(' '))) continue;
    const levels = path.slice(1).map((level, i) => {
      const forms = level.split(',').map((p) => stems(p.replace(/\([^)]*\)/g, ' ')));
      // A level's nonessential modifier is another name of it: "Escherichia coli (E. coli)".
      const modifier = modifiers?.[i + 1] ? stems(modifiers[i + 1]!.replace(/[()]/g, ' ')) : [];
      return [...forms, ...(modifier.length ? [modifier] : [])];
    });
    const size = levels.reduce((n, l) => n + Math.min(...l.map((a) => a.length)), 0);
    if (size === 0) continue;
    out.push({ levels, code: e.term.code, text: e.term.text, size });
  }
  byHead.set(head, out);
  return out;
}

const classCache = new WeakMap<Knowledge, { organisms: string[]; resistances: string[] }>();
/** The release's billable B95–B97 and Z16 codes. */
function organismAndResistanceCodes(kb: Knowledge) {
  let hit = classCache.get(kb);
  if (hit) return hit;
  hit = { organisms: [], resistances: [] };
  for (const [code, info] of kb.codes) {
    if (!info.billable) continue;
    if (ORGANISM_CODE.test(code)) hit.organisms.push(code);
    else if (code.startsWith('Z16.')) hit.resistances.push(code);
  }
  classCache.set(kb, hit);
  return hit;
}

/** A title's names: the words outside brackets, and the bracketed alias ("Escherichia coli [E. coli]"). */
function titleNames(title: string, common: ReadonlySet<string>): { raw: string; words: string[] }[] {
  const main = title.replace(/\[[^\]]*\]|\([^)]*\)/g, ' ');
  const aliases = [...title.matchAll(/[[(]([^\])]+)[\])]/g)].map((m) => m[1]!);
  return [main, ...aliases].map((raw) => ({ raw, words: stems(raw).filter((w) => !common.has(w)) })).filter((n) => n.words.length > 0);
}

/** The code among `codes` whose name the words say most fully (a tie goes to the "unspecified" form), with that name's words. */
function bestNamed(kb: Knowledge, codes: readonly string[], common: ReadonlySet<string>, words: ReadonlySet<string>): { code: string; name: string[] } | null {
  let best: { code: string; name: string[]; unspecified: boolean } | null = null;
  for (const code of codes) {
    const title = kb.codes.get(code)?.title ?? '';
    const name = titleNames(title, common)
      .filter((n) => n.words.every((w) => words.has(w)))
      .sort((a, b) => b.words.length - a.words.length)[0];
    if (!name) continue;
    const unspecified = /\bunspecified\b/i.test(title);
    if (!best || name.words.length > best.name.length || (name.words.length === best.name.length && unspecified && !best.unspecified)) best = { code, name: name.words, unspecified };
  }
  return best ? { code: best.code, name: best.name } : null;
}

/** The span of a sentence from the first to the last of `name`'s words: the organism as written ("E. coli"). */
function nameSpan(sentence: AnalysedSentence, name: readonly string[]): [number, number] | null {
  const tokens = [...sentence.text.matchAll(/[A-Za-z0-9]+/g)];
  const at = tokens.findIndex((t, i) => name.every((w, k) => stems(tokens[i + k]?.[0] ?? '')[0] === w));
  if (at < 0) return null;
  const last = tokens[at + name.length - 1]!;
  return [sentence.start + tokens[at]!.index!, sentence.start + last.index! + last[0].length];
}

/** Whether the words say every level of the subterm (a level of only function words, "in (due to)", is free). */
const saysAll = (t: OrganismTerm, words: ReadonlySet<string>) => t.levels.every((alts) => alts.some((a) => a.every((w) => words.has(w))));

/** R65.2- without a systemic infection code: A41.9 first, from the same words (the organism stage may name it). */
function withSystemicInfection(kept: RuledCandidate[], input: GuidelineInput): RuledCandidate[] {
  const severe = kept.filter((c) => /^R65\.2/.test(c.code));
  const systemic = kept.some((c) => /\bsepsis\b/i.test(input.kb.codes.get(c.code)?.title ?? '') && !/^R65/.test(c.code));
  if (severe.length === 0 || systemic || !input.kb.codes.get('A41.9')?.billable) return kept;
  const detail = 'severe sepsis / septic shock: the underlying systemic infection is coded first, A41.9 when no organism is documented (OCG I.C.1.d.1.b, I.C.1.d.2)';
  return [...kept, derivedCandidate('A41.9', severe.flatMap((c) => c.evidence), Math.max(...severe.map((c) => c.confidence)), 'code_first_infection', detail)];
}

/** "Severe sepsis" the provider states, asserted: not "no severe sepsis", "without severe sepsis", "r/o severe sepsis". */
const SEVERE_SEPSIS = /\bsevere sepsis\b/i;
const NOT_SEVERE = /\b(no|not|without|r\/o|rule out|ruled out|negative for)\s+(?:\w+\s+){0,2}$/i;

/**
 * OCG I.C.1.d.1.b: severe sepsis the provider documents is R65.20 (R65.21 with septic shock) beside the systemic
 * infection's code, whatever the learned prior of R65.20 (CodiEsp's coders rarely give it). Read from the
 * diagnostic statement only.
 */
function withSevereSepsis(kept: RuledCandidate[], input: GuidelineInput): RuledCandidate[] {
  if (kept.some((c) => /^R65\.2/.test(c.code)) || !input.kb.codes.get('R65.20')?.billable) return kept;
  if (!kept.some((c) => /\bsepsis\b/i.test(input.kb.codes.get(c.code)?.title ?? ''))) return kept;
  const evidence = input.sentences.flatMap((s) => {
    const m = SEVERE_SEPSIS.exec(s.text);
    if (!m || !DIAGNOSTIC_SECTIONS.has(s.section) || NOT_SEVERE.test(s.text.slice(0, m.index))) return [];
    return [derivedMention(s, s.start + m.index, s.start + m.index + m[0].length, input.note.text, 'Sepsis, severe', 'R65.20')];
  });
  if (evidence.length === 0) return kept;
  return [...kept, derivedCandidate('R65.20', evidence, 0.7, 'severe_sepsis', 'severe sepsis documented: R65.20 beside the systemic infection, no septic shock documented (OCG I.C.1.d.1.b)')];
}

/**
 * Examples: "Sepsis due to E. coli bacteremia" read as A41.9 → A41.51; "Sepsis due to Streptococcus
 * pneumoniae" coded A40.3 with "sepsis" also read as A41.9 → A41.9 not reported; B96.1 beside J15.0 → dropped.
 */
/** Infections of a named site (skin and soft tissue, bone and joint, urinary and genital tract, lung, abdomen, ear, meninges, heart valves, devices). */
const LOCALIZED_INFECTION = /^(?:L0[0-8]|M0[01]|M46\.[23]|M86|N1[05]|N30|N39\.0|N4[159]|J1[2-8]|J8[56]|K35|K57|K6[15]|K81|H6[056]|G0[0-4]|I33|T8[2-5]\.[67])/;

export function applyInfectionOrganisms(read: RuledCandidate[], input: GuidelineInput): StageResult {
  const { kb } = input;
  const dropped: Dropped[] = [];
  const kept = withSevereSepsis(withSystemicInfection(read, input), input).filter((c) => {
    // In the provider's diagnoses only a line about giving vaccines ("Immunizations today: MMR, varicella, hepatitis
    // A #1") is one: "Assessment: influenza A despite vaccination" is influenza.
    const vaccine =
      VACCINE_PREVENTABLE.test(c.code) &&
      !ORGANISM_CODE.test(c.code) &&
      c.evidence.every((m) => {
        const text = input.sentences[m.sentenceIndex]?.text ?? '';
        return IMMUNIZATION.test(text) && (!DIAGNOSTIC_SECTIONS.has(m.section) || VACCINE_GIVEN.test(text));
      });
    if (vaccine) dropped.push({ code: c.code, reason: 'read from an immunization ("Tdap", "last tetanus"): a vaccine is not the disease (OCG I.C.21.c.2)' });
    return !vaccine;
  });
  const title = (code: string) => kb.codes.get(code)?.title ?? '';
  const remove = new Set<RuledCandidate>();
  const added: RuledCandidate[] = [];
  // A code added here (an organism's whole name) may be removed again below (already named by a coded condition).
  const all = () => [...kept, ...added].filter((c) => !remove.has(c));
  for (const u of kept) {
    const condition = UNSPECIFIED_ORGANISM.exec(title(u.code))?.[1];
    if (!condition) continue;
    const heads = stems(condition);
    const head = heads[heads.length - 1]!;
    // The same condition already coded with its organism.
    let specific = all().find((c) => c !== u && /\bdue to\b/i.test(title(c.code)) && titleStems(kb, c.code).includes(head));
    if (!specific) {
      const sentences = u.evidence.map((m) => input.sentences[m.sentenceIndex]?.text ?? '');
      const words = new Set(sentences.flatMap((t) => stems(t)));
      const found = organismTerms(kb, head)
        .filter((t) => saysAll(t, words))
        .sort((a, b) => b.size - a.size)[0];
      // A gram-negative genus the Index does not list under sepsis is "Sepsis, other gram-negative" (A41.59).
      const genus = head === 'sepsis' && !found ? sentences.map((t) => GRAM_NEGATIVE_GENUS.exec(t)?.[0]).find(Boolean) : undefined;
      const best = found ?? (genus && kb.codes.get('A41.59')?.billable ? { code: 'A41.59', text: `Sepsis, other gram-negative (${genus})` } : undefined);
      if (!best) continue;
      specific = derivedCandidate(best.code, u.evidence, u.confidence, 'infection_organism', `the note names the organism: ${best.text} (Index; OCG I.C.1.d.1.a)`);
      added.push(specific);
    }
    remove.add(u);
    dropped.push({ code: u.code, reason: `the organism is documented: ${specific.code} (OCG I.C.1.d.1.a)` });
    noteDrop(specific, 'infection_organism', `${u.code} (${title(u.code)}) not reported: the organism is documented (OCG I.C.1.d.1.a)`);
  }
  // An organism code read from part of the organism's name is the code of its whole name: "MRSA" (expanded
  // "methicillin-resistant Staphylococcus aureus") read as "Staphylococcus aureus", whose Index default is the
  // susceptible B95.61, is B95.62 (OCG I.C.1.e). The name is judged on the sentence with abbreviations expanded.
  const { organisms, resistances } = organismAndResistanceCodes(kb);
  for (const b of all().filter((c) => ORGANISM_CODE.test(c.code))) {
    const words = new Set(b.evidence.flatMap((m) => stems(expandAbbreviations(input.sentences[m.sentenceIndex]?.text ?? '').text)));
    const own = bestNamed(kb, [b.code], NOT_ORGANISM, words)?.name.length ?? 0;
    const named = bestNamed(kb, organisms, NOT_ORGANISM, words);
    if (!named || named.code === b.code || named.name.length <= own || all().some((c) => c.code === named.code)) continue;
    remove.add(b);
    dropped.push({ code: b.code, reason: `the sentence names the organism more fully: ${named.code} (OCG I.C.1.e)` });
    added.push({ ...b, code: named.code, rules: [...b.rules, { rule: 'infection_organism', detail: `${b.code} → ${named.code}: the organism's whole name (${title(named.code)})` }] });
  }
  // Organism codes the infection code already names.
  const current = all();
  // The coded condition whose title names the organism code's organism ("Pneumonia due to Methicillin resistant
  // Staphylococcus aureus" for B95.62), if any.
  const namingOf = (code: string, among: readonly RuledCandidate[]) => {
    const organism = stems(title(code).replace(/\[[^\]]*\]/g, ' ')).filter((w) => !NOT_ORGANISM.has(w));
    return organism.length === 0 ? undefined : among.find((c) => c.code !== code && !ORGANISM_CODE.test(c.code) && organism.every((w) => titleStems(kb, c.code).includes(w)));
  };
  for (const b of current.filter((c) => ORGANISM_CODE.test(c.code))) {
    const naming = namingOf(b.code, current);
    if (!naming) continue;
    const asked = current.some((c) => c !== b && c !== naming && notesFor(kb, c.code, ['use_additional']).some((n) => namesCode(n.text, b.code)));
    if (asked) continue;
    remove.add(b);
    dropped.push({ code: b.code, reason: `${naming.code} already identifies the organism (OCG I.C.1.b)` });
    noteDrop(naming, 'infection_organism', `${b.code} (${title(b.code)}) not reported: ${naming.code} identifies the organism (OCG I.C.1.b)`);
  }
  // A chapter-1 code read only from an organism's name, beside a condition of another chapter: the organism code.
  for (const a of all().filter((c) => /^A/.test(c.code))) {
    // The organism as the sentence names it ("H. pylori"), and every word the code was read from inside that name.
    // Judged where the provider states the diagnoses when the code is read there: "complete the 14-day H. pylori
    // regimen" in the instructions does not make the diagnosis line's "H. pylori positive" more than the organism's name.
    const evidence = statementEvidence(a);
    // Abbreviations read out: "MSSA infection" is the organism's words.
    const words = new Set(evidence.flatMap((m) => stems(expandAbbreviations(m.span.quote).text)).filter((w) => !FINDING_WORDS.has(w)));
    const named = bestNamed(kb, organisms, NOT_ORGANISM, new Set(evidence.flatMap((m) => stems(expandAbbreviations(input.sentences[m.sentenceIndex]?.text ?? '').text))));
    if (!named || words.size === 0 || [...words].some((w) => !named.name.includes(w))) continue;
    const sentences = new Set(evidence.map((m) => m.sentenceIndex));
    // "MSSA infection" (A49.01 *…infection, unspecified site*) in a note that codes the infection's site (the toe's
    // osteomyelitis, a cellulitis) is that infection's organism wherever the note names it (A49 Excludes1: "bacterial
    // agents as the cause of diseases classified elsewhere (B95-B96)").
    const siteless = /^A49\./.test(a.code);
    const condition = all().find((c) => c !== a && !/^[ABRZ]/.test(c.code) && (c.evidence.some((m) => sentences.has(m.sentenceIndex)) || (siteless && LOCALIZED_INFECTION.test(c.code))));
    if (!condition || all().some((c) => c.code === named.code)) continue;
    remove.add(a);
    dropped.push({ code: a.code, reason: `the organism is the cause of ${condition.code} in the same sentence: ${named.code} (OCG I.C.1.b)` });
    added.push({ ...a, code: named.code, rules: [...a.rules, { rule: 'infection_organism', detail: `${a.code} → ${named.code}: the organism named beside ${condition.code} is its cause (OCG I.C.1.b)` }] });
  }

  // The organism a coded infection's note asks for, and the resistance the note documents.
  const out = all();
  const infections = out.filter((c) => notesFor(kb, c.code, ['use_additional']).some((n) => /\bB95\b/.test(n.text) && namesCode(n.text, 'B96.20')));
  for (const c of infections) {
    if (out.some((o) => ORGANISM_CODE.test(o.code))) break;
    for (const m of c.evidence) {
      const sentence = input.sentences[m.sentenceIndex];
      const named = sentence && bestNamed(kb, organisms, NOT_ORGANISM, new Set(stems(sentence.text)));
      const span = named && nameSpan(sentence, named.name);
      // Not an organism a coded condition's title already names (OCG I.C.1.e.1: "Do not assign B95.62 as an additional code").
      if (!named || !span || namingOf(named.code, out)) continue;
      const detail = `${c.code} "use additional code (B95-B97) to identify infectious agent": the note names it (OCG I.C.1.b)`;
      out.push(derivedCandidate(named.code, [derivedMention(sentence, span[0], span[1], input.note.text, detail, named.code)], Math.min(c.confidence, 0.75), 'infection_organism', detail));
      break;
    }
  }
  const infected = out.filter((c) => /^[AB]/.test(c.code) || infections.includes(c));
  if (infected.length && !out.some((c) => c.code.startsWith('Z16.'))) {
    const methicillin = out.some((c) => /methicillin resistant/i.test(title(c.code)));
    for (const m of infected.flatMap((c) => c.evidence)) {
      const sentence = input.sentences[m.sentenceIndex];
      if (!sentence || !RESISTANT.test(sentence.text)) continue;
      const named = bestNamed(kb, resistances, NOT_RESISTANCE, new Set(stems(sentence.text)));
      const span = named && nameSpan(sentence, named.name);
      if (!named || !span || (methicillin && named.code === 'Z16.11') || out.some((o) => o.code === named.code)) continue;
      // "grew Escherichia coli (not ESBL)": a resistance the note denies is none.
      if (applyContext(sentence.text, [{ start: span[0] - sentence.start, end: span[1] - sentence.start }], { section: sentence.section })[0]!.negated) continue;
      const detail = `resistance documented: ${title(named.code)}, following the infection code (OCG I.C.1.c)`;
      out.push(derivedCandidate(named.code, [derivedMention(sentence, span[0], span[1], input.note.text, detail, named.code)], 0.7, 'drug_resistance', detail));
      break;
    }
  }
  return { kept: out, dropped };
}
