/**
 * The Cassandra sink through the whole local stack against the single Cassandra node the test
 * setup starts, in a keyspace with a random name that the test drops. Records land as rows
 * through a SIGKILL of the runner with none lost; a key written again is updated, a tombstone
 * deletes its row; TTLs and write timestamps come from the mapping or the table settings.
 */
import { auth, Client } from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTopics } from '../../../support/kafka-helpers.ts';
import { freePort, uniqueName } from '../../../support/local-host-process.ts';
import { eventually, rest } from '../../../support/rest-client.ts';
import { E2eHost, envSize, TopicReader } from '../jdbc-e2e/e2e-support.ts';
import { killRunner } from '../../../support/fault-helpers.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const contactPoint = inject('cassandraContactPoint');
const RECORDS = envSize('TRIBUTARY_CASSANDRA_E2E_RECORDS', 3_000);

interface ValidateResult {
  error_count: number;
  configs: { value: { name: string; value: string | null; errors: string[] } }[];
}
const errorsOf = (r: ValidateResult, key: string) => r.configs.find((c) => c.value.name === key)?.value.errors ?? [];

/** A JsonConverter envelope of a struct with a string `name` and an int64 `amount`. */
const order = (name: string, amount: number) =>
  JSON.stringify({ schema: { type: 'struct', fields: [{ field: 'name', type: 'string' }, { field: 'amount', type: 'int64' }] }, payload: { name, amount } });

describe('Cassandra sink end to end', () => {
  const host = new E2eHost(kafkaBootstrap, dynamoEndpoint);
  const reader = new TopicReader(kafkaBootstrap);
  const keyspace = `tributary_${uniqueName('ks').replaceAll('-', '_')}`;
  const connectors: string[] = [];
  const cql = new Client({ contactPoints: [contactPoint], localDataCenter: 'datacenter1', authProvider: new auth.PlainTextAuthProvider('cassandra', 'cassandra'), encoding: { useBigIntAsLong: true } });
  const connection = { contactPoints: contactPoint, 'loadBalancing.localDc': 'datacenter1', 'auth.provider': 'PLAIN', 'auth.username': 'cassandra', 'auth.password': 'cassandra' };

  beforeAll(async () => {
    await cql.connect();
    await cql.execute(`CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
    await cql.execute(`CREATE TABLE ${keyspace}.orders (id text PRIMARY KEY, name text, amount bigint, origin text)`);
    await cql.execute(`CREATE TABLE ${keyspace}.readings (sensor text, ts bigint, reading double, PRIMARY KEY ((sensor), ts))`);
    await cql.execute(`CREATE TABLE ${keyspace}.latest (sensor text PRIMARY KEY, reading double)`);
    await host.start();
  }, 120_000);

  afterAll(async () => {
    await host.deleteConnectors(...connectors);
    await host.close();
    await reader.close();
    await cql.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`).catch(() => undefined);
    await cql.shutdown();
  });

  const count = async (table: string) => Number((await cql.execute(`SELECT COUNT(*) AS n FROM ${keyspace}.${table}`)).first()?.get('n') ?? 0);

  it(`${RECORDS} struct records with string keys land as rows through a SIGKILL of the runner; an upsert updates, a tombstone deletes`, async () => {
    const topic = uniqueName('cassandra-orders');
    await createTopics(reader.kafka, [topic], 2);
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < RECORDS; i += 1000) {
      await reader.kafka.produce(
        topic,
        Array.from({ length: Math.min(1000, RECORDS - i) }, (_, j) => ({ key: `o${i + j}`, value: order(`order ${i + j}`, (i + j) * 1_000_000_007), headers: { origin: 'e2e' }, timestamp: t0 + i + j })),
      );
    }
    const name = uniqueName('cassandra-sink');
    connectors.push(name);
    const created = await rest(host.url, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'com.datastax.oss.kafka.sink.CassandraSinkConnector',
        topics: topic,
        ...connection,
        [`topic.${topic}.${keyspace}.orders.mapping`]: 'id=key, name=value.name, amount=value.amount, origin=header.origin',
        [`topic.${topic}.${keyspace}.orders.consistencyLevel`]: 'LOCAL_QUORUM',
        maxNumberOfRecordsInBatch: '16',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'true',
        'tributary.restart.max.per.hour': '100',
      },
    });
    expect(created.status).toBe(201);
    await eventually(async () => (await count('orders')) >= RECORDS / 3, { what: 'a third of the rows', timeoutMs: 120_000, intervalMs: 100 });
    expect(await killRunner(host.url, name)).toBeDefined();
    await eventually(async () => (await count('orders')) === RECORDS, { what: `${RECORDS} rows`, timeoutMs: 180_000, intervalMs: 500 });

    const rows = (await cql.execute(`SELECT id, name, amount, origin, WRITETIME(name) AS written FROM ${keyspace}.orders`, [], { fetchSize: RECORDS + 1 })).rows;
    const byId = new Map(rows.map((r) => [r.get('id') as string, r]));
    const missing = Array.from({ length: RECORDS }, (_, i) => `o${i}`).filter((id) => !byId.has(id));
    expect(missing).toEqual([]);
    const sample = byId.get('o7');
    expect({ name: sample?.get('name'), amount: sample?.get('amount'), origin: sample?.get('origin'), written: sample?.get('written') }).toEqual({
      name: 'order 7',
      amount: 7n * 1_000_000_007n,
      origin: 'e2e',
      // The write time is the record's timestamp in microseconds, so a record written again after the kill changes nothing.
      written: BigInt(t0 + 7) * 1000n,
    });

    // Upsert: a later record of the same key replaces its columns; a tombstone deletes the row.
    await reader.kafka.produce(topic, [{ key: 'o1', value: order('order 1, amended', 42), headers: { origin: 'e2e' } }, { key: 'o2', value: null }]);
    await eventually(
      async () => {
        const amended = (await cql.execute(`SELECT name, amount FROM ${keyspace}.orders WHERE id = 'o1'`)).first();
        const deleted = (await cql.execute(`SELECT id FROM ${keyspace}.orders WHERE id = 'o2'`)).rowLength === 0;
        return amended?.get('name') === 'order 1, amended' && amended.get('amount') === 42n && deleted;
      },
      { what: 'o1 updated and o2 deleted', timeoutMs: 60_000 },
    );
    expect(await count('orders')).toBe(RECORDS - 1);
  }, 360_000);

  it('maps JSON map keys and values to two tables, with TTLs from a field and from the settings, and the write time from a field', async () => {
    const topic = uniqueName('cassandra-readings');
    await createTopics(reader.kafka, [topic], 1);
    const name = uniqueName('cassandra-readings-sink');
    connectors.push(name);
    const created = await rest(host.url, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'CassandraSinkConnector',
        topics: topic,
        ...connection,
        [`topic.${topic}.${keyspace}.readings.mapping`]: 'sensor=key.sensor, ts=value.ts, reading=value.reading, __ttl=value.hours, __timestamp=value.ts',
        [`topic.${topic}.${keyspace}.readings.ttlTimeUnit`]: 'HOURS',
        [`topic.${topic}.${keyspace}.readings.timestampTimeUnit`]: 'MILLISECONDS',
        [`topic.${topic}.${keyspace}.latest.mapping`]: 'sensor=key.sensor, reading=value.reading',
        [`topic.${topic}.${keyspace}.latest.ttl`]: '600',
        [`topic.${topic}.${keyspace}.latest.consistencyLevel`]: 'ONE',
        'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'key.converter.schemas.enable': 'false',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'false',
      },
    });
    expect(created.status).toBe(201);
    const ts = Date.parse('2026-02-03T04:05:06Z');
    await reader.kafka.produce(topic, [{ key: JSON.stringify({ sensor: 's1' }), value: JSON.stringify({ ts, reading: 21.5, hours: 2 }) }]);
    const row = await eventually(async () => (await cql.execute(`SELECT reading, TTL(reading) AS ttl, WRITETIME(reading) AS written FROM ${keyspace}.readings WHERE sensor = 's1' AND ts = ?`, [BigInt(ts)], { prepare: true })).first(), {
      what: 'the reading row',
      timeoutMs: 60_000,
    });
    expect(row.get('reading')).toBe(21.5);
    // 2 hours, counted down from 7,200 s since the write.
    expect(row.get('ttl')).toBeGreaterThan(7_000);
    expect(row.get('ttl')).toBeLessThanOrEqual(7_200);
    expect(row.get('written')).toBe(BigInt(ts) * 1000n);
    const latest = await eventually(async () => (await cql.execute(`SELECT reading, TTL(reading) AS ttl FROM ${keyspace}.latest WHERE sensor = 's1'`)).first(), { what: 'the latest row', timeoutMs: 60_000 });
    expect(latest.get('reading')).toBe(21.5);
    expect(latest.get('ttl')).toBeGreaterThan(500);
    expect(latest.get('ttl')).toBeLessThanOrEqual(600);
  }, 120_000);

  it('validate names the key at fault: unreachable node, wrong password, missing keyspace, table, column or primary key, unmapped topic', async () => {
    const deadPort = await freePort();
    const mappingKey = `topic.t.${keyspace}.orders.mapping`;
    const base: Record<string, string> = { 'connector.class': 'CassandraSinkConnector', name: 'v', topics: 't', ...connection, [mappingKey]: 'id=key, name=value.name' };
    const validate = async (config: Record<string, string>) => (await rest<ValidateResult>(host.url, 'PUT', '/connector-plugins/CassandraSinkConnector/config/validate', config)).body;
    expect((await validate(base)).error_count).toBe(0);
    expect(errorsOf(await validate({ ...base, contactPoints: `127.0.0.1:${deadPort}` }), 'contactPoints').join()).toMatch(/Cannot reach Cassandra.*ECONNREFUSED/);
    const wrong = await validate({ ...base, 'auth.password': 'not-the-password' });
    expect(errorsOf(wrong, 'auth.password').join()).toMatch(/refused the credentials of user "cassandra"/);
    expect(JSON.stringify(wrong)).not.toContain('not-the-password');
    expect(errorsOf(await validate({ ...base, 'auth.provider': 'None' }), 'auth.provider').join()).toMatch(/requires authentication/);
    expect(errorsOf(await validate({ ...base, 'loadBalancing.localDc': 'dc9' }), 'loadBalancing.localDc').join()).toMatch(/dc9/);
    const noKeyspace = `topic.t.no_such_keyspace.orders.mapping`;
    const withoutMapping = Object.fromEntries(Object.entries(base).filter(([k]) => k !== mappingKey));
    expect(errorsOf(await validate({ ...withoutMapping, [noKeyspace]: 'id=key' }), noKeyspace).join()).toMatch(/Keyspace "no_such_keyspace" does not exist/);
    const noTable = `topic.t.${keyspace}.no_such_table.mapping`;
    expect(errorsOf(await validate({ ...withoutMapping, [noTable]: 'id=key' }), noTable).join()).toMatch(/Table .*no_such_table does not exist/);
    expect(errorsOf(await validate({ ...base, [mappingKey]: 'id=key, colour=value.colour' }), mappingKey).join()).toMatch(/column "colour", which table .*orders does not have/);
    expect(errorsOf(await validate({ ...base, [mappingKey]: 'name=value.name' }), mappingKey).join()).toMatch(/Primary key column\(s\) "id" .* must be mapped/);
    expect(errorsOf(await validate({ ...base, [mappingKey]: 'id key' }), mappingKey).join()).toMatch(/not of the form column=field/);
    expect(errorsOf(await validate({ ...base, topics: 't,u' }), 'topics').join()).toMatch(/Topic u has no topic\.u\.<keyspace>\.<table>\.mapping/);
    expect(errorsOf(await validate({ ...base, [`topic.t.${keyspace}.orders.consistencyLevel`]: 'MOST' }), `topic.t.${keyspace}.orders.consistencyLevel`).join()).toMatch(/valid values include/);
  });

  it('a table dropped while the connector runs ends it FAILED with the cause in its trace', async () => {
    await cql.execute(`CREATE TABLE ${keyspace}.doomed (id text PRIMARY KEY, name text)`);
    const topic = uniqueName('cassandra-doomed');
    await createTopics(reader.kafka, [topic], 1);
    const name = uniqueName('cassandra-doomed-sink');
    connectors.push(name);
    const created = await rest(host.url, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'CassandraSinkConnector',
        topics: topic,
        ...connection,
        [`topic.${topic}.${keyspace}.doomed.mapping`]: 'id=key, name=value',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'tributary.restart.policy': 'never',
      },
    });
    expect(created.status).toBe(201);
    await host.running(name);
    await cql.execute(`DROP TABLE ${keyspace}.doomed`);
    await reader.kafka.produce(topic, [{ key: 'a', value: 'b' }]);
    const trace = await eventually(
      async () => {
        const s = (await rest<{ tasks: { state: string; trace?: string }[] }>(host.url, 'GET', `/connectors/${name}/status`)).body;
        return s.tasks?.[0]?.state === 'FAILED' ? s.tasks[0].trace : undefined;
      },
      { what: `${name} to fail`, timeoutMs: 60_000 },
    );
    expect(trace).toMatch(/Cassandra\w*Error: .*doomed/);
  }, 120_000);
});
