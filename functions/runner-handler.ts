/**
 * Runner Lambda: runs one bounded slice of a task. Kafka clients and started tasks stay
 * warm between invocations of the same container. The local host's runner processes call
 * this same handler.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { validEnv, type WithEnv } from '../lib/config/env-middleware.ts';
import { readEnv, runnerEnvSchema, type RunnerEnv } from '../lib/config/function-env.ts';
import { createKafka } from '../lib/kafka/kafka-factory.ts';
import { pluginRegistry } from '../lib/catalog/builtin-plugins.ts';
import { publishSliceMetrics } from '../lib/observability/runner-metrics.ts';
import { createLogger } from '../lib/observability/structured-logger.ts';
import type { TaskSample } from '../lib/observability/metric-catalog.ts';
import { TaskMeters } from '../lib/observability/task-meter.ts';
import { initOnce } from '../lib/runtime/cold-start.ts';
import type { RunnerInput, RunnerResult } from '../lib/runtime/runner-input.ts';
import { SliceRunner } from '../lib/runtime/slice-runner.ts';
import { createStore } from '../lib/store/store-factory.ts';

const log = createLogger('tributary-runner');
let started: SliceRunner | undefined;
let runner: (() => Promise<SliceRunner>) | undefined;
let stopping = false;
const meters = new TaskMeters();
/** Set by a local runner process, which reports the figures to its host itself. */
let figuresReportedElsewhere = false;

/** Keeps this much of the invocation's remaining time for committing and returning. */
const SAFETY_MARGIN_MS = 20_000;

/** The container's runner, built once; a build that failed (Kafka unreachable) is tried again next time. */
function runnerFor(env: RunnerEnv, workerId: string): Promise<SliceRunner> {
  runner ??= initOnce(async () => (started = await build(env, workerId)));
  return runner();
}

async function build(env: RunnerEnv, workerId: string): Promise<SliceRunner> {
  return new SliceRunner({
    store: createStore({ tableName: env.TABLE_NAME, endpoint: env.DYNAMODB_ENDPOINT }),
    kafka: await createKafka(env, 'tributary-runner'),
    registry: await pluginRegistry(),
    log,
    workerId,
    meters,
  });
}

export const handler = middy<RunnerInput, RunnerResult, Error, WithEnv<typeof runnerEnvSchema>>()
  .use(validEnv(runnerEnvSchema))
  .handler(async (input, context) => {
    const sliceRunner = runnerFor(context.env, context.env.WORKER_ID ?? `lambda:${context.logStreamName}`);
    const sliceStarted = Date.now();
    try {
      const result = await (await sliceRunner).run(input, { deadline: Date.now() + context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS, shouldStop: () => stopping });
      publishSliceMetrics({ connector: input.connector, task: input.task, records: result.records, durationMs: Date.now() - sliceStarted, failed: false, sample: sliceSample(input) });
      return result;
    } catch (e) {
      publishSliceMetrics({ connector: input.connector, task: input.task, records: 0, durationMs: Date.now() - sliceStarted, failed: true, sample: sliceSample(input) });
      log.error('Task slice failed', { connector: input.connector, task: input.task, error: (e as Error).message });
      throw e;
    }
  });

function sliceSample(input: RunnerInput): TaskSample | undefined {
  return figuresReportedElsewhere ? undefined : meters.take(input.connector, input.task);
}

/**
 * Hands the task figures to the caller instead of the slice's metric lines: a local runner
 * process takes them every few seconds for its host's time series.
 */
export function takeTaskFigures(): TaskSample[] {
  figuresReportedElsewhere = true;
  return meters.takeAll();
}

/** Invokes the handler as Lambda would (used by the local host's runner processes). */
export function handleRunnerInvocation(input: RunnerInput, context: Context): Promise<RunnerResult> {
  return handler(input, context as WithEnv<typeof runnerEnvSchema>);
}

/**
 * Builds the runner before its first invocation — a spare local runner process, as Lambda's
 * provisioned concurrency would — so a task re-run after its runner was lost starts at once.
 */
export async function warmUpRunner(): Promise<void> {
  const env = readEnv(runnerEnvSchema);
  await (await runnerFor(env, env.WORKER_ID ?? `lambda:${process.pid}`)).warmUp();
}

/** Asks running slices to commit and return (container shutdown). */
export function stopRequested(): void {
  stopping = true;
}

/** Tells the connector's warm tasks that its target changed, so they act on it at once. */
export function targetChanged(connector: string): void {
  started?.targetChanged(connector);
}

/** Lets every warm task go, committing what is durable: the container is free for other tasks. */
export async function releaseTasks(): Promise<void> {
  if (started) await started.releaseAll();
}

/** Stops warm tasks, committing what is durable. */
export async function shutdownRunner(): Promise<void> {
  if (started) await started.shutdown();
}
