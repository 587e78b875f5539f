/**
 * Restarter Lambda: EventBridge (Step Functions, ECS) and CloudWatch alarm events → restarts
 * under the restart policy. Scheduled sweeps also re-plan connectors whose task split can
 * change at run time (e.g. new JDBC tables).
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import middy from '@middy/core';
import { validEnv, type WithEnv } from '../lib/config/env-middleware.ts';
import { restarterEnvSchema, type RestarterEnv } from '../lib/config/function-env.ts';
import { ConnectorMonitor } from '../lib/control/connector-monitor.ts';
import { TaskRestarter, type RestarterEvent } from '../lib/control/task-restarter.ts';
import type { Orchestrator } from '../lib/orchestrator/orchestrator-port.ts';
import { StepFunctionsOrchestrator } from '../lib/orchestrator/step-functions-orchestrator.ts';
import { pluginRegistry } from '../lib/catalog/builtin-plugins.ts';
import { createLogger } from '../lib/observability/structured-logger.ts';
import { initOnce } from '../lib/runtime/cold-start.ts';
import { createStore } from '../lib/store/store-factory.ts';

const log = createLogger('tributary-restarter');
const WORKER_ID = 'tributary-restarter';

export function createRestarterHandler(orchestrator: (stateMachineArn: string) => Orchestrator = (arn) => new StepFunctionsOrchestrator(new SFNClient({}), arn)) {
  let parts: (() => Promise<{ restarter: TaskRestarter; monitor: ConnectorMonitor }>) | undefined;
  const build = async (env: RestarterEnv) => {
    const store = createStore({ tableName: env.TABLE_NAME, endpoint: env.DYNAMODB_ENDPOINT });
    const orch = orchestrator(env.STATE_MACHINE_ARN);
    return {
      restarter: new TaskRestarter({ store, orchestrator: orch, log, workerId: WORKER_ID }, env.STALE_AFTER_MS),
      monitor: new ConnectorMonitor({ store, registry: await pluginRegistry(), orchestrator: orch, workerId: WORKER_ID, log }),
    };
  };
  return middy<RestarterEvent, unknown, Error, WithEnv<typeof restarterEnvSchema>>()
    .use(validEnv(restarterEnvSchema))
    .handler(async (event, context) => {
      // A failed cold start is retried on the next invocation, not kept for the container's life.
      parts ??= initOnce(() => build(context.env));
      const { restarter, monitor } = await parts();
      const outcomes = await restarter.handle(event);
      // An execution's end concerns one task; anything else is a sweep over every connector.
      const reconfigured = event.source === 'aws.states' ? [] : await monitor.checkAll();
      return { outcomes, reconfigured };
    });
}

export const handler = createRestarterHandler();
