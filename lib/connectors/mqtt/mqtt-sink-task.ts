/**
 * Publishes records to MQTT topics made from a template. `put` resolves when the broker
 * acknowledged every QoS 1/2 message of the batch, so a commit never covers an unsent one; a
 * lost connection is retried (reconnecting) by the runtime with backoff.
 */
import type { MqttClient } from 'mqtt';
import type { SinkRecord } from '../../plugins/connect-record.ts';
import type { Props, SinkTask } from '../../plugins/plugin-types.ts';
import { MqttConnectionError, MqttError } from './errors.ts';
import { clientId, connectClient } from './mqtt-connection.ts';
import { MQTT_CONNECTOR_VERSION } from './mqtt-version.ts';

export class MqttSinkTask implements SinkTask {
  private props: Props = {};
  private client: MqttClient | undefined;

  version(): string {
    return MQTT_CONNECTOR_VERSION;
  }

  async start(props: Props): Promise<void> {
    this.props = props;
    await this.connect();
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    if (!this.client?.connected) await this.connect();
    const client = this.client as MqttClient;
    const qos = Number(this.props['mqtt.qos'] ?? 1) as 0 | 1 | 2;
    const retain = this.props['mqtt.retain.enabled'] === 'true';
    const template = this.props['mqtt.topic.template'] || '${topic}';
    try {
      await Promise.all(records.map((r) => client.publishAsync(mqttTopic(template, r), payload(r.value), { qos, retain })));
    } catch (e) {
      await this.disconnect();
      if (e instanceof MqttError) throw e;
      throw new MqttConnectionError(`Publishing to the MQTT broker failed: ${(e as Error).message}`, { cause: e, retriable: true });
    }
  }

  async stop(): Promise<void> {
    await this.disconnect();
  }

  private async connect(): Promise<void> {
    await this.disconnect();
    // Each task publishes under its own client id: two connections with one id would keep replacing each other.
    const id = `${clientId(this.props)}-${this.props['task.index'] ?? '0'}`;
    const { client, connected } = await connectClient({ ...this.props, 'mqtt.clean.session.enabled': 'true' }, id);
    await connected;
    client.on('error', () => undefined);
    this.client = client;
  }

  private async disconnect(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    await c?.endAsync(true).catch(() => undefined);
  }
}

/** The MQTT topic for a record: `${topic}`, `${key}` and `${partition}` filled in. */
export function mqttTopic(template: string, r: SinkRecord): string {
  if (!template.includes('${')) return template;
  const key = r.key === null || r.key === undefined ? '' : Buffer.isBuffer(r.key) ? r.key.toString('utf8') : typeof r.key === 'object' ? JSON.stringify(r.key) : String(r.key);
  return template.replaceAll('${topic}', r.topic).replaceAll('${partition}', String(r.kafkaPartition)).replaceAll('${key}', key);
}

/** Payloads are bytes: bytes as they are, strings in UTF-8, other values as JSON. */
function payload(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v === null || v === undefined) return Buffer.alloc(0);
  if (typeof v === 'string') return Buffer.from(v);
  return Buffer.from(JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)));
}
