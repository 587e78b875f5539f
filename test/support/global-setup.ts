/**
 * Starts the real components integration tests need, once per run: an Apache Kafka broker
 * (KRaft), DynamoDB Local and a Confluent-compatible Schema Registry (Apicurio), private
 * PostgreSQL and MariaDB, S3Mock, ElasticMQ and a single Cassandra node, on free ports of their own so neither a running `npm start` nor
 * another test run can interfere (TRIBUTARY_TEST_REUSE=1 reuses ones on 19092 / 18000 / 18081
 * instead, for quick iterations). Unit-only runs (TRIBUTARY_TEST_UNIT_ONLY=1) skip this.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureDynamoDb } from '../../host/dynamodb-launcher.ts';
import { ensureKafka } from '../../host/kafka-launcher.ts';
import { isPortOpen } from '../../host/net-probe.ts';
import { ensureSchemaRegistry } from '../../host/schema-registry-launcher.ts';
import { freePort } from './local-host-process.ts';
import { startMariaDbCdc } from '../../host/mariadb-cdc-launcher.ts';
import { startPostgresCdc } from '../../host/postgres-cdc-launcher.ts';
import { startCassandra } from '../../host/cassandra-launcher.ts';
import { startElasticMq, startS3Mock } from '../../host/aws-emulator-launcher.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBootstrap: string;
    dynamoEndpoint: string;
    /** Confluent-compatible Schema Registry API (Apicurio's ccompat). */
    schemaRegistryUrl: string;
    /** The same registry's own API, for Apicurio's converters in the peer Connect. */
    apicurioRegistryUrl: string;
    /** host:port of a private PostgreSQL with wal_level=logical (user and password postgres). */
    postgresCdc: string;
    /** host:port of a private MariaDB with a ROW binlog (user and password cdc). */
    mariadbCdc: string;
    s3Endpoint: string;
    sqsEndpoint: string;
    /** host:port of a single Cassandra node (user and password cassandra, data center datacenter1). */
    cassandraContactPoint: string;
  }
}

const REUSE_KAFKA_PORT = 19092;
const REUSE_DYNAMO_PORT = 18000;
const REUSE_REGISTRY_PORT = 18081;

/** A free port whose successor is free too (Kafka's controller listens there). */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 65535 && !(await isPortOpen(port + 1))) return port;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.TRIBUTARY_TEST_UNIT_ONLY === '1') {
    project.provide('kafkaBootstrap', '');
    project.provide('dynamoEndpoint', '');
    project.provide('schemaRegistryUrl', '');
    project.provide('apicurioRegistryUrl', '');
    project.provide('postgresCdc', '');
    project.provide('mariadbCdc', '');
    project.provide('s3Endpoint', '');
    project.provide('sqsEndpoint', '');
    project.provide('cassandraContactPoint', '');
    return async () => {};
  }
  const dir = mkdtempSync(join(tmpdir(), 'tributary-test-'));
  const log = (line: string) => console.log(`[test stack] ${line}`);
  // The suite always runs its own components, whatever the shell points at.
  const { KAFKA_BOOTSTRAP_SERVERS: _kafka, DYNAMODB_ENDPOINT: _dynamo, SCHEMA_REGISTRY_URL: _registry, ...env } = process.env;
  const reuse = process.env.TRIBUTARY_TEST_REUSE === '1';
  const [kafkaPort, dynamoPort] = reuse ? [REUSE_KAFKA_PORT, REUSE_DYNAMO_PORT] : [await freePortPair(), await freePort()];
  const registryPort = reuse ? REUSE_REGISTRY_PORT : await freePort();
  const [kafka, dynamo, registry, pgCdc, mariaCdc, s3, sqs, cassandra] = await Promise.all([
    ensureKafka({ dataDir: dir, port: kafkaPort, log, env }),
    ensureDynamoDb({ dataDir: dir, port: dynamoPort, log, env }),
    ensureSchemaRegistry({ dataDir: dir, port: registryPort, log, env }),
    startPostgresCdc({ port: await freePort(), log }),
    startMariaDbCdc({ port: await freePort(), log }),
    startS3Mock(dir, log),
    startElasticMq(dir, log),
    startCassandra(dir, log),
  ]);
  log(`Kafka ${kafka.bootstrapServers} (${kafka.origin}), DynamoDB Local ${dynamo.endpoint} (${dynamo.origin}), Schema Registry ${registry.url} (${registry.origin})`);
  project.provide('kafkaBootstrap', kafka.bootstrapServers);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('schemaRegistryUrl', registry.url);
  project.provide('apicurioRegistryUrl', registry.apicurioUrl ?? '');
  project.provide('postgresCdc', `${pgCdc.host}:${pgCdc.port}`);
  project.provide('mariadbCdc', `${mariaCdc.host}:${mariaCdc.port}`);
  project.provide('s3Endpoint', s3.endpoint);
  project.provide('sqsEndpoint', sqs.endpoint);
  project.provide('cassandraContactPoint', cassandra.contactPoint);
  return async () => {
    // Components this run merely reused belong to whoever started them.
    await Promise.all([kafka.stop(), dynamo.stop(), registry.stop(), pgCdc.stop(), mariaCdc.stop(), s3.stop(), sqs.stop(), cassandra.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
}
