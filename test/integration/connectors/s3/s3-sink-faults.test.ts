/**
 * The S3 sink through the local stack with a fault-injecting proxy in front of S3Mock: real
 * 503 SlowDown and 500 InternalError answers are retried (by the SDK, then by redelivering the
 * batch after s3.retry.backoff.ms) until every record is in exactly one object; a permanent
 * 403 AccessDenied fails the task with a trace naming the object's key.
 */
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBucket, getObject, listKeys } from '../../../support/aws-test-clients.ts';
import { emulatorS3Client } from '../../../../host/aws-emulator-launcher.ts';
import { startFaultProxy, s3Fault, type FaultProxy } from '../../../support/fault-proxy.ts';
import { createTopics } from '../../../support/kafka-helpers.ts';
import { uniqueName } from '../../../support/local-host-process.ts';
import { eventually, rest } from '../../../support/rest-client.ts';
import { E2eHost, TopicReader, type ConnectorStatus } from '../jdbc-e2e/e2e-support.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const s3Endpoint = inject('s3Endpoint');
const RECORDS = 600;
const FLUSH = 100;

const isObjectPut = (req: IncomingMessage, topic: string) => req.method === 'PUT' && (req.url ?? '').includes(`/topics/${topic}/`);

describe('S3 sink against injected S3 faults', () => {
  const host = new E2eHost(kafkaBootstrap, dynamoEndpoint);
  const reader = new TopicReader(kafkaBootstrap);
  const s3 = emulatorS3Client(s3Endpoint);
  const bucket = uniqueName('faults-bucket');
  const names: string[] = [];
  let proxy: FaultProxy;

  const sinkConfig = (topic: string, extra: Record<string, string> = {}) => ({
    'connector.class': 'io.confluent.connect.s3.S3SinkConnector',
    topics: topic,
    's3.bucket.name': bucket,
    's3.region': 'us-east-1',
    'store.url': proxy.url,
    'flush.size': String(FLUSH),
    's3.part.retries': '2',
    's3.retry.backoff.ms': '100',
    'format.class': 'io.confluent.connect.s3.format.json.JsonFormat',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'false',
    'offset.flush.interval.ms': '500',
    ...extra,
  });

  beforeAll(async () => {
    proxy = await startFaultProxy(s3Endpoint);
    await createBucket(s3, bucket);
    await host.start();
  }, 120_000);

  afterAll(async () => {
    await host.deleteConnectors(...names);
    await host.close();
    await proxy.close();
    s3.destroy();
  });

  it('503 SlowDown and 500 InternalError answers are retried with backoff until every record is in exactly one object', async () => {
    const topic = uniqueName('s3-flaky');
    const name = uniqueName('s3-sink-flaky');
    names.push(name);
    await createTopics(reader.kafka, [topic], 1);
    await reader.kafka.produce(topic, Array.from({ length: RECORDS }, (_, i) => ({ value: JSON.stringify({ i }) })));
    // Each object's first three PUTs fail: more than the SDK's two attempts, so some batches are redelivered too.
    const attempts = new Map<string, number>();
    proxy.setRule((req) => {
      if (!isObjectPut(req, topic)) return undefined;
      const n = (attempts.get(req.url ?? '') ?? 0) + 1;
      attempts.set(req.url ?? '', n);
      return n <= 3 ? (n % 2 ? s3Fault(503, 'SlowDown') : s3Fault(500, 'InternalError')) : undefined;
    });
    expect((await rest(host.url, 'POST', '/connectors', { name, config: sinkConfig(topic) })).status).toBe(201);
    await eventually(
      async () => {
        const r = await rest<{ offsets: { offset: { kafka_offset: number } }[] }>(host.url, 'GET', `/connectors/${name}/offsets`);
        return r.body.offsets?.[0]?.offset.kafka_offset === RECORDS;
      },
      { what: `${name} to commit all ${RECORDS} records`, timeoutMs: 180_000, intervalMs: 500 },
    );
    expect(proxy.injected.filter((f) => f.startsWith('503 PUT')).length).toBeGreaterThanOrEqual(RECORDS / FLUSH);
    expect(proxy.injected.filter((f) => f.startsWith('500 PUT')).length).toBeGreaterThanOrEqual(RECORDS / FLUSH);
    const keys = await listKeys(s3, bucket, `topics/${topic}/`);
    expect(keys).toHaveLength(RECORDS / FLUSH);
    const seen: number[] = [];
    for (const key of keys) for (const line of String(await getObject(s3, bucket, key)).trim().split('\n')) seen.push((JSON.parse(line) as { i: number }).i);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: RECORDS }, (_, i) => i));
    const status = await rest<ConnectorStatus>(host.url, 'GET', `/connectors/${name}/status`);
    expect(status.body.tasks?.[0]?.state).toBe('RUNNING');
  }, 240_000);

  it('a 403 AccessDenied fails the task with a trace naming the object key', async () => {
    const topic = uniqueName('s3-denied');
    const name = uniqueName('s3-sink-denied');
    names.push(name);
    await createTopics(reader.kafka, [topic], 1);
    await reader.kafka.produce(topic, Array.from({ length: FLUSH }, (_, i) => ({ value: JSON.stringify({ i }) })));
    proxy.setRule((req) => (isObjectPut(req, topic) ? s3Fault(403, 'AccessDenied') : undefined));
    expect((await rest(host.url, 'POST', '/connectors', { name, config: sinkConfig(topic, { 'tributary.restart.max.per.hour': '0' }) })).status).toBe(201);
    const status = await host.failed(name);
    expect(status.tasks[0]?.trace).toContain(`s3://${bucket}/topics/${topic}/partition=0/${topic}+0+0000000000.json`);
    expect(status.tasks[0]?.trace).toMatch(/denied/i);
  }, 120_000);
});
