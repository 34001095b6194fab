/** A code found by one or both rankings, with what matched and where it ranked (1-based; null = not found). */
export interface RankedHit {
  code: string;
  system: string;
  description: string;
  billable: boolean;
  matchedText: string;
  matchedKind: string;
  lexicalRank: number | null;
  vectorRank: number | null;
  score: number;
}

/** One row of a ranking: a code and the text of it that matched. */
export interface Ranked {
  code: string;
  system: string;
  description: string;
  billable: boolean;
  text: string;
  kind: string;
  /** The ranking's own score; for lexical rows, lexicalScore in [0, 1]. */
  score: number;
}

/** Reciprocal rank fusion constant (Cormack et al. 2009): damps the head so agreement between rankings wins. */
export const RRF_K = 60;

/**
 * Fuses a lexical and a vector ranking of codes by reciprocal rank, lexical ranks weighted by match quality. The matched text shown is the
 * lexical match when there is one (it contains the query's words), else the nearest vector text.
 * Ties prefer billable codes, then 7th character "A" (initial encounter), then the shorter code.
 */
export function fuseRankings(lexical: Ranked[], vector: Ranked[]): RankedHit[] {
  const hits = new Map<string, RankedHit>();
  const add = (list: Ranked[], which: 'lexicalRank' | 'vectorRank') => {
    list.forEach((r, i) => {
      const key = `${r.system}:${r.code}`;
      let hit = hits.get(key);
      if (!hit) {
        hit = {
          code: r.code,
          system: r.system,
          description: r.description,
          billable: r.billable,
          matchedText: r.text,
          matchedKind: r.kind,
          lexicalRank: null,
          vectorRank: null,
          score: 0,
        };
        hits.set(key, hit);
      }
      if (hit[which] != null) return;
      hit[which] = i + 1;
      // A lexical hit counts in proportion to its match quality (lexicalScore, in [0, 1]): a row that
      // shares one word of four with the query should not outvote a close neighbour in meaning.
      const weight = which === 'lexicalRank' ? Math.min(1, Math.max(0, r.score)) : 1;
      hit.score += weight / (RRF_K + i + 1);
    });
  };
  add(lexical, 'lexicalRank');
  add(vector, 'vectorRank');
  return [...hits.values()].sort(
    (a, b) =>
      b.score - a.score ||
      Number(b.billable) - Number(a.billable) ||
      Number(initialEncounter(b.code)) - Number(initialEncounter(a.code)) ||
      a.code.length - b.code.length ||
      a.code.localeCompare(b.code),
  );
}

const initialEncounter = (code: string) => code.length === 8 && code.endsWith('A');
