/**
 * The partitioners of Confluent's storage connectors: which folder (encoded partition) a
 * record goes to. Default: `partition=<kafka partition>`; Field: `<field>=<value>` per
 * configured field; TimeBased (and Hourly, Daily): the record's time, rounded down to
 * `partition.duration.ms` and rendered with `path.format`.
 */
import type { SinkRecord } from '../../plugins/connect-record.ts';
import { Struct } from '../../plugins/connect-schema.ts';
import { AwsDataError } from '../aws/aws-errors.ts';
import { floorToPartition, formatJoda, parseJodaPattern } from './joda-path-format.ts';
import type { S3SinkSettings } from './s3-sink-config.ts';

export interface Partitioner {
  /** The encoded partition (folder path below `<topics.dir>/<topic>/`). */
  encodePartition(record: SinkRecord, nowMs: number): string;
  /** The record's time for `rotate.interval.ms`, or null when the partitioner has none. */
  timestampOf(record: SinkRecord, nowMs: number): number | null;
}

/** Reads a value field by a dotted name, through Structs, Maps and plain objects. */
export function fieldValue(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const part of path.split('.')) {
    if (cur instanceof Struct) cur = cur.field(part) ? cur.get(part) : undefined;
    else if (cur instanceof Map) cur = cur.get(part);
    else if (cur && typeof cur === 'object') cur = (cur as Record<string, unknown>)[part];
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

const where = (r: SinkRecord) => `topic '${r.topic}', partition ${r.kafkaPartition}, offset ${r.kafkaOffset}`;

/** The record's time per `timestamp.extractor`. */
export function timestampExtractor(s: S3SinkSettings): (record: SinkRecord, nowMs: number) => number {
  switch (s.timestampExtractor) {
    case 'Wallclock':
      return (_r, now) => now;
    case 'Record':
      return (r) => {
        if (r.timestamp === null || r.timestamp === undefined) throw new AwsDataError(`Unable to determine timestamp using timestamp.extractor Record for record at ${where(r)}: it has no timestamp`);
        return r.timestamp;
      };
    case 'RecordField':
      return (r) => {
        const v = fieldValue(r.value, s.timestampField);
        if (v instanceof Date) return v.getTime();
        if (typeof v === 'number' && Number.isFinite(v)) return v;
        if (typeof v === 'bigint') return Number(v);
        if (typeof v === 'string') {
          const t = /^-?\d+$/.test(v) ? Number(v) : Date.parse(v);
          if (Number.isFinite(t)) return t;
        }
        throw new AwsDataError(`Unable to determine timestamp using timestamp.extractor RecordField for record at ${where(r)}: field ${s.timestampField} is ${v === undefined ? 'missing' : `not a time (${String(v)})`}`);
      };
  }
}

function fieldText(v: unknown, field: string, r: SinkRecord): string {
  if (v === null || v === undefined) throw new AwsDataError(`FieldPartitioner: field ${field} is missing or null in record at ${where(r)}`);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  throw new AwsDataError(`FieldPartitioner: field ${field} of record at ${where(r)} is not a primitive value`);
}

export function createPartitioner(s: S3SinkSettings): Partitioner {
  const delim = s.directoryDelim;
  switch (s.partitioner) {
    case 'default':
      return { encodePartition: (r) => `partition=${r.kafkaPartition}`, timestampOf: () => null };
    case 'field':
      return {
        encodePartition: (r) => {
          if (r.value === null || r.value === undefined || typeof r.value !== 'object') {
            throw new AwsDataError(`FieldPartitioner needs a struct or map value; record at ${where(r)} has ${r.value === null || r.value === undefined ? 'none' : typeof r.value}`);
          }
          return s.partitionFields.map((f) => `${f}=${fieldText(fieldValue(r.value, f), f, r)}`).join(delim);
        },
        timestampOf: () => null,
      };
    case 'hourly':
    case 'daily':
    case 'time': {
      const tokens = parseJodaPattern(s.pathFormat);
      const extract = timestampExtractor(s);
      return {
        encodePartition: (r, now) => formatJoda(tokens, floorToPartition(extract(r, now), s.partitionDurationMs, s.timezone), s.timezone, s.locale),
        timestampOf: (r, now) => extract(r, now),
      };
    }
  }
}
