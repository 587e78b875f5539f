/**
 * The runner: runs one bounded slice of a task and says what should happen next. Started
 * tasks stay warm between slices of the same lease epoch and generation, so a warm Lambda
 * or a local runner process resumes a task without reloading offsets or reconnecting.
 */
import type { KafkaPort } from '../kafka/kafka-port.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import type { RunnerStore } from '../store/store-ports.ts';
import { withRetries } from './retry.ts';
import { FencedError } from './runtime-errors.ts';
import type { Logger } from '../observability/structured-logger.ts';
import type { TaskMeters } from '../observability/task-meter.ts';
import { SinkTaskWorker } from './sink-task-worker.ts';
import { SourceTaskWorker } from './source-task-worker.ts';
import { parseRunnerInput, type RunnerInput, type RunnerResult } from './runner-input.ts';
import type { SliceHint, TaskIdentity, TaskWorker } from './task-worker.ts';

export type { RunnerInput, RunnerResult } from './runner-input.ts';

export interface RunnerDeps {
  readonly store: RunnerStore;
  readonly kafka: KafkaPort;
  readonly registry: PluginRegistry;
  readonly log: Logger;
  readonly workerId: string;
  /** Where tasks count their figures (records, errors, commit times, lag). */
  readonly meters?: TaskMeters;
}

interface WarmTask {
  readonly id: TaskIdentity;
  readonly worker: TaskWorker;
}

export class SliceRunner {
  private readonly warm = new Map<string, WarmTask>();

  constructor(private readonly deps: RunnerDeps) {}

  /** Runs one slice. Throws when the task fails; the state machine records that and restarts it. */
  async run(raw: RunnerInput, opts: { shouldStop?: () => boolean; deadline?: number } = {}): Promise<RunnerResult> {
    const input = parseRunnerInput(raw);
    const key = `${input.connector}/${input.task}`;
    const done = (hint: SliceHint, records = 0): RunnerResult => ({ hint, records, workerId: this.deps.workerId });
    const state = await this.deps.store.getState(input.connector);
    const lease = state?.leases.get(input.task);
    if (!state || !lease || lease.epoch !== input.epoch) {
      await this.release(key, false);
      return done('fenced');
    }
    const taskConfig = state.tasks?.configs[input.task];
    if (state.connector.targetState !== 'RUNNING' || !taskConfig || state.tasks?.generation !== state.connector.generation) {
      await this.release(key, false);
      return done('stopped');
    }
    let warm = this.warm.get(key);
    if (warm && (warm.id.epoch !== input.epoch || warm.id.generation !== state.connector.generation)) {
      await this.release(key, false);
      warm = undefined;
    }
    if (!warm) {
      const id: TaskIdentity = {
        connector: input.connector,
        task: input.task,
        epoch: input.epoch,
        generation: state.connector.generation,
        taskCount: state.tasks?.configs.length ?? 1,
        connectorConfig: state.connector.config,
        taskConfig,
        workerId: this.deps.workerId,
      };
      const worker = await withRetries(
        async () => {
          const w = state.connector.type === 'sink' ? new SinkTaskWorker(id, this.deps) : new SourceTaskWorker(id, this.deps);
          try {
            await w.start();
            return w;
          } catch (e) {
            await w.stop({ commit: false }).catch(() => {});
            throw e;
          }
        },
        // New topics take a moment to get leaders; that is no reason to fail a task.
        { timeoutMs: 20_000 },
      );
      warm = { id, worker };
      this.warm.set(key, warm);
    }
    const running = await this.deps.store.putTaskStatus(
      input.connector,
      input.task,
      { state: 'RUNNING', workerId: this.deps.workerId, generation: warm.id.generation },
      { epoch: input.epoch, requireRunning: true, heartbeat: true },
    );
    if (!running) {
      // Paused or fenced since we read the state; the lifecycle step after this slice tells which.
      await this.release(key, false);
      return done('stopped');
    }
    try {
      const outcome = await warm.worker.runSlice({
        deadline: Math.min(opts.deadline ?? Number.POSITIVE_INFINITY, Date.now() + input.budgetMs),
        idleMs: input.idleMs,
        commitIntervalMs: input.commitIntervalMs,
        commitMaxRecords: input.commitMaxRecords,
        shouldStop: opts.shouldStop ?? (() => false),
      });
      if (outcome.hint === 'stopped' || outcome.hint === 'fenced') await this.release(key, false);
      else await this.deps.store.putTaskStatus(input.connector, input.task, { state: 'RUNNING', workerId: this.deps.workerId, generation: warm.id.generation }, { epoch: input.epoch, requireRunning: true, heartbeat: true });
      return done(outcome.hint, outcome.records);
    } catch (e) {
      await this.release(key, false);
      if (e instanceof FencedError) return done('fenced');
      throw e;
    }
  }

  /** Opens the connections a first slice needs (Kafka metadata, the store's HTTP client) ahead of it. */
  async warmUp(): Promise<void> {
    await Promise.all([this.deps.kafka.admin().then((a) => a.listTopics()), this.deps.store.getConnector('tributary-warm-up')]);
  }

  /** The connector's target was changed (paused, stopped, reconfigured, deleted): its warm tasks look at the store at once. */
  targetChanged(connector: string): void {
    for (const { id, worker } of this.warm.values()) if (id.connector === connector) worker.lookAgain();
  }

  /** Stops every warm task, committing what is durable; the clients stay connected for the next task. */
  async releaseAll(): Promise<void> {
    await Promise.all([...this.warm.keys()].map((k) => this.release(k, true).catch(() => {})));
  }

  /** Stops every warm task, committing what is durable, then disconnects (container shutdown). */
  async shutdown(): Promise<void> {
    await this.releaseAll();
    await this.deps.kafka.close().catch(() => {});
  }

  private async release(key: string, commit: boolean): Promise<void> {
    const warm = this.warm.get(key);
    if (!warm) return;
    this.warm.delete(key);
    await warm.worker.stop({ commit });
  }
}
