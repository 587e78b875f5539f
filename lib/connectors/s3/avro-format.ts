/**
 * AvroFormat: an Avro object container file of records with one value schema, as Confluent's S3
 * sink writes it. The Avro schema is the record's Connect schema as the AvroConverter maps it
 * (AvroData, with connect.* metadata); `avro.codec` is null, deflate or snappy.
 *
 * avsc encodes every value, the header and the block counts; its BlockEncoder is a stream and the
 * S3 writer builds each object synchronously, so this file lays out the container itself: header
 * (magic, metadata map, sync marker), then blocks of (count, size, data, sync marker).
 */
import { randomBytes } from 'node:crypto';
import { crc32, deflateRawSync } from 'node:zlib';
import avro from 'avsc';
import { avroType, type AvroType } from '../../converters/avro/avro-codec.ts';
import { fromConnectSchema } from '../../converters/avro/avro-schema-data.ts';
import { readAvroSchema, type AvroNode } from '../../converters/avro/avro-schema-model.ts';
import { connectToAvro } from '../../converters/avro/avro-value-data.ts';
import type { SinkRecord } from '../../plugins/connect-record.ts';
import type { Schema } from '../../plugins/connect-schema.ts';
import { AwsDataError } from '../aws/aws-errors.ts';
import { lazyDriver } from '../lazy-driver.ts';

export type AvroCodec = 'null' | 'deflate' | 'snappy';

/** Compresses the bytes of one block. */
export type BlockCompressor = (data: Buffer) => Buffer;

/** hyparquet-writer's snappy compressor, loaded when a task writes snappy blocks (see lazy-driver.ts). */
const snappy = lazyDriver(() => import('hyparquet-writer/src/snappy.js'));

const HEADER = avro.Type.forSchema({
  type: 'record',
  name: 'org.apache.avro.file.Header',
  fields: [
    { name: 'magic', type: { type: 'fixed', name: 'Magic', size: 4 } },
    { name: 'meta', type: { type: 'map', values: 'bytes' } },
    { name: 'sync', type: { type: 'fixed', name: 'Sync', size: 16 } },
  ],
});
const LONG = avro.Type.forSchema('long');
const MAGIC = Buffer.from('Obj\x01', 'latin1');
/** Avro's default sync interval: a block is closed once it holds this many bytes. */
const BLOCK_BYTES = 64 * 1024;

/** The block compression of a codec. */
export async function blockCompressor(codec: AvroCodec): Promise<BlockCompressor> {
  if (codec === 'deflate') return (data) => deflateRawSync(data);
  if (codec === 'snappy') {
    const { snappyCompress } = await snappy.load();
    // Avro's snappy blocks: raw snappy, then the CRC-32 of the uncompressed bytes, big-endian.
    return (data) => {
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(data));
      return Buffer.concat([Buffer.from(snappyCompress(data)), crc]);
    };
  }
  return (data) => data;
}

/** Collects records of one value schema; `finish` writes the container file. */
export class AvroFileWriter {
  private readonly node: AvroNode;
  private readonly type: AvroType;
  private readonly schemaJson: string;
  private readonly sync = randomBytes(16);
  private readonly out: Buffer[] = [];
  private block: Buffer[] = [];
  private blockBytes = 0;

  constructor(
    readonly schema: Schema,
    private readonly codec: AvroCodec,
    private readonly compress: BlockCompressor,
  ) {
    const json = fromConnectSchema(schema, { connectMetaData: true, enhancedSchemaSupport: false });
    this.schemaJson = JSON.stringify(json);
    this.node = readAvroSchema(json);
    this.type = avroType(json);
  }

  /** Throws when a record has no value schema (the Avro schema comes from it). */
  static check(record: SinkRecord): Schema {
    if (!record.valueSchema) {
      throw new AwsDataError(
        `AvroFormat needs records with a value schema (e.g. AvroConverter, or JsonConverter with schemas.enable=true); record at topic '${record.topic}', partition ${record.kafkaPartition}, offset ${record.kafkaOffset} has none`,
      );
    }
    return record.valueSchema;
  }

  write(record: SinkRecord): void {
    let bytes: Buffer;
    try {
      bytes = this.type.toBuffer(connectToAvro(this.schema, this.node, record.value));
    } catch (e) {
      throw new AwsDataError(`AvroFormat could not encode the record at topic '${record.topic}', partition ${record.kafkaPartition}, offset ${record.kafkaOffset}: ${(e as Error).message}`, { cause: e });
    }
    this.block.push(bytes);
    this.blockBytes += bytes.length;
    if (this.blockBytes >= BLOCK_BYTES) this.closeBlock();
  }

  finish(): Buffer {
    this.closeBlock();
    const header = HEADER.toBuffer({ magic: MAGIC, meta: { 'avro.schema': Buffer.from(this.schemaJson), 'avro.codec': Buffer.from(this.codec) }, sync: this.sync });
    return Buffer.concat([header, ...this.out]);
  }

  private closeBlock(): void {
    if (this.block.length === 0) return;
    const data = this.compress(Buffer.concat(this.block));
    this.out.push(LONG.toBuffer(this.block.length), LONG.toBuffer(data.length), data, this.sync);
    this.block = [];
    this.blockBytes = 0;
  }
}
