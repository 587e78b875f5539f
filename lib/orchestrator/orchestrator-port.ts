/**
 * The port through which the control plane starts task executions: Step Functions on AWS,
 * the local interpreter on a laptop. One execution runs one task until its target state
 * changes, it fails beyond its restart budget, or a newer execution takes its lease.
 */
export interface TaskExecutionInput {
  readonly connector: string;
  readonly task: number;
  readonly idleStreak: number;
  readonly iteration: number;
}

export interface Orchestrator {
  /** Starts an execution named `name` for a task whose lease `name` already owns. */
  startExecution(name: string, input: TaskExecutionInput): Promise<void>;
  /**
   * Told after a connector's target changed (paused, stopped, reconfigured, deleted), so its
   * running tasks can act on it now. Optional: without it (Step Functions) a task sees the
   * change at its next look at the store, within about a second.
   */
  targetChanged?(connector: string): void;
}

const SAFE = /[^A-Za-z0-9_-]/g;

/** An execution name unique per start, within Step Functions' 80 allowed characters. */
export function executionName(connector: string, task: number): string {
  const suffix = `${task}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
  return `${connector.replace(SAFE, '_').slice(0, 79 - suffix.length)}-${suffix}`;
}

/** What starting a task needs from the store: a lease claim that fences every older runner. */
export interface LeaseClaimer {
  claimLease(connector: string, task: number, owner: string): Promise<number>;
}

/** Starts a fresh execution for a task: a new lease epoch first, so the old runner can no longer commit. */
export async function startTaskExecution(store: LeaseClaimer, orchestrator: Orchestrator, connector: string, task: number, idleStreak = 0): Promise<string> {
  const name = executionName(connector, task);
  await store.claimLease(connector, task, name);
  await orchestrator.startExecution(name, { connector, task, idleStreak, iteration: 0 });
  return name;
}

/** What the store knows of a task's execution: who owns its lease, and how the task is doing. */
export interface TaskExecutionView {
  readonly leases: ReadonlyMap<number, { readonly owner: string | null }>;
  readonly taskStatuses: readonly { readonly id: number; readonly state: string }[];
}

/**
 * Moves tasks to a new generation of their configs. A task whose execution is alive keeps it:
 * its runner sees the new generation at its next commit, commits what it has, and the next
 * slice starts the new config, so nothing is replayed. Only the other tasks (new ones, failed
 * ones, ones nobody runs) get a new execution.
 */
export async function adoptOrStartTasks(store: LeaseClaimer, orchestrator: Orchestrator, connector: string, view: TaskExecutionView, count: number): Promise<void> {
  for (let task = 0; task < count; task++) {
    const live = Boolean(view.leases.get(task)?.owner) && view.taskStatuses.find((t) => t.id === task)?.state === 'RUNNING';
    if (!live) await startTaskExecution(store, orchestrator, connector, task);
  }
}
