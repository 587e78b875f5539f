/**
 * The steps of the task state machine (infra/task-lifecycle.asl.json) that are not the
 * runner: acquire the lease, decide after a slice, record a failure, continue as new.
 * The same code runs in the lifecycle Lambda and in the local host.
 */
import type { Orchestrator } from '../orchestrator/orchestrator-port.ts';
import { executionName } from '../orchestrator/orchestrator-port.ts';
import type { ControlStore } from '../store/store-ports.ts';
import type { ConnectorState } from '../store/store-model.ts';
import { DEFAULT_COMMIT_MAX_RECORDS, type RunnerInput } from '../runtime/runner-input.ts';
import type { Logger } from '../observability/structured-logger.ts';
import { decideRerun, decideRestart, failureKind } from './restart-policy.ts';

export interface LifecycleSettings {
  readonly sliceBudgetMs: number;
  readonly idleBackoffMaxMs: number;
  readonly slicesPerExecution: number;
  /** Slice ends as idle after this long without data. */
  readonly idleMs: number;
  readonly workerId: string;
}

interface Base {
  readonly connector: string;
  readonly task: number;
  readonly execution: string;
  readonly idleStreak: number;
  readonly iteration: number;
}

export type LifecycleEvent =
  | (Base & { readonly action: 'acquireLease' })
  | (Base & { readonly action: 'afterSlice'; readonly epoch: number; readonly hint: string })
  | (Base & { readonly action: 'recordFailure'; readonly error: { Error?: string; Cause?: string } })
  | (Base & { readonly action: 'continueAsNew'; readonly stateMachine?: string });

export interface LeaseResult {
  readonly next: 'run' | 'end';
  readonly runner?: 'lambda' | 'fargate';
  readonly runnerInput?: RunnerInput;
  readonly fargate?: { cpu: string; memory: string };
}

export interface StepResult {
  /** `rerun`: the runner was lost to the infrastructure; acquire the lease again at once. */
  readonly next: 'continue' | 'idle' | 'end' | 'continueAsNew' | 'restart' | 'rerun' | 'giveUp';
  readonly waitSeconds: number;
  readonly idleStreak: number;
  readonly iteration: number;
}

export class TaskLifecycle {
  constructor(
    private readonly store: ControlStore,
    private readonly orchestrator: Orchestrator,
    private readonly settings: LifecycleSettings,
    private readonly log?: Logger,
  ) {}

  handle(e: LifecycleEvent): Promise<LeaseResult | StepResult | { ok: true }> {
    switch (e.action) {
      case 'acquireLease':
        return this.acquireLease(e);
      case 'afterSlice':
        return this.afterSlice(e);
      case 'recordFailure':
        return this.recordFailure(e);
      case 'continueAsNew':
        return this.continueAsNew(e);
    }
  }

  async acquireLease(e: Base): Promise<LeaseResult> {
    const s = await this.store.getState(e.connector);
    if (!this.owns(s, e)) return { next: 'end' };
    const state = s as ConnectorState;
    const c = state.connector;
    if (c.targetState !== 'RUNNING' || !state.tasks || state.tasks.generation !== c.generation || e.task >= state.tasks.configs.length) {
      return { next: 'end' };
    }
    const epoch = await this.store.renewLease(e.connector, e.task, e.execution);
    if (epoch === undefined) return { next: 'end' };
    const runner = c.config['tributary.runner'] === 'fargate' ? 'fargate' : 'lambda';
    return {
      next: 'run',
      runner,
      runnerInput: {
        connector: e.connector,
        task: e.task,
        epoch,
        // A Fargate runner has no slice bound: it runs until the target state changes.
        budgetMs: runner === 'fargate' ? 365 * 24 * 3_600_000 : this.settings.sliceBudgetMs,
        idleMs: runner === 'fargate' ? 365 * 24 * 3_600_000 : this.settings.idleMs,
        commitIntervalMs: Number(c.config['offset.flush.interval.ms'] ?? 5000),
        commitMaxRecords: Number(c.config['tributary.offset.flush.max.records'] ?? DEFAULT_COMMIT_MAX_RECORDS),
      },
      fargate: { cpu: c.config['tributary.fargate.cpu'] ?? '512', memory: c.config['tributary.fargate.memory'] ?? '1024' },
    };
  }

  async afterSlice(e: Base & { epoch: number; hint: string }): Promise<StepResult> {
    const end: StepResult = { next: 'end', waitSeconds: 0, idleStreak: e.idleStreak, iteration: e.iteration };
    if (e.hint === 'fenced') return end;
    const s = await this.store.getState(e.connector);
    if (!this.owns(s, e)) return end;
    const c = (s as ConnectorState).connector;
    if (c.targetState !== 'RUNNING') return end;
    const iteration = e.iteration + 1;
    if (iteration >= this.settings.slicesPerExecution) return { next: 'continueAsNew', waitSeconds: 0, idleStreak: e.idleStreak, iteration };
    if (e.hint === 'idle') {
      const idleStreak = e.idleStreak + 1;
      const max = Number(c.config['tributary.idle.backoff.max.ms'] ?? this.settings.idleBackoffMaxMs);
      const waitMs = Math.min(max, 1000 * 2 ** (idleStreak - 1));
      const waitSeconds = Math.max(1, Math.round(waitMs / 1000));
      this.log?.info('Task idle', { connector: e.connector, task: e.task, idleStreak, waitSeconds });
      return { next: 'idle', waitSeconds, idleStreak, iteration };
    }
    return { next: 'continue', waitSeconds: 0, idleStreak: 0, iteration };
  }

  async recordFailure(e: Base & { error: { Error?: string; Cause?: string } }): Promise<StepResult> {
    const end: StepResult = { next: 'end', waitSeconds: 0, idleStreak: 0, iteration: e.iteration };
    const s = await this.store.getState(e.connector);
    if (!this.owns(s, e)) return end;
    const state = s as ConnectorState;
    const status = state.taskStatuses.find((t) => t.id === e.task);
    const trace = traceFromStepError(e.error);
    const generation = state.connector.generation;
    const workerId = status?.workerId ?? this.settings.workerId;
    if (failureKind(e.error) === 'infrastructure') {
      const rerun = decideRerun(state.connector.config, status?.reruns);
      if (rerun) {
        // Not the connector's failure: no FAILED state, no backoff, no charge on its restart budget.
        const firstLine = trace.split('\n')[0] ?? '';
        await this.store.putTaskStatus(e.connector, e.task, { state: 'RESTARTING', workerId, generation }, { restartNote: `${rerun.reason}: ${firstLine}`, rerunAt: Date.now() });
        if (rerun.recent.length !== (status?.reruns?.length ?? 0) + 1) await this.store.trimRestarts(e.connector, e.task, rerun.recent, 'reruns');
        this.log?.info('Task runner lost; re-running', { connector: e.connector, task: e.task, reason: rerun.reason, error: firstLine });
        await this.store.bumpEpoch(e.connector, e.task, e.execution);
        return { next: 'rerun', waitSeconds: 0, idleStreak: 0, iteration: e.iteration + 1 };
      }
    }
    const decision = decideRestart(state.connector.config, status?.restarts);
    await this.store.putTaskStatus(
      e.connector,
      e.task,
      { state: 'FAILED', workerId, trace, generation },
      { restartNote: decision.reason, ...(decision.restart ? { restartAt: Date.now() } : {}) },
    );
    if (!decision.restart) {
      this.log?.warn('Task failed; not restarting', { connector: e.connector, task: e.task, reason: decision.reason });
      return { next: 'giveUp', waitSeconds: 0, idleStreak: 0, iteration: e.iteration };
    }
    this.log?.info('Task failed; restarting', { connector: e.connector, task: e.task, reason: decision.reason });
    if (decision.recent.length !== (status?.restarts?.length ?? 0) + 1) await this.store.trimRestarts(e.connector, e.task, decision.recent);
    // The failed runner may still be alive (a timeout): a new epoch fences it.
    await this.store.bumpEpoch(e.connector, e.task, e.execution);
    return { next: 'restart', waitSeconds: Math.max(1, Math.ceil(decision.waitMs / 1000)), idleStreak: 0, iteration: e.iteration + 1 };
  }

  async continueAsNew(e: Base & { stateMachine?: string }): Promise<{ ok: true }> {
    const next = executionName(e.connector, e.task);
    const epoch = await this.store.transferLease(e.connector, e.task, e.execution, next);
    if (epoch !== undefined) await this.orchestrator.startExecution(next, { connector: e.connector, task: e.task, idleStreak: e.idleStreak, iteration: 0 });
    return { ok: true };
  }

  private owns(s: ConnectorState | undefined, e: Base): boolean {
    return Boolean(s && s.leases.get(e.task)?.owner === e.execution);
  }
}

/** The trace Step Functions hands over: Lambda's `{errorMessage, errorType, stackTrace}` in Cause, or plain text. */
export function traceFromStepError(error: { Error?: string; Cause?: string }): string {
  const cause = error.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorType?: string; errorMessage?: string; trace?: string[] | string; stackTrace?: string[] };
    const stack = parsed.trace ?? parsed.stackTrace;
    if (typeof stack === 'string') return stack;
    if (Array.isArray(stack) && stack.length) return stack.join('\n');
    return `${parsed.errorType ?? error.Error ?? 'Error'}: ${parsed.errorMessage ?? ''}`;
  } catch {
    return `${error.Error ?? 'Error'}: ${cause}`;
  }
}
