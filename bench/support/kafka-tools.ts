/** The broker side of the benchmark: topics, end offsets, filling a topic, watching for a record. */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { eventually } from '../../test/support/rest-client.ts';

export class BenchKafka {
  private readonly kafka: Kafka;
  private adminClient: Admin | undefined;

  constructor(readonly bootstrapServers: string) {
    this.kafka = new Kafka({ clientId: 'tributary-bench', brokers: bootstrapServers.split(','), logLevel: logLevel.NOTHING });
  }

  private async admin(): Promise<Admin> {
    if (!this.adminClient) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.adminClient = admin;
    }
    return this.adminClient;
  }

  /** A new single-partition topic with a random name, created up front so no workload pays for auto-creation. */
  async createTopic(prefix: string): Promise<string> {
    const topic = `${prefix}-${randomBytes(4).toString('hex')}`;
    const admin = await this.admin();
    // kafkajs's own wait for leaders fails on a loaded broker's first UNKNOWN_TOPIC_OR_PARTITION answer; the loop below waits instead.
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: false });
    // The broker may still answer metadata without the new topic for a moment; wait until it does not.
    await eventually(async () => (await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined))?.topics[0]?.partitions.every((p) => p.leader >= 0), {
      timeoutMs: 15_000,
      intervalMs: 100,
      what: `${topic} to have a leader`,
    });
    return topic;
  }

  /** The sum of the partitions' high watermarks. */
  async endOffset(topic: string): Promise<number> {
    const offsets = await (await this.admin()).fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  }

  /** Polls the end offset until it reaches `target`; resolves with the time it was first seen there. */
  waitForEndOffset(topic: string, target: number, o: { intervalMs?: number; deadline: number }): Promise<number> {
    return eventually(async () => (await this.endOffset(topic)) >= target && performance.now(), {
      timeoutMs: o.deadline - Date.now(),
      intervalMs: o.intervalMs ?? 100,
      what: `${topic} to reach offset ${target}`,
    });
  }

  /** Produces `values` in large batches (the sink workload's input; not timed). */
  async produce(topic: string, count: number, value: (i: number) => string, batch = 5_000): Promise<void> {
    const producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      for (let start = 0; start < count; start += batch) {
        const messages = [];
        for (let i = start; i < Math.min(count, start + batch); i++) messages.push({ value: value(i) });
        await producer.send({ topic, messages, acks: 1 });
      }
    } finally {
      await producer.disconnect();
    }
  }

  /**
   * Starts reading `topic` from its beginning; `seen(text)` resolves with the time a record
   * whose value contains `text` arrived (immediately if it already had).
   */
  async watch(topic: string): Promise<{ seen(text: string, deadline: number): Promise<number>; close(): Promise<void> }> {
    const consumer = this.kafka.consumer({ groupId: `bench-watch-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 50 });
    const arrivals: { value: string; at: number }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void arrivals.push({ value: String(message.value), at: performance.now() }) });
    return {
      seen: (text, deadline) =>
        eventually(async () => arrivals.find((a) => a.value.includes(text))?.at, {
          timeoutMs: deadline - Date.now(),
          intervalMs: 20,
          what: `a record containing ${text} in ${topic}`,
        }),
      close: () => consumer.disconnect(),
    };
  }

  async deleteTopics(topics: string[]): Promise<void> {
    if (topics.length) await (await this.admin()).deleteTopics({ topics }).catch(() => {});
  }

  async close(): Promise<void> {
    await this.adminClient?.disconnect();
    this.adminClient = undefined;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
