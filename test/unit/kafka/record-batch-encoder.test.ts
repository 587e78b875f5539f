/**
 * The record batch encoder, read back with the Kafka client's own batch reader: header fields,
 * CRC, and records with null keys and values, headers, timestamps before the first one, and
 * lengths whose varints take one, two and three bytes. (The broker checks the CRC too: every
 * integration test that produces goes through this encoder.)
 */
import { jsCRC32C, Reader, readRecordsBatch } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import type { OutgoingRecord } from '../../../lib/kafka/kafka-port.ts';
import { encodeRecordBatch } from '../../../lib/kafka/record-batch-encoder.ts';

const NOW = 1_764_500_000_000;

function decode(buf: Buffer) {
  const reader = Reader.from(buf);
  const batch = readRecordsBatch(reader);
  expect(reader.position).toBe(buf.length);
  return batch;
}

describe('encodeRecordBatch', () => {
  const records: OutgoingRecord[] = [
    { topic: 't', key: Buffer.from('k1'), value: Buffer.from('v1'), timestamp: NOW + 5 },
    { topic: 't', key: null, value: null },
    { topic: 't', key: Buffer.alloc(0), value: Buffer.alloc(200, 7), timestamp: NOW - 3_600_000, headers: [{ key: 'trace', value: Buffer.from('abc') }, { key: 'trace', value: null }, { key: 'clé', value: Buffer.alloc(0) }] },
    { topic: 't', key: Buffer.from('k4'), value: Buffer.alloc(20_000, 1), timestamp: NOW + 10 },
  ];
  const batch = encodeRecordBatch(records, { producerId: 4242n, producerEpoch: 7, baseSequence: 1_000 }, NOW);
  const read = decode(batch);

  it('writes the batch header a broker expects', () => {
    expect(read).toMatchObject({ firstOffset: 0n, length: batch.length - 12, partitionLeaderEpoch: -1, magic: 2, attributes: 0, lastOffsetDelta: 3, producerId: 4242n, producerEpoch: 7, firstSequence: 1_000 });
    expect(read.firstTimestamp).toBe(BigInt(NOW + 5));
    expect(read.maxTimestamp).toBe(BigInt(NOW + 10));
    expect(read.crc).toBe(jsCRC32C(batch.subarray(21)));
  });

  it('writes each record: offset and timestamp deltas, null and empty keys and values, headers in order', () => {
    expect(read.records).toHaveLength(4);
    const [a, b, c, d] = read.records;
    expect(a).toMatchObject({ offsetDelta: 0, timestampDelta: 0n, key: Buffer.from('k1'), value: Buffer.from('v1'), headers: [] });
    // A record without a timestamp is stamped with the time of encoding.
    expect(b?.offsetDelta).toBe(1);
    expect(b?.timestampDelta).toBe(-5n);
    expect(b?.key).toBeNull();
    expect(b?.value).toBeNull();
    expect(c?.timestampDelta).toBe(BigInt(-3_600_000 - 5));
    expect(c?.key).toEqual(Buffer.alloc(0));
    expect(c?.value).toEqual(Buffer.alloc(200, 7));
    expect(c?.headers.map(([k, v]) => [k?.toString(), v === null ? null : v.toString()])).toEqual([
      ['trace', 'abc'],
      ['trace', null],
      ['clé', ''],
    ]);
    expect(d?.value).toEqual(Buffer.alloc(20_000, 1));
    expect(d?.offsetDelta).toBe(3);
  });

  it('marks a transactional batch and counts many records', () => {
    const many = Array.from({ length: 5_000 }, (_, i): OutgoingRecord => ({ topic: 't', key: null, value: Buffer.from(String(i)), timestamp: NOW + i }));
    const tx = decode(encodeRecordBatch(many, { producerId: 1n, producerEpoch: 0, baseSequence: 0, transactional: true }, NOW));
    expect(tx.attributes & 0x10).toBe(0x10);
    expect(tx.lastOffsetDelta).toBe(4_999);
    expect(tx.records[4_999]?.value?.toString()).toBe('4999');
    expect(tx.records[4_999]?.timestampDelta).toBe(4_999n);
  });
});
