/**
 * Consumes RabbitMQ queues into Kafka records. Messages are acknowledged only in `commit()`,
 * which the runtime calls after the records and their offsets are committed to Kafka: a crash
 * before then leaves them unacknowledged, and the broker redelivers them to the next runner.
 */
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { ConnectHeader, SourceRecord } from '../../plugins/connect-record.ts';
import { Schemas } from '../../plugins/connect-schema.ts';
import type { Props, SourceTask } from '../../plugins/plugin-types.ts';
import { RabbitMQConnectionError, RabbitMQError } from './errors.ts';
import { classify, openConnection } from './rabbitmq-connection.ts';
import { DEFAULT_PREFETCH } from './rabbitmq-source-config.ts';
import { RABBITMQ_CONNECTOR_VERSION } from './rabbitmq-version.ts';

/** Records handed to the runtime per poll at most. */
const MAX_POLL = 5_000;

export class RabbitMQSourceTask implements SourceTask {
  private connection: ChannelModel | undefined;
  private channel: Channel | undefined;
  private buffer: ConsumeMessage[] = [];
  /** The last message handed out by poll and not yet acknowledged. */
  private lastPolled: ConsumeMessage | undefined;
  private failure: RabbitMQError | undefined;
  private stopping = false;
  private topic = '';
  /** Queue per consumer tag: a delivery names its consumer, not its queue. */
  private readonly queues = new Map<string, string>();
  /** One partition object per queue, so the runtime sees the same partition reused. */
  private readonly partitions = new Map<string, { queue: string }>();

  version(): string {
    return RABBITMQ_CONNECTOR_VERSION;
  }

  async start(props: Props): Promise<void> {
    this.topic = props['kafka.topic'] ?? '';
    const where = `${props['rabbitmq.host'] || 'localhost'}:${props['rabbitmq.port'] || 5672}`;
    this.connection = await openConnection(props, `tributary-source-${props.name ?? ''}`);
    const fail = (e: unknown) => {
      if (!this.stopping) this.failure ??= e instanceof Error && /NOT_FOUND/.test(e.message) ? classify(e, where) : new RabbitMQConnectionError(`The RabbitMQ connection to ${where} was lost: ${(e as Error)?.message ?? 'closed'}`, { cause: e, retriable: true });
    };
    this.connection.on('error', fail);
    this.connection.on('close', fail);
    try {
      this.channel = await this.connection.createChannel();
      this.channel.on('error', fail);
      this.channel.on('close', fail);
      const prefetch = Number(props['rabbitmq.prefetch.count'] || 0) || DEFAULT_PREFETCH;
      await this.channel.prefetch(prefetch, props['rabbitmq.prefetch.global'] === 'true');
      const queues = (props['rabbitmq.queue'] ?? '').split(',').map((q) => q.trim()).filter(Boolean);
      for (const queue of queues) {
        const { consumerTag } = await this.channel.consume(queue, (m) => {
          if (m) this.buffer.push(m);
          else fail(new RabbitMQConnectionError(`The broker cancelled the consumer of queue ${queue}`, { retriable: true }));
        });
        this.queues.set(consumerTag, queue);
        this.partitions.set(queue, { queue });
      }
    } catch (e) {
      await this.stop();
      throw classify(e, where);
    }
  }

  poll(): SourceRecord[] | null {
    if (this.failure) throw this.failure;
    if (this.buffer.length === 0) return null;
    const batch = this.buffer.length <= MAX_POLL ? this.buffer : this.buffer.slice(0, MAX_POLL);
    this.buffer = this.buffer.length <= MAX_POLL ? [] : this.buffer.slice(MAX_POLL);
    this.lastPolled = batch[batch.length - 1];
    return batch.map((m) => this.toRecord(m));
  }

  /** The records polled so far are in Kafka: acknowledge them all with one multiple-ack. */
  commit(): void {
    const last = this.lastPolled;
    if (!last || !this.channel || this.failure) return;
    this.channel.ack(last, true);
    this.lastPolled = undefined;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    // Unacknowledged messages go back to the queue when the connection closes.
    await this.connection?.close().catch(() => undefined);
    this.connection = undefined;
    this.channel = undefined;
    this.buffer = [];
  }

  private toRecord(m: ConsumeMessage): SourceRecord {
    const p = m.properties;
    const f = m.fields;
    const headers: ConnectHeader[] = [];
    const add = (key: string, value: unknown) => {
      if (value === undefined || value === null) return;
      if (Buffer.isBuffer(value)) headers.push({ key, schema: Schemas.BYTES, value });
      else headers.push({ key, schema: Schemas.STRING, value: typeof value === 'object' ? JSON.stringify(value) : String(value) });
    };
    add('rabbitmq.consumer.tag', f.consumerTag);
    add('rabbitmq.delivery.tag', f.deliveryTag);
    add('rabbitmq.redelivered', f.redelivered);
    add('rabbitmq.exchange', f.exchange);
    add('rabbitmq.routing.key', f.routingKey);
    add('rabbitmq.content.type', p.contentType);
    add('rabbitmq.content.encoding', p.contentEncoding);
    add('rabbitmq.delivery.mode', p.deliveryMode);
    add('rabbitmq.priority', p.priority);
    add('rabbitmq.correlation.id', p.correlationId);
    add('rabbitmq.reply.to', p.replyTo);
    add('rabbitmq.expiration', p.expiration);
    add('rabbitmq.message.id', p.messageId);
    add('rabbitmq.timestamp', p.timestamp);
    add('rabbitmq.type', p.type);
    add('rabbitmq.user.id', p.userId);
    add('rabbitmq.app.id', p.appId);
    for (const [k, v] of Object.entries(p.headers ?? {})) add(k, v);
    const queue = this.queues.get(f.consumerTag) ?? '';
    return {
      topic: this.topic,
      sourcePartition: this.partitions.get(queue) ?? { queue },
      sourceOffset: { deliveryTag: f.deliveryTag },
      key: typeof p.messageId === 'string' ? p.messageId : null,
      keySchema: Schemas.OPTIONAL_STRING,
      valueSchema: Schemas.BYTES,
      value: m.content,
      timestamp: typeof p.timestamp === 'number' ? p.timestamp * 1000 : null,
      headers,
    };
  }
}
