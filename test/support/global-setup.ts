/**
 * Starts the real components integration tests need, once per run: an Apache Kafka broker
 * (KRaft) and DynamoDB Local, on test ports so a running `npm start` is left alone. Already
 * listening ones are reused. Unit-only runs (TRIBUTARY_TEST_UNIT_ONLY=1) skip this.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureDynamoDb } from '../../lib/local/dynamodb-launcher.ts';
import { ensureKafka } from '../../lib/local/kafka-launcher.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBootstrap: string;
    dynamoEndpoint: string;
  }
}

export const TEST_KAFKA_PORT = 19092;
export const TEST_DYNAMO_PORT = 18000;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.TRIBUTARY_TEST_UNIT_ONLY === '1') {
    project.provide('kafkaBootstrap', '');
    project.provide('dynamoEndpoint', '');
    return async () => {};
  }
  const dir = mkdtempSync(join(tmpdir(), 'tributary-test-'));
  const log = (line: string) => console.log(`[test stack] ${line}`);
  // The suite always runs its own components, whatever the shell points at.
  const { KAFKA_BOOTSTRAP_SERVERS: _kafka, DYNAMODB_ENDPOINT: _dynamo, ...env } = process.env;
  const [kafka, dynamo] = await Promise.all([
    ensureKafka({ dataDir: dir, port: TEST_KAFKA_PORT, log, env }),
    ensureDynamoDb({ dataDir: dir, port: TEST_DYNAMO_PORT, log, env }),
  ]);
  log(`Kafka ${kafka.bootstrapServers} (${kafka.origin}), DynamoDB Local ${dynamo.endpoint} (${dynamo.origin})`);
  project.provide('kafkaBootstrap', kafka.bootstrapServers);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return async () => {
    await Promise.all([kafka.stop(), dynamo.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
}
