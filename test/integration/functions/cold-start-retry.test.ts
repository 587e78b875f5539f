/**
 * Regression test for "a rejected cold-start promise kept with `??=`": one transient failure
 * while a runner or restarter container initializes (Secrets Manager or Kafka unreachable)
 * used to break that warm container for its whole life, every later invocation rethrowing
 * the cached rejection. A failed initialization must be retried on the next invocation.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueName } from '../../support/local-host-process.ts';
import { lambdaContext } from '../../../host/lambda-context.ts';
import { createStore } from '../../../lib/store/store-factory.ts';
import type { Orchestrator } from '../../../lib/orchestrator/orchestrator-port.ts';

const dynamoEndpoint = inject('dynamoEndpoint');

/** A Secrets Manager endpoint that refuses the first GetSecretValue and answers the rest. */
function flakySecretsManager(): Promise<{ server: Server; url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      res.setHeader('Content-Type', 'application/x-amz-json-1.1');
      if (requests === 1) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'transient: the VPC endpoint was not ready' }));
        return;
      }
      res.end(JSON.stringify({ ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:kafka-AbCdEf', Name: 'kafka', SecretString: JSON.stringify({ username: 'u', password: 'p' }) }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests })),
  );
}

describe('cold starts that heal', () => {
  let secrets: Awaited<ReturnType<typeof flakySecretsManager>>;
  const saved = { ...process.env };

  beforeAll(async () => {
    secrets = await flakySecretsManager();
    Object.assign(process.env, {
      TABLE_NAME: uniqueName('cold-start'),
      DYNAMODB_ENDPOINT: dynamoEndpoint,
      // Nothing listens here: after a healed cold start the slice fails on Kafka, not on the secret.
      KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9',
      KAFKA_AUTH: 'sasl-scram-256',
      KAFKA_SASL_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:kafka-AbCdEf',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:cold-start',
    });
  });

  afterAll(async () => {
    process.env = saved;
    await new Promise((r) => secrets.server.close(r));
  });

  it('the runner retries a failed initialization on its next invocation', async () => {
    const { handler } = await import('../../../functions/runner-handler.ts');
    const input = { connector: 'c', task: 0, epoch: 1, budgetMs: 1000 } as never;
    const invoke = () => handler(input, lambdaContext('tributary-runner', 30_000) as never);
    await expect(invoke()).rejects.toThrow(/transient/);
    expect(secrets.requests()).toBe(1);
    const second = await invoke().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    // The second invocation asked Secrets Manager again and got past it.
    expect(secrets.requests()).toBe(2);
    expect(second?.message ?? '').not.toMatch(/transient/);
  });

  it('the restarter retries a failed initialization on its next invocation', async () => {
    const tableName = uniqueName('cold-start');
    const table = createStore({ tableName, endpoint: dynamoEndpoint });
    await table.ensureTable();
    process.env.TABLE_NAME = tableName;
    const { createRestarterHandler } = await import('../../../functions/restarter-handler.ts');
    let builds = 0;
    const handler = createRestarterHandler((): Orchestrator => {
      if (++builds === 1) throw new Error('transient: Step Functions endpoint unreachable');
      return { startExecution: async () => {} };
    });
    const context = () => lambdaContext('tributary-restarter', 60_000) as Context as never;
    const sweep = { source: 'aws.events', 'detail-type': 'Scheduled Event' };
    await expect(handler(sweep, context())).rejects.toThrow(/transient/);
    await expect(handler(sweep, context())).resolves.toEqual({ outcomes: [], reconfigured: [] });
    expect(builds).toBe(2);
  });
});
