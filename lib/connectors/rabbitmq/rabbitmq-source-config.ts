/** The RabbitMQ source's options: the keys of Confluent's RabbitMQSourceConnector. */
import { ConfigDef, Validators } from '../../config/config-def.ts';
import { defineConnectionKeys } from './rabbitmq-connection.ts';

/** Prefetch when `rabbitmq.prefetch.count` is 0: acks wait for the Kafka commit, so unacked messages must be bounded. */
export const DEFAULT_PREFETCH = 10_000;

export function rabbitmqSourceConfigDef(): ConfigDef {
  return defineConnectionKeys(
    new ConfigDef()
      .define({ name: 'kafka.topic', type: 'STRING', importance: 'HIGH', validator: Validators.nonEmptyString(), documentation: 'The Kafka topic to write messages to.' })
      .define({ name: 'rabbitmq.queue', type: 'LIST', importance: 'HIGH', documentation: 'The queues to consume from; they must exist.' })
      .define({ name: 'rabbitmq.prefetch.count', type: 'INT', defaultValue: 0, importance: 'MEDIUM', validator: Validators.between(0, 65535), documentation: `The most unacknowledged messages the broker sends (basic.qos). Messages are acknowledged only after their Kafka commit, so Tributary applies ${DEFAULT_PREFETCH} for 0 (Connect: unlimited).` })
      .define({ name: 'rabbitmq.prefetch.global', type: 'BOOLEAN', defaultValue: false, importance: 'LOW', documentation: 'Apply the prefetch count to the whole channel instead of each consumer.' }),
  );
}
