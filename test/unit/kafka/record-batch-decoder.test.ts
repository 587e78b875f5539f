/**
 * The record set decoder of the sink's fetches: records read as the Kafka client's own batch
 * reader reads them, records before the fetch position skipped, a batch cut short by the
 * byte limit left for the next fetch, control batches and aborted transactions dropped as
 * Java's read_committed consumer drops them, LogAppendTime, and compressed batches. (Every
 * integration test that reads a topic through a sink goes through it on a real broker too.)
 */
import { compressionsAlgorithms, Reader, readRecordsBatches } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import type { FetchedRecord, OutgoingRecord } from '../../../lib/kafka/kafka-port.ts';
import { decodeRecordSet, type RecordSetScope } from '../../../lib/kafka/record-batch-decoder.ts';
import { encodeRecordBatch } from '../../../lib/kafka/record-batch-encoder.ts';

const NOW = 1_764_500_000_000;
const TRANSACTIONAL = 0x10;
const CONTROL = 0x20;
const LOG_APPEND_TIME = 0x08;

/** A batch at `baseOffset`, as the broker stores it (the encoder writes what a producer sends). */
function batchAt(baseOffset: number, records: readonly OutgoingRecord[], o: { producerId?: bigint; attributes?: number } = {}): Buffer {
  const buf = encodeRecordBatch(records, { producerId: o.producerId ?? -1n, producerEpoch: 0, baseSequence: 0 }, NOW);
  buf.writeBigInt64BE(BigInt(baseOffset), 0);
  if (o.attributes !== undefined) buf.writeInt16BE(o.attributes, 21);
  return buf;
}

/** A transaction marker: one record whose key is version 0 and the type (0 abort, 1 commit). */
function marker(offset: number, producerId: bigint, type: 0 | 1): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(type, 2);
  return batchAt(offset, [{ topic: 't', key, value: Buffer.alloc(6) }], { producerId, attributes: TRANSACTIONAL | CONTROL });
}

const values = (n: number, prefix = 'v') => Array.from({ length: n }, (_, i): OutgoingRecord => ({ topic: 't', key: null, value: Buffer.from(`${prefix}${i}`) }));
const scope = (from = 0, over: Partial<RecordSetScope> = {}): RecordSetScope => ({ topic: 't', partition: 3, from, ...over });

function decode(set: Buffer, s: RecordSetScope = scope()): { records: FetchedRecord[]; next: number } {
  const records: FetchedRecord[] = [];
  return { next: decodeRecordSet(set, s, records), records };
}

describe('decodeRecordSet', () => {
  it('reads every record as the client\'s batch reader does: offsets, timestamps, null and empty fields, headers', () => {
    const shapes: OutgoingRecord[] = [];
    for (let i = 0; i < 300; i++) {
      shapes.push({
        topic: 't',
        key: i % 3 === 0 ? null : Buffer.from(`key-${i}`),
        value: i % 7 === 0 ? null : i % 11 === 0 ? Buffer.alloc(0) : Buffer.alloc(i * 13, i),
        timestamp: i % 5 === 0 ? undefined : NOW + (i % 2 ? 1 : -1) * i * 100_000,
        headers: i % 4 === 0 ? [{ key: 'h', value: Buffer.from(String(i)) }, { key: 'clé', value: null }, { key: '', value: Buffer.alloc(0) }] : undefined,
      });
    }
    const set = Buffer.concat([batchAt(1_000, shapes.slice(0, 100)), batchAt(1_100, shapes.slice(100, 250)), batchAt(1_250, shapes.slice(250))]);
    const { records, next } = decode(set, scope(1_000));
    const expected = readRecordsBatches(Reader.from(set)).flatMap((b) =>
      b.records.map((r) => ({
        topic: 't',
        partition: 3,
        offset: Number(b.firstOffset) + r.offsetDelta,
        key: r.key,
        value: r.value,
        timestamp: Number(b.firstTimestamp + r.timestampDelta),
        headers: r.headers.map(([k, v]) => ({ key: k ? k.toString('utf8') : '', value: v })),
      })),
    );
    expect(records).toEqual(expected);
    expect(records.map((r) => r.offset)).toEqual([...Array(300).keys()].map((i) => 1_000 + i));
    expect(next).toBe(1_300);
    // Null stays null and empty stays empty (the sink's converters tell them apart).
    expect(records[0]?.key).toBeNull();
    expect(records[7]?.value).toBeNull();
    expect(records[11]?.value).toEqual(Buffer.alloc(0));
  });

  it('skips the records before the fetch position, in the batch the fetch began inside of', () => {
    const set = Buffer.concat([batchAt(0, values(10)), batchAt(10, values(10, 'w'))]);
    const { records, next } = decode(set, scope(14));
    expect(records.map((r) => r.offset)).toEqual([14, 15, 16, 17, 18, 19]);
    expect(records.map((r) => String(r.value))).toEqual(['w4', 'w5', 'w6', 'w7', 'w8', 'w9']);
    expect(next).toBe(20);
  });

  it('leaves a batch cut short by the byte limit for the next fetch', () => {
    const first = batchAt(0, values(10));
    const set = Buffer.concat([first, batchAt(10, values(10))]);
    for (const cut of [1, 20, 61, set.length - first.length - 1]) {
      const { records, next } = decode(set.subarray(0, first.length + cut));
      expect(records.map((r) => r.offset)).toEqual([...Array(10).keys()]);
      expect(next).toBe(10);
    }
    expect(decode(first.subarray(0, 30)).next).toBe(0);
  });

  it('drops control batches, and under read_committed the batches of aborted transactions', () => {
    const set = Buffer.concat([
      batchAt(0, values(3, 'aborted'), { producerId: 7n, attributes: TRANSACTIONAL }),
      batchAt(3, values(2, 'plain')),
      marker(5, 7n, 0),
      batchAt(6, values(2, 'committed'), { producerId: 7n, attributes: TRANSACTIONAL }),
      batchAt(8, values(1, 'other'), { producerId: 9n, attributes: TRANSACTIONAL }),
      marker(9, 7n, 1),
      marker(10, 9n, 1),
    ]);
    const committed = decode(set, scope(0, { abortedTransactions: [{ producerId: 7n, firstOffset: 0n }] }));
    expect(committed.records.map((r) => String(r.value))).toEqual(['plain0', 'plain1', 'committed0', 'committed1', 'other0']);
    expect(committed.next).toBe(11);
    // read_uncommitted: the broker lists no aborted transactions, and only markers are dropped.
    const all = decode(set);
    expect(all.records.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 6, 7, 8]);
    expect(all.next).toBe(11);
    // A set of markers alone still moves the position past them.
    expect(decode(marker(42, 7n, 1), scope(42))).toEqual({ records: [], next: 43 });
  });

  it('stamps every record of a LogAppendTime batch with the broker\'s time', () => {
    const batch = batchAt(0, [{ topic: 't', key: null, value: Buffer.from('a'), timestamp: 5 }, { topic: 't', key: null, value: Buffer.from('b'), timestamp: 9 }], { attributes: LOG_APPEND_TIME });
    batch.writeBigInt64BE(BigInt(NOW), 35); // max timestamp: the broker's append time
    expect(decode(batch).records.map((r) => r.timestamp)).toEqual([NOW, NOW]);
  });

  it('inflates compressed batches with the client\'s codecs', () => {
    const plain = batchAt(100, values(50, 'compressed-'));
    for (const [name, bitmask] of [['gzip', 1], ['snappy', 2], ['lz4', 3]] as const) {
      const body = compressionsAlgorithms[name].compressSync(plain.subarray(61));
      const batch = Buffer.concat([plain.subarray(0, 61), body]);
      batch.writeInt32BE(batch.length - 12, 8);
      batch.writeInt16BE(bitmask, 21);
      const { records, next } = decode(batch, scope(100));
      expect(records.map((r) => String(r.value)), name).toEqual(values(50, 'compressed-').map((r) => String(r.value)));
      expect(records.map((r) => r.offset), name).toEqual([...Array(50).keys()].map((i) => 100 + i));
      expect(next).toBe(150);
    }
  });

  it('refuses a batch of an older message format, naming the partition and offset', () => {
    const batch = batchAt(77, values(1));
    batch.writeInt8(1, 16);
    expect(() => decode(batch)).toThrow(/t-3 holds a record batch of magic 1 at offset 77/);
  });
});
