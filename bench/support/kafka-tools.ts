/** The broker side of the benchmark: topics, end offsets, filling a topic, watching for a record. */
import { randomBytes } from 'node:crypto';
import { Admin, Consumer, ListOffsetTimestamps, MessagesStreamModes, Producer, type BaseOptions } from '@platformatic/kafka';
import { eventually } from '../../cli/connect-rest-client.ts';

export class BenchKafka {
  private readonly options: BaseOptions;
  private adminClient: Admin | undefined;

  constructor(readonly bootstrapServers: string) {
    this.options = { clientId: 'tributary-bench', bootstrapBrokers: bootstrapServers.split(','), retries: 5, retryDelay: 100 };
  }

  private async admin(): Promise<Admin> {
    this.adminClient ??= new Admin(this.options);
    return this.adminClient;
  }

  /** A new topic with a random name, created up front so no workload pays for auto-creation. */
  async createTopic(prefix: string, partitions = 1): Promise<string> {
    const topic = `${prefix}-${randomBytes(4).toString('hex')}`;
    const admin = await this.admin();
    await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
    // The broker may still answer metadata without the new topic for a moment; wait until it does not.
    await eventually(async () => {
      const t = (await admin.metadata({ topics: [topic], forceUpdate: true }).catch(() => undefined))?.topics.get(topic);
      return t !== undefined && t.partitionsCount === partitions && t.partitions.every((p) => p.leader >= 0);
    }, {
      timeoutMs: 15_000,
      intervalMs: 100,
      what: `${topic} to have a leader`,
    });
    return topic;
  }

  /** The sum of the partitions' high watermarks. */
  async endOffset(topic: string): Promise<number> {
    const admin = await this.admin();
    const count = (await admin.metadata({ topics: [topic] })).topics.get(topic)?.partitionsCount ?? 0;
    const partitions = Array.from({ length: count }, (_, partitionIndex) => ({ partitionIndex, timestamp: ListOffsetTimestamps.LATEST }));
    const listed = await admin.listOffsets({ topics: [{ name: topic, partitions }] });
    return listed.flatMap((t) => t.partitions).reduce((sum, p) => sum + Number(p.offset), 0);
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
  async produce(topic: string, count: number, value: (i: number) => string | Buffer, batch = 5_000): Promise<void> {
    const producer = new Producer({ ...this.options, acks: 1 });
    try {
      for (let start = 0; start < count; start += batch) {
        const messages = [];
        for (let i = start; i < Math.min(count, start + batch); i++) messages.push({ topic, value: Buffer.from(value(i)) });
        await producer.send({ messages, acks: 1 });
      }
    } finally {
      await producer.close();
    }
  }

  /**
   * Starts reading `topic` from its beginning; `seen(text)` resolves with the time a record
   * whose value contains `text` arrived (immediately if it already had).
   */
  async watch(topic: string): Promise<{ seen(text: string, deadline: number): Promise<number>; close(): Promise<void> }> {
    const consumer = new Consumer({ ...this.options, groupId: `bench-watch-${randomBytes(4).toString('hex')}`, maxWaitTime: 50, autocommit: false });
    const arrivals: { value: string; at: number }[] = [];
    const stream = await consumer.consume({ topics: [topic], mode: MessagesStreamModes.EARLIEST, autocommit: false, maxWaitTime: 50 });
    stream.on('data', (message: { value: Buffer }) => void arrivals.push({ value: String(message.value), at: performance.now() }));
    return {
      seen: (text, deadline) =>
        eventually(async () => arrivals.find((a) => a.value.includes(text))?.at, {
          timeoutMs: deadline - Date.now(),
          intervalMs: 20,
          what: `a record containing ${text} in ${topic}`,
        }),
      close: async () => {
        await stream.close();
        await consumer.close(true);
      },
    };
  }

  /** The first `count` records of a one-partition topic: value text and CreateTime (epoch ms). */
  async records(topic: string, count: number, deadline: number): Promise<{ value: string; timestamp: number }[]> {
    const consumer = new Consumer({ ...this.options, groupId: `bench-read-${randomBytes(4).toString('hex')}`, maxWaitTime: 100, autocommit: false });
    const got: { value: string; timestamp: number }[] = [];
    const stream = await consumer.consume({ topics: [topic], mode: MessagesStreamModes.EARLIEST, autocommit: false, maxWaitTime: 100 });
    stream.on('data', (m: { value: Buffer | null; timestamp: bigint }) => void got.push({ value: String(m.value ?? ''), timestamp: Number(m.timestamp) }));
    try {
      await eventually(async () => got.length >= count, { timeoutMs: deadline - Date.now(), intervalMs: 50, what: `${count} records of ${topic}` });
      return got.slice(0, count);
    } finally {
      await stream.close();
      await consumer.close(true);
    }
  }

  async deleteTopics(topics: string[]): Promise<void> {
    if (topics.length) await (await this.admin()).deleteTopics({ topics }).catch(() => {});
  }

  async close(): Promise<void> {
    await this.adminClient?.close();
    this.adminClient = undefined;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
