/**
 * The idempotent send path's promises, on a stand-in broker that records every Produce request:
 * a retried request keeps its producer id and sequence (so the broker writes it once), a broker
 * that lost the producer's state gets the batch again under a new producer id from sequence 0,
 * a partly failed request resends only the failed partitions, and after a final failure the
 * next send starts under a new producer id. The real broker path is covered by the
 * integration tests, which all produce through this sender.
 */
import { NetworkError, Reader, readRecordsBatch, ResponseError, type Producer } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { IdempotentSender, type PartitionBatch } from '../../../lib/kafka/idempotent-sender.ts';

interface Sent {
  topic: string;
  partition: number;
  producerId: bigint;
  sequence: number;
  count: number;
}

type Answer = (sent: Sent[]) => { error?: Error; failed?: Record<number, number> };

/** A broker of one node; `answers` decide each request's fate in turn (default: all written). */
function standIn(answers: Answer[] = []) {
  const requests: Sent[][] = [];
  let nextId = 100n;
  const offsets = new Map<string, bigint>();
  const connection = {
    send(_key: number, _version: number, payload: () => { buffer: Buffer }, _parser: unknown, _a: boolean, _b: boolean, cb: (e: Error | null, r?: unknown) => void) {
      const r = Reader.from(payload().buffer);
      r.readString();
      r.readInt16();
      r.readInt32();
      const sent = r.readArray((t) => {
        const topic = t.readString();
        return t.readArray((p) => {
          const partition = p.readInt32();
          const batch = readRecordsBatch(Reader.from(p.readBytes()));
          return { topic, partition, producerId: batch.producerId, sequence: batch.firstSequence, count: batch.records.length };
        });
      }).flat();
      requests.push(sent);
      const answer = answers.shift()?.(sent) ?? {};
      if (answer.error && !answer.failed) return setImmediate(() => cb(answer.error as Error));
      const response = {
        responses: [...new Set(sent.map((s) => s.topic))].map((name) => ({
          name,
          partitionResponses: sent
            .filter((s) => s.topic === name)
            .map((s) => {
              const errorCode = answer.failed?.[s.partition] ?? 0;
              const key = `${s.topic}:${s.partition}`;
              const base = offsets.get(key) ?? 0n;
              if (errorCode === 0) offsets.set(key, base + BigInt(s.count));
              return { index: s.partition, errorCode, baseOffset: errorCode === 0 ? base : -1n };
            }),
        })),
      };
      if (answer.failed) {
        const errors = Object.fromEntries(Object.entries(answer.failed).map(([p, code]) => [`/responses/0/partition_responses/${p}`, [code, null]]));
        return setImmediate(() => cb(new ResponseError(0, 11, errors as Record<string, [number, null]>, response)));
      }
      setImmediate(() => cb(null, response));
    },
  };
  const producer = {
    initIdempotentProducer: async () => ({ producerId: nextId++, producerEpoch: 0 }),
    listApis: async () => [{ apiKey: 0, minVersion: 3, maxVersion: 12 }],
    metadata: async ({ topics }: { topics: string[] }) => ({
      brokers: new Map([[1, { host: 'broker', port: 9092 }]]),
      topics: new Map(topics.map((t) => [t, { partitionsCount: 2, partitions: [{ leader: 1 }, { leader: 1 }] }])),
    }),
    connections: { get: async () => connection },
  };
  return { sender: new IdempotentSender(producer as unknown as Producer), requests };
}

function batches(...parts: [string, number, number][]): PartitionBatch[] {
  return parts.map(([topic, partition, n]) => ({ topic, partition, records: Array.from({ length: n }, (_, i) => ({ topic, key: null, value: Buffer.from(String(i)) })) }));
}

const NOT_LEADER_OR_FOLLOWER = 6;
const MESSAGE_TOO_LARGE = 10;
const UNKNOWN_PRODUCER_ID = 59;

describe('IdempotentSender', () => {
  it('numbers batches per partition under one producer id and sets their base offsets', async () => {
    const { sender, requests } = standIn();
    const first = batches(['t', 0, 3], ['t', 1, 2]);
    await sender.send(first);
    const second = batches(['t', 0, 4]);
    await sender.send(second);
    expect(requests).toEqual([
      [
        { topic: 't', partition: 0, producerId: 100n, sequence: 0, count: 3 },
        { topic: 't', partition: 1, producerId: 100n, sequence: 0, count: 2 },
      ],
      [{ topic: 't', partition: 0, producerId: 100n, sequence: 3, count: 4 }],
    ]);
    expect(first.map((b) => b.baseOffset)).toEqual([0n, 0n]);
    expect(second[0]?.baseOffset).toBe(3n);
  });

  it('retries a request lost on the network with the same producer id and sequence', async () => {
    const { sender, requests } = standIn([() => ({}), () => ({ error: new NetworkError('Connection closed') })]);
    await sender.send(batches(['t', 0, 5]));
    await sender.send(batches(['t', 0, 5]));
    expect(requests.map((r) => r.map((s) => [s.producerId, s.sequence]))).toEqual([[[100n, 0]], [[100n, 5]], [[100n, 5]]]);
  });

  it('resends only the partitions that failed, each with its own sequence', async () => {
    const { sender, requests } = standIn([() => ({ failed: { 1: NOT_LEADER_OR_FOLLOWER } })]);
    const sent = batches(['t', 0, 3], ['t', 1, 2]);
    await sender.send(sent);
    expect(requests[1]).toEqual([{ topic: 't', partition: 1, producerId: 100n, sequence: 0, count: 2 }]);
    expect(sent.map((b) => b.baseOffset)).toEqual([0n, 0n]);
    await sender.send(batches(['t', 0, 1], ['t', 1, 1]));
    expect(requests[2]?.map((s) => s.sequence)).toEqual([3, 2]);
  });

  it('sends a batch the broker lost track of again under a new producer id, from sequence 0', async () => {
    const { sender, requests } = standIn([() => ({}), () => ({ failed: { 0: UNKNOWN_PRODUCER_ID } })]);
    await sender.send(batches(['t', 0, 5]));
    await sender.send(batches(['t', 0, 5]));
    expect(requests.map((r) => r.map((s) => [s.producerId, s.sequence]))).toEqual([[[100n, 0]], [[100n, 5]], [[101n, 0]]]);
  });

  it('gives up on an error that cannot be retried, and the next send starts under a new producer id', async () => {
    const { sender, requests } = standIn([() => ({ failed: { 0: MESSAGE_TOO_LARGE } })]);
    await expect(sender.send(batches(['t', 0, 5]))).rejects.toThrow(/error/);
    await sender.send(batches(['t', 0, 5]));
    expect(requests.map((r) => r.map((s) => [s.producerId, s.sequence]))).toEqual([[[100n, 0]], [[101n, 0]]]);
  });
});
