/**
 * The task state machine's steps (TaskLifecycle) and the out-of-band restarter on the
 * in-memory store: lease ownership and fencing, the restart policy with its two budgets, and
 * continue-as-new keeping the epoch.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { TaskLifecycle, type LeaseResult, type StepResult } from '../../../lib/control/task-lifecycle.ts';
import { TaskRestarter } from '../../../lib/control/task-restarter.ts';
import type { Orchestrator, TaskExecutionInput } from '../../../lib/orchestrator/orchestrator-port.ts';
import { MemoryConnectorStore } from '../../../lib/store/memory-connector-store.ts';

const SETTINGS = { sliceBudgetMs: 60_000, idleBackoffMaxMs: 30_000, slicesPerExecution: 3, idleMs: 5_000, workerId: 'unit-lifecycle' };
const CONNECTOR_ERROR = { Error: 'ConnectorError', Cause: '{"errorType":"ConnectorError","errorMessage":"Couldn\'t find or create file"}' };
const RUNNER_KILLED = { Error: 'Runtime.ExitError', Cause: '{"errorType":"Runtime.ExitError","errorMessage":"Runner process 7 exited (SIGKILL) during a slice"}' };
const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('TaskLifecycle on the in-memory store', () => {
  let store: MemoryConnectorStore;
  const started: { name: string; input: TaskExecutionInput }[] = [];
  const orchestrator: Orchestrator = { startExecution: async (name, input) => void started.push({ name, input }) };
  let lifecycle: TaskLifecycle;
  const base = (execution: string) => ({ connector: 'c', task: 0, execution, idleStreak: 0, iteration: 0 });

  beforeEach(async () => {
    started.length = 0;
    store = new MemoryConnectorStore();
    lifecycle = new TaskLifecycle(store, orchestrator, SETTINGS);
    await store.createConnector({ name: 'c', config: { 'connector.class': 'FileStreamSource', 'tributary.restart.max.per.hour': '2', 'tributary.restart.infrastructure.max.per.hour': '3' }, type: 'source', targetState: 'RUNNING', taskConfigs: [{ file: 'f' }], workerId: 'w' });
  });

  it('runs a task only for the execution that owns its lease, at its current epoch and generation', async () => {
    await store.claimLease('c', 0, 'exec-1');
    const run = (await lifecycle.acquireLease(base('exec-1'))) as LeaseResult;
    expect(run).toMatchObject({ next: 'run', runner: 'lambda', runnerInput: { connector: 'c', task: 0, epoch: 1, budgetMs: 60_000, idleMs: 5_000 } });
    await store.claimLease('c', 0, 'exec-2');
    expect(await lifecycle.acquireLease(base('exec-1'))).toEqual({ next: 'end' });
    expect(await lifecycle.afterSlice({ ...base('exec-1'), epoch: 1, hint: 'data' })).toMatchObject({ next: 'end' });
    const current = (await store.getConnector('c'))!;
    await store.setTargetState(current, 'PAUSED', { taskCount: 1, workerId: 'w' });
    expect(await lifecycle.acquireLease(base('exec-2'))).toEqual({ next: 'end' });
  });

  it('backs off when idle, continues as new after its slices, and keeps the epoch across continue-as-new', async () => {
    await store.claimLease('c', 0, 'exec-1');
    const idle = (await lifecycle.afterSlice({ ...base('exec-1'), epoch: 1, hint: 'idle', idleStreak: 2 })) as StepResult;
    expect(idle).toMatchObject({ next: 'idle', idleStreak: 3, waitSeconds: 4 });
    expect(await lifecycle.afterSlice({ ...base('exec-1'), epoch: 1, hint: 'data', iteration: 2 })).toMatchObject({ next: 'continueAsNew' });
    await lifecycle.continueAsNew(base('exec-1'));
    const lease = await store.getLease('c', 0);
    expect(lease?.epoch).toBe(1);
    expect(lease?.owner).toBe(started[0]?.name);
    expect(started[0]?.input).toMatchObject({ connector: 'c', task: 0, iteration: 0 });
    // The old execution no longer owns the task: a second continue-as-new starts nothing.
    await lifecycle.continueAsNew(base('exec-1'));
    expect(started).toHaveLength(1);
  });

  it('restarts a connector failure with backoff and a new epoch, and gives up once the hourly budget is spent', async () => {
    await store.claimLease('c', 0, 'exec-1');
    const first = (await lifecycle.recordFailure({ ...base('exec-1'), error: CONNECTOR_ERROR })) as StepResult;
    expect(first).toMatchObject({ next: 'restart', waitSeconds: 1 });
    expect((await store.getLease('c', 0))?.epoch).toBe(2);
    expect(await store.putTaskStatus('c', 0, { state: 'RUNNING', workerId: 'old', generation: 1 }, { epoch: 1 })).toBe(false);
    const second = (await lifecycle.recordFailure({ ...base('exec-1'), error: CONNECTOR_ERROR })) as StepResult;
    expect(second.next).toBe('restart');
    expect(second.waitSeconds).toBeGreaterThan(first.waitSeconds);
    const third = (await lifecycle.recordFailure({ ...base('exec-1'), error: CONNECTOR_ERROR })) as StepResult;
    expect(third.next).toBe('giveUp');
    const status = (await store.getState('c'))?.taskStatuses[0];
    expect(status).toMatchObject({ state: 'FAILED', restarts: [expect.any(Number), expect.any(Number)] });
    expect(status?.trace).toContain("Couldn't find or create file");
    expect(status?.lastRestart).toContain('restart budget spent');
  });

  it('re-runs a runner lost to the infrastructure at once, apart from the connector\'s budget, until its own budget is spent', async () => {
    await store.claimLease('c', 0, 'exec-1');
    for (let i = 0; i < 3; i++) {
      expect(await lifecycle.recordFailure({ ...base('exec-1'), error: RUNNER_KILLED })).toMatchObject({ next: 'rerun', waitSeconds: 0 });
      const t = (await store.getState('c'))?.taskStatuses[0];
      expect(t?.state).toBe('RESTARTING');
      expect(t?.restarts ?? []).toEqual([]);
    }
    expect((await store.getState('c'))?.taskStatuses[0]?.reruns).toHaveLength(3);
    // The fourth loss within the hour counts as a failure of the connector.
    expect(await lifecycle.recordFailure({ ...base('exec-1'), error: RUNNER_KILLED })).toMatchObject({ next: 'restart' });
    expect((await store.getState('c'))?.taskStatuses[0]?.state).toBe('FAILED');
  });

  it('leaves a failure alone when another execution owns the task', async () => {
    await store.claimLease('c', 0, 'exec-2');
    expect(await lifecycle.recordFailure({ ...base('exec-1'), error: CONNECTOR_ERROR })).toMatchObject({ next: 'end' });
    expect((await store.getState('c'))?.taskStatuses).toEqual([]);
  });
});

describe('TaskRestarter on the in-memory store', () => {
  it('restarts an orphaned task once, with a new execution owning a new epoch; a task owned by another is skipped', async () => {
    const store = new MemoryConnectorStore();
    const started: string[] = [];
    const restarter = new TaskRestarter({ store, orchestrator: { startExecution: async (name) => void started.push(name) }, log: silent, workerId: 'unit-restarter' }, 60_000);
    await store.createConnector({ name: 'o', config: { 'connector.class': 'FileStreamSource' }, type: 'source', targetState: 'RUNNING', taskConfigs: [{}], workerId: 'w' });
    await store.claimLease('o', 0, 'exec-dead');
    const out = await restarter.restartOrphan('o', 0, 'exec-dead', 'Task execution exec-dead ended TIMED_OUT');
    expect(out.action).toBe('restarted');
    expect(started).toHaveLength(1);
    expect(await store.getLease('o', 0)).toMatchObject({ epoch: 2, owner: started[0] });
    expect((await store.getState('o'))?.taskStatuses[0]?.reruns).toHaveLength(1);
    expect((await restarter.restartOrphan('o', 0, 'exec-dead', 'again')).action).toBe('skipped');
    expect(started).toHaveLength(1);
  });
});
