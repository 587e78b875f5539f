/**
 * The S3 sink through the whole local stack (REST → state machine → runner processes → Kafka
 * → S3Mock): validation errors per key; a JSON transfer with the runner SIGKILLed mid-stream,
 * after which every record is in exactly one object and the objects are cut at the same
 * offsets (no duplicate objects); Parquet with a TimeBasedPartitioner; and a task that FAILS
 * with a trace on a tombstone under behavior.on.null.values=fail.
 */
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBucket, getObject, listKeys } from '../../../support/aws-test-clients.ts';
import { emulatorS3Client } from '../../../../host/aws-emulator-launcher.ts';
import { createTopics } from '../../../support/kafka-helpers.ts';
import { runnerPid } from '../../../support/fault-helpers.ts';
import { uniqueName } from '../../../support/local-host-process.ts';
import { eventually, rest } from '../../../support/rest-client.ts';
import { E2eHost, envSize, TopicReader } from '../jdbc-e2e/e2e-support.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const s3Endpoint = inject('s3Endpoint');
const PER_PARTITION = envSize('TRIBUTARY_S3_E2E_RECORDS_PER_PARTITION', 15_000);
const PARTITIONS = 3;
const FLUSH = 300;
const KILLS = 3;

interface ValidateResult {
  error_count: number;
  configs: { value: { name: string; errors: string[] } }[];
}

const errorsOf = (r: ValidateResult, key: string) => r.configs.find((c) => c.value.name === key)?.value.errors ?? [];

describe('S3 sink through the local stack', () => {
  const host = new E2eHost(kafkaBootstrap, dynamoEndpoint);
  const reader = new TopicReader(kafkaBootstrap);
  const s3 = emulatorS3Client(s3Endpoint);
  const bucket = uniqueName('e2e-bucket');
  const names: string[] = [];

  const sinkConfig = (topic: string, extra: Record<string, string> = {}) => ({
    'connector.class': 'io.confluent.connect.s3.S3SinkConnector',
    topics: topic,
    's3.bucket.name': bucket,
    's3.region': 'us-east-1',
    'store.url': s3Endpoint,
    'flush.size': String(FLUSH),
    'format.class': 'io.confluent.connect.s3.format.json.JsonFormat',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'false',
    'offset.flush.interval.ms': '500',
    'tributary.restart.max.per.hour': '100',
    ...extra,
  });

  beforeAll(async () => {
    await createBucket(s3, bucket);
    await host.start();
  }, 120_000);

  afterAll(async () => {
    await host.deleteConnectors(...names);
    await host.close();
    s3.destroy();
  });

  it('validate names the key: missing bucket, bucket that does not exist, wrong region, bad partitioner settings', async () => {
    const validate = async (config: Record<string, string>) =>
      (await rest<ValidateResult>(host.url, 'PUT', '/connector-plugins/S3SinkConnector/config/validate', { ...config, name: 'v' })).body;
    const { 's3.bucket.name': _omit, ...noBucket } = sinkConfig('t');
    expect(errorsOf(await validate(noBucket), 's3.bucket.name').join()).toMatch(/Missing required configuration "s3.bucket.name"/);
    expect(errorsOf(await validate(sinkConfig('t', { 's3.bucket.name': 'no-such-bucket-here' })), 's3.bucket.name').join()).toMatch(/does not exist/);
    expect(errorsOf(await validate(sinkConfig('t', { 's3.region': 'mars-1' })), 's3.region').join()).toMatch(/not an AWS region name/);
    expect(errorsOf(await validate(sinkConfig('t', { 'partitioner.class': 'TimeBasedPartitioner', timezone: 'Nowhere/City' })), 'timezone').join()).toMatch(/unknown time zone/);
    expect(errorsOf(await validate(sinkConfig('t', { 'partitioner.class': 'TimeBasedPartitioner' })), 'path.format').join()).toMatch(/needs path.format/);
    const ok = await validate(sinkConfig('t'));
    expect(ok.error_count).toBe(0);
    const created = await rest(host.url, 'POST', '/connectors', { name: uniqueName('bad'), config: sinkConfig('t', { 's3.bucket.name': 'no-such-bucket-here' }) });
    expect(created.status).toBe(400);
  });

  it(`JSON: ${(PER_PARTITION * PARTITIONS).toLocaleString('en')} records with ${KILLS} SIGKILLs of the runner, each record in exactly one object`, async () => {
    const topic = uniqueName('s3-kill');
    const name = uniqueName('s3-sink-kill');
    names.push(name);
    await createTopics(reader.kafka, [topic], PARTITIONS);
    const chunks = 8;
    const produceChunk = async (c: number) => {
      const from = Math.floor((PER_PARTITION * c) / chunks);
      const to = Math.floor((PER_PARTITION * (c + 1)) / chunks);
      for (let p = 0; p < PARTITIONS; p++) {
        for (let i = from; i < to; i += 1000) {
          const messages = Array.from({ length: Math.min(1000, to - i) }, (_, j) => ({ partition: p, key: `k${i + j}`, value: JSON.stringify({ p, i: i + j, pad: 'x'.repeat(40) }) }));
          await reader.kafka.produce(topic, messages);
        }
      }
    };
    const started = Date.now();
    await produceChunk(0);
    expect((await rest(host.url, 'POST', '/connectors', { name, config: sinkConfig(topic) })).status).toBe(201);
    await host.running(name);
    let kills = 0;
    let lastVictim = -1;
    for (let c = 1; c < chunks; c++) {
      await produceChunk(c);
      if (c % 2 === 0 && kills < KILLS) {
        // The restarted runner (a new process) must be at work before it is killed again.
        const victim = await runnerPid(host.url, name, 0, { other: lastVictim, timeoutMs: 120_000, intervalMs: 50 });
        // Let it get into the new records, then kill it with files open and offsets uncommitted.
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 300));
        process.kill(victim, 'SIGKILL');
        lastVictim = victim;
        kills++;
      }
    }
    expect(kills).toBe(KILLS);
    await eventually(
      async () => {
        const r = await rest<{ offsets: { partition: { kafka_partition: number }; offset: { kafka_offset: number } }[] }>(host.url, 'GET', `/connectors/${name}/offsets`);
        return r.body.offsets?.length === PARTITIONS && r.body.offsets.every((o) => o.offset.kafka_offset === PER_PARTITION);
      },
      { what: `${name} to commit the end of every partition`, timeoutMs: 240_000, intervalMs: 500 },
    );
    const seconds = (Date.now() - started) / 1000;
    const keys = await listKeys(s3, bucket, `topics/${topic}/`);
    expect(keys).toHaveLength((PER_PARTITION / FLUSH) * PARTITIONS);
    const seen = new Map<string, number>();
    for (const key of keys) {
      const m = new RegExp(`^topics/${topic}/partition=(\\d)/${topic}\\+(\\d)\\+(\\d{10})\\.json$`).exec(key);
      expect(m, key).not.toBeNull();
      expect(m?.[1]).toBe(m?.[2]);
      expect(Number(m?.[3]) % FLUSH).toBe(0);
      const lines = String(await getObject(s3, bucket, key)).trim().split('\n');
      expect(lines).toHaveLength(FLUSH);
      lines.forEach((line, j) => {
        const v = JSON.parse(line) as { p: number; i: number };
        expect(v.p).toBe(Number(m?.[1]));
        expect(v.i).toBe(Number(m?.[3]) + j);
        seen.set(`${v.p}:${v.i}`, (seen.get(`${v.p}:${v.i}`) ?? 0) + 1);
      });
    }
    expect(seen.size).toBe(PER_PARTITION * PARTITIONS);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    console.info(`S3 sink e2e: ${PER_PARTITION * PARTITIONS} records in ${keys.length} objects with ${KILLS} kills in ${seconds.toFixed(1)} s; no record missing or duplicated`);
  }, 600_000);

  it('Parquet with a TimeBasedPartitioner on the record field, from JSON with schemas', async () => {
    const topic = uniqueName('s3-parquet');
    const name = uniqueName('s3-sink-parquet');
    names.push(name);
    await createTopics(reader.kafka, [topic], 1);
    const schema = {
      type: 'struct',
      name: 'event',
      optional: false,
      fields: [
        { field: 'id', type: 'int64', optional: false },
        { field: 'kind', type: 'string', optional: true },
        { field: 'at', type: 'int64', optional: false, name: 'org.apache.kafka.connect.data.Timestamp', version: 1 },
        { field: 'tags', type: 'array', items: { type: 'string', optional: false }, optional: true },
      ],
    };
    const base = Date.UTC(2024, 5, 1, 22, 0);
    // 10 records, one every 30 minutes: days 2024-06-01 (4 records) and 2024-06-02 (6) in UTC.
    await reader.kafka.produce(topic, Array.from({ length: 10 }, (_, i) => ({ value: JSON.stringify({ schema, payload: { id: i, kind: i % 2 ? 'odd' : null, at: base + i * 1_800_000, tags: [`t${i}`] } }) })));
    const config = sinkConfig(topic, {
      'format.class': 'io.confluent.connect.s3.format.parquet.ParquetFormat',
      'value.converter.schemas.enable': 'true',
      'partitioner.class': 'io.confluent.connect.storage.partitioner.TimeBasedPartitioner',
      'path.format': "'dt'=YYYY-MM-dd",
      'partition.duration.ms': '86400000',
      locale: 'en-US',
      timezone: 'UTC',
      'timestamp.extractor': 'RecordField',
      'timestamp.field': 'at',
      'flush.size': '5',
    });
    expect((await rest(host.url, 'POST', '/connectors', { name, config })).status).toBe(201);
    // flush.size 5 over 10 records: [0..4] cut at 5 (two folders), then [5..9].
    const keys = await eventually(async () => {
      const k = await listKeys(s3, bucket, `topics/${topic}/`);
      return k.length === 3 ? k : undefined;
    }, { what: 'three Parquet objects', timeoutMs: 60_000 });
    expect(keys).toEqual([
      `topics/${topic}/dt=2024-06-01/${topic}+0+0000000000.snappy.parquet`,
      `topics/${topic}/dt=2024-06-02/${topic}+0+0000000004.snappy.parquet`,
      `topics/${topic}/dt=2024-06-02/${topic}+0+0000000005.snappy.parquet`,
    ]);
    const rows: Record<string, unknown>[] = [];
    for (const key of keys) {
      const b = await getObject(s3, bucket, key);
      rows.push(...((await parquetReadObjects({ file: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer })) as Record<string, unknown>[]));
    }
    expect(rows.map((r) => Number(r.id))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rows[1]).toMatchObject({ kind: 'odd', tags: ['t1'] });
    expect(rows[0]?.kind).toBeNull();
  });

  it('a tombstone under behavior.on.null.values=fail fails the task with a trace naming the record', async () => {
    const topic = uniqueName('s3-null');
    const name = uniqueName('s3-sink-null');
    names.push(name);
    await createTopics(reader.kafka, [topic], 1);
    await reader.kafka.produce(topic, [{ value: '{"a":1}' }, { key: 'k', value: null }]);
    expect((await rest(host.url, 'POST', '/connectors', { name, config: sinkConfig(topic, { 'tributary.restart.max.per.hour': '0' }) })).status).toBe(201);
    const status = await host.failed(name, 60_000);
    expect(status.tasks[0]?.trace).toMatch(/Null valued record at topic '.*', partition 0, offset 1/);
  });
});
