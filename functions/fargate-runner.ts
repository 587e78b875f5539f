/**
 * Fargate runner: the same runtime as the runner Lambda, long-running. The state machine
 * starts it with ECS RunTask and waits; it runs the task until the target state changes,
 * the task is fenced, or ECS stops it (SIGTERM: commit and exit).
 */
import { readEnv, runnerEnvSchema } from '../lib/config/function-env.ts';
import { createKafka } from '../lib/kafka/kafka-factory.ts';
import { pluginRegistry } from '../lib/catalog/builtin-plugins.ts';
import { createLogger } from '../lib/observability/structured-logger.ts';
import { parseRunnerInput } from '../lib/runtime/runner-input.ts';
import { SliceRunner } from '../lib/runtime/slice-runner.ts';
import { publishSliceMetrics } from '../lib/observability/runner-metrics.ts';
import { TaskMeters } from '../lib/observability/task-meter.ts';
import { createStore } from '../lib/store/store-factory.ts';

const log = createLogger('tributary-fargate-runner');
const env = readEnv(runnerEnvSchema);
const input = parseRunnerInput(JSON.parse(process.env.TRIBUTARY_RUNNER_INPUT ?? '{}'));
let stopping = false;
process.once('SIGTERM', () => {
  stopping = true;
});

const meters = new TaskMeters();
const runner = new SliceRunner({
  store: createStore({ tableName: env.TABLE_NAME, endpoint: env.DYNAMODB_ENDPOINT }),
  kafka: await createKafka(env, 'tributary-fargate-runner'),
  registry: await pluginRegistry(),
  log,
  meters,
  workerId: env.WORKER_ID ?? `fargate:${process.env.ECS_CONTAINER_METADATA_URI_V4?.split('/').pop() ?? process.pid}`,
});

// Slices of a minute keep heartbeats and metrics flowing while the task runs for days.
for (;;) {
  const started = Date.now();
  const result = await runner.run({ ...input, budgetMs: 60_000 }, { shouldStop: () => stopping });
  publishSliceMetrics({ connector: input.connector, task: input.task, records: result.records, durationMs: Date.now() - started, failed: false, sample: meters.take(input.connector, input.task) });
  if (stopping || result.hint === 'stopped' || result.hint === 'fenced') break;
}
await runner.shutdown();
log.info('Fargate runner finished', { connector: input.connector, task: input.task });
