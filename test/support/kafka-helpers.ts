/** Independent Kafka clients for tests (plain kafkajs, not Tributary's port). */
import { Kafka, logLevel } from 'kafkajs';

export function testKafka(bootstrap: string): Kafka {
  return new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING, clientId: 'tributary-test' });
}

/** Creates topics and waits for their leaders, so the first produce does not race metadata. */
export async function createTopics(kafka: Kafka, topics: string[], numPartitions = 1): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic, numPartitions, replicationFactor: 1 })) });
  } finally {
    await admin.disconnect();
  }
}
