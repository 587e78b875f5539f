/**
 * The RabbitMQ source (io.confluent.connect.rabbitmq.RabbitMQSourceConnector) and sink
 * (io.confluent.connect.rabbitmq.sink.RabbitMQSinkConnector). Every task gets the same config:
 * source tasks are competing consumers of the queues, sink tasks share the topic partitions.
 */
import type { ConfigDef } from '../../config/config-def.ts';
import type { Props, SinkConnector, SinkTask, SourceConnector, SourceTask } from '../../plugins/plugin-types.ts';
import { RabbitMQError } from './errors.ts';
import { classify, openConnection } from './rabbitmq-connection.ts';
import { rabbitmqSinkConfigDef } from './rabbitmq-sink-config.ts';
import { RabbitMQSinkTask } from './rabbitmq-sink-task.ts';
import { rabbitmqSourceConfigDef } from './rabbitmq-source-config.ts';
import { RabbitMQSourceTask } from './rabbitmq-source-task.ts';
import { RABBITMQ_CONNECTOR_VERSION } from './rabbitmq-version.ts';

export const RABBITMQ_SOURCE_CLASS = 'io.confluent.connect.rabbitmq.RabbitMQSourceConnector';
export const RABBITMQ_SINK_CLASS = 'io.confluent.connect.rabbitmq.sink.RabbitMQSinkConnector';

const CONNECTION_KEYS = ['rabbitmq.host', 'rabbitmq.port', 'rabbitmq.username', 'rabbitmq.password', 'rabbitmq.virtual.host', 'rabbitmq.security.protocol'];

/**
 * Connects with the given props and checks that each named queue or exchange exists (on its
 * own channel: a failed check closes the channel). Errors are per key.
 */
async function checkBroker(def: ConfigDef, props: Props, what: { queues?: string[]; exchange?: string }): Promise<Record<string, string[]>> {
  const results = def.validate(props);
  if (results.some((r) => CONNECTION_KEYS.includes(r.name) && r.errors.length > 0)) return {};
  const where = `${props['rabbitmq.host'] || 'localhost'}:${props['rabbitmq.port'] || 5672}`;
  const withDefaults: Record<string, string> = { ...props, 'rabbitmq.connection.timeout.ms': props['rabbitmq.connection.timeout.ms'] ?? '5000' };
  let connection;
  try {
    connection = await openConnection(withDefaults, 'tributary-validate');
  } catch (e) {
    const err = e instanceof RabbitMQError ? e : classify(e, where);
    return { [err.key ?? 'rabbitmq.host']: [err.message] };
  }
  connection.on('error', () => undefined);
  const errors: Record<string, string[]> = {};
  try {
    for (const queue of what.queues ?? []) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      try {
        await channel.checkQueue(queue);
        await channel.close();
      } catch (e) {
        (errors['rabbitmq.queue'] ??= []).push(`Queue "${queue}" does not exist in virtual host "${props['rabbitmq.virtual.host'] || '/'}": ${(e as Error).message}`);
      }
    }
    if (what.exchange) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      try {
        await channel.checkExchange(what.exchange);
        await channel.close();
      } catch (e) {
        errors['rabbitmq.exchange'] = [`Exchange "${what.exchange}" does not exist in virtual host "${props['rabbitmq.virtual.host'] || '/'}": ${(e as Error).message}`];
      }
    }
  } finally {
    await connection.close().catch(() => undefined);
  }
  return errors;
}

export class RabbitMQSourceConnector implements SourceConnector {
  readonly type = 'source';
  private props: Props = {};

  version(): string {
    return RABBITMQ_CONNECTOR_VERSION;
  }
  config(): ConfigDef {
    return rabbitmqSourceConfigDef();
  }
  validate(props: Props): Promise<Record<string, string[]>> {
    const queues = (props['rabbitmq.queue'] ?? '').split(',').map((q) => q.trim()).filter(Boolean);
    return checkBroker(rabbitmqSourceConfigDef(), props, { queues });
  }
  start(props: Props): void {
    rabbitmqSourceConfigDef().parse(props);
    this.props = props;
  }
  taskConfigs(maxTasks: number): Props[] {
    return Array.from({ length: Math.max(1, maxTasks) }, () => ({ ...this.props }));
  }
  createTask(): SourceTask {
    return new RabbitMQSourceTask();
  }
  stop(): void {}
  /** Positions live in the broker (acknowledgements), not in Connect's offsets: any offsets may be written. */
  alterOffsets(): boolean {
    return true;
  }
}

export class RabbitMQSinkConnector implements SinkConnector {
  readonly type = 'sink';
  private props: Props = {};

  version(): string {
    return RABBITMQ_CONNECTOR_VERSION;
  }
  config(): ConfigDef {
    return rabbitmqSinkConfigDef();
  }
  validate(props: Props): Promise<Record<string, string[]>> {
    return checkBroker(rabbitmqSinkConfigDef(), props, { exchange: props['rabbitmq.exchange'] ?? '' });
  }
  start(props: Props): void {
    rabbitmqSinkConfigDef().parse(props);
    this.props = props;
  }
  taskConfigs(maxTasks: number): Props[] {
    return Array.from({ length: Math.max(1, maxTasks) }, () => ({ ...this.props }));
  }
  createTask(): SinkTask {
    return new RabbitMQSinkTask();
  }
  stop(): void {}
  alterOffsets(): boolean {
    return true;
  }
}
