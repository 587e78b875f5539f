/**
 * Reads a partition's record set from a Fetch response (record batches of magic 2) straight
 * into the port's FetchedRecords, doing what Java's consumer does with them: skip control
 * batches, drop the batches of aborted transactions under read_committed, and stamp records
 * of LogAppendTime batches with the batch's time.
 *
 * Written by hand because it is the sink's hottest path: @platformatic/kafka reads every
 * record into an object of its own (a BigInt timestamp delta, a sliced buffer per field, an
 * array per header) that the reader then copied into a FetchedRecord; in a sink task's profile
 * that reading cost more than all its converters. The layout is the
 * protocol's (KIP-98 message format v2); compressed batches are inflated by the client's codecs.
 */
import { compressionsAlgorithmsByBitmask } from '@platformatic/kafka';
import { KafkaPortError, type FetchedRecord, type KafkaHeader } from './kafka-port.ts';

/** Bytes before a batch's records; its length field counts from offset 12. */
const BATCH_HEADER = 61;
const LENGTH_END = 12;
const COMPRESSION_MASK = 0x07;
const TIMESTAMP_TYPE = 0x08;
const TRANSACTIONAL = 0x10;
const CONTROL = 0x20;
/** A control record's key is version (int16) then type (int16): 0 = ABORT, 1 = COMMIT. */
const ABORT_MARKER = 0;
const EMPTY_HEADERS: readonly KafkaHeader[] = Object.freeze([]);

/** A transaction the broker reports aborted in the fetched range. */
export interface AbortedTransaction {
  readonly producerId: bigint;
  readonly firstOffset: bigint;
}

export interface RecordSetScope {
  readonly topic: string;
  readonly partition: number;
  /** Records before this offset (earlier in a batch the fetch began inside of) are skipped. */
  readonly from: number;
  /** read_committed: the aborted transactions' batches are dropped. */
  readonly abortedTransactions?: readonly AbortedTransaction[] | null;
}

/**
 * Appends the user records of `bytes` at or after `scope.from` to `out`, and returns the next
 * offset to fetch: past every whole batch seen, control and aborted ones included, so the
 * reader never stalls on them. A batch cut short at the end of the set (the broker sends up to
 * the byte limit) is left for the next fetch.
 */
export function decodeRecordSet(bytes: Buffer, scope: RecordSetScope, out: FetchedRecord[]): number {
  let next = scope.from;
  const aborted = scope.abortedTransactions?.length ? [...scope.abortedTransactions].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1)) : undefined;
  let abortedIndex = 0;
  const abortedProducers = new Set<bigint>();
  for (let at = 0; at + BATCH_HEADER <= bytes.length; ) {
    const end = at + LENGTH_END + bytes.readInt32BE(at + 8);
    if (end > bytes.length) break;
    const magic = bytes.readInt8(at + 16);
    if (magic !== 2) throw new KafkaPortError(`${scope.topic}-${scope.partition} holds a record batch of magic ${magic} at offset ${int64(bytes, at)}; only magic 2 (Kafka 0.11 and newer) is read`, false);
    const base = int64(bytes, at);
    const last = base + bytes.readInt32BE(at + 23);
    const attributes = bytes.readInt16BE(at + 21);
    const batchAt = at;
    at = end;
    if (last < scope.from) continue;
    next = last + 1;
    if (aborted && attributes & TRANSACTIONAL) {
      const producerId = bytes.readBigInt64BE(batchAt + 43);
      while (abortedIndex < aborted.length && Number((aborted[abortedIndex] as AbortedTransaction).firstOffset) <= last) abortedProducers.add((aborted[abortedIndex++] as AbortedTransaction).producerId);
      if (attributes & CONTROL) {
        if (controlType(bytes, batchAt) === ABORT_MARKER) abortedProducers.delete(producerId);
        continue;
      }
      if (abortedProducers.has(producerId)) continue;
    }
    if (attributes & CONTROL) continue;
    const count = bytes.readInt32BE(batchAt + 57);
    const logAppendTime = (attributes & TIMESTAMP_TYPE) !== 0;
    const firstTimestamp = int64(bytes, batchAt + (logAppendTime ? 35 : 27));
    const compression = attributes & COMPRESSION_MASK;
    const records = compression ? inflate(bytes.subarray(batchAt + BATCH_HEADER, end), compression, scope) : bytes;
    const reader = new RecordReader(records, compression ? 0 : batchAt + BATCH_HEADER);
    for (let i = 0; i < count; i++) reader.read(scope, base, firstTimestamp, logAppendTime, out);
  }
  return next;
}

/** The type in a control batch's single record key, or -1 when it has none. */
function controlType(bytes: Buffer, at: number): number {
  const key = new RecordReader(bytes, at + BATCH_HEADER).controlKey();
  return key && key.length >= 4 ? key.readInt16BE(2) : -1;
}

function inflate(data: Buffer, bitmask: number, scope: RecordSetScope): Buffer {
  const codec = (compressionsAlgorithmsByBitmask as Record<number, { decompressSync(b: Buffer): Buffer } | undefined>)[bitmask];
  if (!codec) throw new KafkaPortError(`${scope.topic}-${scope.partition} holds a record batch compressed with an unknown codec (${bitmask})`, false);
  return codec.decompressSync(data);
}

/** Offsets and timestamps as numbers: both stay far below 2^53. */
function int64(bytes: Buffer, at: number): number {
  return bytes.readInt32BE(at) * 4294967296 + bytes.readUInt32BE(at + 4);
}

/** A cursor over records (KIP-98: varint-framed, zigzag varints). */
class RecordReader {
  constructor(
    private readonly bytes: Buffer,
    private at: number,
  ) {}

  read(scope: RecordSetScope, base: number, firstTimestamp: number, logAppendTime: boolean, out: FetchedRecord[]): void {
    const length = this.varint();
    const end = this.at + length;
    this.at++; // attributes: unused in magic 2
    const timestampDelta = this.varint();
    const offset = base + this.varint();
    if (offset < scope.from) {
      this.at = end;
      return;
    }
    const key = this.bytesOrNull();
    const value = this.bytesOrNull();
    const headerCount = this.varint();
    let headers = EMPTY_HEADERS;
    if (headerCount > 0) {
      const list: KafkaHeader[] = [];
      for (let h = 0; h < headerCount; h++) {
        const keyLength = this.varint();
        const headerKey = keyLength > 0 ? this.bytes.toString('utf8', this.at, this.at + keyLength) : '';
        this.at += Math.max(0, keyLength);
        list.push({ key: headerKey, value: this.bytesOrNull() });
      }
      headers = list;
    }
    this.at = end;
    out.push({ topic: scope.topic, partition: scope.partition, offset, key, value, headers, timestamp: logAppendTime ? firstTimestamp : firstTimestamp + timestampDelta });
  }

  /** The key of a control batch's record. */
  controlKey(): Buffer | null {
    this.varint(); // length
    this.at++; // attributes
    this.varint(); // timestamp delta
    this.varint(); // offset delta
    return this.bytesOrNull();
  }

  private bytesOrNull(): Buffer | null {
    const length = this.varint();
    if (length < 0) return null;
    const start = this.at;
    this.at += length;
    return this.bytes.subarray(start, this.at);
  }

  /** A zigzag varint; timestamp deltas may pass 32 bits, so the arithmetic stays in doubles. */
  private varint(): number {
    const bytes = this.bytes;
    let b = bytes[this.at++] as number;
    let raw = b & 0x7f;
    if (b & 0x80) {
      let scale = 128;
      do {
        b = bytes[this.at++] as number;
        raw += (b & 0x7f) * scale;
        scale *= 128;
      } while (b & 0x80);
    }
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }
}
