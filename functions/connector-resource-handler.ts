/**
 * Custom resource Lambda of the `TributaryConnector` construct: CloudFormation's create,
 * update and delete of a declared connector, applied through the API function (an API
 * Gateway proxy event per call), so a deploy is validated and planned like any REST call.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import middy from '@middy/core';
import type { APIGatewayProxyResult, CloudFormationCustomResourceEvent } from 'aws-lambda';
import { proxyEvent } from '../lib/api/apigw-adapter.ts';
import { validEnv, type WithEnv } from '../lib/config/env-middleware.ts';
import { connectorResourceEnvSchema } from '../lib/config/function-env.ts';
import { createDeclared, deleteDeclared, updateDeclared, type DeclaredConnector, type DeclaredState, type RestCall } from '../lib/control/declared-connector.ts';
import { createLogger } from '../lib/observability/structured-logger.ts';

/** The properties the construct gives the custom resource (CloudFormation passes strings). */
export interface ConnectorResourceProperties {
  readonly Name: string;
  readonly Config: Record<string, string>;
  readonly State?: DeclaredState;
  /** JSON of `[{partition, offset}]`. */
  readonly InitialOffsets?: string;
}

export interface ConnectorResourceResult {
  readonly PhysicalResourceId: string;
}

const log = createLogger('tributary-connector-resource');

/** Calls the API function with proxy events, as API Gateway would. */
export function lambdaRestCall(functionName: string, client = new LambdaClient({})): RestCall {
  return async (method, path, body) => {
    const out = await client.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(proxyEvent(method, path, body))) }));
    const text = Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
    if (out.FunctionError) throw new Error(`The API function failed (${out.FunctionError}): ${text.slice(0, 500)}`);
    const result = JSON.parse(text) as APIGatewayProxyResult;
    return { status: result.statusCode, body: result.body ? (JSON.parse(result.body) as unknown) : undefined };
  };
}

export function declared(p: ConnectorResourceProperties): DeclaredConnector {
  return { name: p.Name, config: p.Config, state: p.State, initialOffsets: p.InitialOffsets ? (JSON.parse(p.InitialOffsets) as DeclaredConnector['initialOffsets']) : undefined };
}

/** The event handling on its own, for tests: `call` reaches the REST API. */
export async function onConnectorEvent(event: CloudFormationCustomResourceEvent, call: RestCall): Promise<ConnectorResourceResult> {
  const props = event.ResourceProperties as unknown as ConnectorResourceProperties;
  log.info('Connector resource event', { requestType: event.RequestType, connector: props.Name });
  switch (event.RequestType) {
    case 'Create':
      await createDeclared(call, declared(props));
      return { PhysicalResourceId: props.Name };
    case 'Update': {
      // A new name is a new connector: CloudFormation deletes the old physical resource afterwards.
      if (event.PhysicalResourceId !== props.Name) {
        await createDeclared(call, declared(props));
        return { PhysicalResourceId: props.Name };
      }
      await updateDeclared(call, declared(props));
      return { PhysicalResourceId: props.Name };
    }
    case 'Delete':
      await deleteDeclared(call, event.PhysicalResourceId);
      return { PhysicalResourceId: event.PhysicalResourceId };
  }
}

let lambda: LambdaClient | undefined;

export const handler = middy<CloudFormationCustomResourceEvent, ConnectorResourceResult, Error, WithEnv<typeof connectorResourceEnvSchema>>()
  .use(validEnv(connectorResourceEnvSchema))
  .handler((event, context) => onConnectorEvent(event, lambdaRestCall(context.env.API_FUNCTION_NAME, (lambda ??= new LambdaClient({})))));
