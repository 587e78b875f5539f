/**
 * ParquetFormat: a file of records with a STRUCT value schema, written with hyparquet-writer.
 * The Connect schema maps to Parquet as parquet-avro maps Confluent's Avro form of it:
 * structs are groups, arrays are 3-level LISTs, maps are MAPs; Decimal, Date, Time and
 * Timestamp keep their logical types; optional fields are OPTIONAL.
 */
import { gzipSync } from 'node:zlib';
import type { parquetWrite } from 'hyparquet-writer';
import type { SinkRecord } from '../../plugins/connect-record.ts';
import { LOGICAL, Struct, type Schema } from '../../plugins/connect-schema.ts';
import { Decimal } from '../../converters/logical-types.ts';
import { AwsDataError } from '../aws/aws-errors.ts';
import { lazyDriver } from '../lazy-driver.ts';

/** hyparquet-writer, loaded when a task writes Parquet (see lazy-driver.ts). */
export const hyparquetWriter = lazyDriver(() => import('hyparquet-writer'));
type HyparquetWriter = typeof import('hyparquet-writer');

type SchemaElement = Parameters<typeof parquetWrite>[0]['schema'] extends (infer E)[] | undefined ? E : never;

/** Parquet schema elements (depth-first) for one field. */
function elements(name: string, s: Schema): SchemaElement[] {
  const repetition_type = s.optional ? 'OPTIONAL' : 'REQUIRED';
  switch (s.name) {
    case LOGICAL.decimal: {
      const scale = Number(s.parameters?.scale ?? 0);
      const precision = Number(s.parameters?.['connect.decimal.precision'] ?? 38);
      return [{ name, type: 'BYTE_ARRAY', converted_type: 'DECIMAL', scale, precision, repetition_type }];
    }
    case LOGICAL.date:
      return [{ name, type: 'INT32', converted_type: 'DATE', repetition_type }];
    case LOGICAL.time:
      return [{ name, type: 'INT32', converted_type: 'TIME_MILLIS', repetition_type }];
    case LOGICAL.timestamp:
      return [{ name, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type }];
    default:
  }
  switch (s.type) {
    case 'INT8':
      return [{ name, type: 'INT32', converted_type: 'INT_8', repetition_type }];
    case 'INT16':
      return [{ name, type: 'INT32', converted_type: 'INT_16', repetition_type }];
    case 'INT32':
      return [{ name, type: 'INT32', repetition_type }];
    case 'INT64':
      return [{ name, type: 'INT64', repetition_type }];
    case 'FLOAT32':
      return [{ name, type: 'FLOAT', repetition_type }];
    case 'FLOAT64':
      return [{ name, type: 'DOUBLE', repetition_type }];
    case 'BOOLEAN':
      return [{ name, type: 'BOOLEAN', repetition_type }];
    case 'STRING':
      return [{ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type }];
    case 'BYTES':
      return [{ name, type: 'BYTE_ARRAY', repetition_type }];
    case 'STRUCT': {
      const fields = s.fields ?? [];
      return [{ name, repetition_type, num_children: fields.length }, ...fields.flatMap((f) => elements(f.name, f.schema))];
    }
    case 'ARRAY':
      return [
        { name, repetition_type, converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        ...elements('element', s.valueSchema as Schema),
      ];
    case 'MAP':
      return [
        { name, repetition_type, converted_type: 'MAP', num_children: 1 },
        { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
        ...elements('key', { ...(s.keySchema as Schema), optional: false }),
        ...elements('value', s.valueSchema as Schema),
      ];
  }
}

/** A Connect value as hyparquet-writer takes it for the schema built by `elements`. */
function toParquet(s: Schema, v: unknown): unknown {
  if (v === null || v === undefined) return s.defaultValue ?? null;
  switch (s.name) {
    case LOGICAL.decimal:
      return Decimal.from(v).withScale(Number(s.parameters?.scale ?? 0)).unscaled;
    case LOGICAL.date:
    case LOGICAL.timestamp:
      return v instanceof Date ? v : new Date(Number(v));
    case LOGICAL.time:
      return v instanceof Date ? v.getTime() : Number(v);
    default:
  }
  switch (s.type) {
    case 'INT64':
      return typeof v === 'bigint' ? v : BigInt(v as number);
    case 'BYTES':
      return v instanceof Uint8Array ? v : Buffer.from(v as string);
    case 'STRUCT': {
      const out: Record<string, unknown> = {};
      for (const f of s.fields ?? []) out[f.name] = toParquet(f.schema, v instanceof Struct ? v.get(f.name) : (v as Record<string, unknown>)[f.name]);
      return out;
    }
    case 'ARRAY':
      return (v as unknown[]).map((x) => toParquet(s.valueSchema as Schema, x));
    case 'MAP': {
      const entries = v instanceof Map ? [...v.entries()] : Object.entries(v as Record<string, unknown>);
      return entries.map(([key, value]) => ({ key: toParquet(s.keySchema as Schema, key), value: toParquet(s.valueSchema as Schema, value) }));
    }
    default:
      return v;
  }
}

export type ParquetCodec = 'none' | 'snappy' | 'gzip';

/** Collects rows of one value schema; `finish` writes the Parquet file. */
export class ParquetFileWriter {
  private readonly rows: Record<string, unknown>[] = [];

  constructor(
    readonly schema: Schema,
    private readonly codec: ParquetCodec,
    private readonly lib: HyparquetWriter,
  ) {}

  /** Throws when a record's value schema is not a STRUCT (Parquet needs named columns). */
  static check(record: SinkRecord): Schema {
    const s = record.valueSchema;
    if (!s || s.type !== 'STRUCT' || !(record.value instanceof Struct)) {
      throw new AwsDataError(
        `ParquetFormat needs records with a Struct value and a STRUCT value schema (e.g. JsonConverter with schemas.enable=true); record at topic '${record.topic}', partition ${record.kafkaPartition}, offset ${record.kafkaOffset} has ${s ? `a ${s.type} schema` : 'no schema'}`,
      );
    }
    return s;
  }

  write(record: SinkRecord): void {
    this.rows.push(toParquet(this.schema, record.value) as Record<string, unknown>);
  }

  get count(): number {
    return this.rows.length;
  }

  finish(): Buffer {
    const fields = this.schema.fields ?? [];
    const schema: SchemaElement[] = [{ name: 'root', num_children: fields.length }, ...fields.flatMap((f) => elements(f.name, f.schema))];
    const writer = new this.lib.ByteWriter();
    this.lib.parquetWrite({
      writer,
      schema,
      columnData: fields.map((f) => ({ name: f.name, data: this.rows.map((r) => r[f.name]) as unknown[] as never })),
      codec: this.codec === 'none' ? 'UNCOMPRESSED' : this.codec === 'gzip' ? 'GZIP' : 'SNAPPY',
      compressors: { GZIP: (input: Uint8Array) => gzipSync(input) },
      createdBy: 'tributary s3 sink',
      kvMetadata: this.schema.name ? [{ key: 'connect.schema.name', value: this.schema.name }] : [],
    });
    return Buffer.from(writer.getBuffer());
  }
}

/** Confluent's ParquetFormat extension: the codec's extension, then `.parquet`. */
export function parquetExtension(codec: ParquetCodec): string {
  return codec === 'none' ? '.parquet' : codec === 'gzip' ? '.gz.parquet' : '.snappy.parquet';
}
