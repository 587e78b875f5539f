/**
 * The control plane, Tributary's herder: connector lifecycle on top of the store and the
 * orchestrator. Every change is validated before anything is stored, written with
 * optimistic concurrency (each racing write is conditional on the connector's `version`,
 * and a change to several items is one transaction), and then turned into task executions.
 *
 * A request that loses a race re-reads the connector and is applied again, with jittered
 * backoff, for up to RETRY_BUDGET_MS. That is what the caller asked for: a PUT replaces the
 * whole config and a PATCH merges into whatever is current, and Connect's single leader
 * serializes concurrent requests the same way, so every one of them succeeds in turn. Only
 * when the budget runs out does the caller get the 409 Connect answers for a stale config,
 * which Connect clients already retry.
 */
import { ConfigResolver, type ProviderResolver } from '../config/config-providers.ts';
import type { Orchestrator } from '../orchestrator/orchestrator-port.ts';
import { adoptOrStartTasks, startTaskExecution } from '../orchestrator/orchestrator-port.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import type { PluginDescriptor } from '../plugins/plugin-types.ts';
import type { ControlStore } from '../store/store-ports.ts';
import { StoreConflictError } from '../store/store-errors.ts';
import type { ConnectorConfig, ConnectorState, ConnectorType, TargetState } from '../store/store-model.ts';
import { AlreadyExistsError, BadRequestError, ConflictError, InvalidConfigError, NotFoundError } from './control-errors.ts';
import { keepStoredSecrets, renderConfig } from './config-secrets.ts';
import { ConnectorStateCache } from './connector-state-cache.ts';
import { validateConnectorConfig, validationMessage, type ConfigInfos } from './connector-validator.ts';
import { statusCount, traceOf, undoneOnFailure } from './lifecycle-steps.ts';
import { executeRestart, restartPlan, restartTask, type RestartContext, type RestartPlan } from './restart-plan.ts';
import { planTasks } from './task-planner.ts';

export interface ControlDeps {
  readonly store: ControlStore;
  readonly registry: PluginRegistry;
  readonly orchestrator: Orchestrator;
  /** This control plane's name in connector statuses. */
  readonly workerId: string;
  /** How long a request that keeps losing races is retried before it answers 409; default 10 s. */
  readonly retryBudgetMs?: number;
  /** Config providers for placeholders (`${secretsmanager:...}`); default the built-in ones. */
  readonly configProviders?: Readonly<Record<string, ProviderResolver>>;
}

export interface ConnectorInfo {
  readonly name: string;
  readonly config: ConnectorConfig;
  readonly tasks: { connector: string; task: number }[];
  readonly type: ConnectorType;
}

/** Connect's message for a request that raced a concurrent config change (HTTP 409). */
export const STALE_CONFIG_MESSAGE = 'Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)';

const RETRY_BUDGET_MS = 10_000;

interface Prepared {
  readonly descriptor: PluginDescriptor;
  readonly taskConfigs: ConnectorConfig[];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Validation and planning results of one request, reused while it retries with the same config. */
type PrepareCache = Map<string, Prepared>;

export class ConnectorService {
  private readonly statusCache: ConnectorStateCache;

  constructor(private readonly deps: ControlDeps) {
    this.statusCache = new ConnectorStateCache(deps.store);
  }

  get registry(): PluginRegistry {
    return this.deps.registry;
  }

  list(): Promise<string[]> {
    return this.deps.store.listConnectors();
  }

  /** The connector's state, or NotFoundError with `notFound` (Connect words it differently per endpoint). */
  async state(name: string, notFound = `Connector ${name} not found`): Promise<ConnectorState> {
    const s = await this.deps.store.getState(name);
    if (!s) throw new NotFoundError(notFound);
    return s;
  }

  /** The state for status reads, at most STATUS_CACHE_MS old (see ConnectorStateCache). */
  async cachedState(name: string, notFound = `Connector ${name} not found`): Promise<ConnectorState> {
    const s = await this.statusCache.get(name);
    if (!s) throw new NotFoundError(notFound);
    return s;
  }

  forgetCachedStates(): void {
    this.statusCache.forget();
  }

  find(name: string): Promise<ConnectorState | undefined> {
    return this.deps.store.getState(name);
  }

  info(s: ConnectorState): ConnectorInfo {
    return {
      name: s.connector.name,
      config: s.connector.config,
      tasks: (s.tasks?.configs ?? []).map((_, task) => ({ connector: s.connector.name, task })),
      type: s.connector.type,
    };
  }

  /** The version of the connector's plugin, shown in statuses as Connect 4 does. */
  pluginVersion(s: ConnectorState): string | null {
    const cls = s.connector.config['connector.class'];
    return (cls && this.deps.registry.find(cls, ['source', 'sink'])?.version) || null;
  }

  /** Finds the connector plugin named by `connector.class`, or a 400 listing the available ones. */
  connectorPlugin(config: ConnectorConfig): PluginDescriptor {
    const cls = config['connector.class'];
    if (cls === undefined || cls.trim() === '') throw new BadRequestError(`Connector config ${renderConfig(this.deps.registry, config)} contains no connector type`);
    const d = this.deps.registry.find(cls, ['source', 'sink']);
    if (!d) {
      const available = this.deps.registry.list(['source', 'sink']).map((p) => p.className).join(', ');
      throw new BadRequestError(`Failed to find any class that implements Connector and which name matches ${cls}, available connectors are: ${available}`);
    }
    return d;
  }

  async validate(config: ConnectorConfig): Promise<ConfigInfos> {
    return validateConnectorConfig(this.deps.registry, this.connectorPlugin(config), config, this.resolver());
  }

  /** A resolver for one request: each secret it names is fetched once, for validation and planning together. */
  private resolver(): ConfigResolver {
    return new ConfigResolver(this.deps.configProviders);
  }

  /** POST /connectors: validates, plans tasks (when RUNNING) and stores; 400 on invalid config, 409 if the name is taken. */
  async create(name: string, config: ConnectorConfig, initialState: TargetState = 'RUNNING'): Promise<ConnectorInfo> {
    const resolver = this.resolver();
    const descriptor = await this.validated(config, resolver);
    if (await this.deps.store.getConnector(name)) throw new AlreadyExistsError(`Connector ${name} already exists`);
    const { taskConfigs } = await this.prepare(config, initialState === 'RUNNING', descriptor, undefined, resolver);
    try {
      await this.insert(name, config, descriptor, initialState, taskConfigs);
    } catch (e) {
      if (e instanceof StoreConflictError) throw new AlreadyExistsError(`Connector ${name} already exists`);
      throw e;
    }
    return { name, config, tasks: taskConfigs.map((_, task) => ({ connector: name, task })), type: descriptor.type as ConnectorType };
  }

  /**
   * PUT config: creates when absent (created=true), else stores a new generation and restarts
   * its tasks. A `[hidden]` value of a secret key keeps the stored secret.
   */
  async putConfig(name: string, requested: ConnectorConfig): Promise<{ created: boolean; info: ConnectorInfo }> {
    const resolver = this.resolver();
    const descriptor = await this.validated(requested, resolver);
    const cache: PrepareCache = new Map();
    return this.retrying(async () => {
      const current = await this.deps.store.getState(name);
      const config = keepStoredSecrets(this.deps.registry, requested, current?.connector.config);
      const known = config === requested ? descriptor : undefined;
      if (!current) {
        const p = await this.prepare(config, true, known, cache, resolver);
        await this.insert(name, config, p.descriptor, 'RUNNING', p.taskConfigs);
        return { created: true, info: { name, config, tasks: p.taskConfigs.map((_, task) => ({ connector: name, task })), type: p.descriptor.type as ConnectorType } };
      }
      return { created: false, info: await this.update(current, config, known, cache, resolver) };
    });
  }

  /** PATCH config: merges into the current config, a null deletes a key; 404 when absent (it never creates). */
  async patchConfig(name: string, patch: Readonly<Record<string, string | null>>): Promise<ConnectorInfo> {
    const cache: PrepareCache = new Map();
    const resolver = this.resolver();
    return this.retrying(async () => {
      const current = await this.state(name);
      const merged: ConnectorConfig = { ...current.connector.config };
      for (const [k, v] of Object.entries(patch)) {
        if (v === null) delete merged[k];
        else merged[k] = v;
      }
      return this.update(current, keepStoredSecrets(this.deps.registry, merged, current.connector.config), undefined, cache, resolver);
    });
  }

  pause(name: string): Promise<void> {
    return this.setTarget(name, 'PAUSED');
  }

  /** Resumes a paused or stopped connector; a stopped one gets its tasks planned again. */
  resume(name: string): Promise<void> {
    return this.setTarget(name, 'RUNNING');
  }

  stop(name: string): Promise<void> {
    return this.setTarget(name, 'STOPPED');
  }

  async delete(name: string): Promise<void> {
    await this.retrying(async () => {
      const c = await this.deps.store.getConnector(name);
      if (!c) throw new NotFoundError(`Connector ${name} not found`);
      await this.deps.store.deleteConnector(name, c.version);
    });
    this.deps.orchestrator.targetChanged?.(name);
  }

  /** Forgets the topics a connector used; like Connect, a no-op for an unknown connector. */
  async resetTopics(name: string): Promise<void> {
    if (await this.deps.store.getConnector(name)) await this.deps.store.resetTopics(name);
  }

  /** Restarts one task: a new execution with a new epoch fences the old runner. */
  async restartTask(name: string, task: number): Promise<void> {
    await restartTask(this.restarts(), await this.state(name, `Unknown connector: ${name}`), task);
  }

  /** Restarts what Connect's restart plan covers (see restart-plan.ts) and returns the plan. */
  async restart(name: string, opts: { includeTasks: boolean; onlyFailed: boolean }): Promise<RestartPlan> {
    const s = await this.state(name, `Unknown connector: ${name}`);
    const plan = restartPlan(s, opts);
    await executeRestart(this.restarts(), s, plan);
    return plan;
  }

  /** Starts an execution for every task of the connector (host start-up, resume). */
  async startTasks(name: string, count: number): Promise<void> {
    for (let task = 0; task < count; task++) await this.startTask(name, task);
  }

  private async startTask(name: string, task: number): Promise<void> {
    await startTaskExecution(this.deps.store, this.deps.orchestrator, name, task);
  }

  private restarts(): RestartContext {
    const { store, orchestrator, workerId } = this.deps;
    return { store, orchestrator, workerId, planTasks: (config) => planTasks(this.connectorPlugin(config), config, this.resolver()) };
  }

  /** Stores a new connector and starts its tasks; if they cannot be started, the connector is removed again (a 5xx leaves nothing). */
  private async insert(name: string, config: ConnectorConfig, descriptor: PluginDescriptor, target: TargetState, taskConfigs: ConnectorConfig[]): Promise<void> {
    const record = await this.deps.store.createConnector({ name, config, type: descriptor.type as ConnectorType, targetState: target, taskConfigs, workerId: this.deps.workerId });
    if (target !== 'RUNNING') return;
    await undoneOnFailure(
      () => this.startTasks(name, taskConfigs.length),
      () => this.deps.store.deleteConnector(name, record.version),
    );
  }

  /** Stores `config` as the connector's next generation (StoreConflictError if it changed meanwhile) and restarts its tasks. */
  private async update(current: ConnectorState, config: ConnectorConfig, validated: PluginDescriptor | undefined, cache: PrepareCache, resolver: ConfigResolver): Promise<ConnectorInfo> {
    const name = current.connector.name;
    const target = current.connector.targetState;
    // A paused connector created without tasks keeps none until it is resumed, as in Connect.
    const plan = target === 'RUNNING' || (target === 'PAUSED' && (current.tasks?.configs.length ?? 0) > 0);
    const { descriptor, taskConfigs } = await this.prepare(config, plan, validated, cache, resolver);
    const previousTaskCount = statusCount(current);
    const next = await this.deps.store.updateConfig(current.connector, { config, taskConfigs, previousTaskCount, workerId: this.deps.workerId });
    this.deps.orchestrator.targetChanged?.(name);
    if (next.targetState === 'RUNNING') {
      // Tasks that cannot be started take the change back: the previous config and task configs return as the next generation.
      await undoneOnFailure(
        () => adoptOrStartTasks(this.deps.store, this.deps.orchestrator, name, current, taskConfigs.length),
        () => this.deps.store.updateConfig(next, { config: current.connector.config, taskConfigs: current.tasks?.configs ?? [], previousTaskCount: Math.max(previousTaskCount, taskConfigs.length), workerId: this.deps.workerId }),
      );
    }
    return { name, config, tasks: taskConfigs.map((_, task) => ({ connector: name, task })), type: descriptor.type as ConnectorType };
  }

  private async setTarget(name: string, target: TargetState): Promise<void> {
    await this.retrying(async () => {
      const s = await this.state(name, `Unknown connector ${name}`);
      const taskCount = s.tasks?.configs.length ?? 0;
      const replan = target === 'RUNNING' && taskCount === 0;
      if (s.connector.targetState === target && !replan) return;
      let taskConfigs: ConnectorConfig[] | undefined;
      let failure: unknown;
      if (replan) {
        try {
          taskConfigs = await planTasks(this.connectorPlugin(s.connector.config), s.connector.config, this.resolver());
        } catch (e) {
          failure = e;
          taskConfigs = [];
        }
      }
      const next = await this.deps.store.setTargetState(s.connector, target, { taskCount: statusCount(s), liveTasks: taskCount, workerId: this.deps.workerId, taskConfigs });
      this.deps.orchestrator.targetChanged?.(name);
      if (failure !== undefined) {
        // Connect shows a connector that cannot start as FAILED with its trace; a restart tries again.
        await this.deps.store.putConnectorStatus(name, { state: 'FAILED', workerId: this.deps.workerId, generation: next.generation, trace: traceOf(failure) }, { expectedVersion: next.version });
      }
      if (target !== 'RUNNING') return;
      const started = taskConfigs?.length ?? taskCount;
      await undoneOnFailure(
        () => this.startTasks(name, started),
        () => this.deps.store.setTargetState(next, s.connector.targetState, { taskCount: Math.max(statusCount(s), started), liveTasks: started, workerId: this.deps.workerId }),
      );
    });
  }

  /** Validates a config; InvalidConfigError with Connect's message when it has errors. */
  private async validated(config: ConnectorConfig, resolver: ConfigResolver): Promise<PluginDescriptor> {
    const descriptor = this.connectorPlugin(config);
    const infos = await validateConnectorConfig(this.deps.registry, descriptor, config, resolver);
    if (infos.error_count > 0) throw new InvalidConfigError(validationMessage(infos), infos.configs.flatMap((c) => c.value.errors));
    return descriptor;
  }

  /**
   * Validates (unless `validated` says it was) and, with `plan`, plans tasks. Within one
   * request the result is reused while it retries with the same config; a new request always
   * plans afresh (a connector's tasks may depend on the outside world, e.g. its tables).
   */
  private async prepare(config: ConnectorConfig, plan: boolean, validated: PluginDescriptor | undefined, cache: PrepareCache | undefined, resolver: ConfigResolver): Promise<Prepared> {
    const key = JSON.stringify([config, plan]);
    const cached = cache?.get(key);
    if (cached) return cached;
    const descriptor = validated ?? (await this.validated(config, resolver));
    let taskConfigs: ConnectorConfig[] = [];
    if (plan) {
      try {
        taskConfigs = await planTasks(descriptor, config, resolver);
      } catch (e) {
        if (e instanceof BadRequestError) throw e;
        throw new BadRequestError(`Connector ${config.name ?? ''} could not plan its tasks: ${(e as Error).message}`, { cause: e });
      }
    }
    const value = { descriptor, taskConfigs };
    cache?.set(key, value);
    return value;
  }

  private async retrying<T>(op: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + (this.deps.retryBudgetMs ?? RETRY_BUDGET_MS);
    for (let attempt = 0; ; attempt++) {
      try {
        return await op();
      } catch (e) {
        if (!(e instanceof StoreConflictError)) throw e;
        if (Date.now() >= deadline) throw new ConflictError(STALE_CONFIG_MESSAGE, { cause: e });
        await sleep(Math.random() * Math.min(500, 10 * 2 ** attempt));
      }
    }
  }
}
