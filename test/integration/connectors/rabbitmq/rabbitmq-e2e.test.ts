/**
 * The RabbitMQ source and sink through the whole local stack against the RabbitMQ running on
 * 127.0.0.1:5672 (guest/guest), on queues and exchanges with random names that the test
 * deletes. Both survive a SIGKILL of their runner mid-stream with nothing lost: the source
 * acknowledges only after the Kafka commit, so the broker redelivers what a killed runner held.
 */
import { connect, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTopics } from '../../../support/kafka-helpers.ts';
import { uniqueName } from '../../../support/local-host-process.ts';
import { eventually, rest } from '../../../support/rest-client.ts';
import { E2eHost, envSize, TopicReader } from '../jdbc-e2e/e2e-support.ts';
import { killRunner } from '../../../support/fault-helpers.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const RABBITMQ = 'amqp://guest:guest@127.0.0.1:5672';
const MESSAGES = envSize('TRIBUTARY_RABBITMQ_E2E_MESSAGES', 20_000);

interface ValidateResult {
  error_count: number;
  configs: { value: { name: string; errors: string[] } }[];
}
const errorsOf = (r: ValidateResult, key: string) => r.configs.find((c) => c.value.name === key)?.value.errors ?? [];

describe('RabbitMQ source and sink end to end', () => {
  const host = new E2eHost(kafkaBootstrap, dynamoEndpoint);
  const reader = new TopicReader(kafkaBootstrap);
  const queues: string[] = [];
  const exchanges: string[] = [];
  const connectors: string[] = [];
  let amqp: ChannelModel;

  beforeAll(async () => {
    amqp = await connect(RABBITMQ);
    await host.start();
  }, 120_000);

  afterAll(async () => {
    await host.deleteConnectors(...connectors);
    await host.close();
    const ch = await amqp.createChannel();
    for (const q of queues) await ch.deleteQueue(q).catch(() => undefined);
    for (const x of exchanges) await ch.deleteExchange(x).catch(() => undefined);
    await amqp.close();
  });

  async function newQueue(): Promise<string> {
    const q = uniqueName('tributary-test-q');
    queues.push(q);
    const ch = await amqp.createChannel();
    await ch.assertQueue(q, { durable: true });
    await ch.close();
    return q;
  }

  it(`source: ${MESSAGES} messages from a queue into Kafka through a SIGKILL, none lost, properties and headers as Kafka headers`, async () => {
    const queue = await newQueue();
    const topic = uniqueName('rabbit-in');
    const name = uniqueName('rabbit-source');
    connectors.push(name);
    const ch = await amqp.createConfirmChannel();
    for (let i = 0; i < MESSAGES; i++) {
      ch.sendToQueue(queue, Buffer.from(JSON.stringify({ id: i })), { persistent: true, messageId: `m${i}`, contentType: 'application/json', headers: { origin: 'test', seq: i } });
      if (i % 1000 === 999) await ch.waitForConfirms();
    }
    await ch.waitForConfirms();
    await ch.close();

    const created = await rest(host.url, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'io.confluent.connect.rabbitmq.RabbitMQSourceConnector',
        'kafka.topic': topic,
        'rabbitmq.queue': queue,
        'rabbitmq.host': '127.0.0.1',
        'rabbitmq.prefetch.count': '500',
        'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'offset.flush.interval.ms': '1000',
        'tributary.restart.max.per.hour': '100',
      },
    });
    expect(created.status).toBe(201);
    await reader.atLeast(topic, MESSAGES / 3);
    expect(await killRunner(host.url, name)).toBeDefined();
    await reader.atLeast(topic, MESSAGES);
    // Every message acknowledged: the queue is empty and holds nothing unacknowledged once the connector is gone.
    await eventually(async () => (await amqp.createChannel().then(async (c) => (await c.checkQueue(queue).finally(() => c.close())).messageCount)) === 0, { what: `${queue} drained` });
    await rest(host.url, 'DELETE', `/connectors/${name}`);
    await host.executionsGone(name);
    const c2 = await amqp.createChannel();
    expect((await c2.checkQueue(queue)).messageCount).toBe(0);
    await c2.close();

    const messages = await reader.snapshot(topic);
    const ids = new Set(messages.map((m) => (JSON.parse(m.value?.toString() ?? '{}') as { id: number }).id));
    const missing = Array.from({ length: MESSAGES }, (_, i) => i).filter((i) => !ids.has(i));
    expect(missing).toEqual([]);
    console.info(`RabbitMQ source e2e: ${MESSAGES} messages, ${messages.length - MESSAGES} redelivered after the kill`);
    expect(messages[0]?.key?.toString()).toMatch(/^m\d+$/);

    const [first] = await reader.kafka.readAll(topic, 1);
    const headers = first?.headers ?? {};
    expect(headers).toMatchObject({ 'rabbitmq.content.type': 'application/json', origin: 'test', 'rabbitmq.routing.key': queue, 'rabbitmq.exchange': '' });
    expect(headers['rabbitmq.message.id']).toMatch(/^m\d+$/);
  }, 300_000);

  it(`sink: ${MESSAGES} records to an exchange with a routing key template and confirms, through a SIGKILL, none lost`, async () => {
    const topic = uniqueName('rabbit-out');
    const exchange = uniqueName('tributary-test-x');
    exchanges.push(exchange);
    const queue = await newQueue();
    const ch = await amqp.createChannel();
    await ch.assertExchange(exchange, 'topic', { durable: false, autoDelete: false });
    await ch.bindQueue(queue, exchange, `${topic}.#`);
    await createTopics(reader.kafka, [topic], 2);
    for (let i = 0; i < MESSAGES; i += 1000) {
      await reader.kafka.produce(topic, Array.from({ length: Math.min(1000, MESSAGES - i) }, (_, j) => ({ key: `k${(i + j) % 10}`, value: JSON.stringify({ id: i + j }), headers: { h: 'v' } })));
    }

    const name = uniqueName('rabbit-sink');
    connectors.push(name);
    const created = await rest(host.url, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'RabbitMQSinkConnector',
        topics: topic,
        'rabbitmq.host': '127.0.0.1',
        'rabbitmq.exchange': exchange,
        'rabbitmq.routing.key': '${topic}.${key}',
        'rabbitmq.forward.kafka.key': 'true',
        'rabbitmq.forward.kafka.metadata': 'true',
        'rabbitmq.forward.kafka.headers': 'true',
        'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'tributary.restart.max.per.hour': '100',
      },
    });
    expect(created.status).toBe(201);
    await eventually(async () => (await ch.checkQueue(queue)).messageCount >= MESSAGES / 3, { what: 'a third in the queue', intervalMs: 20, timeoutMs: 120_000 });
    expect(await killRunner(host.url, name)).toBeDefined();

    const ids = new Map<number, number>();
    let sample: { routingKey: string; correlationId: unknown; headers: Record<string, unknown> } | undefined;
    await ch.prefetch(1000);
    await ch.consume(queue, (m) => {
      if (!m) return;
      const id = (JSON.parse(m.content.toString()) as { id: number }).id;
      ids.set(id, (ids.get(id) ?? 0) + 1);
      sample ??= { routingKey: m.fields.routingKey, correlationId: m.properties.correlationId, headers: m.properties.headers ?? {} };
      ch.ack(m);
    });
    await eventually(async () => ids.size === MESSAGES, { what: `all ${MESSAGES} ids in ${queue}`, timeoutMs: 180_000, intervalMs: 250 });
    await ch.close();
    const duplicated = [...ids.values()].reduce((n, c) => n + c - 1, 0);
    console.info(`RabbitMQ sink e2e: ${MESSAGES} records, ${duplicated} published again after the kill`);
    expect(sample?.routingKey).toMatch(new RegExp(`^${topic}\\.k\\d$`));
    expect(sample?.correlationId).toMatch(/^k\d$/);
    expect(sample?.headers).toMatchObject({ KAFKA_TOPIC: topic, h: 'v' });
  }, 300_000);

  it('validate names the key at fault: unreachable host, wrong password, missing queue or exchange', async () => {
    const queue = await newQueue();
    // Port 1 on loopback: nothing listens there, so the refusal is certain (a port found free may be taken by then).
    const deadPort = 1;
    const source = { 'connector.class': 'RabbitMQSourceConnector', name: 'v', 'kafka.topic': 't', 'rabbitmq.queue': queue, 'rabbitmq.host': '127.0.0.1' };
    const validate = async (plugin: string, config: Record<string, string>) => (await rest<ValidateResult>(host.url, 'PUT', `/connector-plugins/${plugin}/config/validate`, config)).body;
    expect((await validate('RabbitMQSourceConnector', source)).error_count).toBe(0);
    expect(errorsOf(await validate('RabbitMQSourceConnector', { ...source, 'rabbitmq.port': String(deadPort) }), 'rabbitmq.host').join()).toMatch(/Cannot connect.*ECONNREFUSED/);
    expect(errorsOf(await validate('RabbitMQSourceConnector', { ...source, 'rabbitmq.password': 'wrong' }), 'rabbitmq.password').join()).toMatch(/refused the credentials/);
    expect(errorsOf(await validate('RabbitMQSourceConnector', { ...source, 'rabbitmq.queue': `${queue},no-such-queue-${queue}` }), 'rabbitmq.queue').join()).toMatch(/Queue "no-such-queue-.*" does not exist/);
    const sink = { 'connector.class': 'RabbitMQSinkConnector', name: 'v', topics: 't', 'rabbitmq.host': '127.0.0.1', 'rabbitmq.exchange': 'amq.topic', 'rabbitmq.routing.key': 'x' };
    expect((await validate('RabbitMQSinkConnector', sink)).error_count).toBe(0);
    expect(errorsOf(await validate('RabbitMQSinkConnector', { ...sink, 'rabbitmq.exchange': 'no-such-exchange' }), 'rabbitmq.exchange').join()).toMatch(/does not exist/);
    expect(errorsOf(await validate('RabbitMQSinkConnector', { ...sink, 'rabbitmq.virtual.host': 'no-such-vhost' }), 'rabbitmq.virtual.host').join()).toMatch(/virtual host/);
  });

  it('a source whose queue is deleted at runtime ends FAILED with the cause in its trace', async () => {
    const name = uniqueName('rabbit-missing');
    connectors.push(name);
    const queue = await newQueue();
    const created = await rest(host.url, 'POST', '/connectors', {
      name,
      config: { 'connector.class': 'RabbitMQSourceConnector', 'kafka.topic': uniqueName('t'), 'rabbitmq.queue': queue, 'rabbitmq.host': '127.0.0.1', 'tributary.restart.policy': 'never' },
    });
    expect(created.status).toBe(201);
    await host.running(name);
    const ch = await amqp.createChannel();
    await ch.deleteQueue(queue);
    await ch.close();
    const trace = await eventually(
      async () => {
        const s = (await rest<{ tasks: { state: string; trace?: string }[] }>(host.url, 'GET', `/connectors/${name}/status`)).body;
        return s.tasks?.[0]?.state === 'FAILED' ? s.tasks[0].trace : undefined;
      },
      { what: `${name} to fail`, timeoutMs: 60_000 },
    );
    expect(trace).toMatch(/RabbitMQConnectionError: The broker cancelled the consumer of queue/);
  });
});
