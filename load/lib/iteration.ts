// One iteration of a scenario, the same in both runners: a flow that throws is a failed check
// `<scenario>: iteration completed` and an `iteration_errors` count (gated at count==0 in every
// profile), and its message is reported, so a crashing flow can never look like a quiet one.
import type { Flow, FlowContext, LoadClient } from './client.js';

export const iterationCheck = (scenario: string) => `${scenario}: iteration completed`;

/** A failing flow must not spin: it pauses this long before its next attempt. */
export const FAILURE_BACKOFF_S = 1;

export const errorMessage = (err: unknown): string => {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  if (err && typeof err === 'object' && 'value' in err) return String((err as { value: unknown }).value); // goja's wrapped exceptions
  return String(err);
};

/** Runs the flow; on a throw records the failure through `onError` and backs off. Never throws. */
export async function runIteration(
  scenario: string,
  flow: Flow,
  client: LoadClient,
  ctx: FlowContext,
  onError: (message: string) => void,
  stopped: () => boolean = () => false,
): Promise<boolean> {
  try {
    await flow(client, ctx);
    client.check(iterationCheck(scenario), true);
    return true;
  } catch (err) {
    // A run being torn down aborts in-flight requests: that is the runner stopping, not the flow failing.
    if (stopped()) return false;
    client.check(iterationCheck(scenario), false);
    onError(errorMessage(err));
    await client.sleep(FAILURE_BACKOFF_S);
    return false;
  }
}
