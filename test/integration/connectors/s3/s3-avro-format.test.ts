/**
 * The S3 sink's AvroFormat on S3Mock: Avro object container files, one per flush, with the
 * `avro.codec` of the config (null, deflate, snappy), read back with avsc's own container
 * decoder and compared record by record, field by field, with what the connector was given.
 */
import { Readable } from 'node:stream';
import { crc32, inflateRawSync } from 'node:zlib';
import avro from 'avsc';
import { snappyUncompress } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { S3SinkTask } from '../../../../lib/connectors/s3/s3-sink-task.ts';
import { avroType } from '../../../../lib/converters/avro/avro-codec.ts';
import { toConnectSchema } from '../../../../lib/converters/avro/avro-schema-data.ts';
import { readAvroSchema } from '../../../../lib/converters/avro/avro-schema-model.ts';
import { avroToConnect } from '../../../../lib/converters/avro/avro-value-data.ts';
import type { SinkRecord } from '../../../../lib/plugins/connect-record.ts';
import type { Struct } from '../../../../lib/plugins/connect-schema.ts';
import type { SinkTaskContext } from '../../../../lib/plugins/plugin-types.ts';
import { createBucket, getObject, listKeys, useTestCredentials } from '../../../support/aws-test-clients.ts';
import { emulatorS3Client } from '../../../../host/aws-emulator-launcher.ts';
import { EVERY_TYPE_SCHEMA, everyTypeRecord } from '../../../support/every-type-record.ts';
import { uniqueName } from '../../../support/local-host-process.ts';

const endpoint = inject('s3Endpoint');
const s3 = emulatorS3Client(endpoint);
const context: SinkTaskContext = { configs: {}, assignment: () => [], offset: () => {}, requestCommit: () => {} };

type Callback = (err: Error | null, data?: Buffer) => void;
/** Avro's snappy block: raw snappy, then the CRC-32 of the uncompressed bytes. */
function unsnappy(block: Buffer, cb: Callback): void {
  const body = block.subarray(0, block.length - 4);
  let len = 0;
  for (let i = 0, shift = 0; ; i++, shift += 7) {
    const b = body[i] as number;
    len |= (b & 0x7f) << shift;
    if (!(b & 0x80)) break;
  }
  const out = new Uint8Array(len);
  snappyUncompress(body, out);
  if (crc32(out) !== block.readUInt32BE(block.length - 4)) return cb(new Error('snappy block checksum mismatch'));
  cb(null, Buffer.from(out));
}

/** Decodes a container file with avsc: its header metadata and its values (longs as bigint). */
async function readContainer(bytes: Buffer): Promise<{ codec: string; schema: unknown; values: unknown[] }> {
  const decoder = new avro.streams.BlockDecoder({
    codecs: { null: (b: Buffer, cb: Callback) => cb(null, b), deflate: (b: Buffer, cb: Callback) => cb(null, inflateRawSync(b)), snappy: unsnappy },
    parseHook: (schema: unknown) => avroType(schema),
  } as never);
  let codec = '';
  let schema: unknown;
  decoder.on('metadata', (_type: unknown, c: string, header: { meta: Record<string, Buffer> }) => {
    codec = c;
    schema = JSON.parse(String(header.meta['avro.schema']));
  });
  const values: unknown[] = [];
  Readable.from([bytes]).pipe(decoder);
  for await (const v of decoder) values.push(v);
  return { codec, schema, values };
}

describe('S3 sink AvroFormat on S3Mock', () => {
  let bucket: string;

  beforeAll(async () => {
    useTestCredentials();
    bucket = uniqueName('s3-avro');
    await createBucket(s3, bucket);
  });

  afterAll(() => s3.destroy());

  it.each(['null', 'deflate', 'snappy'])('avro.codec=%s: container files that avsc reads back as the records written', async (codec) => {
    const topic = uniqueName(`avro-${codec}`);
    const task = new S3SinkTask();
    await task.start({ 's3.bucket.name': bucket, 's3.region': 'us-east-1', 'store.url': endpoint, 'flush.size': '5', 'format.class': 'io.confluent.connect.s3.format.avro.AvroFormat', 'avro.codec': codec }, context);
    const records: SinkRecord[] = Array.from({ length: 10 }, (_, n) => ({ topic, kafkaPartition: 1, kafkaOffset: n, key: null, value: everyTypeRecord(n), valueSchema: EVERY_TYPE_SCHEMA, timestamp: Date.UTC(2024, 0, 1) }));
    await task.put(records);
    const keys = await listKeys(s3, bucket, `topics/${topic}/`);
    expect(keys).toEqual([`topics/${topic}/partition=1/${topic}+1+0000000000.avro`, `topics/${topic}/partition=1/${topic}+1+0000000005.avro`]);
    let n = 0;
    for (const key of keys) {
      const file = await readContainer(await getObject(s3, bucket, key));
      expect(file.codec).toBe(codec);
      expect(file.schema).toMatchObject({ type: 'record', name: 'com.example.EveryType', 'connect.version': 1, 'connect.doc': 'every Connect type' });
      const node = readAvroSchema(file.schema);
      const schema = toConnectSchema(node, { connectMetaData: true, enhancedSchemaSupport: false });
      expect(file.values).toHaveLength(5);
      for (const v of file.values) {
        const got = avroToConnect(schema, node, v) as Struct;
        const expected = everyTypeRecord(n);
        for (const f of EVERY_TYPE_SCHEMA.fields ?? []) expect({ n, field: f.name, value: got.get(f.name) }).toEqual({ n, field: f.name, value: expected.get(f.name) });
        n++;
      }
    }
    expect(n).toBe(10);
    task.stop();
  });

  it('a schemaless record fails the put with a message naming its offset', async () => {
    const topic = uniqueName('avro-evolve');
    const task = new S3SinkTask();
    await task.start({ 's3.bucket.name': bucket, 's3.region': 'us-east-1', 'store.url': endpoint, 'flush.size': '100', 'rotate.interval.ms': '-1', 'format.class': 'io.confluent.connect.s3.format.avro.AvroFormat' }, context);
    await expect(task.put([{ topic, kafkaPartition: 0, kafkaOffset: 7, key: null, value: { a: 1 }, valueSchema: null, timestamp: 0 }])).rejects.toThrow(/AvroFormat needs records with a value schema.*offset 7 has none/);
    task.stop();
  });
});
