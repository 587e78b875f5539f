/**
 * What the source-loop and sink-loop tests run a worker as: a one-task connector RUNNING in an
 * in-memory store, its task's lease claimed, and the slice options they vary.
 */
import type { SliceOptions, TaskIdentity } from '../../../lib/runtime/task-worker.ts';
import type { MemoryConnectorStore } from '../../../lib/store/memory-connector-store.ts';

/** Creates the connector and claims its task's lease; returns the identity of the runner holding it. */
export async function leasedTask(store: MemoryConnectorStore, name: string, type: 'source' | 'sink', config: Record<string, string>): Promise<TaskIdentity> {
  await store.createConnector({ name, config, type, targetState: 'RUNNING', taskConfigs: [{}], workerId: 'w' });
  const epoch = await store.claimLease(name, 0, 'exec-1');
  return { connector: name, task: 0, epoch, generation: 1, taskCount: 1, connectorConfig: config, taskConfig: {}, workerId: 'unit' };
}

/** A slice of ten seconds that commits on its record bound, not its interval. */
export const sliceOptions = (commitMaxRecords: number, over: Partial<SliceOptions> = {}): SliceOptions => ({
  deadline: Date.now() + 10_000,
  idleMs: 50,
  commitIntervalMs: 60_000,
  commitMaxRecords,
  shouldStop: () => false,
  ...over,
});
