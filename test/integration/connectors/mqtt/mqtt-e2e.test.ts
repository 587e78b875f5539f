/**
 * The MQTT source and sink through the whole local stack against the Mosquitto on
 * 127.0.0.1:1883, on random topics. The source keeps a persistent session and acknowledges
 * QoS 1/2 messages only after the Kafka commit, so messages published while its runner is
 * killed and restarted are all delivered. Mosquitto's default limit of 1,000 queued messages
 * per client bounds what the session can hold, so the publisher keeps a moderate pace.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTopics } from '../../../support/kafka-helpers.ts';
import { uniqueName } from '../../../support/local-host-process.ts';
import { eventually, rest } from '../../../support/rest-client.ts';
import { PrivateMosquitto } from '../../../../host/mosquitto-launcher.ts';
import { E2eHost, envSize, TopicReader } from '../jdbc-e2e/e2e-support.ts';
import { killRunner } from '../../../support/fault-helpers.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const BROKER = 'tcp://127.0.0.1:1883';
const MESSAGES = envSize('TRIBUTARY_MQTT_E2E_MESSAGES', 4_000);

interface ValidateResult {
  error_count: number;
  configs: { value: { name: string; errors: string[] } }[];
}
const errorsOf = (r: ValidateResult, key: string) => r.configs.find((c) => c.value.name === key)?.value.errors ?? [];

async function client(id = uniqueName('tributary-test')): Promise<MqttClient> {
  return mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: id, clean: true, reconnectPeriod: 0 });
}

describe('MQTT source and sink end to end', () => {
  const host = new E2eHost(kafkaBootstrap, dynamoEndpoint);
  const reader = new TopicReader(kafkaBootstrap);
  const connectors: string[] = [];
  let publisher: MqttClient;

  beforeAll(async () => {
    publisher = await client();
    await host.start();
  }, 120_000);

  afterAll(async () => {
    await host.deleteConnectors(...connectors);
    await host.close();
    await publisher?.endAsync();
  });

  it(`source: ${MESSAGES} QoS 1 messages on wildcard topics through a SIGKILL of the runner, none lost`, async () => {
    const root = uniqueName('tributary-test');
    const topic = uniqueName('mqtt-in');
    const alerts = uniqueName('mqtt-alerts');
    const name = uniqueName('mqtt-source');
    connectors.push(name);
    const created = await rest(host.url, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'io.confluent.connect.mqtt.MqttSourceConnector',
        'mqtt.server.uri': BROKER,
        'mqtt.topics': `${root}/sensors/+/temp,${root}/alerts/#`,
        'kafka.topic': topic,
        'kafka.topic.mapping': `${root}/alerts/#:${alerts}`,
        'mqtt.qos': '1',
        'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'offset.flush.interval.ms': '1000',
        'tributary.restart.max.per.hour': '100',
      },
    });
    expect(created.status).toBe(201);
    await host.running(name);
    // The subscription exists once the task runs; give its SUBSCRIBE a moment to land.
    await new Promise((r) => setTimeout(r, 1000));

    let killed = false;
    for (let i = 0; i < MESSAGES; i += 20) {
      const sends: Promise<unknown>[] = [];
      for (let j = i; j < Math.min(i + 20, MESSAGES); j++) sends.push(publisher.publishAsync(`${root}/sensors/s${j % 5}/temp`, JSON.stringify({ id: j }), { qos: 1 }));
      await Promise.all(sends);
      // 100 messages/s: a restart that takes up to 10 s on a loaded machine stays within Mosquitto's 1,000 queued.
      await new Promise((r) => setTimeout(r, 200));
      if (!killed && i >= MESSAGES / 3) killed = (await killRunner(host.url, name)) !== undefined;
    }
    await publisher.publishAsync(`${root}/alerts/fire/room1`, 'alert!', { qos: 1 });
    await publisher.publishAsync(`${root}/other/ignored`, 'no', { qos: 1 });
    expect(killed).toBe(true);

    await reader.atLeast(topic, MESSAGES, 180_000).catch(async (e: Error) => {
      throw new Error(`${e.message}; ${await reader.count(topic)} in Kafka`);
    });
    await reader.atLeast(alerts, 1);
    const messages = await reader.snapshot(topic);
    const ids = new Set(messages.map((m) => (JSON.parse(m.value?.toString() ?? '{}') as { id: number }).id));
    const missing = Array.from({ length: MESSAGES }, (_, i) => i).filter((i) => !ids.has(i));
    expect(missing).toEqual([]);
    console.info(`MQTT source e2e: ${MESSAGES} messages, ${messages.length - MESSAGES} delivered again after the kill`);
    expect(messages[0]?.key?.toString()).toMatch(new RegExp(`^${root}/sensors/s\\d/temp$`));
    const [alert] = await reader.snapshot(alerts);
    expect([alert?.key?.toString(), alert?.value?.toString()]).toEqual([`${root}/alerts/fire/room1`, 'alert!']);
  }, 300_000);

  it('source: QoS 2 messages, including those published while the connector is paused', async () => {
    const root = uniqueName('tributary-test');
    const topic = uniqueName('mqtt-qos2');
    const name = uniqueName('mqtt-source-qos2');
    connectors.push(name);
    await rest(host.url, 'POST', '/connectors', {
      name,
      config: { 'connector.class': 'MqttSourceConnector', 'mqtt.server.uri': BROKER, 'mqtt.topics': `${root}/#`, 'kafka.topic': topic, 'mqtt.qos': '2', 'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter' },
    });
    await host.running(name);
    await new Promise((r) => setTimeout(r, 1000));
    for (let i = 0; i < 50; i++) await publisher.publishAsync(`${root}/a`, `m${i}`, { qos: 2 });
    await reader.atLeast(topic, 50);
    expect((await rest(host.url, 'PUT', `/connectors/${name}/pause`)).status).toBe(202);
    await host.executionsGone(name);
    for (let i = 50; i < 100; i++) await publisher.publishAsync(`${root}/b`, `m${i}`, { qos: 2 });
    expect((await rest(host.url, 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await reader.atLeast(topic, 100);
    const values = new Set((await reader.snapshot(topic)).map((m) => m.value?.toString()));
    expect(Array.from({ length: 100 }, (_, i) => `m${i}`).filter((v) => !values.has(v))).toEqual([]);
  }, 180_000);

  it(`sink: ${MESSAGES} records to MQTT topics from a template at QoS 1, through a SIGKILL, none lost`, async () => {
    const topic = uniqueName('mqtt-out');
    const root = uniqueName('tributary-test');
    // A just-started broker under load sometimes answers the leader wait with an error: try again.
    await eventually(async () => (await createTopics(reader.kafka, [topic], 2), true), { what: `topic ${topic} created`, timeoutMs: 60_000, intervalMs: 1000 });
    for (let i = 0; i < MESSAGES; i += 1000) {
      await reader.kafka.produce(topic, Array.from({ length: Math.min(1000, MESSAGES - i) }, (_, j) => ({ key: `k${(i + j) % 4}`, value: JSON.stringify({ id: i + j }) })));
    }
    const subscriber = await client();
    const ids = new Map<number, number>();
    const topics = new Set<string>();
    subscriber.on('message', (t, payload) => {
      topics.add(t);
      const id = (JSON.parse(payload.toString()) as { id: number }).id;
      ids.set(id, (ids.get(id) ?? 0) + 1);
    });
    // QoS 0 toward the test's subscriber: Mosquitto's in-flight window (20) and queue limit
    // (1,000) would otherwise drop messages the sink publishes faster than one client acks them.
    await subscriber.subscribeAsync(`${root}/#`, { qos: 0 });

    const name = uniqueName('mqtt-sink');
    connectors.push(name);
    const created = await rest(host.url, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'io.confluent.connect.mqtt.MqttSinkConnector',
        topics: topic,
        'mqtt.server.uri': BROKER,
        'mqtt.qos': '1',
        'mqtt.topic.template': `${root}/\${topic}/\${key}`,
        'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'tributary.restart.max.per.hour': '100',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await host.running(name);
    await eventually(async () => ids.size >= MESSAGES / 3, { what: 'a third at the subscriber', intervalMs: 20, timeoutMs: 120_000 });
    expect(await killRunner(host.url, name)).toBeDefined();
    await eventually(async () => ids.size === MESSAGES, { what: `all ${MESSAGES} ids at the subscriber`, timeoutMs: 180_000 });
    await subscriber.endAsync();
    expect([...topics].sort()).toEqual([0, 1, 2, 3].map((k) => `${root}/${topic}/k${k}`));
  }, 300_000);

  it('validate names the key at fault: unreachable broker, refused credentials, bad topic filter, no Kafka topic', async () => {
    const secured = new PrivateMosquitto({ username: 'tributary', password: 's3cret' });
    await secured.start();
    try {
      // Port 1 on loopback: nothing listens there, so the refusal is certain (a port found free may be taken by then).
      const deadPort = 1;
      const base = { 'connector.class': 'MqttSourceConnector', name: 'v', 'mqtt.topics': 'a/+', 'kafka.topic': 't' };
      const validate = async (config: Record<string, string>, plugin = 'MqttSourceConnector') => (await rest<ValidateResult>(host.url, 'PUT', `/connector-plugins/${plugin}/config/validate`, config)).body;
      expect((await validate({ ...base, 'mqtt.server.uri': BROKER })).error_count).toBe(0);
      expect(errorsOf(await validate({ ...base, 'mqtt.server.uri': `tcp://127.0.0.1:${deadPort}` }), 'mqtt.server.uri').join()).toMatch(/Cannot connect.*ECONNREFUSED/);
      expect((await validate({ ...base, 'mqtt.server.uri': secured.uri, 'mqtt.username': 'tributary', 'mqtt.password': 's3cret' })).error_count).toBe(0);
      expect(errorsOf(await validate({ ...base, 'mqtt.server.uri': secured.uri, 'mqtt.username': 'tributary', 'mqtt.password': 'wrong' }), 'mqtt.password').join()).toMatch(/refused the connection/);
      expect(errorsOf(await validate({ ...base, 'mqtt.server.uri': BROKER, 'mqtt.topics': 'a/#/b' }), 'mqtt.topics').join()).toMatch(/# must be a whole level and the last one/);
      expect(errorsOf(await validate({ ...base, 'mqtt.server.uri': BROKER, 'kafka.topic': '' }), 'kafka.topic').join()).toMatch(/Set kafka.topic/);
      expect(errorsOf(await validate({ 'connector.class': 'MqttSinkConnector', name: 'v', topics: 't', 'mqtt.server.uri': 'http://x' }, 'MqttSinkConnector'), 'mqtt.server.uri').join()).toMatch(/expected tcp:\/\//);
    } finally {
      secured.close();
    }
  });
});
