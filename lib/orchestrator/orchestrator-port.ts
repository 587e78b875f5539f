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
