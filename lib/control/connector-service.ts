/**
 * The control plane, Tributary's herder: connector lifecycle on top of the store and the
 * orchestrator. Every change is validated first, stored with optimistic concurrency, and
 * then turned into task executions.
 */
import type { Orchestrator } from '../orchestrator/orchestrator-port.ts';
import { startTaskExecution } from '../orchestrator/orchestrator-port.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import type { PluginDescriptor } from '../plugins/plugin-types.ts';
import type { DynamoConnectorStore } from '../store/dynamo-connector-store.ts';
import { StoreConflictError } from '../store/store-errors.ts';
import type { ConnectorConfig, ConnectorRecord, ConnectorState, ConnectorType, TargetState } from '../store/store-model.ts';
import { AlreadyExistsError, BadRequestError, ConflictError, NotFoundError } from './control-errors.ts';
import { validateConnectorConfig, validationMessage, type ConfigInfos } from './connector-validator.ts';
import { planTasks } from './task-planner.ts';

export interface ControlDeps {
  readonly store: DynamoConnectorStore;
  readonly registry: PluginRegistry;
  readonly orchestrator: Orchestrator;
  /** This control plane's name in connector statuses. */
  readonly workerId: string;
}

export interface ConnectorInfo {
  readonly name: string;
  readonly config: ConnectorConfig;
  readonly tasks: { connector: string; task: number }[];
  readonly type: ConnectorType;
}

export class ConnectorService {
  constructor(private readonly deps: ControlDeps) {}

  get registry(): PluginRegistry {
    return this.deps.registry;
  }

  list(): Promise<string[]> {
    return this.deps.store.listConnectors();
  }

  async state(name: string): Promise<ConnectorState> {
    const s = await this.deps.store.getState(name);
    if (!s) throw new NotFoundError(`Connector ${name} not found`);
    return s;
  }

  info(s: ConnectorState): ConnectorInfo {
    return {
      name: s.connector.name,
      config: s.connector.config,
      tasks: (s.tasks?.configs ?? []).map((_, task) => ({ connector: s.connector.name, task })),
      type: s.connector.type,
    };
  }

  /** Finds the connector plugin named by `connector.class`, or a 400 listing the available ones. */
  connectorPlugin(config: ConnectorConfig): PluginDescriptor {
    const cls = config['connector.class'];
    if (cls === undefined || cls.trim() === '') throw new BadRequestError(`Connector config ${renderConfig(config)} contains no connector type`);
    const d = this.deps.registry.find(cls, ['source', 'sink']);
    if (!d) {
      const available = this.deps.registry.list(['source', 'sink']).map((p) => p.className).join(', ');
      throw new BadRequestError(`Failed to find any class that implements Connector and which name matches ${cls}, available connectors are: ${available}`);
    }
    return d;
  }

  async validate(config: ConnectorConfig): Promise<ConfigInfos> {
    return validateConnectorConfig(this.deps.registry, this.connectorPlugin(config), config);
  }

  /** Validates, plans tasks and stores; 400 on invalid config, 409 if the name is taken. */
  async create(name: string, config: ConnectorConfig, initialState: TargetState = 'RUNNING'): Promise<ConnectorInfo> {
    const { descriptor, taskConfigs } = await this.prepare(config);
    if (await this.deps.store.getConnector(name)) throw new AlreadyExistsError(`Connector ${name} already exists`);
    try {
      await this.deps.store.createConnector({ name, config, type: descriptor.type as ConnectorType, targetState: initialState, taskConfigs, workerId: this.deps.workerId });
    } catch (e) {
      if (e instanceof StoreConflictError) throw new AlreadyExistsError(`Connector ${name} already exists`);
      throw e;
    }
    if (initialState === 'RUNNING') {
      await this.deps.store.putConnectorStatus(name, { state: 'RUNNING', workerId: this.deps.workerId, generation: 1 });
      await this.startTasks(name, taskConfigs.length);
    }
    return { name, config, tasks: taskConfigs.map((_, task) => ({ connector: name, task })), type: descriptor.type as ConnectorType };
  }

  /** PUT config: creates when absent (returns created=true), else stores a new generation and restarts its tasks. */
  async putConfig(name: string, config: ConnectorConfig): Promise<{ created: boolean; info: ConnectorInfo }> {
    const current = await this.deps.store.getState(name);
    if (!current) {
      try {
        return { created: true, info: await this.create(name, config) };
      } catch (e) {
        if (e instanceof AlreadyExistsError) throw new ConflictError(`Connector ${name} was created concurrently`);
        throw e;
      }
    }
    const { descriptor, taskConfigs } = await this.prepare(config);
    let next: ConnectorRecord;
    try {
      next = await this.deps.store.updateConfig(current.connector, {
        config,
        taskConfigs,
        previousTaskCount: Math.max(current.tasks?.configs.length ?? 0, current.taskStatuses.length),
        workerId: this.deps.workerId,
      });
    } catch (e) {
      if (e instanceof StoreConflictError) throw new ConflictError(`Connector ${name} was updated concurrently; try again`, { cause: e });
      throw e;
    }
    if (next.targetState === 'RUNNING') await this.startTasks(name, taskConfigs.length);
    return { created: false, info: { name, config, tasks: next.targetState === 'STOPPED' ? [] : taskConfigs.map((_, task) => ({ connector: name, task })), type: descriptor.type as ConnectorType } };
  }

  /** PATCH config: merges, a null deletes a key; 404 when absent. */
  async patchConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    const current = await this.state(name);
    const merged: ConnectorConfig = { ...current.connector.config };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    return (await this.putConfig(name, merged)).info;
  }

  async pause(name: string): Promise<void> {
    await this.setTarget(name, 'PAUSED');
  }

  async resume(name: string): Promise<void> {
    await this.setTarget(name, 'RUNNING');
  }

  async stop(name: string): Promise<void> {
    await this.setTarget(name, 'STOPPED');
  }

  async delete(name: string): Promise<void> {
    try {
      await this.deps.store.deleteConnector(name);
    } catch (e) {
      if (e instanceof StoreConflictError) throw new NotFoundError(`Connector ${name} not found`);
      throw e;
    }
  }

  async resetTopics(name: string): Promise<void> {
    await this.state(name);
    await this.deps.store.resetTopics(name);
  }

  /** Restarts one task: a new execution with a new epoch fences the old runner. */
  async restartTask(name: string, task: number): Promise<void> {
    const s = await this.state(name);
    if (!s.tasks || task < 0 || task >= s.tasks.configs.length) throw new NotFoundError(`Task ${name}-${task} not found`);
    if (s.connector.targetState !== 'RUNNING') return;
    await this.deps.store.putTaskStatus(name, task, { state: 'RESTARTING', workerId: this.deps.workerId, generation: s.connector.generation });
    await this.startTask(name, task);
  }

  /**
   * Restarts the connector and, with `includeTasks`, its tasks (only the failed ones with
   * `onlyFailed`). Returns which tasks were restarted.
   */
  async restart(name: string, opts: { includeTasks: boolean; onlyFailed: boolean }): Promise<{ connectorRestarted: boolean; tasks: number[] }> {
    const s = await this.state(name);
    const connectorFailed = s.status?.state === 'FAILED';
    const restartConnector = !opts.onlyFailed || connectorFailed;
    if (restartConnector && s.connector.targetState === 'RUNNING') {
      await this.deps.store.putConnectorStatus(name, { state: 'RUNNING', workerId: this.deps.workerId, generation: s.connector.generation });
    }
    const tasks: number[] = [];
    if (opts.includeTasks && s.connector.targetState === 'RUNNING') {
      for (let id = 0; id < (s.tasks?.configs.length ?? 0); id++) {
        const st = s.taskStatuses.find((t) => t.id === id);
        if (opts.onlyFailed && st?.state !== 'FAILED') continue;
        await this.deps.store.putTaskStatus(name, id, { state: 'RESTARTING', workerId: this.deps.workerId, generation: s.connector.generation });
        await this.startTask(name, id);
        tasks.push(id);
      }
    }
    return { connectorRestarted: restartConnector, tasks };
  }

  /** Starts an execution for every task of the connector (host start-up, resume). */
  async startTasks(name: string, count: number): Promise<void> {
    for (let task = 0; task < count; task++) await this.startTask(name, task);
  }

  private async startTask(name: string, task: number): Promise<void> {
    await startTaskExecution(this.deps.store, this.deps.orchestrator, name, task);
  }

  private async setTarget(name: string, target: TargetState): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const s = await this.state(name);
      const previous = s.connector.targetState;
      if (previous === target && !(target === 'RUNNING' && !s.tasks?.configs.length)) return;
      try {
        let taskCount = s.tasks?.configs.length ?? 0;
        const next = await this.deps.store.setTargetState(s.connector, target, { taskCount: Math.max(taskCount, s.taskStatuses.length), workerId: this.deps.workerId });
        if (target === 'PAUSED') {
          await this.deps.store.putConnectorStatus(name, { state: 'PAUSED', workerId: this.deps.workerId, generation: next.generation });
          for (let id = 0; id < taskCount; id++) await this.deps.store.putTaskStatus(name, id, { state: 'PAUSED', workerId: this.deps.workerId, generation: next.generation });
        }
        if (target === 'RUNNING') {
          if (taskCount === 0) {
            // Resuming a stopped connector: its task configs were cleared, so plan them again.
            const configs = await planTasks(this.connectorPlugin(next.config), next.config);
            await this.deps.store.putTaskConfigs(name, next.generation, configs);
            taskCount = configs.length;
          }
          await this.deps.store.putConnectorStatus(name, { state: 'RUNNING', workerId: this.deps.workerId, generation: next.generation });
          await this.startTasks(name, taskCount);
        }
        return;
      } catch (e) {
        if (e instanceof StoreConflictError && attempt < 5) continue;
        throw e;
      }
    }
  }

  private async prepare(config: ConnectorConfig): Promise<{ descriptor: PluginDescriptor; taskConfigs: ConnectorConfig[] }> {
    const descriptor = this.connectorPlugin(config);
    const infos = await validateConnectorConfig(this.deps.registry, descriptor, config);
    if (infos.error_count > 0) throw new BadRequestError(validationMessage(infos, descriptor.className.split('.').pop() ?? descriptor.className));
    try {
      return { descriptor, taskConfigs: await planTasks(descriptor, config) };
    } catch (e) {
      if (e instanceof BadRequestError) throw e;
      throw new BadRequestError(`Connector ${config.name ?? ''} could not plan its tasks: ${(e as Error).message}`, { cause: e });
    }
  }
}

/** The config as Connect prints it in errors, with anything secret-looking hidden. */
function renderConfig(config: ConnectorConfig): string {
  return `{${Object.entries(config)
    .map(([k, v]) => `${k}=${/password|secret|token|credential/i.test(k) ? '[hidden]' : v}`)
    .join(', ')}}`;
}
