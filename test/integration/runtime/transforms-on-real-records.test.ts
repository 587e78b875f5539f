/**
 * Every single-message transform and predicate that Apache Kafka ships, configured with
 * Apache's class names, applied by a real runner to real records on their way into Kafka
 * (or, for timestamp ones, out of it), checked with an independent consumer.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTopics, testKafka, type TestKafka } from '../../support/kafka-helpers.ts';
import { startHostProcess, uniqueName, type HostProcess } from '../../support/local-host-process.ts';
import { eventually, rest } from '../../support/rest-client.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const T = 'org.apache.kafka.connect.transforms.';

interface Out {
  key: unknown;
  value: unknown;
  headers: Record<string, string>;
  topic: string;
}

/** Reads every record of the topics, parsing JSON keys and values (schemas disabled below). */
async function readAll(kafka: TestKafka, topics: string[], expected: number): Promise<Out[]> {
  const parse = (b: Buffer | null) => (b === null ? null : (JSON.parse(b.toString()) as unknown));
  const records = await kafka.readAll(topics, expected, { timeoutMs: 30_000 });
  return records.map((m) => ({ topic: m.topic, key: parse(m.key), value: parse(m.value), headers: m.headers }));
}

const hoist = { transforms: 'hoist', 'transforms.hoist.type': `${T}HoistField$Value`, 'transforms.hoist.field': 'line' };
/** Appends a transform after the hoist that makes each line a struct `{line}`. */
const after = (alias: string, type: string, options: Record<string, string>) => ({
  transforms: `hoist,${alias}`,
  'transforms.hoist.type': `${T}HoistField$Value`,
  'transforms.hoist.field': 'line',
  [`transforms.${alias}.type`]: `${T}${type}`,
  ...Object.fromEntries(Object.entries(options).map(([k, v]) => [`transforms.${alias}.${k}`, v])),
});

interface Case {
  readonly name: string;
  readonly lines: string[];
  readonly config: Record<string, string>;
  /** Records expected in the output (0: checks the connector committed and produced nothing). */
  readonly count: number;
  readonly check: (records: Out[], topic: string) => void;
  readonly extraTopics?: (topic: string) => string[];
}

const cases: Case[] = [
  { name: 'HoistField$Value', lines: ['a'], config: hoist, count: 1, check: (r) => expect(r[0]?.value).toEqual({ line: 'a' }) },
  { name: 'Cast$Value', lines: ['42'], config: after('cast', 'Cast$Value', { spec: 'line:int32' }), count: 1, check: (r) => expect(r[0]?.value).toEqual({ line: 42 }) },
  { name: 'ExtractField$Value', lines: ['x'], config: after('extract', 'ExtractField$Value', { field: 'line' }), count: 1, check: (r) => expect(r[0]?.value).toBe('x') },
  {
    name: 'Flatten$Value',
    lines: ['deep'],
    config: { ...after('outer', 'HoistField$Value', { field: 'outer' }), transforms: 'hoist,outer,flat', 'transforms.flat.type': `${T}Flatten$Value` },
    count: 1,
    check: (r) => expect(r[0]?.value).toEqual({ 'outer.line': 'deep' }),
  },
  {
    name: 'InsertField$Value',
    lines: ['a'],
    config: after('insert', 'InsertField$Value', { 'static.field': 'origin', 'static.value': 'file', 'topic.field': 'topic' }),
    count: 1,
    check: (r, topic) => expect(r[0]?.value).toEqual({ line: 'a', origin: 'file', topic }),
  },
  { name: 'MaskField$Value', lines: ['secret'], config: after('mask', 'MaskField$Value', { fields: 'line' }), count: 1, check: (r) => expect(r[0]?.value).toEqual({ line: '' }) },
  {
    name: 'ReplaceField$Value',
    lines: ['a'],
    config: { ...after('insert', 'InsertField$Value', { 'static.field': 'drop', 'static.value': 'x' }), transforms: 'hoist,insert,replace', 'transforms.replace.type': `${T}ReplaceField$Value`, 'transforms.replace.exclude': 'drop', 'transforms.replace.renames': 'line:text' },
    count: 1,
    check: (r) => expect(r[0]?.value).toEqual({ text: 'a' }),
  },
  {
    name: 'SetSchemaMetadata$Value',
    lines: ['a'],
    config: { transforms: 'meta', 'transforms.meta.type': `${T}SetSchemaMetadata$Value`, 'transforms.meta.schema.name': 'com.example.Line', 'transforms.meta.schema.version': '3', 'value.converter.schemas.enable': 'true' },
    count: 1,
    check: (r) => expect(r[0]?.value).toEqual({ schema: { type: 'string', optional: false, name: 'com.example.Line', version: 3 }, payload: 'a' }),
  },
  {
    name: 'TimestampConverter$Value',
    lines: ['2024-01-02'],
    config: after('ts', 'TimestampConverter$Value', { field: 'line', format: 'yyyy-MM-dd', 'target.type': 'unix' }),
    count: 1,
    check: (r) => expect(r[0]?.value).toEqual({ line: Date.UTC(2024, 0, 2) }),
  },
  { name: 'ValueToKey', lines: ['k1'], config: after('key', 'ValueToKey', { fields: 'line' }), count: 1, check: (r) => expect(r[0]?.key).toEqual({ line: 'k1' }) },
  {
    name: 'RegexRouter',
    lines: ['a'],
    config: { transforms: 'route', 'transforms.route.type': `${T}RegexRouter`, 'transforms.route.regex': '(.*)', 'transforms.route.replacement': '$1-routed' },
    count: 1,
    extraTopics: (topic) => [`${topic}-routed`],
    check: (r, topic) => expect(r.map((x) => x.topic)).toEqual([`${topic}-routed`]),
  },
  {
    name: 'InsertHeader, HeaderFrom$Value and DropHeaders',
    lines: ['a'],
    config: {
      ...after('from', 'HeaderFrom$Value', { fields: 'line', headers: 'copied', operation: 'copy' }),
      transforms: 'hoist,from,ins,drop',
      'transforms.ins.type': `${T}InsertHeader`,
      'transforms.ins.header': 'dropped',
      'transforms.ins.value.literal': 'gone',
      'transforms.drop.type': `${T}DropHeaders`,
      'transforms.drop.headers': 'dropped',
    },
    count: 1,
    check: (r) => {
      expect(r[0]?.headers.copied).toBe('a');
      expect(r[0]?.headers).not.toHaveProperty('dropped');
    },
  },
  {
    name: 'Filter with TopicNameMatches, HasHeaderKey and RecordIsTombstone',
    lines: ['keep', 'drop'],
    config: {
      transforms: 'mark,filter,nonTombstones',
      predicates: 'onThisTopic,marked,tombstone',
      'predicates.onThisTopic.type': `${T}predicates.TopicNameMatches`,
      'predicates.onThisTopic.pattern': '.*',
      'predicates.marked.type': `${T}predicates.HasHeaderKey`,
      'predicates.marked.name': 'mark',
      'predicates.tombstone.type': `${T}predicates.RecordIsTombstone`,
      // Mark every record of this topic, then filter marked records whose value is 'drop' ... by
      // a second header: Filter applies only where the predicate holds.
      'transforms.mark.type': `${T}InsertHeader`,
      'transforms.mark.header': 'mark',
      'transforms.mark.value.literal': 'yes',
      'transforms.mark.predicate': 'onThisTopic',
      'transforms.filter.type': `${T}Filter`,
      'transforms.filter.predicate': 'marked',
      'transforms.filter.negate': 'true',
      'transforms.nonTombstones.type': `${T}Filter`,
      'transforms.nonTombstones.predicate': 'tombstone',
    },
    count: 2,
    check: (r) => {
      // Every record was marked (TopicNameMatches), so the negated HasHeaderKey filter keeps them all,
      // and no record is a tombstone, so RecordIsTombstone drops none.
      expect(r.map((x) => x.value)).toEqual(['keep', 'drop']);
      expect(r.every((x) => x.headers.mark === 'yes')).toBe(true);
    },
  },
];

describe('single message transforms on real records', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-smt-'));
  const kafka = testKafka(kafkaBootstrap);
  let host: HostProcess;

  beforeAll(async () => {
    host = await startHostProcess({ kafkaBootstrap, dynamoEndpoint, dataDir: join(dir, 'data'), tableName: uniqueName('smt') });
  });

  afterAll(async () => {
    await kafka.close();
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const c of cases) {
    it(`applies ${c.name} on the way into Kafka`, async () => {
      const topic = uniqueName('smt');
      const file = join(dir, `${topic}.txt`);
      writeFileSync(file, c.lines.map((l) => `${l}\n`).join(''));
      await createTopics(kafka, [topic, ...(c.extraTopics?.(topic) ?? [])]);
      const name = uniqueName('smt-source');
      const created = await rest(host.restUrl, 'POST', '/connectors', {
        name,
        config: { 'connector.class': 'FileStreamSource', file, topic, 'key.converter.schemas.enable': 'false', 'value.converter.schemas.enable': 'false', ...c.config },
      });
      expect(created.status).toBe(201);
      const records = await readAll(kafka, [topic, ...(c.extraTopics?.(topic) ?? [])], c.count);
      c.check(records, topic);
      await rest(host.restUrl, 'DELETE', `/connectors/${name}`);
    });
  }

  it('drops every record where Filter\'s predicate holds (HasHeaderKey after InsertHeader)', async () => {
    const topic = uniqueName('smt-filter');
    const file = join(dir, `${topic}.txt`);
    writeFileSync(file, 'a\nb\n');
    await createTopics(kafka, [topic]);
    const name = uniqueName('smt-filter');
    await rest(host.restUrl, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'FileStreamSource',
        file,
        topic,
        transforms: 'mark,filter',
        predicates: 'marked',
        'predicates.marked.type': `${T}predicates.HasHeaderKey`,
        'predicates.marked.name': 'mark',
        'transforms.mark.type': `${T}InsertHeader`,
        'transforms.mark.header': 'mark',
        'transforms.mark.value.literal': 'yes',
        'transforms.filter.type': `${T}Filter`,
        'transforms.filter.predicate': 'marked',
      },
    });
    // The lines were read and their offsets committed, yet nothing reached the topic.
    await eventually(async () => (await rest<{ offsets: { offset: { position: number } }[] }>(host.restUrl, 'GET', `/connectors/${name}/offsets`)).body.offsets[0]?.offset.position === 4, {
      what: 'the filtered lines committed',
    });
    const offsets = await kafka.watermarks(topic);
    expect(offsets.map((o) => o.high)).toEqual([0]);
    await rest(host.restUrl, 'DELETE', `/connectors/${name}`);
  });

  it('applies TimestampRouter on the way out of Kafka (records there have timestamps)', async () => {
    const topic = uniqueName('smt-ts');
    await createTopics(kafka, [topic]);
    await kafka.produce(topic, [{ value: '"v"', timestamp: Date.UTC(2025, 4, 6) }]);
    const file = join(dir, `${topic}.out`);
    const name = uniqueName('smt-sink');
    await rest(host.restUrl, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'FileStreamSink',
        file,
        topics: topic,
        'value.converter.schemas.enable': 'false',
        transforms: 'route,hoist,insert',
        'transforms.route.type': `${T}TimestampRouter`,
        'transforms.route.topic.format': '${topic}-${timestamp}',
        'transforms.route.timestamp.format': 'yyyyMMdd',
        'transforms.hoist.type': `${T}HoistField$Value`,
        'transforms.hoist.field': 'v',
        'transforms.insert.type': `${T}InsertField$Value`,
        'transforms.insert.topic.field': 'routedTo',
      },
    });
    await eventually(async () => existsSync(file) && readFileSync(file, 'utf8').length > 0, { what: 'the sink line' });
    expect(readFileSync(file, 'utf8')).toBe(`{v=v, routedTo=${topic}-20250506}\n`);
    await rest(host.restUrl, 'DELETE', `/connectors/${name}`);
  });
});
