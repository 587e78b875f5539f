/**
 * The narrow ports the control plane and the runners depend on, named after Kafka Connect's
 * backing stores: ConfigBackingStore (connector configs, task configs, target states,
 * generations), StatusBackingStore (connector, task and topic statuses), OffsetBackingStore
 * (here: the snapshots of source offsets a runner starts from), and TaskLeaseStore (the lease
 * epochs that fence zombie runners, Tributary's stand-in for Connect's task generations and
 * zombie fencing). DynamoConnectorStore implements them all on one table; MemoryConnectorStore
 * keeps them in memory with the same guarantees, for unit tests.
 *
 * Every write that can race is conditional: StoreConflictError when the condition fails
 * (unless the method says it returns false / undefined instead); StoreUnavailableError when
 * the store cannot be reached.
 */
import type { ConnectorConfig, ConnectorRecord, ConnectorState, ConnectorType, InstanceStatus, Lease, OffsetSnapshot, TargetState } from './store-model.ts';

export interface NewConnector {
  readonly name: string;
  readonly config: ConnectorConfig;
  readonly type: ConnectorType;
  readonly targetState: TargetState;
  readonly taskConfigs: readonly ConnectorConfig[];
  readonly workerId: string;
}

/** Connector configs, task configs and target states, each change a new `version` (and a config change a new `generation`). */
export interface ConfigBackingStore {
  /** Names of every connector, in the store's (UTF-8 byte) order. */
  listConnectors(): Promise<string[]>;
  getConnector(name: string): Promise<ConnectorRecord | undefined>;
  /** Everything about one connector (config, task configs, statuses, leases, topics), read consistently. */
  getState(name: string): Promise<ConnectorState | undefined>;
  /**
   * Creates a connector at generation 1 with its task configs (none when STOPPED) and its
   * connector status; StoreConflictError if it exists. Tasks without a status read as UNASSIGNED.
   */
  createConnector(c: NewConnector): Promise<ConnectorRecord>;
  /**
   * Stores a new config and task configs as the next generation, if the connector is still at
   * `current.version`. Statuses of tasks beyond the new count go; a PAUSED connector's tasks
   * read PAUSED.
   */
  updateConfig(
    current: ConnectorRecord,
    change: { config: ConnectorConfig; taskConfigs: readonly ConnectorConfig[]; previousTaskCount: number; workerId: string },
  ): Promise<ConnectorRecord>;
  /**
   * Changes the target state (and the statuses that follow from it) if the connector is still
   * at `current.version`: PAUSED pauses connector and tasks, RUNNING marks tasks UNASSIGNED,
   * STOPPED clears task configs and task statuses. With `taskConfigs`, they become a new generation.
   */
  setTargetState(
    current: ConnectorRecord,
    target: TargetState,
    opts: { taskCount: number; workerId: string; liveTasks?: number | undefined; taskConfigs?: readonly ConnectorConfig[] | undefined },
  ): Promise<ConnectorRecord>;
  /** Replaces the task configs if the connector is still at `generation`. */
  putTaskConfigs(name: string, generation: number, configs: readonly ConnectorConfig[]): Promise<void>;
  /**
   * Removes config, task configs, statuses and topics; leases and offset snapshots stay (epochs
   * never go back; Connect keeps a deleted connector's offsets). StoreConflictError if absent
   * or no longer at `expectedVersion`.
   */
  deleteConnector(name: string, expectedVersion?: number): Promise<void>;
}

/** Write options of a task status: the fencing and budget bookkeeping that travel with it. */
export interface TaskStatusWrite {
  /** Only while the task's lease is still at this epoch (a fenced runner never overwrites a newer one). */
  readonly epoch?: number;
  /** Only while the connector's target is RUNNING (a pause is never overwritten). */
  readonly requireRunning?: boolean;
  readonly heartbeat?: boolean;
  readonly restartNote?: string;
  /** Appends to the connector-failure restart history. */
  readonly restartAt?: number;
  /** Appends to the infrastructure re-run history. */
  readonly rerunAt?: number;
}

/** Connector, task and topic statuses, as Connect's StatusBackingStore. */
export interface StatusBackingStore {
  /** Writes the connector's status if it exists and (with `expectedVersion`) is still at that version; otherwise nothing. */
  putConnectorStatus(name: string, s: Omit<InstanceStatus, 'updatedAt'>, opts?: { expectedVersion?: number }): Promise<void>;
  /** Writes a task's status; false when a condition of `opts` failed. */
  putTaskStatus(name: string, id: number, s: Omit<InstanceStatus, 'updatedAt'>, opts?: TaskStatusWrite): Promise<boolean>;
  /** Replaces a restart history with the entries to keep. */
  trimRestarts(name: string, id: number, keep: readonly number[], kind?: 'restarts' | 'reruns'): Promise<void>;
  /** Adds topics the connector used (GET /connectors/{name}/topics). */
  addTopics(name: string, topics: readonly string[]): Promise<void>;
  resetTopics(name: string): Promise<void>;
}

/** The lease of each task: its epoch fences every earlier runner. */
export interface TaskLeaseStore {
  getLease(name: string, id: number): Promise<Lease | undefined>;
  /** Gives the task to `owner` (null: nobody) with the next epoch; returns it. Epochs never go back. */
  claimLease(name: string, id: number, owner: string | null): Promise<number>;
  /** The next epoch, only if `owner` still owns the lease; undefined otherwise. */
  bumpEpoch(name: string, id: number, owner: string): Promise<number | undefined>;
  /** The current epoch, renewed, only if `owner` still owns the lease. */
  renewLease(name: string, id: number, owner: string): Promise<number | undefined>;
  /** Hands an owned lease to `to` at the same epoch (continue-as-new); undefined if `from` no longer owns it. */
  transferLease(name: string, id: number, from: string, to: string): Promise<number | undefined>;
  /** What a runner checks before each commit: the connector's target and generation, and the task's lease. */
  getRunView(name: string, id: number): Promise<{ connector: ConnectorRecord | undefined; lease: Lease | undefined }>;
}

/** Snapshots of the source offsets each writer committed, as Connect's OffsetBackingStore keeps them for a worker. */
export interface OffsetBackingStore {
  getOffsetSnapshots(name: string): Promise<Map<string, OffsetSnapshot>>;
  putOffsetSnapshot(name: string, writer: string, snapshot: OffsetSnapshot): Promise<void>;
  deleteOffsetSnapshots(name: string): Promise<void>;
}

/** Log levels set through `/admin/loggers`, shared by every API instance. */
export interface LoggerLevelStore {
  listLoggers(): Promise<Map<string, { level: string; lastModified: number }>>;
  putLogger(name: string, level: string): Promise<void>;
}

/** What the control plane (REST API, lifecycle steps, restarter, monitor) needs. */
export type ControlStore = ConfigBackingStore & StatusBackingStore & TaskLeaseStore;

/** What a runner needs: its connector's state, its statuses and lease, its topics and offsets. */
export type RunnerStore = Pick<ConfigBackingStore, 'getState' | 'getConnector'> & StatusBackingStore & TaskLeaseStore & OffsetBackingStore;

/** The whole store, as the hosts build it. */
export interface ConnectorStore extends ConfigBackingStore, StatusBackingStore, TaskLeaseStore, OffsetBackingStore, LoggerLevelStore {
  /** Creates the table (or whatever backs the store) if it is missing. */
  ensureTable(): Promise<void>;
}
