/**
 * The AvroConverter through the whole stack (REST API, runners, real Kafka, real Schema
 * Registry): Datagen in Confluent's Avro form writes Avro in Confluent's wire format; a sink
 * sends records with a wrong magic byte or an unknown schema id to the DLQ with Connect's
 * context headers; an unreachable registry fails the task with a trace naming the URL;
 * validate reports a malformed schema.registry.url on its key; the registry password is masked.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AvroConverter } from '../../../lib/converters/avro/avro-converter.ts';
import { Schemas, type Struct } from '../../../lib/plugins/connect-schema.ts';
import { createTopics, testKafka } from '../../support/kafka-helpers.ts';
import { freePort, startHostProcess, uniqueName, type HostProcess } from '../../support/local-host-process.ts';
import { eventually, rest } from '../../support/rest-client.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const registryUrl = inject('schemaRegistryUrl');
const AVRO = 'io.confluent.connect.avro.AvroConverter';

const USERS = JSON.stringify({
  type: 'record',
  name: 'users',
  namespace: 'ksql',
  fields: [
    { name: 'userid', type: { type: 'string', 'arg.properties': { regex: 'User_[1-9]' } } },
    { name: 'seq', type: { type: 'long', 'arg.properties': { iteration: { start: 1 } } } },
    { name: 'regionid', type: { type: 'string', 'arg.properties': { options: ['Region_1', 'Region_2'] } } },
  ],
});

describe('AvroConverter end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-avro-'));
  const kafka = testKafka(kafkaBootstrap);
  let host: HostProcess;

  beforeAll(async () => {
    host = await startHostProcess({ kafkaBootstrap, dynamoEndpoint, dataDir: join(dir, 'data'), tableName: uniqueName('avro'), env: { IDLE_BACKOFF_MAX_MS: '2000' } });
  });

  afterAll(async () => {
    await kafka.close();
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function readTopic(topic: string, n: number): Promise<{ key: Buffer | null; value: Buffer | null; headers: Record<string, string> }[]> {
    await eventually(async () => (await kafka.listTopics()).includes(topic), { what: `topic ${topic}` });
    return kafka.readAll(topic, n, { timeoutMs: 60_000 });
  }

  it('Datagen with an Avro schema.string writes Avro records a reader decodes field by field', async () => {
    const topic = uniqueName('users');
    const name = uniqueName('datagen-avro');
    const created = await rest(host.restUrl, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'io.confluent.kafka.connect.datagen.DatagenConnector',
        'kafka.topic': topic,
        'schema.string': USERS,
        'schema.keyfield': 'userid',
        'max.interval': '0',
        iterations: '20',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': AVRO,
        'value.converter.schema.registry.url': registryUrl,
        'value.converter.basic.auth.credentials.source': 'USER_INFO',
        'value.converter.basic.auth.user.info': 'someone:s3cret-pass',
      },
    });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain('s3cret-pass');
    const config = await rest(host.restUrl, 'GET', `/connectors/${name}/config`);
    expect((config.body as Record<string, string>)['value.converter.basic.auth.user.info']).toBe('[hidden]');
    const records = await readTopic(topic, 20);
    const reader = new AvroConverter();
    reader.configure({ 'schema.registry.url': registryUrl }, false);
    const seqs: number[] = [];
    for (const r of records) {
      expect(r.value?.[0]).toBe(0);
      const { schema, value } = await reader.toConnectData(topic, r.value);
      expect(schema?.name).toBe('ksql.users');
      const s = value as Struct;
      expect(s.get('userid')).toMatch(/^User_[1-9]$/);
      expect(r.key?.toString()).toBe(s.get('userid'));
      expect(['Region_1', 'Region_2']).toContain(s.get('regionid'));
      seqs.push(s.get('seq') as number);
    }
    expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('sends records with a wrong magic byte or an unknown schema id to the DLQ with context headers', async () => {
    const topic = uniqueName('avro-in');
    const dlq = uniqueName('avro-dlq');
    const file = join(dir, 'avro-sink.txt');
    await createTopics(kafka, [topic]);
    const writer = new AvroConverter();
    writer.configure({ 'schema.registry.url': registryUrl }, false);
    const good = (await writer.fromConnectData(topic, Schemas.STRING, 'good')) as Buffer;
    const unknownId = Buffer.from([0, 0x7f, 0xff, 0xff, 0x01, 2, 0x61]);
    await kafka.produce(topic, [{ value: good }, { value: Buffer.from('plain text') }, { value: unknownId }, { value: good }]);
    const name = uniqueName('avro-sink');
    const created = await rest(host.restUrl, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'FileStreamSink',
        file,
        topics: topic,
        'value.converter': AVRO,
        'value.converter.schema.registry.url': registryUrl,
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.topic.replication.factor': '1',
        'errors.deadletterqueue.context.headers.enable': 'true',
      },
    });
    expect(created.status).toBe(201);
    await eventually(async () => existsSync(file) && readFileSync(file, 'utf8') === 'good\ngood\n', { what: 'the good records in the sink file' });
    const got = await readTopic(dlq, 2);
    expect(got.map((r) => r.value?.toString('hex'))).toEqual([Buffer.from('plain text').toString('hex'), unknownId.toString('hex')]);
    for (const r of got) {
      expect(r.headers['__connect.errors.topic']).toBe(topic);
      expect(r.headers['__connect.errors.stage']).toBe('VALUE_CONVERTER');
      expect(r.headers['__connect.errors.class.name']).toBe(AVRO);
      expect(r.headers['__connect.errors.exception.class.name']).toBe('org.apache.kafka.connect.errors.DataException');
    }
    expect(got[0]?.headers['__connect.errors.exception.message']).toBe('Unknown magic byte!');
    expect(got[1]?.headers['__connect.errors.exception.message']).toContain(String(0x7fffff01));
    expect(got[1]?.headers['__connect.errors.offset']).toBe('2');
  });

  it('fails the task with a trace naming the registry URL when the registry is unreachable', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const name = uniqueName('datagen-noreg');
    const created = await rest(host.restUrl, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'io.confluent.kafka.connect.datagen.DatagenConnector',
        'kafka.topic': uniqueName('noreg'),
        'schema.string': USERS,
        'max.interval': '0',
        iterations: '5',
        'value.converter': AVRO,
        'value.converter.schema.registry.url': dead,
      },
    });
    expect(created.status).toBe(201);
    const task = await eventually(async () => {
      const r = await rest<{ tasks: { state: string; trace?: string }[] }>(host.restUrl, 'GET', `/connectors/${name}/status`);
      const t = r.body.tasks?.[0];
      return t?.state === 'FAILED' ? t : undefined;
    }, { what: 'the task FAILED' });
    expect(task.trace).toContain(dead);
    expect(task.trace).toMatch(/Schema Registry unreachable/);
  });

  it('validate reports a malformed schema.registry.url on its key', async () => {
    const r = await rest<{ error_count: number; configs: { value: { name: string; errors: string[] } }[] }>(host.restUrl, 'PUT', '/connector-plugins/FileStreamSink/config/validate', {
      'connector.class': 'FileStreamSink',
      name: 'v',
      topics: 't',
      file: '/tmp/x',
      'value.converter': AVRO,
      'value.converter.schema.registry.url': 'not a url',
      'key.converter': AVRO,
    });
    expect(r.status).toBe(200);
    const byName = new Map(r.body.configs.map((c) => [c.value.name, c.value.errors]));
    expect(byName.get('value.converter.schema.registry.url')?.[0]).toMatch(/not a url.*not a valid http or https URL/);
    expect(byName.get('key.converter.schema.registry.url')?.[0]).toMatch(/Missing required configuration|required/i);
  });
});
