/**
 * The connector store in memory, with the DynamoDB store's guarantees: the same conditional
 * writes (on a connector's `version`, its `generation`, a lease's epoch and owner), the same
 * size limits, the same items kept across a delete (leases, offset snapshots) and the same
 * write-anywhere behaviour of unconditional writes. Every call is atomic, as one DynamoDB
 * transaction is. For unit tests of the control plane and the runners, and for anything that
 * wants a store without a table; the shared contract suite (test/support/store-contract.ts)
 * holds both stores to the same behaviour.
 */
import { encodeConfig, encodeTaskConfigs } from './large-config-items.ts';
import { StoreConflictError } from './store-errors.ts';
import type { ConnectorConfig, ConnectorRecord, ConnectorState, InstanceStatus, Lease, OffsetSnapshot, TargetState, TaskStatus } from './store-model.ts';
import type { ConnectorStore, NewConnector, TaskStatusWrite } from './store-ports.ts';

/** A task's status item: its attributes are written one by one, as DynamoDB's `SET` does. */
interface TaskStatusItem {
  status?: InstanceStatus;
  restarts?: number[];
  reruns?: number[];
  heartbeatAt?: number;
  lastRestart?: string;
}

/** Everything kept under one connector name (DynamoDB: one partition). */
interface Partition {
  config?: ConnectorRecord;
  tasks?: { generation: number; configs: ConnectorConfig[] };
  status?: InstanceStatus;
  readonly taskStatuses: Map<number, TaskStatusItem>;
  readonly leases: Map<number, Lease>;
  topics?: Set<string>;
  readonly offsets: Map<string, OffsetSnapshot>;
}

const copy = <T>(v: T): T => structuredClone(v);
const status = (state: InstanceStatus['state'], workerId: string, generation: number): InstanceStatus => ({ state, workerId, generation, updatedAt: Date.now() });
/** DynamoDB orders sort keys by their UTF-8 bytes. */
const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
/** The size checks the DynamoDB store makes before writing (their encodings are thrown away here). */
const checkSizes = (config: ConnectorConfig, taskConfigs: readonly ConnectorConfig[]) => {
  encodeConfig('memory', 'memory', config);
  encodeTaskConfigs('memory', 'memory', taskConfigs, config);
};

export class MemoryConnectorStore implements ConnectorStore {
  private readonly partitions = new Map<string, Partition>();
  private readonly loggers = new Map<string, { level: string; lastModified: number }>();

  async ensureTable(): Promise<void> {}

  async listConnectors(): Promise<string[]> {
    return [...this.partitions].filter(([, p]) => p.config).map(([name]) => name).sort(byUtf8);
  }

  async getConnector(name: string): Promise<ConnectorRecord | undefined> {
    return copy(this.partitions.get(name)?.config);
  }

  async getState(name: string): Promise<ConnectorState | undefined> {
    const p = this.partitions.get(name);
    if (!p?.config) return undefined;
    const taskStatuses: TaskStatus[] = [...p.taskStatuses]
      .map(([id, i]) => ({ ...(i.status as InstanceStatus), id, restarts: i.restarts, reruns: i.reruns, heartbeatAt: i.heartbeatAt, lastRestart: i.lastRestart }))
      .sort((a, b) => a.id - b.id);
    return copy({
      connector: p.config,
      tasks: p.tasks,
      status: p.status,
      taskStatuses,
      leases: new Map(p.leases),
      topics: [...(p.topics ?? [])].sort(),
    });
  }

  async createConnector(c: NewConnector): Promise<ConnectorRecord> {
    const tasks = c.targetState === 'STOPPED' ? [] : c.taskConfigs;
    checkSizes(c.config, tasks);
    const p = this.partition(c.name);
    if (p.config) throw new StoreConflictError(`Connector ${c.name} already exists`);
    const now = Date.now();
    const record: ConnectorRecord = { name: c.name, config: copy(c.config), type: c.type, targetState: c.targetState, generation: 1, version: 1, createdAt: now, updatedAt: now };
    p.config = record;
    p.tasks = { generation: 1, configs: copy([...tasks]) };
    p.status = status(c.targetState, c.workerId, 1);
    return copy(record);
  }

  async updateConfig(
    current: ConnectorRecord,
    change: { config: ConnectorConfig; taskConfigs: readonly ConnectorConfig[]; previousTaskCount: number; workerId: string },
  ): Promise<ConnectorRecord> {
    const tasks = current.targetState === 'STOPPED' ? [] : change.taskConfigs;
    checkSizes(change.config, tasks);
    const p = this.atVersion(current);
    const next: ConnectorRecord = { ...current, config: copy(change.config), generation: current.generation + 1, version: current.version + 1, updatedAt: Date.now() };
    p.config = next;
    p.tasks = { generation: next.generation, configs: copy([...tasks]) };
    for (let id = tasks.length; id < change.previousTaskCount; id++) p.taskStatuses.delete(id);
    if (current.targetState === 'PAUSED') {
      for (let id = 0; id < tasks.length; id++) this.setTaskStatus(p, id, status('PAUSED', change.workerId, next.generation));
    }
    return copy(next);
  }

  async setTargetState(
    current: ConnectorRecord,
    target: TargetState,
    opts: { taskCount: number; workerId: string; liveTasks?: number | undefined; taskConfigs?: readonly ConnectorConfig[] | undefined },
  ): Promise<ConnectorRecord> {
    const newTasks = target === 'STOPPED' ? [] : opts.taskConfigs;
    if (newTasks) checkSizes(current.config, newTasks);
    const p = this.atVersion(current);
    const generation = opts.taskConfigs ? current.generation + 1 : current.generation;
    const next: ConnectorRecord = { ...current, targetState: target, generation, version: current.version + 1, updatedAt: Date.now() };
    p.config = next;
    p.status = status(target, opts.workerId, generation);
    if (newTasks) p.tasks = { generation, configs: copy([...newTasks]) };
    if (target === 'STOPPED') {
      for (let id = 0; id < opts.taskCount; id++) p.taskStatuses.delete(id);
    } else {
      const count = opts.taskConfigs?.length ?? opts.liveTasks ?? opts.taskCount;
      const taskState = target === 'PAUSED' ? 'PAUSED' : 'UNASSIGNED';
      for (let id = 0; id < count; id++) this.setTaskStatus(p, id, status(taskState, opts.workerId, generation));
      for (let id = count; id < opts.taskCount; id++) p.taskStatuses.delete(id);
    }
    return copy(next);
  }

  async putTaskConfigs(name: string, generation: number, configs: readonly ConnectorConfig[]): Promise<void> {
    encodeTaskConfigs('memory', 'memory', configs, undefined);
    const p = this.partitions.get(name);
    if (p?.config?.generation !== generation) throw new StoreConflictError(`Connector ${name} was changed concurrently`);
    p.tasks = { generation, configs: copy([...configs]) };
  }

  async deleteConnector(name: string, expectedVersion?: number): Promise<void> {
    const p = this.partitions.get(name);
    if (!p?.config) throw new StoreConflictError(`Connector ${name} not found`);
    if (expectedVersion !== undefined && p.config.version !== expectedVersion) throw new StoreConflictError(`Connector ${name} not found`);
    delete p.config;
    delete p.tasks;
    delete p.status;
    delete p.topics;
    p.taskStatuses.clear();
  }

  async putConnectorStatus(name: string, s: Omit<InstanceStatus, 'updatedAt'>, opts: { expectedVersion?: number } = {}): Promise<void> {
    const p = this.partitions.get(name);
    if (!p?.config || !p.status) return;
    if (opts.expectedVersion !== undefined && p.config.version !== opts.expectedVersion) return;
    p.status = copy({ ...s, updatedAt: Date.now() });
  }

  async putTaskStatus(name: string, id: number, s: Omit<InstanceStatus, 'updatedAt'>, opts: TaskStatusWrite = {}): Promise<boolean> {
    const p = this.partition(name);
    if (opts.epoch !== undefined) {
      if (p.leases.get(id)?.epoch !== opts.epoch) return false;
      if (opts.requireRunning && p.config?.targetState !== 'RUNNING') return false;
    }
    const now = Date.now();
    const item = this.setTaskStatus(p, id, copy({ ...s, updatedAt: now }));
    if (opts.heartbeat) item.heartbeatAt = now;
    if (opts.restartNote) item.lastRestart = opts.restartNote;
    if (opts.restartAt !== undefined) item.restarts = [...(item.restarts ?? []), opts.restartAt];
    if (opts.rerunAt !== undefined) item.reruns = [...(item.reruns ?? []), opts.rerunAt];
    return true;
  }

  async trimRestarts(name: string, id: number, keep: readonly number[], kind: 'restarts' | 'reruns' = 'restarts'): Promise<void> {
    const p = this.partition(name);
    const item = p.taskStatuses.get(id) ?? {};
    item[kind] = [...keep];
    p.taskStatuses.set(id, item);
  }

  async addTopics(name: string, topics: readonly string[]): Promise<void> {
    if (topics.length === 0) return;
    const p = this.partition(name);
    p.topics ??= new Set();
    for (const t of topics) p.topics.add(t);
  }

  async resetTopics(name: string): Promise<void> {
    const p = this.partitions.get(name);
    if (p) delete p.topics;
  }

  async getLease(name: string, id: number): Promise<Lease | undefined> {
    return copy(this.partitions.get(name)?.leases.get(id));
  }

  async claimLease(name: string, id: number, owner: string | null): Promise<number> {
    const leases = this.partition(name).leases;
    const epoch = (leases.get(id)?.epoch ?? 0) + 1;
    leases.set(id, { epoch, owner, updatedAt: Date.now() });
    return epoch;
  }

  async bumpEpoch(name: string, id: number, owner: string): Promise<number | undefined> {
    return this.ownedLeaseUpdate(name, id, owner, (l) => ({ ...l, epoch: l.epoch + 1 }));
  }

  async renewLease(name: string, id: number, owner: string): Promise<number | undefined> {
    return this.ownedLeaseUpdate(name, id, owner, (l) => l);
  }

  async transferLease(name: string, id: number, from: string, to: string): Promise<number | undefined> {
    return this.ownedLeaseUpdate(name, id, from, (l) => ({ ...l, owner: to }));
  }

  async getRunView(name: string, id: number): Promise<{ connector: ConnectorRecord | undefined; lease: Lease | undefined }> {
    const p = this.partitions.get(name);
    return copy({ connector: p?.config, lease: p?.leases.get(id) });
  }

  async getOffsetSnapshots(name: string): Promise<Map<string, OffsetSnapshot>> {
    return copy(new Map(this.partitions.get(name)?.offsets));
  }

  async putOffsetSnapshot(name: string, writer: string, snapshot: OffsetSnapshot): Promise<void> {
    this.partition(name).offsets.set(writer, copy(snapshot));
  }

  async deleteOffsetSnapshots(name: string): Promise<void> {
    this.partitions.get(name)?.offsets.clear();
  }

  async listLoggers(): Promise<Map<string, { level: string; lastModified: number }>> {
    return copy(new Map([...this.loggers].sort(([a], [b]) => byUtf8(a, b))));
  }

  async putLogger(name: string, level: string): Promise<void> {
    this.loggers.set(name, { level, lastModified: Date.now() });
  }

  private partition(name: string): Partition {
    let p = this.partitions.get(name);
    if (!p) {
      p = { taskStatuses: new Map(), leases: new Map(), offsets: new Map() };
      this.partitions.set(name, p);
    }
    return p;
  }

  /** The connector's partition, if the connector is still at `current.version` (StoreConflictError otherwise). */
  private atVersion(current: ConnectorRecord): Partition {
    const p = this.partitions.get(current.name);
    if (!p?.config || p.config.version !== current.version) throw new StoreConflictError(`Connector ${current.name} was changed concurrently`);
    return p;
  }

  /** Sets a task status item's `status`, keeping its other attributes (restart histories, heartbeat). */
  private setTaskStatus(p: Partition, id: number, s: InstanceStatus): TaskStatusItem {
    const item = p.taskStatuses.get(id) ?? {};
    item.status = s;
    p.taskStatuses.set(id, item);
    return item;
  }

  private ownedLeaseUpdate(name: string, id: number, owner: string, change: (l: Lease) => Lease): number | undefined {
    const leases = this.partitions.get(name)?.leases;
    const lease = leases?.get(id);
    if (!leases || !lease || lease.owner !== owner) return undefined;
    const next = { ...change(lease), updatedAt: Date.now() };
    leases.set(id, next);
    return next.epoch;
  }
}
