// The engine as a service: picks the ICD-10-CM release for the note's date of service, loads its knowledge
// once per process (shared with learning and model evaluation), retrieves codes for the phrases the dictionary
// left over, applies the learned model chosen for the note (the active one, see models/live-suggester.ts),
// and — when an LLM is configured — lets it choose among the candidates (never beyond them), falling back to
// the offline result on any fault.
import { loadConfig, type Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { versionFor } from '../db/queries/code-sets.ts';
import { loadActiveLearnedModel } from '../db/queries/learned.ts';
import { createLlmClient, llmConfigFrom, type LlmClient } from '../llm/client.ts';
import { logger } from '../logger.ts';
import type { Suggester } from '../notes/suggester.ts';
import type { Embedder } from '../index/embedder.ts';
import { loadConfiguredEmbedder, openConfiguredDatabase } from '../setup.ts';
import { sharedCptKnowledge, sharedKnowledge, sharedProcedureKnowledge, sharedRetriever } from '../db/queries/knowledge-cache.ts';
import type { CptKnowledge } from './professional/cpt-file.ts';
import type { ProcedureKnowledge } from './procedures.ts';
import type { LearnedModel } from './learned.ts';
import { calibrate, loadCalibration, type Calibration } from './calibration.ts';
import type { ExternalCausePolicy } from './guidelines/external-causes.ts';
import { hasDiagnosticStatement } from './guidelines/sections.ts';
import { mergeLlmSelections, toLlmInput } from './llm-merge.ts';
import { selectWithLlm } from './llm-select.ts';
import { ENGINE_VERSION, suggestWithRetrieval } from './run.ts';
import { loadProfessionalDeps, withProfessionalCoding, type ProfessionalDeps } from './professional/professional-coding.ts';
import type { NoteInput } from './types.ts';

const RELEASE_TTL_MS = 1_000;

export interface SuggesterOptions {
  llm?: LlmClient | null;
  /** Re-ranks retrieval by meaning (hybrid); without it retrieval is lexical only. */
  embedder?: Embedder | null;
  /** Maps the shown diagnosis confidences (default: the shipped curve; null: raw, as fitting needs). */
  calibration?: Calibration | null;
  /**
   * The learned model a note is coded with, read once per note (models/live-suggester.ts follows the active
   * one). Default: the model active when the suggester is created.
   */
  model?: () => Promise<LearnedModel | null>;
  /** Which encounters get chapter 20 external cause codes (the site's EXTERNAL_CAUSE_CODES; default inpatient). */
  externalCauses?: ExternalCausePolicy;
}

const versionOf = (model: LearnedModel | null) => (model ? `${ENGINE_VERSION}+${model.id}` : ENGINE_VERSION);

/** A suggester over an open database (the server shares its connection). */
export async function createSuggester(db: Db, options: SuggesterOptions = {}): Promise<Suggester & { readonly model: LearnedModel | null }> {
  let modelFor = options.model;
  if (!modelFor) {
    const fixed = await loadActiveLearnedModel(db);
    modelFor = async () => fixed;
  }
  // The model of the last note begun: what `engineVersion` reports (each result carries its own).
  let lastModel = await modelFor();
  if (!lastModel) logger.warn('no learned model: confidences are heuristic (run `npm run medcode -- learn --from codiesp …`)');
  const embedder = options.embedder?.modelId ?? null;
  const curves = options.calibration === undefined ? loadCalibration() : options.calibration;
  // Which release is in force on a date is read once a second at most (two queries per note otherwise;
  // a newly loaded release is picked up within RELEASE_TTL_MS).
  const releases = new Map<string, { at: number; release: ReturnType<typeof versionFor> }>();
  const releaseFor = (system: 'ICD10CM' | 'ICD10PCS' | 'CPT', dateOfService: string) => {
    const key = `${system}|${dateOfService}`;
    const hit = releases.get(key);
    if (hit && performance.now() - hit.at < RELEASE_TTL_MS) return hit.release;
    if (releases.size > 10_000) releases.clear();
    const release = versionFor(db, system, dateOfService);
    releases.set(key, { at: performance.now(), release });
    release.catch(() => releases.delete(key)); // a failed read is retried by the next note
    return release;
  };
  /**
   * The ICD-10-PCS release in force on the date of service, if one is loaded (else no procedure suggestions).
   * Procedures are an addition: when they cannot be loaded the note still gets its diagnoses, with a warning.
   */
  const procedureKnowledgeFor = async (dateOfService: string, warnings: string[]): Promise<ProcedureKnowledge | undefined> => {
    try {
      const release = await releaseFor('ICD10PCS', dateOfService);
      return release ? await sharedProcedureKnowledge(db, release) : undefined;
    } catch (e) {
      warnings.push(`procedure codes (ICD-10-PCS) unavailable: ${(e as Error).message}`);
      return undefined;
    }
  };
  const diagnosisSuggester = {
    async suggest(note: NoteInput, model: LearnedModel | null) {
      const versions = { engine: versionOf(model), embedder };
      const warnings: string[] = [];
      const release = await releaseFor('ICD10CM', note.encounter.dateOfService);
      if (!release) throw new Error(`no ICD-10-CM release is loaded for date of service ${note.encounter.dateOfService}`);
      if (release.stale) warnings.push(`date of service ${note.encounter.dateOfService} is after ICD-10-CM ${release.version} ends (${release.effectiveTo}); load the newer release`);
      const kb = await sharedKnowledge(db, release);
      const retrieve = sharedRetriever(kb, options.embedder ?? null);
      const procedures = note.encounter.setting === 'inpatient' ? await procedureKnowledgeFor(note.encounter.dateOfService, warnings) : undefined;
      const offline = await suggestWithRetrieval(note, kb, model, versions, retrieve, { procedures, externalCauses: options.externalCauses });
      if (curves) {
        const curve = hasDiagnosticStatement({ sentences: offline.sentences }) ? curves.assessed : curves.narrative;
        offline.suggestions = offline.suggestions.map((s) => (s.system === 'ICD10CM' && s.source === 'offline' ? { ...s, confidence: calibrate(curve, s.confidence) } : s));
      }
      if (!options.llm) return { suggestions: offline.suggestions, warnings };
      const input = toLlmInput(note, offline, kb);
      if (input.mentions.length === 0) return { suggestions: offline.suggestions, warnings };
      const llm = await selectWithLlm(input, options.llm);
      if (llm.status === 'fallback') {
        warnings.push(`LLM stage unavailable (${llm.reason} after ${llm.attempts} attempt(s)): offline suggestions kept`);
        return { suggestions: offline.suggestions, warnings };
      }
      const dropped = Object.entries(llm.dropped).filter(([, n]) => n > 0);
      if (dropped.length) warnings.push(`LLM output dropped: ${dropped.map(([k, n]) => `${n} ${k}`).join(', ')}`);
      // The LLM chooses among diagnosis candidates; procedure codes stay the offline engine's.
      const procedureSuggestions = offline.suggestions.filter((s) => s.system === 'ICD10PCS');
      return { suggestions: [...mergeLlmSelections(note, offline, llm, kb, versions), ...procedureSuggestions], warnings };
    },
  };
  // CPT E/M and HCPCS lines plus claim checks (server/pipeline/professional/); a fault there keeps the diagnoses.
  // Their tables (HCPCS drugs, MUE/AOC/MCE/HCC) are read once here, not on the first note, and a failed read
  // is reported on every note rather than retried per note.
  let professional: ProfessionalDeps | null = null;
  let professionalFault: string | null = null;
  try {
    professional = loadProfessionalDeps();
  } catch (e) {
    professionalFault = (e as Error).message;
    logger.warn({ err: professionalFault }, 'professional coding tables unavailable: no CPT/HCPCS suggestions');
  }
  // The licensed CPT release in force on the date of service, if one was imported (codes import-cpt): CPT
  // procedure lines need it; E/M and HCPCS lines do not.
  const cptFor = async (dateOfService: string): Promise<CptKnowledge | null> => {
    const release = await releaseFor('CPT', dateOfService);
    return release ? sharedCptKnowledge(db, release) : null;
  };
  return {
    get engineVersion() {
      return versionOf(lastModel);
    },
    get model() {
      return lastModel;
    },
    async suggest(note: NoteInput) {
      const model = (lastModel = await modelFor());
      const engineVersion = versionOf(model);
      const { suggestions, warnings } = await diagnosisSuggester.suggest(note, model);
      if (!professional) return { suggestions, warnings: [...warnings, `professional coding (CPT/HCPCS) unavailable: ${professionalFault}`], engineVersion };
      try {
        const cpt = note.encounter.setting === 'inpatient' ? null : await cptFor(note.encounter.dateOfService);
        const shown = [...warnings];
        return { suggestions: withProfessionalCoding(note, suggestions, { ...professional, cpt }, { engine: engineVersion, embedder, prompt: null, model: null }, shown), warnings: shown, engineVersion };
      } catch (e) {
        return { suggestions, warnings: [...warnings, `professional coding (CPT/HCPCS) unavailable: ${(e as Error).message}`], engineVersion };
      }
    },
  };
}

/** A suggester with its own database connection (CLI, eval). Close it to release the embedded database. */
export async function createOfflineSuggester(config: Config = loadConfig()): Promise<Suggester & { close(): Promise<void> }> {
  const database = await openConfiguredDatabase(config);
  const llmConfig = llmConfigFrom(config);
  const suggester = await createSuggester(database.db, { llm: llmConfig ? createLlmClient(llmConfig) : null, embedder: await loadConfiguredEmbedder(config), externalCauses: config.EXTERNAL_CAUSE_CODES });
  return { engineVersion: suggester.engineVersion, suggest: (n) => suggester.suggest(n), close: () => database.close() };
}
