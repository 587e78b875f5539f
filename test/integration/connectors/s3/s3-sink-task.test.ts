/**
 * The S3 sink task against a real S3-compatible server (S3Mock): object names as Confluent's,
 * rotation by flush.size, time and encoded partition, formats (JSON with gzip, ByteArray,
 * Parquet read back with hyparquet), multipart uploads, redelivery rewriting the same objects,
 * and preCommit never covering a record that is not in an uploaded object.
 */
import { gunzipSync } from 'node:zlib';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { S3SinkTask } from '../../../../lib/connectors/s3/s3-sink-task.ts';
import type { SinkRecord } from '../../../../lib/plugins/connect-record.ts';
import { SchemaBuilder, Schemas, Struct, type Schema } from '../../../../lib/plugins/connect-schema.ts';
import { decimalSchema, Decimal, timestampSchema } from '../../../../lib/converters/logical-types.ts';
import type { PartitionOffsets, SinkTaskContext } from '../../../../lib/plugins/plugin-types.ts';
import { createBucket, getObject, listKeys, useTestCredentials } from '../../../support/aws-test-clients.ts';
import { emulatorS3Client } from '../../../../host/aws-emulator-launcher.ts';
import { uniqueName } from '../../../support/local-host-process.ts';

const endpoint = inject('s3Endpoint');
const s3 = emulatorS3Client(endpoint);
const context: SinkTaskContext = { configs: {}, assignment: () => [], offset: () => {}, requestCommit: () => {} };

function record(topic: string, partition: number, offset: number, value: unknown, extra: Partial<SinkRecord> = {}): SinkRecord {
  return { topic, kafkaPartition: partition, kafkaOffset: offset, value, valueSchema: null, key: null, timestamp: Date.UTC(2024, 0, 1) + offset * 60_000, ...extra };
}

async function startTask(bucket: string, props: Record<string, string>): Promise<S3SinkTask> {
  const task = new S3SinkTask();
  await task.start({ 's3.bucket.name': bucket, 's3.region': 'us-east-1', 'store.url': endpoint, 'flush.size': '3', 'format.class': 'io.confluent.connect.s3.format.json.JsonFormat', ...props }, context);
  return task;
}

const offsets = (topic: string, partition: number, offset: number): PartitionOffsets => new Map([[`${topic}:${partition}`, { topic, partition, offset }]]);

describe('S3 sink task on S3Mock', () => {
  let bucket: string;

  beforeAll(async () => {
    useTestCredentials();
    bucket = uniqueName('s3-task');
    await createBucket(s3, bucket);
  });

  afterAll(() => s3.destroy());

  it('names objects <topics.dir>/<topic>/partition=<p>/<topic>+<p>+<start offset>.json and commits only uploaded records', async () => {
    const topic = uniqueName('orders');
    const task = await startTask(bucket, {});
    await task.put(Array.from({ length: 7 }, (_, i) => record(topic, 0, i, { id: i })));
    expect(await listKeys(s3, bucket, `topics/${topic}/`)).toEqual([`topics/${topic}/partition=0/${topic}+0+0000000000.json`, `topics/${topic}/partition=0/${topic}+0+0000000003.json`]);
    const body = (await getObject(s3, bucket, `topics/${topic}/partition=0/${topic}+0+0000000003.json`)).toString();
    expect(body).toBe('{"id":3}\n{"id":4}\n{"id":5}\n');
    // Record 6 sits in an open file: the commit must stop before it.
    expect((await task.preCommit(offsets(topic, 0, 7))).get(`${topic}:0`)?.offset).toBe(6);
    task.stop();
  });

  it('a redelivered batch after a crash rewrites the same objects (no duplicates)', async () => {
    const topic = uniqueName('replay');
    const first = await startTask(bucket, { 'flush.size': '4' });
    await first.put(Array.from({ length: 10 }, (_, i) => record(topic, 0, i, { n: i })));
    const committed = (await first.preCommit(offsets(topic, 0, 10))).get(`${topic}:0`)?.offset;
    expect(committed).toBe(8);
    first.stop(); // crash: the open file (8, 9) is lost
    // A new task resumes from an older commit (4): objects are cut at the same offsets.
    const second = await startTask(bucket, { 'flush.size': '4' });
    await second.put(Array.from({ length: 8 }, (_, i) => record(topic, 0, 4 + i, { n: 4 + i })));
    const keys = await listKeys(s3, bucket, `topics/${topic}/`);
    expect(keys.map((k) => k.split('+').pop())).toEqual(['0000000000.json', '0000000004.json', '0000000008.json']);
    const all = (await Promise.all(keys.map((k) => getObject(s3, bucket, k)))).map(String).join('');
    expect(all.trim().split('\n').map((l) => (JSON.parse(l) as { n: number }).n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    second.stop();
  });

  it('a retried put (same records again) writes each record once', async () => {
    const topic = uniqueName('retry');
    const task = await startTask(bucket, { 'flush.size': '2' });
    const batch = Array.from({ length: 4 }, (_, i) => record(topic, 0, i, { n: i }));
    await task.put(batch);
    await task.put(batch);
    const keys = await listKeys(s3, bucket, `topics/${topic}/`);
    expect(keys).toHaveLength(2);
    expect(String(await getObject(s3, bucket, keys[1] as string))).toBe('{"n":2}\n{"n":3}\n');
    task.stop();
  });

  it('gzip JSON objects end in .json.gz; null values are skipped with behavior.on.null.values=ignore', async () => {
    const topic = uniqueName('gz');
    const task = await startTask(bucket, { 's3.compression.type': 'gzip', 'behavior.on.null.values': 'ignore', 'flush.size': '2', 'topics.dir': 'raw' });
    await task.put([record(topic, 1, 0, { a: 1 }), record(topic, 1, 1, null), record(topic, 1, 2, { a: 2 })]);
    const keys = await listKeys(s3, bucket, `raw/${topic}/`);
    expect(keys).toEqual([`raw/${topic}/partition=1/${topic}+1+0000000000.json.gz`]);
    expect(gunzipSync(await getObject(s3, bucket, keys[0] as string)).toString()).toBe('{"a":1}\n{"a":2}\n');
    task.stop();
  });

  it('fails on a null value by default, naming the record', async () => {
    const task = await startTask(bucket, {});
    await expect(task.put([record('t', 0, 5, null)])).rejects.toThrow(/Null valued record at topic 't', partition 0, offset 5/);
    task.stop();
  });

  it('ByteArrayFormat writes raw bytes with the separator and extension', async () => {
    const topic = uniqueName('bytes');
    const task = await startTask(bucket, { 'format.class': 'ByteArrayFormat', 'format.bytearray.separator': '|', 'format.bytearray.extension': '.txt', 'flush.size': '2' });
    await task.put([record(topic, 0, 0, Buffer.from('ab'), { valueSchema: Schemas.OPTIONAL_BYTES }), record(topic, 0, 1, Buffer.from('cd'))]);
    const keys = await listKeys(s3, bucket, `topics/${topic}/`);
    expect(keys).toEqual([`topics/${topic}/partition=0/${topic}+0+0000000000.txt`]);
    expect(String(await getObject(s3, bucket, keys[0] as string))).toBe('ab|cd|');
    task.stop();
  });

  it('FieldPartitioner folders by field values; TimeBasedPartitioner by the record time in its zone, rotating when the partition changes', async () => {
    const topic = uniqueName('fields');
    const field = await startTask(bucket, { 'partitioner.class': 'io.confluent.connect.storage.partitioner.FieldPartitioner', 'partition.field.name': 'region,kind', 'flush.size': '2' });
    await field.put([record(topic, 0, 0, { region: 'eu', kind: 'a' }), record(topic, 0, 1, { region: 'us', kind: 'b' }), record(topic, 0, 2, { region: 'eu', kind: 'a' })]);
    expect(await listKeys(s3, bucket, `topics/${topic}/`)).toEqual([`topics/${topic}/region=eu/kind=a/${topic}+0+0000000000.json`, `topics/${topic}/region=us/kind=b/${topic}+0+0000000001.json`]);
    field.stop();

    const ttopic = uniqueName('times');
    const time = await startTask(bucket, {
      'partitioner.class': 'TimeBasedPartitioner',
      'path.format': "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH",
      'partition.duration.ms': '3600000',
      locale: 'en_US',
      timezone: 'Asia/Kolkata',
      'timestamp.extractor': 'Record',
      'rotate.interval.ms': '3600000',
      'flush.size': '1000',
    });
    // One record every 20 minutes from 2024-01-01T00:00Z (05:30 in Kolkata).
    await time.put(Array.from({ length: 7 }, (_, i) => record(ttopic, 0, i, { i }, { timestamp: Date.UTC(2024, 0, 1) + i * 20 * 60_000 })));
    expect(await listKeys(s3, bucket, `topics/${ttopic}/`)).toEqual([
      `topics/${ttopic}/year=2024/month=01/day=01/hour=05/${ttopic}+0+0000000000.json`,
      `topics/${ttopic}/year=2024/month=01/day=01/hour=06/${ttopic}+0+0000000002.json`,
    ]);
    expect((await time.preCommit(offsets(ttopic, 0, 7))).get(`${ttopic}:0`)?.offset).toBe(5);
    time.stop();
  });

  it('ParquetFormat writes a Parquet file with nested structs, arrays, maps and logical types', async () => {
    const topic = uniqueName('parquet');
    const address = SchemaBuilder.struct().name('address').field('city', Schemas.STRING).field('zip', Schemas.OPTIONAL_STRING).build();
    const schema: Schema = SchemaBuilder.struct()
      .name('order')
      .field('id', Schemas.INT64)
      .field('name', Schemas.STRING)
      .field('price', decimalSchema(2, true))
      .field('at', timestampSchema())
      .field('ok', Schemas.BOOLEAN)
      .field('tags', SchemaBuilder.array(Schemas.STRING).optional().build())
      .field('attrs', SchemaBuilder.map(Schemas.STRING, Schemas.INT32).optional().build())
      .field('address', address)
      .build();
    const value = (i: number) =>
      new Struct(schema)
        .put('id', i)
        .put('name', `n${i}`)
        .put('price', i % 2 ? null : new Decimal(BigInt(i * 100 + 5), 2))
        .put('at', new Date(Date.UTC(2024, 0, 1, 0, i)))
        .put('ok', i % 2 === 0)
        .put('tags', i === 1 ? [] : ['x', `t${i}`])
        .put('attrs', new Map([['k', i]]))
        .put('address', new Struct(address).put('city', 'Oslo').put('zip', i === 0 ? null : '0150'));
    const task = await startTask(bucket, { 'format.class': 'io.confluent.connect.s3.format.parquet.ParquetFormat', 'flush.size': '3' });
    await task.put(Array.from({ length: 3 }, (_, i) => record(topic, 2, i, value(i), { valueSchema: schema })));
    const keys = await listKeys(s3, bucket, `topics/${topic}/`);
    expect(keys).toEqual([`topics/${topic}/partition=2/${topic}+2+0000000000.snappy.parquet`]);
    const bytes = await getObject(s3, bucket, keys[0] as string);
    const rows = (await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer })) as Record<string, unknown>[];
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ id: 0n, name: 'n0', price: 0.05, ok: true, tags: ['x', 't0'], address: { city: 'Oslo', zip: null } });
    expect((rows[0]?.at as Date).getTime()).toBe(Date.UTC(2024, 0, 1, 0, 0));
    expect(rows[1]).toMatchObject({ id: 1n, price: null, tags: [], address: { city: 'Oslo', zip: '0150' } });
    expect(rows[2]?.attrs).toEqual({ k: 2 });
    task.stop();
  });

  it('ParquetFormat rejects schemaless values with a message naming the record', async () => {
    const task = await startTask(bucket, { 'format.class': 'ParquetFormat' });
    await expect(task.put([record('t', 0, 9, { a: 1 })])).rejects.toThrow(/ParquetFormat needs records with a Struct value.*offset 9 has no schema/);
    task.stop();
  });

  it('uploads an object larger than s3.part.size as a multipart upload', async () => {
    const topic = uniqueName('multipart');
    const task = await startTask(bucket, { 's3.part.size': '5242880', 'flush.size': '12' });
    const big = 'y'.repeat(1024 * 1024);
    await task.put(Array.from({ length: 12 }, (_, i) => record(topic, 0, i, { i, big })));
    const keys = await listKeys(s3, bucket, `topics/${topic}/`);
    expect(keys).toHaveLength(1);
    const head = await s3.send(new (await import('@aws-sdk/client-s3')).HeadObjectCommand({ Bucket: bucket, Key: keys[0] }));
    // A multipart object's ETag ends with -<number of parts>.
    expect(head.ETag).toMatch(/-3"?$/);
    const lines = String(await getObject(s3, bucket, keys[0] as string)).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { i: number }).i)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    task.stop();
  });

  it('s3.ssea.name asks for server-side encryption on every object', async () => {
    const topic = uniqueName('sse');
    const task = await startTask(bucket, { 's3.ssea.name': 'AES256', 'flush.size': '1' });
    await task.put([record(topic, 0, 0, { a: 1 })]);
    const [key] = await listKeys(s3, bucket, `topics/${topic}/`);
    const head = await s3.send(new (await import('@aws-sdk/client-s3')).HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ServerSideEncryption).toBe('AES256');
    task.stop();
  });

  it('a missing bucket fails put with a non-retriable error naming it', async () => {
    const task = await startTask(uniqueName('no-such-bucket'), { 'flush.size': '1' });
    const err = await task.put([record('t', 0, 0, { a: 1 })]).catch((e: unknown) => e as Error & { retriable?: boolean });
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/does not exist/);
    expect((err as { retriable?: boolean }).retriable).toBe(false);
    task.stop();
  });
});
