/**
 * The connection options shared by the MQTT source and sink (Confluent's `mqtt.*` keys), and
 * connecting with failures sorted into errors that name the key at fault.
 */
import { readFileSync } from 'node:fs';
import type { IClientOptions, MqttClient } from 'mqtt';
import { ConfigDef, ConfigError, Validators, type ConfigValueType } from '../../config/config-def.ts';
import type { Props } from '../../plugins/plugin-types.ts';
import { lazyDriver } from '../lazy-driver.ts';
import { MqttAuthenticationError, MqttConnectionError, MqttError } from './errors.ts';

/** mqtt.js, loaded by the first connection (see lazy-driver.ts). */
export const mqttDriver = lazyDriver(() => import('mqtt'));

const serverUris = (name: string, value: ConfigValueType) => {
  for (const uri of Array.isArray(value) ? value : []) {
    if (!/^(tcp|ssl|mqtt|mqtts|ws|wss):\/\/[^/:]+(:\d+)?\/?$/.test(uri)) {
      throw new ConfigError(`Invalid value ${uri} for configuration ${name}: expected tcp://host:port or ssl://host:port`, name);
    }
  }
};

/** Adds the connection keys to a connector's definition. */
export function defineConnectionKeys(def: ConfigDef): ConfigDef {
  return def
    .define({ name: 'mqtt.server.uri', type: 'LIST', importance: 'HIGH', validator: serverUris, documentation: 'The MQTT broker, `tcp://host:1883` or `ssl://host:8883` (Tributary connects to the first one listed).' })
    .define({ name: 'mqtt.username', type: 'STRING', defaultValue: '', importance: 'HIGH', documentation: 'Username to connect with, or blank to connect without a username.' })
    .define({ name: 'mqtt.password', type: 'PASSWORD', defaultValue: '', importance: 'HIGH', documentation: 'Password to connect with, or blank to connect without a password.' })
    .define({ name: 'mqtt.client.id', type: 'STRING', defaultValue: '', importance: 'MEDIUM', documentation: 'Tributary: the MQTT client id. Blank: `tributary-<connector>`, stable across runners so a persistent session survives them.' })
    .define({ name: 'mqtt.qos', type: 'INT', defaultValue: 1, importance: 'MEDIUM', validator: Validators.between(0, 2), validValues: '[0,...,2]', documentation: 'The MQTT quality of service: of the subscriptions (source) or the published messages (sink).' })
    .define({ name: 'mqtt.clean.session.enabled', type: 'BOOLEAN', defaultValue: false, importance: 'MEDIUM', documentation: 'Start a clean session on every connection. Off (Tributary\'s default; Confluent\'s is on) keeps the session and its queued QoS 1/2 messages while no runner is connected, e.g. between Lambda slices.' })
    .define({ name: 'mqtt.connect.timeout.seconds', type: 'INT', defaultValue: 30, importance: 'LOW', validator: Validators.atLeast(1), documentation: 'Time allowed to connect.' })
    .define({ name: 'mqtt.keepalive.interval.seconds', type: 'INT', defaultValue: 60, importance: 'LOW', validator: Validators.atLeast(1), documentation: 'The keep-alive interval.' })
    .define({ name: 'mqtt.ssl.ca.path', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'Tributary, ssl://: PEM file of the CAs to trust instead of the system ones (Confluent\'s Java key and trust store keys are not read).' })
    .define({ name: 'mqtt.ssl.cert.path', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'Tributary, ssl://: PEM client certificate for mutual TLS.' })
    .define({ name: 'mqtt.ssl.key.path', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'Tributary, ssl://: PEM private key of the client certificate.' });
}

/** The broker URL in mqtt.js's terms (tcp:// → mqtt://, ssl:// → mqtts://). */
export function brokerUrl(props: Props): string {
  const first = (props['mqtt.server.uri'] ?? '').split(',').map((s) => s.trim()).find(Boolean) ?? '';
  return first.replace(/^tcp:\/\//, 'mqtt://').replace(/^ssl:\/\//, 'mqtts://');
}

export function clientId(props: Props): string {
  return props['mqtt.client.id'] || `tributary-${props.name ?? 'connector'}`;
}

/**
 * Connects and resolves once the broker accepted the session (CONNACK), with whether it kept
 * an earlier one. No automatic reconnects: a lost connection surfaces as an error, and the
 * runtime restarts the task with backoff.
 */
export async function connectClient(props: Props, id: string, extra: Partial<IClientOptions> = {}): Promise<{ client: MqttClient; connected: Promise<{ sessionPresent: boolean }> }> {
  const { default: mqtt } = await mqttDriver.load();
  const url = brokerUrl(props);
  const read = (k: string) => (props[k] ? readFileSync(props[k]) : undefined);
  const client = mqtt.connect(url, {
    clientId: id,
    clean: props['mqtt.clean.session.enabled'] === 'true',
    username: props['mqtt.username'] || undefined,
    password: props['mqtt.password'] || undefined,
    reconnectPeriod: 0,
    connectTimeout: Number(props['mqtt.connect.timeout.seconds'] || 30) * 1000,
    keepalive: Number(props['mqtt.keepalive.interval.seconds'] || 60),
    protocolVersion: 4,
    ca: read('mqtt.ssl.ca.path'),
    cert: read('mqtt.ssl.cert.path'),
    key: read('mqtt.ssl.key.path'),
    ...extra,
  });
  const connected = new Promise<{ sessionPresent: boolean }>((resolve, reject) => {
    const onError = (e: Error) => {
      cleanup();
      client.end(true);
      reject(classify(e, url));
    };
    const onClose = () => onError(new Error('the connection closed before the broker accepted it'));
    const onConnect = (ack: { sessionPresent: boolean }) => {
      cleanup();
      resolve({ sessionPresent: ack.sessionPresent });
    };
    const cleanup = () => {
      client.off('error', onError);
      client.off('close', onClose);
      client.off('connect', onConnect);
    };
    client.on('error', onError);
    client.on('close', onClose);
    client.on('connect', onConnect);
  });
  return { client, connected };
}

/** Sorts an mqtt.js failure: refused credentials (CONNACK 4 or 5) or the network. */
export function classify(e: unknown, url: string): MqttError {
  if (e instanceof MqttError) return e;
  const err = e as Error & { code?: number | string };
  const where = url.replace(/\/\/[^@]*@/, '//');
  if (err.code === 4 || err.code === 5 || /Bad username or password|Not authorized/i.test(err.message)) {
    return new MqttAuthenticationError(`The MQTT broker ${where} refused the connection: ${err.message}`, { cause: e, key: 'mqtt.password' });
  }
  if (err.code === 2) return new MqttAuthenticationError(`The MQTT broker ${where} rejected the client id: ${err.message}`, { cause: e, key: 'mqtt.client.id' });
  return new MqttConnectionError(`Cannot connect to the MQTT broker ${where}: ${typeof err.code === 'string' ? `${err.code} ` : ''}${err.message}`, { cause: e, retriable: true, key: 'mqtt.server.uri' });
}
