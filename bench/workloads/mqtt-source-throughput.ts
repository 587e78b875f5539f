/**
 * Workload 13: one MqttSourceConnector task (QoS 1, persistent session) moves messages from a
 * Mosquitto into a topic: the one on MQTT_URL when set, else a private one the workload starts
 * with a queue of 100,000 messages per client (past Mosquitto's default of 1,000, the broker
 * drops QoS 1 messages for a subscriber whose acknowledgements, sent once Kafka has the
 * records, are behind). The publisher stays at most 800 messages ahead of Kafka; timed from
 * the first publish until all N are in Kafka. Tributary only: the benchmark's Connect worker
 * has no MQTT plugin installed.
 */
import mqtt from 'mqtt';
import { PrivateMosquitto } from '../../host/mosquitto-launcher.ts';
import { uniqueName } from '../support/bench-names.ts';
import { BenchTargetError } from '../support/bench-target.ts';
import { createConnector, deleteConnector, waitRunning } from '../support/connector-calls.ts';
import { sleep } from '../support/kafka-tools.ts';
import type { Workload } from './workload.ts';

const AHEAD = 800;
const MESSAGES = 50_000;

export const mqttSourceThroughput: Workload = {
  id: 'mqtt-source',
  metrics: [{ key: 'mqtt-source.messages', group: '13. MQTT source throughput', name: 'MqttSourceConnector, QoS 1, 1 task', label: 'messages/s', unit: 'messages/s', better: 'higher' }],
  async run(target, ctx) {
    if (target.system !== 'tributary') throw new BenchTargetError('the Connect worker has no MQTT plugin installed');
    const broker = process.env.MQTT_URL ? undefined : new PrivateMosquitto(undefined, ['max_queued_messages 100000']);
    await broker?.start();
    const url = process.env.MQTT_URL ?? `mqtt://127.0.0.1:${broker?.port}`;
    const n = Math.min(MESSAGES, ctx.options.records);
    const topic = await ctx.kafka.createTopic('bench-mqtt');
    const root = uniqueName('tributary-bench');
    const name = uniqueName('bench-mqtt-source');
    const publisher = await mqtt.connectAsync(url, { clientId: uniqueName('tributary-bench-pub'), reconnectPeriod: 0 });
    try {
      await createConnector(target, name, {
        'connector.class': 'io.confluent.connect.mqtt.MqttSourceConnector',
        'mqtt.server.uri': url.replace(/^mqtt:/, 'tcp:'),
        'mqtt.topics': `${root}/#`,
        'kafka.topic': topic,
        'mqtt.qos': '1',
        'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      });
      const deadline = ctx.deadline();
      await waitRunning(target, name, deadline);
      const payload = Buffer.from(ctx.inputs.line(0));
      // The task's SUBSCRIBE lands after RUNNING is reported, and what is published before it is not
      // queued for the session: probe until one message reaches Kafka, then count from there.
      let base = 0;
      while (base === 0) {
        if (Date.now() > deadline) throw new BenchTargetError('tributary: the MQTT source never subscribed');
        await publisher.publishAsync(`${root}/probe`, payload, { qos: 1 });
        await sleep(250);
        base = await ctx.kafka.endOffset(topic);
      }
      await sleep(500);
      base = await ctx.kafka.endOffset(topic);
      const started = performance.now();
      let published = 0;
      let inKafka = 0;
      while (inKafka < n) {
        if (Date.now() > deadline) throw new BenchTargetError(`tributary: ${inKafka} of ${n} MQTT messages in Kafka in time`);
        const room = Math.min(n - published, AHEAD - (published - inKafka));
        if (room > 0) {
          await Promise.all(Array.from({ length: room }, (_, i) => publisher.publishAsync(`${root}/d${(published + i) % 10}`, payload, { qos: 1 })));
          published += room;
        } else {
          await sleep(5);
        }
        inKafka = (await ctx.kafka.endOffset(topic)) - base;
      }
      const seconds = (performance.now() - started) / 1000;
      return { values: { 'mqtt-source.messages': n / seconds }, detail: { seconds, messages: n } };
    } finally {
      await publisher.endAsync().catch(() => undefined);
      await deleteConnector(target, name);
      broker?.close();
    }
  },
};
