/**
 * The SQS source through the local stack with a fault-injecting proxy in front of ElasticMQ:
 * real 503 ServiceUnavailable answers to ReceiveMessage and 500 InternalError answers to
 * DeleteMessageBatch are retried (receives after a backoff, deletes at the next commit) with the
 * task RUNNING throughout, every message reaching Kafka and the queue emptied; a permanent 403
 * AccessDenied fails the task with a trace naming the queue.
 */
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { emulatorSqsClient } from '../../../../host/aws-emulator-launcher.ts';
import { startFaultProxy, type Fault, type FaultProxy } from '../../../support/fault-proxy.ts';
import { uniqueName } from '../../../support/local-host-process.ts';
import { eventually, rest } from '../../../support/rest-client.ts';
import { createQueue, messagesLeft, sendMessages } from '../../../support/sqs-test-queue.ts';
import { E2eHost, TopicReader, type ConnectorStatus } from '../jdbc-e2e/e2e-support.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const sqsEndpoint = inject('sqsEndpoint');
const MESSAGES = 600;

/** An SQS error as the JSON protocol answers it (the type, and the query-compatible code header). */
const sqsFault = (status: number, code: string): Fault => ({
  status,
  body: JSON.stringify({ __type: `com.amazonaws.sqs#${code}`, message: `${code} injected by the test proxy` }),
  contentType: 'application/x-amz-json-1.0',
});
const operation = (req: IncomingMessage) => String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');

describe('SQS source against injected SQS faults', () => {
  const host = new E2eHost(kafkaBootstrap, dynamoEndpoint);
  const reader = new TopicReader(kafkaBootstrap);
  const sqs = emulatorSqsClient(sqsEndpoint);
  const names: string[] = [];
  let proxy: FaultProxy;

  const sourceConfig = (url: string, topic: string, extra: Record<string, string> = {}) => ({
    'connector.class': 'com.nordstrom.kafka.connect.sqs.SqsSourceConnector',
    'sqs.queue.url': url,
    'sqs.endpoint.url': proxy.url,
    'sqs.region': 'us-east-1',
    topics: topic,
    'sqs.max.messages': '10',
    'sqs.wait.time.seconds': '1',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.flush.interval.ms': '500',
    ...extra,
  });

  beforeAll(async () => {
    proxy = await startFaultProxy(sqsEndpoint);
    await host.start();
  }, 120_000);

  afterAll(async () => {
    await host.deleteConnectors(...names);
    await host.close();
    await proxy.close();
    sqs.destroy();
  });

  it('503 on receive and 500 on delete are retried: every message in Kafka, the queue emptied, the task never FAILED', async () => {
    // A visibility timeout longer than the test: a message comes again only if its delete was lost, not by expiry.
    const url = await createQueue(sqs, uniqueName('faults-src'), { VisibilityTimeout: '300' });
    const topic = uniqueName('sqs-faults');
    const name = uniqueName('sqs-source-faults');
    names.push(name);
    const bodies = Array.from({ length: MESSAGES }, (_, i) => `m-${i}`);
    await sendMessages(sqs, url, bodies);
    // One receive in three and one delete call in two fail, more often than the SDK's own attempts absorb.
    const calls = new Map<string, number>();
    proxy.setRule((req) => {
      const op = operation(req);
      const n = (calls.get(op) ?? 0) + 1;
      calls.set(op, n);
      if (op === 'ReceiveMessage' && n % 3 === 0) return sqsFault(503, 'ServiceUnavailable');
      if (op === 'DeleteMessageBatch' && n % 2 === 0) return sqsFault(500, 'InternalError');
      return undefined;
    });
    const states = new Set<string>();
    expect((await rest(host.url, 'POST', '/connectors', { name, config: sourceConfig(url, topic) })).status).toBe(201);
    await eventually(
      async () => {
        const status = await rest<ConnectorStatus>(host.url, 'GET', `/connectors/${name}/status`);
        states.add(status.body.tasks?.[0]?.state ?? 'none');
        return (await messagesLeft(sqs, url)) === 0 && (await reader.count(topic)) >= MESSAGES;
      },
      { what: 'the queue to be emptied into Kafka through the faults', timeoutMs: 180_000, intervalMs: 250 },
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}: ${await messagesLeft(sqs, url)} left in the queue, ${await reader.count(topic)} in Kafka, task states ${[...states].join(', ')}, injected ${proxy.injected.length}\n${host.output().split('\n').slice(-30).join('\n')}`);
    });
    expect(proxy.injected.filter((f) => f.startsWith('503')).length).toBeGreaterThan(0);
    expect(proxy.injected.filter((f) => f.startsWith('500')).length).toBeGreaterThan(0);
    const got = new Set((await reader.snapshot(topic)).map((m) => String(m.value)));
    expect(bodies.filter((b) => !got.has(b))).toEqual([]);
    expect([...states]).not.toContain('FAILED');
    const status = await rest<ConnectorStatus>(host.url, 'GET', `/connectors/${name}/status`);
    expect(status.body.tasks?.[0]?.state).toBe('RUNNING');
    await rest(host.url, 'DELETE', `/connectors/${name}`);
  }, 240_000);

  it('a 403 AccessDenied on receive fails the task with a trace naming the queue', async () => {
    const url = await createQueue(sqs, uniqueName('faults-denied'));
    const topic = uniqueName('sqs-denied');
    const name = uniqueName('sqs-source-denied');
    names.push(name);
    await sendMessages(sqs, url, ['one']);
    proxy.setRule((req) => (operation(req) === 'ReceiveMessage' ? sqsFault(403, 'AccessDenied') : undefined));
    expect((await rest(host.url, 'POST', '/connectors', { name, config: sourceConfig(url, topic, { 'tributary.restart.max.per.hour': '0' }) })).status).toBe(201);
    const status = await host.failed(name);
    expect(status.tasks[0]?.trace).toContain(url);
    expect(status.tasks[0]?.trace).toMatch(/AccessDenied|denied/i);
  }, 120_000);
});
