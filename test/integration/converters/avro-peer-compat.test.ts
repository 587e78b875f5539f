/**
 * Wire compatibility with a real peer: Apicurio's AvroConverter in Confluent mode (4-byte ids,
 * the same registry through its own API) reads what Tributary's AvroConverter wrote, and
 * Tributary reads what the peer wrote — record by record, field by field, for a schema that
 * uses every Connect type.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AvroConverter } from '../../../lib/converters/avro/avro-converter.ts';
import { SchemaBuilder, Schemas, Struct } from '../../../lib/plugins/connect-schema.ts';
import { startApacheConnect } from '../../support/apache-connect.ts';
import { avroConverterConfig, avroConverterJars, avroConverterPluginPath } from '../../../host/apicurio-avro-converter.ts';
import { peerJson, runAvroPeer } from '../../support/avro-peer.ts';
import { EVERY_TYPE_SCHEMA, everyTypeRecord } from '../../support/every-type-record.ts';
import { createTopics, testKafka } from '../../support/kafka-helpers.ts';
import { freePort, uniqueName } from '../../support/local-host-process.ts';
import { eventually, rest } from '../../support/rest-client.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const registryUrl = inject('schemaRegistryUrl');
const apicurioUrl = inject('apicurioRegistryUrl');
const RECORDS = 12;

function tributary(): AvroConverter {
  const c = new AvroConverter();
  c.configure({ 'schema.registry.url': registryUrl }, false);
  return c;
}

describe('Avro compatibility with Apicurio\'s AvroConverter (Confluent wire format)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-avro-peer-'));

  beforeAll(async () => {
    await avroConverterJars();
  }, 300_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('Apache Connect 4.1.1, with the peer converter on its plugin.path, sinks what Tributary wrote', async () => {
    const topic = uniqueName('connect-reads');
    const address = SchemaBuilder.struct().name('com.example.Street').field('street', Schemas.STRING).build();
    const schema = SchemaBuilder.struct()
      .name('com.example.Simple')
      .field('id', Schemas.INT32)
      .field('name', Schemas.STRING)
      .field('maybe', Schemas.OPTIONAL_STRING)
      .field('flag', Schemas.BOOLEAN)
      .field('big', Schemas.INT64)
      .field('tags', SchemaBuilder.array(Schemas.STRING).build())
      .field('address', address)
      .build();
    const c = tributary();
    const kafka = testKafka(kafkaBootstrap);
    await createTopics(kafka, [topic]);
    const expected: string[] = [];
    const messages = [];
    for (let n = 0; n < 5; n++) {
      const big = 2n ** 60n + BigInt(n);
      const value = new Struct(schema).put('id', n).put('name', `n${n}`).put('maybe', n % 2 ? null : `m${n}`).put('flag', n % 2 === 0).put('big', big).put('tags', [`t${n}`, 'x']).put('address', new Struct(address).put('street', `s${n}`));
      messages.push({ value: (await c.fromConnectData(topic, schema, value)) as Buffer });
      // Java's Struct.toString, which FileStreamSink writes: null fields left out, lists as [a, b].
      expected.push(`Struct{id=${n},name=n${n}${n % 2 ? '' : `,maybe=m${n}`},flag=${n % 2 === 0},big=${big},tags=[t${n}, x],address=Struct{street=s${n}}}`);
    }
    await kafka.produce(topic, messages);
    await kafka.close();
    const worker = await startApacheConnect({ bootstrapServers: kafkaBootstrap, workDir: dir, port: await freePort(), xmx: '512m', startTimeoutMs: 240_000, workerProperties: { 'plugin.path': await avroConverterPluginPath(dir) } });
    try {
      const file = join(dir, 'connect-sink.txt');
      const created = await rest(worker.restUrl, 'POST', '/connectors', {
        name: uniqueName('connect-avro-sink'),
        config: { 'connector.class': 'FileStreamSink', file, topics: topic, ...avroConverterConfig('value.converter', apicurioUrl) },
      });
      expect(created.status).toBe(201);
      await eventually(async () => existsSync(file) && readFileSync(file, 'utf8').split('\n').filter(Boolean).length >= 5, { what: 'five lines from Apache Connect', timeoutMs: 120_000 });
      expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toEqual(expected);
    } finally {
      await worker.stop();
    }
  }, 420_000);

  it('the peer reads what Tributary wrote, field by field', async () => {
    const topic = uniqueName('peer-reads');
    const c = tributary();
    const lines: string[] = [];
    for (let n = 0; n < RECORDS; n++) lines.push(((await c.fromConnectData(topic, EVERY_TYPE_SCHEMA, everyTypeRecord(n))) as Buffer).toString('hex'));
    const read = await runAvroPeer(['read', apicurioUrl, topic], `${lines.join('\n')}\n`);
    expect(read).toHaveLength(RECORDS);
    read.forEach((line, n) => {
      const got = JSON.parse(line) as Record<string, unknown>;
      const expected = peerJson(EVERY_TYPE_SCHEMA, everyTypeRecord(n)) as Record<string, unknown>;
      for (const f of EVERY_TYPE_SCHEMA.fields ?? []) expect({ record: n, field: f.name, value: got[f.name] }).toEqual({ record: n, field: f.name, value: expected[f.name] });
    });
  }, 120_000);

  it('Tributary reads what the peer wrote, field by field', async () => {
    const topic = uniqueName('tributary-reads');
    const written = await runAvroPeer(['write', apicurioUrl, topic, String(RECORDS)]);
    expect(written).toHaveLength(RECORDS);
    const c = tributary();
    for (let n = 0; n < RECORDS; n++) {
      const bytes = Buffer.from(written[n] as string, 'hex');
      expect(bytes[0]).toBe(0);
      const { schema, value } = await c.toConnectData(topic, bytes);
      const got = value as Struct;
      const expected = everyTypeRecord(n);
      for (const f of EVERY_TYPE_SCHEMA.fields ?? []) {
        expect({ record: n, field: f.name, value: got.get(f.name) }).toEqual({ record: n, field: f.name, value: expected.get(f.name) });
        const gotField = schema?.fields?.find((x) => x.name === f.name)?.schema;
        expect({ field: f.name, type: gotField?.type, name: gotField?.name, optional: gotField?.optional }).toEqual({ field: f.name, type: f.schema.type, name: f.schema.name, optional: f.schema.optional });
      }
      expect(schema?.name).toBe(EVERY_TYPE_SCHEMA.name);
    }
  }, 120_000);
});
