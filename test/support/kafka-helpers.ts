/** Independent Kafka clients for tests (plain kafkajs, not Tributary's port). */
import { writeFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import type { KafkajsAdapter } from '../../lib/kafka/kafkajs-adapter.ts';

export function testKafka(bootstrap: string): Kafka {
  return new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING, clientId: 'tributary-test' });
}

/**
 * Creates topics and waits until every broker answers metadata for them with a leader, so the
 * first produce does not race the new topic's metadata.
 */
export async function createTopics(kafka: Kafka, topics: string[], numPartitions = 1): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    // The loop below waits for leaders; kafkajs's own wait fails on a new topic's first UNKNOWN_TOPIC_OR_PARTITION answer.
    await admin.createTopics({ waitForLeaders: false, topics: topics.map((topic) => ({ topic, numPartitions, replicationFactor: 1 })) });
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        const meta = await admin.fetchTopicMetadata({ topics });
        if (meta.topics.every((t) => t.partitions.length === numPartitions && t.partitions.every((p) => p.leader >= 0))) break;
      } catch (e) {
        if (Date.now() > deadline) throw e;
      }
      if (Date.now() > deadline) throw new Error(`Topics ${topics.join(', ')} got no leaders within 15 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await admin.disconnect();
  }
}

/** Writes `n` lines of 100 bytes (with the newline), each starting with its number. */
export function writeNumberedLines(file: string, n: number): void {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`${String(i).padStart(10, '0')} ${'x'.repeat(88)}\n`);
  writeFileSync(file, parts.join(''));
}

/** Counts how often each numbered line (see writeNumberedLines) appears in a topic, read_committed. */
export async function countNumberedLines(kafka: KafkajsAdapter, topic: string, total: number): Promise<Uint8Array> {
  const counts = new Uint8Array(total);
  const admin = await kafka.admin();
  const marks = await admin.watermarks(topic);
  await admin.close();
  const reader = await kafka.reader({ isolation: 'read_committed' });
  let positions = marks.map((m) => ({ topic, partition: m.partition, offset: m.low }));
  const high = new Map(marks.map((m) => [m.partition, m.high]));
  try {
    while (positions.some((p) => p.offset < (high.get(p.partition) ?? 0))) {
      const { records, next } = await reader.fetch(positions.filter((p) => p.offset < (high.get(p.partition) ?? 0)), { maxWaitMs: 200 });
      for (const r of records) {
        const payload = JSON.parse(String(r.value)) as { payload: string };
        const n = Number(payload.payload.slice(0, 10));
        counts[n] = Math.min(255, (counts[n] ?? 0) + 1);
      }
      const progressed = new Map(next.map((n) => [n.partition, n.offset]));
      const before = positions.map((p) => p.offset).join();
      positions = positions.map((p) => ({ ...p, offset: progressed.get(p.partition) ?? p.offset }));
      if (records.length === 0 && before === positions.map((p) => p.offset).join()) break;
    }
  } finally {
    await reader.close();
  }
  return counts;
}

