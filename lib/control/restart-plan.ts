/**
 * Restart requests (POST /connectors/{name}/restart and .../tasks/{id}/restart), as Connect's
 * RestartPlan: which instances a request covers, and carrying it out. Restarting the connector
 * plans its tasks again; task configs that changed become a new generation, which restarts
 * every task. A paused or stopped connector stays as it is.
 */
import type { Orchestrator } from '../orchestrator/orchestrator-port.ts';
import { adoptOrStartTasks, startTaskExecution } from '../orchestrator/orchestrator-port.ts';
import { StoreConflictError } from '../store/store-errors.ts';
import type { ConnectorConfig, ConnectorState } from '../store/store-model.ts';
import type { ControlStore } from '../store/store-ports.ts';
import { NotFoundError } from './control-errors.ts';
import { sameConfigs, statusCount, traceOf } from './lifecycle-steps.ts';

/** What a restart request covers: the connector and which tasks. */
export interface RestartPlan {
  readonly connector: boolean;
  readonly tasks: readonly number[];
}

export interface RestartContext {
  readonly store: ControlStore;
  readonly orchestrator: Orchestrator;
  readonly workerId: string;
  /** Plans the connector's tasks afresh from its config. */
  planTasks(config: ConnectorConfig): Promise<ConnectorConfig[]>;
}

/** Which instances a restart covers: the connector unless `onlyFailed` and it has not failed; with `includeTasks`, its (failed) tasks. */
export function restartPlan(s: ConnectorState, opts: { includeTasks: boolean; onlyFailed: boolean }): RestartPlan {
  const tasks: number[] = [];
  if (opts.includeTasks) {
    for (let id = 0; id < (s.tasks?.configs.length ?? 0); id++) {
      if (!opts.onlyFailed || s.taskStatuses.find((t) => t.id === id)?.state === 'FAILED') tasks.push(id);
    }
  }
  return { connector: !opts.onlyFailed || s.status?.state === 'FAILED', tasks };
}

/** Carries out `plan` on a RUNNING connector (anything else stays as it is). */
export async function executeRestart(ctx: RestartContext, s: ConnectorState, plan: RestartPlan): Promise<void> {
  if (s.connector.targetState !== 'RUNNING') return;
  const reconfigured = plan.connector && (await restartConnector(ctx, s));
  if (reconfigured) return;
  for (const id of plan.tasks) await restartTask(ctx, s, id);
}

/** Restarts one task: a new execution with a new epoch fences the old runner. NotFoundError for a task the connector does not have. */
export async function restartTask(ctx: RestartContext, s: ConnectorState, task: number): Promise<void> {
  const name = s.connector.name;
  if (!Number.isInteger(task) || task < 0 || task >= (s.tasks?.configs.length ?? 0)) throw new NotFoundError(`Unknown task: ${name}-${task}`);
  if (s.connector.targetState !== 'RUNNING') return;
  await ctx.store.putTaskStatus(name, task, { state: 'RESTARTING', workerId: ctx.workerId, generation: s.connector.generation });
  await startTaskExecution(ctx.store, ctx.orchestrator, name, task);
}

/** Plans the tasks again; true when their configs changed and were stored as a new generation (which restarts them all). */
async function restartConnector(ctx: RestartContext, s: ConnectorState): Promise<boolean> {
  const { store, workerId } = ctx;
  const { name, config, generation, version } = s.connector;
  let configs: ConnectorConfig[];
  try {
    configs = await ctx.planTasks(config);
  } catch (e) {
    await store.putConnectorStatus(name, { state: 'FAILED', workerId, generation, trace: traceOf(e) }, { expectedVersion: version });
    return false;
  }
  if (sameConfigs(configs, s.tasks?.configs ?? [])) {
    await store.putConnectorStatus(name, { state: 'RUNNING', workerId, generation }, { expectedVersion: version });
    return false;
  }
  let next;
  try {
    next = await store.updateConfig(s.connector, { config, taskConfigs: configs, previousTaskCount: statusCount(s), workerId });
  } catch (e) {
    // A concurrent change won: it stored a newer generation and restarts the tasks itself.
    if (e instanceof StoreConflictError) return true;
    throw e;
  }
  await store.putConnectorStatus(name, { state: 'RUNNING', workerId, generation: next.generation }, { expectedVersion: next.version });
  await adoptOrStartTasks(store, ctx.orchestrator, name, s, configs.length);
  return true;
}
