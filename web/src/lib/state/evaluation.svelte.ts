import { call, client, messageOf, typedRun, type Dataset, type EvalRun } from '../api.ts';
import { runAction } from './action.ts';

const POLL_MS = 1000;

/** A FHIR export is one JSON document with resourceType "Bundle"; anything else is taken as JSONL (the server names a bad line). */
function isFhirBundle(content: string): boolean {
  try {
    return (JSON.parse(content) as { resourceType?: unknown }).resourceType === 'Bundle';
  } catch {
    return false;
  }
}

/** Datasets with their frozen versions and the evaluation runs on them; polls while a run is queued or running. */
export class EvaluationState {
  datasets = $state.raw<Dataset[]>([]);
  runs = $state.raw<EvalRun[]>([]);
  error = $state<string | null>(null);
  /** What the last action did, for a status line ("Froze …", "Imported …"). */
  message = $state<string | null>(null);
  busy = $state(false);
  active = $derived(this.runs.some((r) => r.status === 'queued' || r.status === 'running'));
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  async load(): Promise<void> {
    try {
      const [d, r] = await Promise.all([call(client.api.datasets.$get()), call(client.api.runs.$get())]);
      this.datasets = d.datasets;
      this.runs = r.runs.map(typedRun);
      this.error = null;
    } catch (err) {
      this.error = messageOf(err);
    }
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.active && !this.stopped) this.timer = setTimeout(() => void this.refreshRuns(), POLL_MS);
  }

  private async refreshRuns(): Promise<void> {
    try {
      this.runs = (await call(client.api.runs.$get())).runs.map(typedRun);
    } catch (err) {
      this.error = messageOf(err);
    }
    this.schedule();
  }

  /** Stops polling (the page is gone). */
  dispose(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private act(what: () => Promise<string>): Promise<boolean> {
    return runAction(this, what, () => this.load());
  }

  /** Freezes the current records of `dataset` (e.g. "decisions") as version `name`. */
  freeze(dataset: string, name: string): Promise<boolean> {
    return this.act(async () => {
      const { version } = await call(client.api.datasets[':name'].versions.$post({ param: { name: dataset }, json: { name } }));
      return `Froze ${dataset}@${version.name}: ${version.records} record(s).`;
    });
  }

  /** Imports a JSONL file or a FHIR Bundle (by its content) as a new dataset. */
  import(name: string, file: File): Promise<boolean> {
    return this.act(async () => {
      const content = await file.text();
      const format = isFhirBundle(content) ? 'fhir' : 'jsonl';
      const res = await call(client.api.datasets.import.$post({ json: { name, format, content } }));
      return `Imported ${res.dataset.name} (${format.toUpperCase()}): ${res.version.records} record(s) as ${res.version.name}.`;
    });
  }

  start(datasetVersionId: string, label: string): Promise<boolean> {
    return this.act(async () => {
      const { run } = await call(client.api.runs.$post({ json: { datasetVersionId, label } }));
      return `Started run ${run.label || run.id.slice(0, 8)} on ${run.dataset}@${run.datasetVersion}.`;
    });
  }
}
