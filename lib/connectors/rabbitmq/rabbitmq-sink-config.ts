/** The RabbitMQ sink's options: the keys of Confluent's RabbitMQSinkConnector, plus a routing key template. */
import { ConfigDef, Validators } from '../../config/config-def.ts';
import { defineConnectionKeys } from './rabbitmq-connection.ts';

export function rabbitmqSinkConfigDef(): ConfigDef {
  return defineConnectionKeys(
    new ConfigDef()
      .define({ name: 'rabbitmq.exchange', type: 'STRING', importance: 'HIGH', documentation: 'The exchange to publish to; it must exist. Empty publishes through the default exchange (the routing key is then a queue name).' })
      .define({ name: 'rabbitmq.routing.key', type: 'STRING', importance: 'HIGH', documentation: 'The routing key of every message. Tributary: `${topic}`, `${key}` and `${partition}` are replaced by the record\'s topic, key (as text) and partition.' })
      .define({ name: 'rabbitmq.delivery.mode', type: 'STRING', defaultValue: 'PERSISTENT', importance: 'MEDIUM', validator: Validators.in('PERSISTENT', 'TRANSIENT'), validValues: '[PERSISTENT, TRANSIENT]', documentation: 'Whether the broker keeps messages on disk.' })
      .define({ name: 'rabbitmq.forward.kafka.key', type: 'BOOLEAN', defaultValue: false, importance: 'LOW', documentation: 'Send the record key (as text) as the message\'s correlation id.' })
      .define({ name: 'rabbitmq.forward.kafka.metadata', type: 'BOOLEAN', defaultValue: false, importance: 'LOW', documentation: 'Add headers KAFKA_TOPIC, KAFKA_PARTITION, KAFKA_OFFSET and KAFKA_TIMESTAMP.' })
      .define({ name: 'rabbitmq.forward.kafka.headers', type: 'BOOLEAN', defaultValue: false, importance: 'LOW', documentation: 'Copy the record\'s Kafka headers to the message\'s headers.' })
      .define({ name: 'rabbitmq.publish.ack.timeout', type: 'INT', defaultValue: 10_000, importance: 'LOW', validator: Validators.atLeast(1), documentation: 'Time (ms) the broker has to confirm a batch of published messages (publisher confirms) before the task retries it.' }),
  );
}
