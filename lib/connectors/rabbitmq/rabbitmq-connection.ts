/**
 * The connection options shared by the RabbitMQ source and sink (Confluent's `rabbitmq.*`
 * keys), and opening a connection with its failures sorted into errors that name the key.
 */
import type { ChannelModel } from 'amqplib';
import { readFileSync } from 'node:fs';
import { ConfigDef, Validators } from '../../config/config-def.ts';
import type { Props } from '../../plugins/plugin-types.ts';
import { lazyDriver } from '../lazy-driver.ts';
import { RabbitMQAuthenticationError, RabbitMQConnectionError, RabbitMQError, RabbitMQNotFoundError } from './errors.ts';

/** amqplib, loaded by the first connection (see lazy-driver.ts). */
const amqpDriver = lazyDriver(() => import('amqplib'));

/** Adds the connection keys to a connector's definition. */
export function defineConnectionKeys(def: ConfigDef): ConfigDef {
  return def
    .define({ name: 'rabbitmq.host', type: 'STRING', defaultValue: 'localhost', importance: 'HIGH', documentation: 'The RabbitMQ host.' })
    .define({ name: 'rabbitmq.port', type: 'INT', defaultValue: 5672, importance: 'MEDIUM', validator: Validators.between(1, 65535), documentation: 'The RabbitMQ port (AMQP 0-9-1).' })
    .define({ name: 'rabbitmq.username', type: 'STRING', defaultValue: 'guest', importance: 'HIGH', documentation: 'The user to authenticate as.' })
    .define({ name: 'rabbitmq.password', type: 'PASSWORD', defaultValue: 'guest', importance: 'HIGH', documentation: 'The user\'s password.' })
    .define({ name: 'rabbitmq.virtual.host', type: 'STRING', defaultValue: '/', importance: 'HIGH', documentation: 'The virtual host.' })
    .define({ name: 'rabbitmq.security.protocol', type: 'STRING', defaultValue: 'PLAINTEXT', importance: 'MEDIUM', validator: Validators.in('PLAINTEXT', 'SSL'), validValues: '[PLAINTEXT, SSL]', documentation: 'PLAINTEXT, or SSL for AMQP over TLS.' })
    .define({ name: 'rabbitmq.ssl.ca.path', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'Tributary, SSL: PEM file of the CAs to trust instead of the system ones (Confluent\'s Java trust store keys are not read).' })
    .define({ name: 'rabbitmq.connection.timeout.ms', type: 'INT', defaultValue: 60_000, importance: 'LOW', validator: Validators.atLeast(1), documentation: 'Time allowed to connect.' })
    .define({ name: 'rabbitmq.requested.heartbeat.seconds', type: 'INT', defaultValue: 60, importance: 'LOW', validator: Validators.atLeast(0), documentation: 'The heartbeat interval asked of the broker; 0 turns heartbeats off.' });
}

/** Opens a connection; failures become RabbitMQ errors naming the key at fault. */
export async function openConnection(props: Props, clientName: string): Promise<ChannelModel> {
  const tls = props['rabbitmq.security.protocol'] === 'SSL';
  const host = props['rabbitmq.host'] || 'localhost';
  const port = Number(props['rabbitmq.port'] || 5672);
  const ca = props['rabbitmq.ssl.ca.path'];
  const { connect } = await amqpDriver.load();
  try {
    return await connect(
      {
        protocol: tls ? 'amqps' : 'amqp',
        hostname: host,
        port,
        username: props['rabbitmq.username'] ?? 'guest',
        password: props['rabbitmq.password'] ?? 'guest',
        vhost: props['rabbitmq.virtual.host'] || '/',
        heartbeat: Number(props['rabbitmq.requested.heartbeat.seconds'] ?? 60),
      },
      { timeout: Number(props['rabbitmq.connection.timeout.ms'] || 60_000), clientProperties: { connection_name: clientName }, ...(tls && ca ? { ca: [readFileSync(ca)] } : {}) },
    );
  } catch (e) {
    throw classify(e, `${host}:${port}`);
  }
}

/** Sorts an amqplib failure: refused credentials, a missing vhost, queue or exchange, or the network. */
export function classify(e: unknown, where: string): RabbitMQError {
  if (e instanceof RabbitMQError) return e;
  const err = e as Error & { code?: number | string };
  const message = err.message ?? String(e);
  if (/NOT_FOUND|404/.test(message)) return new RabbitMQNotFoundError(message, { cause: e });
  if (/ACCESS_REFUSED|403|authentication/i.test(message)) {
    return new RabbitMQAuthenticationError(`RabbitMQ at ${where} refused the credentials: ${message}`, { cause: e, key: 'rabbitmq.password' });
  }
  // RabbitMQ closes the connection during the handshake when the virtual host does not exist or is not allowed.
  if (/vhost|NOT_ALLOWED|Expected ConnectionOpenOk/i.test(message)) {
    return new RabbitMQAuthenticationError(`RabbitMQ at ${where} refused the virtual host: ${message}`, { cause: e, key: 'rabbitmq.virtual.host' });
  }
  return new RabbitMQConnectionError(`Cannot connect to RabbitMQ at ${where}: ${typeof err.code === 'string' ? `${err.code} ` : ''}${message}`, { cause: e, retriable: true, key: 'rabbitmq.host' });
}
