// Re-levels an E/M line when the coder changes an MDM element: the engine's own table (server/pipeline/
// professional/em-table.ts, imported into the web build — one table, not a copy) and its two-of-three rule.
import { combineMdm, EM_TABLE, emRowFor, MDM_LEVELS, type MdmLevel } from '../../../server/pipeline/professional/em-table.ts';
import type { Suggestion } from './api.ts';

export { MDM_LEVELS, type MdmLevel };
export type EmPanelData = NonNullable<NonNullable<Suggestion['rationale']['line']>['em']>;
export const MDM_ELEMENTS = ['problems', 'data', 'risk'] as const;
export type MdmElementName = (typeof MDM_ELEMENTS)[number];
export type ElementLevels = Record<MdmElementName, MdmLevel>;

/** The engine's element levels, or null when the visit is not levelled by MDM (preventive, post-op, discharge). */
export function engineLevels(em: EmPanelData): ElementLevels | null {
  if (!em.problems || !em.data || !em.risk) return null;
  return { problems: em.problems.level, data: em.data.level, risk: em.risk.level };
}

/**
 * The code the visit reaches with these element levels, documented total time being the alternative basis.
 * Example: office established, problems moderate / data limited→moderate / risk moderate → MDM moderate → 99214.
 */
export function relevel(em: EmPanelData, levels: ElementLevels): { code: string; mdm: MdmLevel; basis: 'mdm' | 'time'; label: string } | null {
  const mdm = combineMdm(levels.problems, levels.data, levels.risk);
  const picked = emRowFor(em.family, mdm, em.totalMinutes);
  return picked ? { code: picked.row.code, mdm, basis: picked.basis, label: EM_TABLE[em.family].label } : null;
}
