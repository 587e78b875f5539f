/**
 * Subscribes to MQTT topic filters and turns messages into Kafka records. QoS 1 and 2 messages
 * are acknowledged to the broker (PUBACK, PUBREC) only in `commit()`, which the runtime calls
 * after their records and offsets are committed to Kafka. With a persistent session
 * (`mqtt.clean.session.enabled=false`), a runner killed or ended before then leaves them
 * unacknowledged, and the broker delivers them again to the next runner of the same client id.
 *
 * mqtt.js handles incoming packets one at a time and sends an acknowledgement as the step that
 * ends a packet's handling, so holding the acknowledgement back would stall the connection.
 * Instead the task takes the acknowledgement packets out of the client's send path, lets
 * handling go on, and sends them itself at commit time.
 */
import type { IPublishPacket, MqttClient, Packet } from 'mqtt';
import type { ConnectHeader, SourceRecord } from '../../plugins/connect-record.ts';
import { Schemas } from '../../plugins/connect-schema.ts';
import type { Props, SourceTask } from '../../plugins/plugin-types.ts';
import { MqttConnectionError, MqttError, MqttSubscriptionError } from './errors.ts';
import { clientId, connectClient, mqttDriver } from './mqtt-connection.ts';
import { parseMapping } from './mqtt-source-config.ts';
import { MQTT_CONNECTOR_VERSION } from './mqtt-version.ts';
import { matchesFilter } from './topic-filter.ts';

const MAX_POLL = 5_000;

interface Received {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: number;
  readonly messageId: number | undefined;
  readonly retain: boolean;
  readonly dup: boolean;
  /** Set once acknowledged: the broker may reuse the message id for a later message right after. */
  acked?: boolean;
}

type SendPacket = (packet: Packet, cb?: () => void, ...rest: unknown[]) => void;

export class MqttSourceTask implements SourceTask {
  private client: MqttClient | undefined;
  private sendPacket: SendPacket | undefined;
  private buffer: Received[] = [];
  /** Messages handed out by poll whose acknowledgement waits for Kafka. */
  private awaitingCommit: Received[] = [];
  private readonly messageOf = new WeakMap<SourceRecord, Received>();
  /** Acknowledgement packets held back, by message id. */
  private readonly heldAcks = new Map<number, Packet>();
  private failure: MqttError | undefined;
  private stopping = false;
  private defaultTopic = '';
  private mapping: { filter: string; topic: string }[] = [];
  private partition: { 'mqtt.client.id': string } = { 'mqtt.client.id': '' };
  private seq = 0;

  version(): string {
    return MQTT_CONNECTOR_VERSION;
  }

  async start(props: Props): Promise<void> {
    this.defaultTopic = props['kafka.topic'] ?? '';
    this.mapping = parseMapping((props['kafka.topic.mapping'] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
    const id = clientId(props);
    this.partition = { 'mqtt.client.id': id };
    // QoS 2 messages are emitted only after PUBREL, which follows our PUBREC: capture them as the client stores them.
    const { default: mqtt } = await mqttDriver.load();
    const store = new mqtt.Store();
    const put = store.put.bind(store);
    store.put = (packet, cb) => {
      if (packet.cmd === 'publish' && packet.qos === 2) this.receive(packet);
      return put(packet, cb);
    };
    const { client, connected } = await connectClient(props, id, { incomingStore: store });
    this.client = client;
    const internals = client as unknown as { _sendPacket: SendPacket };
    const original = internals._sendPacket.bind(client);
    this.sendPacket = original;
    internals._sendPacket = (packet, cb, ...rest) => {
      if ((packet.cmd === 'puback' || packet.cmd === 'pubrec') && packet.messageId !== undefined && !this.stopping) {
        this.heldAcks.set(packet.messageId, packet);
        cb?.();
        return;
      }
      original(packet, cb, ...rest);
    };
    client.on('message', (_topic, _payload, packet) => {
      if (packet.qos !== 2) this.receive(packet);
    });
    await connected;
    const lost = (e?: Error) => {
      if (!this.stopping) this.failure ??= new MqttConnectionError(`The connection to the MQTT broker was lost${e ? `: ${e.message}` : ''}`, { cause: e, retriable: true });
    };
    client.on('error', lost);
    client.on('close', () => lost());
    const qos = Number(props['mqtt.qos'] ?? 1) as 0 | 1 | 2;
    const filters = (props['mqtt.topics'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    // Subscribing again on a kept session is harmless and covers a changed list of filters.
    const granted = await client.subscribeAsync(Object.fromEntries(filters.map((f) => [f, { qos }])));
    const refused = granted.filter((g) => g.qos === 128);
    if (refused.length) {
      await this.stop();
      throw new MqttSubscriptionError(`The MQTT broker refused the subscription to ${refused.map((g) => g.topic).join(', ')}`, { key: 'mqtt.topics' });
    }
  }

  poll(): SourceRecord[] | null {
    if (this.failure) throw this.failure;
    if (this.buffer.length === 0) return null;
    const batch = this.buffer.length <= MAX_POLL ? this.buffer : this.buffer.slice(0, MAX_POLL);
    this.buffer = this.buffer.length <= MAX_POLL ? [] : this.buffer.slice(MAX_POLL);
    const records: SourceRecord[] = [];
    for (const m of batch) {
      const r = this.toRecord(m);
      records.push(r);
      if (m.qos > 0) {
        this.awaitingCommit.push(m);
        this.messageOf.set(r, m);
      }
    }
    return records;
  }

  /** Kafka has the record (or a transform dropped it): its message may be acknowledged. */
  commitRecord(record: SourceRecord): void {
    const m = this.messageOf.get(record);
    if (m) this.ack(m);
  }

  /** The records polled so far are committed to Kafka: acknowledge them to the broker. */
  commit(): void {
    if (this.failure) return;
    for (const m of this.awaitingCommit) this.ack(m);
    this.awaitingCommit = [];
  }

  private ack(m: Received): void {
    if (m.acked || this.failure || !this.sendPacket || m.messageId === undefined) return;
    m.acked = true;
    const ack = this.heldAcks.get(m.messageId);
    if (!ack) return;
    this.heldAcks.delete(m.messageId);
    this.sendPacket(ack);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    // A graceful end flushes the acknowledgements the last commit sent; messages still
    // unacknowledged stay in the broker's session for the next runner.
    const c = this.client;
    if (c) await Promise.race([c.endAsync(false), new Promise((r) => setTimeout(r, 5000))]).catch(() => undefined);
    c?.end(true);
    this.client = undefined;
    this.buffer = [];
  }

  private receive(packet: IPublishPacket): void {
    this.buffer.push({
      topic: packet.topic,
      payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
      qos: packet.qos,
      messageId: packet.messageId,
      retain: packet.retain,
      dup: packet.dup,
    });
  }

  private kafkaTopic(mqttTopic: string): string {
    for (const m of this.mapping) if (matchesFilter(m.filter, mqttTopic)) return m.topic;
    return this.defaultTopic;
  }

  private toRecord(m: Received): SourceRecord {
    const topic = this.kafkaTopic(m.topic);
    if (!topic) throw new MqttSubscriptionError(`No Kafka topic for MQTT topic ${m.topic}: set kafka.topic or a kafka.topic.mapping entry that matches it`);
    const headers: ConnectHeader[] = [
      { key: 'mqtt.message.id', schema: Schemas.STRING, value: String(m.messageId ?? 0) },
      { key: 'mqtt.qos', schema: Schemas.STRING, value: String(m.qos) },
      { key: 'mqtt.retained', schema: Schemas.STRING, value: String(m.retain) },
      { key: 'mqtt.duplicate', schema: Schemas.STRING, value: String(m.dup) },
    ];
    return {
      topic,
      sourcePartition: this.partition,
      sourceOffset: { seq: ++this.seq },
      keySchema: Schemas.STRING,
      key: m.topic,
      valueSchema: Schemas.BYTES,
      value: m.payload,
      headers,
    };
  }
}
