/**
 * Runner Lambda: runs one bounded slice of a task. Kafka clients and started tasks stay
 * warm between invocations of the same container. The local host's runner processes call
 * this same handler.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { validEnv, type WithEnv } from '../lib/config/env-middleware.ts';
import { runnerEnvSchema, type RunnerEnv } from '../lib/config/function-env.ts';
import { createKafka } from '../lib/kafka/kafka-factory.ts';
import { pluginRegistry } from '../lib/catalog/builtin-plugins.ts';
import { publishSliceMetrics } from '../lib/runtime/runner-metrics.ts';
import { createLogger } from '../lib/runtime/runtime-logger.ts';
import type { RunnerInput, RunnerResult } from '../lib/runtime/runner-input.ts';
import { SliceRunner } from '../lib/runtime/slice-runner.ts';
import { createStore } from '../lib/store/store-factory.ts';

const log = createLogger('tributary-runner');
let runner: Promise<SliceRunner> | undefined;
let stopping = false;

/** Keeps this much of the invocation's remaining time for committing and returning. */
const SAFETY_MARGIN_MS = 20_000;

async function build(env: RunnerEnv, workerId: string): Promise<SliceRunner> {
  return new SliceRunner({
    store: createStore({ tableName: env.TABLE_NAME, endpoint: env.DYNAMODB_ENDPOINT }),
    kafka: await createKafka(env, 'tributary-runner'),
    registry: await pluginRegistry(),
    log,
    workerId,
  });
}

export const handler = middy<RunnerInput, RunnerResult, Error, WithEnv<typeof runnerEnvSchema>>()
  .use(validEnv(runnerEnvSchema))
  .handler(async (input, context) => {
    runner ??= build(context.env, context.env.WORKER_ID ?? `lambda:${context.logStreamName}`);
    const started = Date.now();
    try {
      const result = await (await runner).run(input, { deadline: Date.now() + context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS, shouldStop: () => stopping });
      publishSliceMetrics({ connector: input.connector, task: input.task, records: result.records, durationMs: Date.now() - started, failed: false });
      return result;
    } catch (e) {
      publishSliceMetrics({ connector: input.connector, task: input.task, records: 0, durationMs: Date.now() - started, failed: true });
      log.error('Task slice failed', { connector: input.connector, task: input.task, error: (e as Error).message });
      throw e;
    }
  });

/** Invokes the handler as Lambda would (used by the local host's runner processes). */
export function handleRunnerInvocation(input: RunnerInput, context: Context): Promise<RunnerResult> {
  return handler(input, context as WithEnv<typeof runnerEnvSchema>);
}

/** Asks running slices to commit and return (container shutdown). */
export function stopRequested(): void {
  stopping = true;
}

/** Stops warm tasks, committing what is durable. */
export async function shutdownRunner(): Promise<void> {
  if (runner) await (await runner).shutdown();
}
