/** What the store keeps per connector, in the shapes the control plane and runners use. */

export type TargetState = 'RUNNING' | 'PAUSED' | 'STOPPED';
export type InstanceState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED' | 'RESTARTING' | 'STOPPED';
export type ConnectorType = 'source' | 'sink' | 'unknown';
export type ConnectorConfig = Record<string, string>;

export interface ConnectorRecord {
  readonly name: string;
  readonly config: ConnectorConfig;
  readonly type: ConnectorType;
  readonly targetState: TargetState;
  /** Bumped on every config change; tasks of an older generation stop. */
  readonly generation: number;
  /** Bumped on every write to this item; guards optimistic concurrency. */
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** How many part items hold the config, when it is too large for its item (see large-config-items.ts). */
  readonly configParts?: number | undefined;
  /** How many part items hold the task configs, likewise. */
  readonly taskConfigParts?: number | undefined;
}

export interface TaskConfigs {
  readonly generation: number;
  readonly configs: readonly ConnectorConfig[];
}

export interface InstanceStatus {
  readonly state: InstanceState;
  readonly workerId: string;
  readonly trace?: string | undefined;
  readonly generation: number;
  readonly updatedAt: number;
}

export interface TaskStatus extends InstanceStatus {
  readonly id: number;
  /** Recent automatic restarts, epoch millis, newest last. */
  readonly restarts?: readonly number[] | undefined;
  /** Recent re-runs after a runner was lost to the infrastructure (killed, timed out, out of memory), epoch millis. */
  readonly reruns?: readonly number[] | undefined;
  /** Last time a runner reported progress. */
  readonly heartbeatAt?: number | undefined;
  /** What the restart policy did last, for people reading the status. */
  readonly lastRestart?: string | undefined;
}

export interface Lease {
  readonly epoch: number;
  /** The execution that owns the task, or null when nobody may run it. */
  readonly owner: string | null;
  readonly updatedAt: number;
}

/** Everything the store holds about one connector, read in one strongly consistent query. */
export interface ConnectorState {
  readonly connector: ConnectorRecord;
  readonly tasks: TaskConfigs | undefined;
  readonly status: InstanceStatus | undefined;
  readonly taskStatuses: readonly TaskStatus[];
  readonly leases: ReadonlyMap<number, Lease>;
  readonly topics: readonly string[];
}

/** A runner's snapshot of the source offsets it committed, and how far into the offsets topic it covers. */
export interface OffsetSnapshot {
  readonly topic: string;
  /** Offsets-topic partition → next offset after the last record this snapshot includes. */
  readonly positions: Readonly<Record<string, number>>;
  /** JSON key of the offsets record → JSON value (null for a tombstone). */
  readonly offsets: Readonly<Record<string, string | null>>;
}
