/**
 * JDBC sinks upserting topics into PostgreSQL through the whole local stack, with every
 * record produced twice: the tables end with exactly one row per key holding its latest
 * values, and the sink groups commit the topics' ends. Records are in JsonConverter's schema
 * envelope with a struct value; the key is a struct (auto-created table, two tasks) or a
 * primitive (existing table). Keys per topic: TRIBUTARY_JDBC_E2E_SINK_KEYS (default 2,000).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTopics } from '../../../support/kafka-helpers.ts';
import { uniqueName } from '../../../support/local-host-process.ts';
import { eventually, rest } from '../../../support/rest-client.ts';
import { openTestDb, randomTable, type TestDb } from '../jdbc/jdbc-test-support.ts';
import { E2eHost, encodeDecimal, envSize, TopicReader } from './e2e-support.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const KEYS = envSize('TRIBUTARY_JDBC_E2E_SINK_KEYS', 2_000);
const PARTITIONS = 3;
const REGIONS = ['eu', 'us', 'ap'];

const decimalField = (field: string) => ({
  field,
  type: 'bytes',
  optional: true,
  name: 'org.apache.kafka.connect.data.Decimal',
  version: 1,
  parameters: { scale: '2' },
});
const timestampField = (field: string) => ({ field, type: 'int64', optional: false, name: 'org.apache.kafka.connect.data.Timestamp', version: 1 });
const STRUCT_KEY_SCHEMA = {
  type: 'struct',
  name: 'account_key',
  optional: false,
  fields: [
    { field: 'region', type: 'string', optional: false },
    { field: 'id', type: 'int64', optional: false },
  ],
};
const valueSchema = (withId: boolean) => ({
  type: 'struct',
  name: 'account',
  optional: false,
  fields: [
    ...(withId ? [{ field: 'id', type: 'int64', optional: false }] : []),
    { field: 'name', type: 'string', optional: false },
    decimalField('balance'),
    timestampField('updated_at'),
    { field: 'version', type: 'int32', optional: false },
  ],
});

/** What key `i` holds after version `v`: [name, balance text or null, updated_at millis]. */
function values(i: number, v: number): { name: string; balance: string | null; updatedAt: number } {
  const cents = (i * 150 + v) * (i % 7 === 3 ? -1 : 1);
  return {
    name: `account-${i}-v${v}`,
    balance: v === 2 && i % 10 === 0 ? null : (cents / 100).toFixed(2),
    updatedAt: Date.UTC(2024, 0, 1) + i * 1000 + v * 86_400_000 + (i % 1000),
  };
}

interface Message {
  key: string;
  value: string;
}

function message(i: number, v: number, keyKind: 'struct' | 'primitive'): Message {
  const x = values(i, v);
  const key = keyKind === 'struct' ? { schema: STRUCT_KEY_SCHEMA, payload: { region: REGIONS[i % 3], id: i } } : { schema: { type: 'int64', optional: false }, payload: i };
  const payload = {
    ...(keyKind === 'primitive' ? { id: i } : {}),
    name: x.name,
    balance: x.balance === null ? null : encodeDecimal(x.balance, 2),
    updated_at: x.updatedAt,
    version: v,
  };
  return { key: JSON.stringify(key), value: JSON.stringify({ schema: valueSchema(keyKind === 'primitive'), payload }) };
}

describe(`JDBC sinks upserting ${KEYS.toLocaleString('en')} keys per topic, every record twice`, () => {
  const host = new E2eHost(kafkaBootstrap, dynamoEndpoint);
  const reader = new TopicReader(kafkaBootstrap);
  // Topic and table share the name (table.name.format's default, ${topic}).
  const structTopic = randomTable('e2e_sink_struct');
  const primitiveTopic = randomTable('e2e_sink_prim');
  const structSink = uniqueName('pg-sink-struct-key');
  const primitiveSink = uniqueName('pg-sink-primitive-key');
  let db: TestDb;

  beforeAll(async () => {
    db = await openTestDb('postgresql');
    await db.exec(
      `CREATE TABLE ${db.q(primitiveTopic)} (id BIGINT PRIMARY KEY, name TEXT NOT NULL, balance NUMERIC(12,2), updated_at TIMESTAMP(3) NOT NULL, version INT NOT NULL)`,
    );
    await createTopics(reader.kafka, [structTopic, primitiveTopic], PARTITIONS);
    {
      for (const [topic, kind] of [
        [structTopic, 'struct'],
        [primitiveTopic, 'primitive'],
      ] as const) {
        // Version 1: each record twice in a row; version 2: the whole run, twice over.
        const v1 = Array.from({ length: KEYS }, (_, i) => message(i, 1, kind));
        const v2 = Array.from({ length: KEYS }, (_, i) => message(i, 2, kind));
        for (const run of [v1.flatMap((m) => [m, m]), v2, v2]) {
          for (let i = 0; i < run.length; i += 1000) await reader.kafka.produce(topic, run.slice(i, i + 1000));
        }
      }
    }
    await host.start();
  }, 120_000);

  afterAll(async () => {
    await reader.close();
    await host.deleteConnectors(structSink, primitiveSink);
    await host.close();
    await db?.drop(structTopic, primitiveTopic);
    await db?.close();
  });

  const sinkConfig = (topic: string, extra: Record<string, string>) => ({
    'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
    topics: topic,
    'connection.url': 'jdbc:postgresql://127.0.0.1:5432/test',
    'connection.user': 'postgres',
    'insert.mode': 'upsert',
    'pk.mode': 'record_key',
    ...extra,
  });

  /** Rows as the test expects them: balance as numeric(12,2) text, timestamps as epoch millis. */
  const tableRows = (table: string, keyColumns: string) =>
    db.rows(
      `SELECT ${keyColumns}, name, balance::numeric(12,2)::text AS balance, (extract(epoch FROM updated_at) * 1000)::bigint AS updated_at, version FROM ${db.q(table)} ORDER BY id`,
    );

  /**
   * Waits until every key holds version 2 and the sink group has committed the end of every
   * partition; returns when the rows were done (ms, performance.now()).
   */
  async function caughtUp(name: string, table: string): Promise<number> {
    await eventually(async () => {
      const [row] = await db.rows(`SELECT count(*)::int AS n, count(*) FILTER (WHERE version = 2)::int AS latest FROM ${db.q(table)}`).catch(() => [undefined]);
      return row?.n === KEYS && row.latest === KEYS;
    }, { what: `${KEYS} rows at version 2 in ${table}`, timeoutMs: 120_000, intervalMs: 100 });
    const rowsDone = performance.now();
    const ends = await reader.kafka.watermarks(table);
    const expected = ends
      .map((e) => ({ partition: { kafka_topic: table, kafka_partition: e.partition }, offset: { kafka_offset: e.high } }))
      .sort((a, b) => a.partition.kafka_partition - b.partition.kafka_partition);
    await eventually(
      async () => {
        const r = await rest<{ offsets: { partition: { kafka_partition: number } }[] }>(host.url, 'GET', `/connectors/${name}/offsets`);
        const got = [...(r.body.offsets ?? [])].sort((a, b) => a.partition.kafka_partition - b.partition.kafka_partition);
        return JSON.stringify(got) === JSON.stringify(expected);
      },
      { what: `${name} to commit the end of ${table}`, timeoutMs: 30_000 },
    );
    return rowsDone;
  }

  it('a struct key: auto-created table with the composite key, two tasks, one row per key with its latest values', async () => {
    const started = performance.now();
    const created = await rest(host.url, 'POST', '/connectors', {
      name: structSink,
      config: sinkConfig(structTopic, { 'tasks.max': '2', 'auto.create': 'true' }),
    });
    expect(created.status).toBe(201);
    await host.running(structSink, 2);
    const seconds = ((await caughtUp(structSink, structTopic)) - started) / 1000;
    console.info(`Kafka → PostgreSQL upserts through the local stack: ${KEYS * 4} records applied ${seconds.toFixed(1)} s after POST (${Math.round((KEYS * 4) / seconds)} records/s, start-up included)`);

    const pk = await db.rows(
      `SELECT a.attname AS column FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY a.attname`,
      [db.q(structTopic)],
    );
    expect(pk.map((r) => r.column)).toEqual(['id', 'region']);
    const rows = await tableRows(structTopic, 'region, id::int AS id');
    expect(rows).toEqual(
      Array.from({ length: KEYS }, (_, i) => {
        const x = values(i, 2);
        return { region: REGIONS[i % 3], id: i, name: x.name, balance: x.balance, updated_at: String(x.updatedAt), version: 2 };
      }),
    );
  });

  it('a primitive key named by pk.fields: an existing table, one row per key with its latest values', async () => {
    const created = await rest(host.url, 'POST', '/connectors', { name: primitiveSink, config: sinkConfig(primitiveTopic, { 'pk.fields': 'id' }) });
    expect(created.status).toBe(201);
    await host.running(primitiveSink);
    await caughtUp(primitiveSink, primitiveTopic);
    const rows = await tableRows(primitiveTopic, 'id::int AS id');
    expect(rows).toEqual(
      Array.from({ length: KEYS }, (_, i) => {
        const x = values(i, 2);
        return { id: i, name: x.name, balance: x.balance, updated_at: String(x.updatedAt), version: 2 };
      }),
    );
  });
});
