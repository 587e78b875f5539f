/** Small steps of the connector lifecycle the herder (connector-service.ts) composes. */
import type { ConnectorConfig, ConnectorState } from '../store/store-model.ts';

/**
 * Runs what follows a committed write; if it fails, takes the write back (conditionally, so
 * a newer change is never undone) and rethrows, so a request answered with an error leaves
 * nothing behind. A failed undo keeps the original error.
 */
export async function undoneOnFailure(work: () => Promise<unknown>, undo: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (e) {
    await undo().catch(() => undefined);
    throw e;
  }
}

/** How many task status items may exist: beyond the task configs when tasks were removed. */
export function statusCount(s: ConnectorState): number {
  return Math.max(s.tasks?.configs.length ?? 0, ...s.taskStatuses.map((t) => t.id + 1));
}

/** Equal task configs, whatever order their keys come back from the store in. */
export function sameConfigs(a: readonly ConnectorConfig[], b: readonly ConnectorConfig[]): boolean {
  const canonical = (list: readonly ConnectorConfig[]) => JSON.stringify(list.map((c) => Object.entries(c).sort(([x], [y]) => x.localeCompare(y))));
  return canonical(a) === canonical(b);
}

export function traceOf(e: unknown): string {
  return e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
}
