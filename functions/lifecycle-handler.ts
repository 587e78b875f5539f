/** Lifecycle Lambda: the state machine's acquireLease / afterSlice / recordFailure / continueAsNew steps. */
import { SFNClient } from '@aws-sdk/client-sfn';
import middy from '@middy/core';
import { validEnv, type WithEnv } from '../lib/config/env-middleware.ts';
import { lifecycleEnvSchema } from '../lib/config/function-env.ts';
import { TaskLifecycle, type LifecycleEvent } from '../lib/control/task-lifecycle.ts';
import { StepFunctionsOrchestrator } from '../lib/orchestrator/step-functions-orchestrator.ts';
import type { Orchestrator } from '../lib/orchestrator/orchestrator-port.ts';
import { createLogger } from '../lib/observability/structured-logger.ts';
import type { ConnectorStore } from '../lib/store/store-ports.ts';
import { createStore } from '../lib/store/store-factory.ts';

/** Where continue-as-new starts the next execution; by default the state machine that called us. */
export type LifecycleOrchestrator = (stateMachine: string | undefined) => Orchestrator;

const stepFunctions: LifecycleOrchestrator = (stateMachine) => ({
  startExecution: (name, input) => new StepFunctionsOrchestrator(new SFNClient({}), stateMachine ?? '').startExecution(name, input),
});

export function createLifecycleHandler(orchestrator: LifecycleOrchestrator = stepFunctions) {
  return middy<LifecycleEvent, unknown, Error, WithEnv<typeof lifecycleEnvSchema>>()
    .use(validEnv(lifecycleEnvSchema))
    .handler(async (event, context) => {
      const env = context.env;
      const lifecycle = new TaskLifecycle(
        storeFor(env.TABLE_NAME, env.DYNAMODB_ENDPOINT),
        // continue-as-new learns its state machine from the execution context, which avoids a deploy-time cycle.
        orchestrator(event.action === 'continueAsNew' ? event.stateMachine : undefined),
        { sliceBudgetMs: env.SLICE_BUDGET_MS, idleBackoffMaxMs: env.IDLE_BACKOFF_MAX_MS, slicesPerExecution: env.SLICES_PER_EXECUTION, idleMs: env.IDLE_SLICE_END_MS, workerId: 'tributary-lifecycle' },
        log,
      );
      return lifecycle.handle(event);
    });
}

const log = createLogger('tributary-lifecycle');
let store: ConnectorStore | undefined;
function storeFor(tableName: string, endpoint: string | undefined): ConnectorStore {
  store ??= createStore({ tableName, endpoint });
  return store;
}

export const handler = createLifecycleHandler();
