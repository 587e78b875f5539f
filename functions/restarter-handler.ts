/** Restarter Lambda: EventBridge (Step Functions, ECS) and CloudWatch alarm events → restarts under the restart policy. */
import { SFNClient } from '@aws-sdk/client-sfn';
import middy from '@middy/core';
import { validEnv, type WithEnv } from '../lib/config/env-middleware.ts';
import { restarterEnvSchema } from '../lib/config/function-env.ts';
import { TaskRestarter, type RestarterEvent } from '../lib/control/task-restarter.ts';
import type { Orchestrator } from '../lib/orchestrator/orchestrator-port.ts';
import { StepFunctionsOrchestrator } from '../lib/orchestrator/step-functions-orchestrator.ts';
import { createLogger } from '../lib/runtime/runtime-logger.ts';
import { createStore } from '../lib/store/store-factory.ts';

const log = createLogger('tributary-restarter');
export function createRestarterHandler(orchestrator: (stateMachineArn: string) => Orchestrator = (arn) => new StepFunctionsOrchestrator(new SFNClient({}), arn)) {
  let restarter: TaskRestarter | undefined;
  return middy<RestarterEvent, unknown, Error, WithEnv<typeof restarterEnvSchema>>()
    .use(validEnv(restarterEnvSchema))
    .handler(async (event, context) => {
      const env = context.env;
      restarter ??= new TaskRestarter(
        { store: createStore({ tableName: env.TABLE_NAME, endpoint: env.DYNAMODB_ENDPOINT }), orchestrator: orchestrator(env.STATE_MACHINE_ARN), log, workerId: 'tributary-restarter' },
        env.STALE_AFTER_MS,
      );
      return { outcomes: await restarter.handle(event) };
    });
}

export const handler = createRestarterHandler();
