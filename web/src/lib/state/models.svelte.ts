import { call, client, messageOf, type LearnedModel } from '../api.ts';
import { runAction } from './action.ts';

/** The learned models (active, candidates, retired) and the QA lead's actions on them. */
export class ModelsState {
  models = $state.raw<LearnedModel[]>([]);
  error = $state<string | null>(null);
  message = $state<string | null>(null);
  busy = $state(false);

  async load(): Promise<void> {
    try {
      const res = await call(client.api.models.$get());
      this.models = res.models;
      this.error = null;
    } catch (err) {
      this.error = messageOf(err);
    }
  }

  private act(what: () => Promise<string>): Promise<boolean> {
    return runAction(this, what, () => this.load());
  }

  /** Learns a candidate from a frozen version of the decisions set (e.g. "2026-12"). */
  learn(version: string): Promise<boolean> {
    return this.act(async () => {
      const { model } = await call(client.api.models.learn.$post({ json: { version } }));
      return `Learned candidate ${model.id} from ${model.training?.records ?? model.notes} notes.`;
    });
  }

  /** Measures a candidate beside the active model on a later frozen version. */
  evaluate(id: string, version: string): Promise<boolean> {
    return this.act(async () => {
      const { model } = await call(client.api.models[':id'].evaluate.$post({ param: { id }, json: { version } }));
      const e = model.metrics?.evaluation;
      return e ? `Evaluated ${model.id} on ${e.version}: F1 ${e.model.f1.toFixed(3)} (active ${e.active.id}: ${e.active.f1.toFixed(3)}).` : `Evaluated ${model.id}.`;
    });
  }

  promote(id: string): Promise<boolean> {
    return this.act(async () => `Promoted ${(await call(client.api.models[':id'].promote.$post({ param: { id } }))).model.id}: new notes use it.`);
  }

  rollback(): Promise<boolean> {
    return this.act(async () => `Rolled back: ${(await call(client.api.models.rollback.$post())).model.id} is active again.`);
  }
}
