/**
 * Run-time task reconfiguration. In Kafka Connect a connector lives as long as it runs and
 * calls `context.requestTaskReconfiguration()` when its task split changes (the JDBC source
 * when tables appear or disappear). In Tributary a connector instance only lives while its
 * tasks are planned, so nothing would hear that call; instead the monitor plans a RUNNING
 * connector's tasks again, periodically, and when the task configs differ from the stored
 * ones it stores them as a new generation and starts every task afresh, as Connect's herder
 * does after a reconfiguration request.
 */
import type { Orchestrator } from '../orchestrator/orchestrator-port.ts';
import { adoptOrStartTasks } from '../orchestrator/orchestrator-port.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import { isRetriable, traceOf } from '../runtime/runtime-errors.ts';
import type { Logger } from '../observability/structured-logger.ts';
import type { ControlStore } from '../store/store-ports.ts';
import { StoreConflictError } from '../store/store-errors.ts';
import type { ConnectorConfig, ConnectorState } from '../store/store-model.ts';
import { planTasks } from './task-planner.ts';

export interface ConnectorMonitorDeps {
  readonly store: ControlStore;
  readonly registry: PluginRegistry;
  readonly orchestrator: Orchestrator;
  /** This component's name in connector statuses. */
  readonly workerId: string;
  readonly log?: Logger;
}

/**
 * `reconfigured`: new task configs were stored as a new generation and the tasks restarted;
 * `unchanged`: planning gave the stored task configs; `skipped`: nothing was checked or
 * stored (not RUNNING, deleted, unknown plugin, a change in progress, planning failed, or a
 * concurrent change won the race).
 */
export type MonitorOutcome = 'unchanged' | 'reconfigured' | 'skipped';

export interface MonitorResult {
  readonly connector: string;
  readonly outcome: MonitorOutcome;
}

export class ConnectorMonitor {
  constructor(private readonly deps: ConnectorMonitorDeps) {}

  /** Checks every connector in turn; one connector's failure never stops the others. */
  async checkAll(): Promise<MonitorResult[]> {
    const out: MonitorResult[] = [];
    for (const connector of await this.deps.store.listConnectors()) {
      try {
        out.push({ connector, outcome: await this.check(connector) });
      } catch (e) {
        this.deps.log?.error('Checking the task configs of a connector failed', { connector, error: (e as Error).message });
        out.push({ connector, outcome: 'skipped' });
      }
    }
    return out;
  }

  /** Plans a RUNNING connector's tasks again and, when they changed, stores and starts them as a new generation. */
  async check(name: string): Promise<MonitorOutcome> {
    const { store, registry, workerId, log } = this.deps;
    const s = await store.getState(name);
    if (!s || s.connector.targetState !== 'RUNNING') return 'skipped';
    // Task configs of an older generation mean a config change is being written right now.
    if (s.tasks && s.tasks.generation !== s.connector.generation) return 'skipped';
    const { config } = s.connector;
    const descriptor = registry.find(config['connector.class'] ?? '', ['source', 'sink']);
    if (!descriptor) return 'skipped';

    let taskConfigs: ConnectorConfig[];
    try {
      taskConfigs = await planTasks(descriptor, config);
    } catch (e) {
      await this.planningFailed(s, e);
      return 'skipped';
    }
    if (sameConfigs(taskConfigs, s.tasks?.configs ?? [])) {
      // A failure reported by an earlier check is over once planning works again.
      if (s.status?.state === 'FAILED' && s.status.workerId === workerId) await this.connectorRunning(name, s.connector.generation, s.connector.version);
      return 'unchanged';
    }

    let next;
    try {
      next = await store.updateConfig(s.connector, { config, taskConfigs, previousTaskCount: statusCount(s), workerId });
    } catch (e) {
      // Someone else changed the connector since we read it; their change restarts the tasks.
      if (e instanceof StoreConflictError) return 'skipped';
      throw e;
    }
    log?.info('Task configs changed at run time; restarting the tasks as a new generation', {
      connector: name,
      generation: next.generation,
      tasksBefore: s.tasks?.configs.length ?? 0,
      tasksAfter: taskConfigs.length,
    });
    await this.connectorRunning(name, next.generation, next.version);
    await adoptOrStartTasks(store, this.deps.orchestrator, name, s, taskConfigs.length);
    return 'reconfigured';
  }

  /**
   * A database that is briefly unreachable is tried again at the next check, with the tasks
   * left running. Anything else (e.g. two tables now sharing a topic name) fails the connector,
   * as Connect does when a connector raises an error; its tasks keep running.
   */
  private async planningFailed(s: ConnectorState, e: unknown): Promise<void> {
    const name = s.connector.name;
    if (isRetriable(e)) {
      this.deps.log?.warn('Planning tasks failed; will try again at the next check', { connector: name, error: (e as Error).message });
      return;
    }
    this.deps.log?.error('Planning tasks failed; marking the connector FAILED', { connector: name, error: (e as Error).message });
    await this.deps.store.putConnectorStatus(
      name,
      { state: 'FAILED', workerId: this.deps.workerId, generation: s.connector.generation, trace: traceOf(e) },
      { expectedVersion: s.connector.version },
    );
  }

  private connectorRunning(name: string, generation: number, version: number): Promise<void> {
    return this.deps.store.putConnectorStatus(name, { state: 'RUNNING', workerId: this.deps.workerId, generation }, { expectedVersion: version });
  }
}

/** How many task status items may exist: beyond the task configs when tasks were removed. */
function statusCount(s: ConnectorState): number {
  return Math.max(s.tasks?.configs.length ?? 0, ...s.taskStatuses.map((t) => t.id + 1));
}

/** Equal task configs, whatever order their keys come back from the store in. */
function sameConfigs(a: readonly ConnectorConfig[], b: readonly ConnectorConfig[]): boolean {
  const canonical = (list: readonly ConnectorConfig[]) => JSON.stringify(list.map((c) => Object.entries(c).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))));
  return canonical(a) === canonical(b);
}
