/**
 * The MQTT source (io.confluent.connect.mqtt.MqttSourceConnector) and sink
 * (io.confluent.connect.mqtt.MqttSinkConnector).
 */
import type { ConfigDef } from '../../config/config-def.ts';
import type { Props, SinkConnector, SinkTask, SourceConnector, SourceTask } from '../../plugins/plugin-types.ts';
import { MqttError } from './errors.ts';
import { brokerUrl, classify, clientId, connectClient } from './mqtt-connection.ts';
import { mqttSinkConfigDef } from './mqtt-sink-config.ts';
import { MqttSinkTask } from './mqtt-sink-task.ts';
import { mqttSourceConfigDef } from './mqtt-source-config.ts';
import { MqttSourceTask } from './mqtt-source-task.ts';
import { MQTT_CONNECTOR_VERSION } from './mqtt-version.ts';

export const MQTT_SOURCE_CLASS = 'io.confluent.connect.mqtt.MqttSourceConnector';
export const MQTT_SINK_CLASS = 'io.confluent.connect.mqtt.MqttSinkConnector';

const CONNECTION_KEYS = ['mqtt.server.uri', 'mqtt.username', 'mqtt.password', 'mqtt.client.id', 'mqtt.connect.timeout.seconds'];

/** Connects with a throwaway client id (never the task's: that would take over its session) and reports errors per key. */
async function checkBroker(def: ConfigDef, props: Props): Promise<Record<string, string[]>> {
  if (def.validate(props).some((r) => CONNECTION_KEYS.includes(r.name) && r.errors.length > 0)) return {};
  const probe = { ...props, 'mqtt.clean.session.enabled': 'true', 'mqtt.connect.timeout.seconds': props['mqtt.connect.timeout.seconds'] ?? '5' };
  try {
    const { client, connected } = await connectClient(probe, `${clientId(props)}-validate-${process.pid}`);
    await connected;
    await client.endAsync(true);
    return {};
  } catch (e) {
    const err = e instanceof MqttError ? e : classify(e, brokerUrl(props));
    return { [err.key ?? 'mqtt.server.uri']: [err.message] };
  }
}

export class MqttSourceConnector implements SourceConnector {
  readonly type = 'source';
  private props: Props = {};

  version(): string {
    return MQTT_CONNECTOR_VERSION;
  }
  config(): ConfigDef {
    return mqttSourceConfigDef();
  }
  async validate(props: Props): Promise<Record<string, string[]>> {
    const errors = await checkBroker(mqttSourceConfigDef(), props);
    if (!props['kafka.topic'] && !props['kafka.topic.mapping']) errors['kafka.topic'] = ['Set kafka.topic, or kafka.topic.mapping entries for every MQTT topic'];
    return errors;
  }
  start(props: Props): void {
    mqttSourceConfigDef().parse(props);
    this.props = props;
  }
  /**
   * One task: the session (its subscriptions and queued messages) belongs to one client id, and
   * two clients subscribed to the same filters would each get every message.
   */
  taskConfigs(): Props[] {
    return [{ ...this.props }];
  }
  createTask(): SourceTask {
    return new MqttSourceTask();
  }
  stop(): void {}
  alterOffsets(): boolean {
    return true;
  }
}

export class MqttSinkConnector implements SinkConnector {
  readonly type = 'sink';
  private props: Props = {};

  version(): string {
    return MQTT_CONNECTOR_VERSION;
  }
  config(): ConfigDef {
    return mqttSinkConfigDef();
  }
  validate(props: Props): Promise<Record<string, string[]>> {
    return checkBroker(mqttSinkConfigDef(), props);
  }
  start(props: Props): void {
    mqttSinkConfigDef().parse(props);
    this.props = props;
  }
  taskConfigs(maxTasks: number): Props[] {
    return Array.from({ length: Math.max(1, maxTasks) }, (_, i) => ({ ...this.props, 'task.index': String(i) }));
  }
  createTask(): SinkTask {
    return new MqttSinkTask();
  }
  stop(): void {}
  alterOffsets(): boolean {
    return true;
  }
}
