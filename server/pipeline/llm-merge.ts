// Between the offline engine and the LLM stage: what the LLM is shown (every candidate that survived the
// rules, grouped by the text that produced it, plus sibling codes so it can choose a more specific one)
// and how its choices become suggestions. Nothing outside these candidates, or outside the code set,
// can come back.
import type { Knowledge } from './knowledge.ts';
import type { LlmMention, LlmSelectInput, LlmSelectResult } from './llm-select.ts';
import type { EngineResult, EngineVersions } from './run.ts';
import type { NoteInput, Suggestion } from './types.ts';

const MAX_SIBLINGS = 8;

export function toLlmInput(note: NoteInput, offline: EngineResult, kb: Knowledge): LlmSelectInput {
  const groups = new Map<string, LlmMention>();
  for (const c of offline.ranked) {
    const m = c.evidence[0]!;
    const key = `${m.span.start}:${m.span.end}`;
    let group = groups.get(key);
    if (!group) {
      group = { id: `m${groups.size + 1}`, sentenceIndex: m.sentenceIndex, start: m.span.start, end: m.span.end, quote: m.span.quote, candidates: [] };
      groups.set(key, group);
    }
    const add = (code: string) => {
      const info = kb.codes.get(code);
      if (!info || group!.candidates.some((x) => x.code === code)) return;
      group!.candidates.push({ system: 'ICD10CM', code, description: info.title });
    };
    add(c.code);
    const parent = kb.codes.get(c.code)?.parent;
    for (const sibling of (parent ? kb.children.get(parent) : undefined)?.filter((s) => kb.codes.get(s)?.billable).slice(0, MAX_SIBLINGS) ?? []) add(sibling);
  }
  return {
    text: note.text,
    sentences: offline.sentences.map((s) => ({ index: s.index, start: s.start, end: s.end, text: s.text })),
    mentions: [...groups.values()],
    setting: note.encounter.setting,
  };
}

export function mergeLlmSelections(
  note: NoteInput,
  offline: EngineResult,
  llm: Extract<LlmSelectResult, { status: 'ok' }>,
  kb: Knowledge,
  versions: EngineVersions,
): Suggestion[] {
  void note;
  const out: Suggestion[] = [];
  const seen = new Set<string>();
  for (const s of llm.selections) {
    const info = kb.codes.get(s.code);
    if (!info || seen.has(s.code)) continue; // a code outside the release never reaches a coder
    seen.add(s.code);
    const source = offline.ranked.find((c) => c.code === s.code) ?? offline.ranked.find((c) => c.evidence.some((m) => m.span.start <= s.start && m.span.end >= s.end));
    out.push({
      system: 'ICD10CM',
      code: s.code,
      description: info.title,
      evidence: [{ start: s.start, end: s.end, quote: s.quote }],
      context: source?.context ?? { negated: false, uncertain: false, historical: false, family: false, hypothetical: false },
      confidence: Math.max(0, Math.min(1, s.confidence)),
      kind: info.billable ? 'final' : 'needs_specificity',
      rationale: {
        matched: source?.evidence[0]?.termText ?? s.quote,
        matchKind: 'llm',
        rules: [...(source?.rules ?? []), { rule: 'llm_selected', detail: s.rationale.slice(0, 500) }],
        reminders: source?.reminders ?? [],
      },
      source: 'llm',
      versions: { engine: versions.engine, prompt: `${llm.prompt.name}.${llm.prompt.version}#${llm.prompt.hash.slice(0, 16)}`, model: llm.model, embedder: versions.embedder },
    });
  }
  return out.sort((a, b) => b.confidence - a.confidence);
}
