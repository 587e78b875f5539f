/** API Lambda: API Gateway REST proxy events → the Kafka Connect REST API. */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SFNClient } from '@aws-sdk/client-sfn';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { buildApi } from '../lib/api/api-app.ts';
import { fromProxyEvent, toProxyResult } from '../lib/api/apigw-adapter.ts';
import { CloudWatchMetricsSource } from '../lib/api/cloudwatch-metrics-source.ts';
import { errorResponse, type ConnectApi } from '../lib/api/connect-api.ts';
import type { MetricsSource } from '../lib/api/metrics-source.ts';
import { assetProxyResult, consoleAsset, isConsolePath } from '../lib/console/console-assets.ts';
import { fileAssetSource } from '../lib/console/file-asset-source.ts';
import { validEnv, type WithEnv } from '../lib/config/env-middleware.ts';
import { apiEnvSchema, type ApiEnv } from '../lib/config/function-env.ts';
import { createKafka } from '../lib/kafka/kafka-factory.ts';
import type { Orchestrator } from '../lib/orchestrator/orchestrator-port.ts';
import { StepFunctionsOrchestrator } from '../lib/orchestrator/step-functions-orchestrator.ts';
import { pluginRegistry } from '../lib/catalog/builtin-plugins.ts';
import { createLogger } from '../lib/observability/structured-logger.ts';
import { createStore } from '../lib/store/store-factory.ts';

const log = createLogger('tributary-api');

/** Where task executions start: Step Functions on AWS; the local host passes its interpreter. */
export type OrchestratorFactory = (env: ApiEnv) => Orchestrator;

const stepFunctions: OrchestratorFactory = (env) => new StepFunctionsOrchestrator(new SFNClient({}), env.STATE_MACHINE_ARN);
/** Where the metrics route reads: CloudWatch on AWS; the local host passes its own history. */
const cloudWatch = (): MetricsSource => new CloudWatchMetricsSource(new CloudWatchClient({}));

export function createApiHandler(orchestrator: OrchestratorFactory = stepFunctions, metrics: () => MetricsSource = cloudWatch) {
  let api: Promise<ConnectApi> | undefined;
  const build = async (env: ApiEnv): Promise<ConnectApi> =>
    buildApi({
      store: createStore({ tableName: env.TABLE_NAME, endpoint: env.DYNAMODB_ENDPOINT }),
      kafka: await createKafka(env, 'tributary-api'),
      registry: await pluginRegistry(),
      orchestrator: orchestrator(env),
      metrics: metrics(),
      workerId: env.WORKER_ID,
      log,
    }).api;
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, WithEnv<typeof apiEnvSchema>>()
    .use(validEnv(apiEnvSchema))
    .use({
      onError: (request) => {
        // Failures before routing (environment, cold start) still answer in Connect's error format.
        log.error('API handler failed', { error: request.error?.message });
        request.response = toProxyResult(errorResponse(request.error, fromProxyEvent(request.event)));
      },
    })
    .handler(async (event, context) => {
      // The web console's files, from the console layer, behind the same IAM auth as the API.
      const consoleDir = context.env.CONSOLE_DIR;
      if (consoleDir && isConsolePath(event.path)) return assetProxyResult(await consoleAsset(event.httpMethod, event.path, fileAssetSource(consoleDir)));
      api ??= build(context.env).catch((e: unknown) => {
        api = undefined;
        throw e;
      });
      return toProxyResult(await (await api)(fromProxyEvent(event)));
    });
}

export const handler = createApiHandler();
