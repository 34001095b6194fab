import { messageOf } from '../api.ts';

/** The status fields a panel shows around a user's action (reactive when they are $state fields). */
export interface ActionStatus {
  busy: boolean;
  message: string | null;
  error: string | null;
}

/**
 * Runs a panel's action: busy while it runs, then its result line (or the server's error) shown and the
 * panel reloaded. Resolves whether it succeeded (a form clears its inputs then).
 */
export async function runAction(status: ActionStatus, what: () => Promise<string>, reload: () => Promise<void>): Promise<boolean> {
  status.busy = true;
  try {
    status.message = await what();
    status.error = null;
    await reload();
    return true;
  } catch (err) {
    status.error = messageOf(err);
    return false;
  } finally {
    status.busy = false;
  }
}
