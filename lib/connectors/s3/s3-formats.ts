/**
 * The formats of the S3 sink: what one object's bytes are for a run of records, and its
 * extension. JsonFormat writes each value as one line of JSON (JsonConverter without
 * schemas); ByteArrayFormat writes each value's bytes followed by a separator; ParquetFormat
 * writes a Parquet file; AvroFormat an Avro container file. `s3.compression.type=gzip` compresses
 * JSON and ByteArray objects.
 */
import { gzipSync } from 'node:zlib';
import { ByteArrayConverter } from '../../converters/byte-array-converter.ts';
import { JsonConverter } from '../../converters/json-converter.ts';
import type { SinkRecord } from '../../plugins/connect-record.ts';
import type { Schema } from '../../plugins/connect-schema.ts';
import { schemaEquals } from '../../converters/data-util.ts';
import { AwsDataError } from '../aws/aws-errors.ts';
import { AvroFileWriter, blockCompressor } from './avro-format.ts';
import { hyparquetWriter, ParquetFileWriter, parquetExtension } from './parquet-format.ts';
import type { S3SinkSettings } from './s3-sink-config.ts';

/** The records of one object being written. */
export interface RecordFileWriter {
  write(record: SinkRecord): void;
  /** Whether a record can go into this file (Parquet, Avro: same value schema). */
  accepts(record: SinkRecord): boolean;
  /** The object's bytes. */
  finish(): Buffer;
}

export interface S3Format {
  readonly extension: string;
  newWriter(first: SinkRecord): RecordFileWriter;
}

class LinesWriter implements RecordFileWriter {
  private readonly chunks: Buffer[] = [];

  constructor(
    private readonly encode: (r: SinkRecord) => Buffer,
    private readonly separator: Buffer,
    private readonly gzipLevel: number | null,
  ) {}

  accepts(): boolean {
    return true;
  }

  write(record: SinkRecord): void {
    this.chunks.push(this.encode(record), this.separator);
  }

  finish(): Buffer {
    const body = Buffer.concat(this.chunks);
    return this.gzipLevel === null ? body : gzipSync(body, this.gzipLevel >= 0 ? { level: this.gzipLevel } : {});
  }
}

const where = (r: SinkRecord) => `topic '${r.topic}', partition ${r.kafkaPartition}, offset ${r.kafkaOffset}`;

/** The format of these settings, with what its files need loaded (the Parquet writer, snappy). */
export async function createFormat(s: S3SinkSettings): Promise<S3Format> {
  const gzip = s.compression === 'gzip' ? s.compressionLevel : null;
  const gz = gzip === null ? '' : '.gz';
  switch (s.format) {
    case 'json': {
      const json = new JsonConverter();
      json.configure({ 'schemas.enable': 'false' }, false);
      const newline = Buffer.from('\n');
      return {
        extension: `.json${gz}`,
        newWriter: () =>
          new LinesWriter(
            (r) => {
              const bytes = json.fromConnectData(r.topic, r.valueSchema, r.value);
              return bytes ?? Buffer.from('null');
            },
            newline,
            gzip,
          ),
      };
    }
    case 'bytearray': {
      const bytes = new ByteArrayConverter();
      const separator = Buffer.from(s.byteArraySeparator, 'utf8');
      return {
        extension: `${s.byteArrayExtension}${gz}`,
        newWriter: () =>
          new LinesWriter(
            (r) => {
              try {
                return bytes.fromConnectData(r.topic, r.valueSchema, r.value) ?? Buffer.alloc(0);
              } catch (e) {
                throw new AwsDataError(`ByteArrayFormat needs byte values (ByteArrayConverter); record at ${where(r)}: ${(e as Error).message}`, { cause: e });
              }
            },
            separator,
            gzip,
          ),
      };
    }
    case 'parquet': {
      const lib = await hyparquetWriter.load();
      return {
        extension: parquetExtension(s.parquetCodec),
        newWriter: (first) => {
          const schema: Schema = ParquetFileWriter.check(first);
          const w = new ParquetFileWriter(schema, s.parquetCodec, lib);
          return {
            accepts: (r) => r.valueSchema === schema || (r.valueSchema != null && schemaEquals(r.valueSchema, schema)),
            write: (r) => {
              ParquetFileWriter.check(r);
              w.write(r);
            },
            finish: () => w.finish(),
          };
        },
      };
    }
    case 'avro': {
      const compress = await blockCompressor(s.avroCodec);
      return {
        extension: '.avro',
        newWriter: (first) => {
          const schema = AvroFileWriter.check(first);
          const w = new AvroFileWriter(schema, s.avroCodec, compress);
          return {
            accepts: (r) => r.valueSchema === schema || (r.valueSchema != null && schemaEquals(r.valueSchema, schema)),
            write: (r) => {
              AvroFileWriter.check(r);
              w.write(r);
            },
            finish: () => w.finish(),
          };
        },
      };
    }
  }
}

