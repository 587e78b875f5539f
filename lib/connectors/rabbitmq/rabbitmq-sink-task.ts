/**
 * Publishes records to a RabbitMQ exchange on a confirm channel. `put` returns only when the
 * broker confirmed every message of the batch, so the commit that follows never covers a
 * message the broker might not have; a failed confirm is retried as a whole batch.
 */
import type { ChannelModel, ConfirmChannel } from 'amqplib';
import type { SinkRecord } from '../../plugins/connect-record.ts';
import type { Props, SinkTask } from '../../plugins/plugin-types.ts';
import { RabbitMQConnectionError, RabbitMQPublishError } from './errors.ts';
import { classify, openConnection } from './rabbitmq-connection.ts';
import { RABBITMQ_CONNECTOR_VERSION } from './rabbitmq-version.ts';

export class RabbitMQSinkTask implements SinkTask {
  private props: Props = {};
  private connection: ChannelModel | undefined;
  private channel: ConfirmChannel | undefined;
  private where = '';

  version(): string {
    return RABBITMQ_CONNECTOR_VERSION;
  }

  async start(props: Props): Promise<void> {
    this.props = props;
    this.where = `${props['rabbitmq.host'] || 'localhost'}:${props['rabbitmq.port'] || 5672}`;
    await this.connect();
    const exchange = props['rabbitmq.exchange'] ?? '';
    if (exchange) {
      try {
        await this.channel?.checkExchange(exchange);
      } catch (e) {
        await this.stop();
        throw classify(e, this.where);
      }
    }
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    if (!this.channel) await this.connect();
    const channel = this.channel as ConfirmChannel;
    const p = this.props;
    const exchange = p['rabbitmq.exchange'] ?? '';
    const persistent = (p['rabbitmq.delivery.mode'] ?? 'PERSISTENT') === 'PERSISTENT';
    try {
      for (const r of records) {
        const headers: Record<string, unknown> = {};
        if (p['rabbitmq.forward.kafka.headers'] === 'true') for (const h of r.headers ?? []) headers[h.key] = headerValue(h.value);
        if (p['rabbitmq.forward.kafka.metadata'] === 'true') {
          headers.KAFKA_TOPIC = r.topic;
          headers.KAFKA_PARTITION = r.kafkaPartition;
          headers.KAFKA_OFFSET = r.kafkaOffset;
          if (r.timestamp !== null && r.timestamp !== undefined) headers.KAFKA_TIMESTAMP = r.timestamp;
        }
        const key = r.key === null || r.key === undefined ? undefined : text(r.key);
        channel.publish(exchange, routingKey(p['rabbitmq.routing.key'] ?? '', r), body(r.value), {
          persistent,
          headers,
          ...(p['rabbitmq.forward.kafka.key'] === 'true' && key !== undefined ? { correlationId: key } : {}),
        });
      }
      await this.confirmed(channel);
    } catch (e) {
      // The channel's state is unknown now: drop it, and let the runtime retry the batch on a new one.
      await this.disconnect();
      if (e instanceof RabbitMQPublishError) throw e;
      throw new RabbitMQPublishError(`Publishing to exchange "${exchange}" at ${this.where} failed: ${(e as Error).message}`, { cause: e, retriable: true });
    }
  }

  async stop(): Promise<void> {
    await this.disconnect();
  }

  private async connect(): Promise<void> {
    this.connection = await openConnection(this.props, `tributary-sink-${this.props.name ?? ''}`);
    // Errors surface through the publish or confirm that meets them; the listeners keep them from crashing the process.
    this.connection.on('error', () => undefined);
    this.channel = await this.connection.createConfirmChannel();
    this.channel.on('error', () => undefined);
  }

  private async disconnect(): Promise<void> {
    const c = this.connection;
    this.connection = undefined;
    this.channel = undefined;
    await c?.close().catch(() => undefined);
  }

  private async confirmed(channel: ConfirmChannel): Promise<void> {
    const timeoutMs = Number(this.props['rabbitmq.publish.ack.timeout'] || 10_000);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        channel.waitForConfirms(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new RabbitMQPublishError(`RabbitMQ did not confirm the published messages within ${timeoutMs} ms`, { retriable: true })), timeoutMs);
        }),
      ]);
    } catch (e) {
      if (e instanceof RabbitMQPublishError) throw e;
      const closed = /closed/i.test((e as Error).message);
      throw closed ? new RabbitMQConnectionError(`The channel to ${this.where} closed before the broker confirmed: ${(e as Error).message}`, { cause: e, retriable: true }) : e;
    } finally {
      clearTimeout(timer);
    }
  }
}

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (typeof v === 'object' && v !== null) return JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v);
}

/** Message bodies are bytes: bytes as they are, strings in UTF-8, other values as JSON. */
function body(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v === null || v === undefined) return Buffer.alloc(0);
  return Buffer.from(text(v));
}

function headerValue(v: unknown): unknown {
  if (v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || Buffer.isBuffer(v)) return v;
  return text(v);
}

/** The routing key template filled in for a record. */
export function routingKey(template: string, r: SinkRecord): string {
  if (!template.includes('${')) return template;
  return template
    .replaceAll('${topic}', r.topic)
    .replaceAll('${partition}', String(r.kafkaPartition))
    .replaceAll('${key}', r.key === null || r.key === undefined ? '' : text(r.key));
}
