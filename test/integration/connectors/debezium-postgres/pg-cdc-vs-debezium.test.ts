/**
 * Tributary's PostgreSQL connector and Debezium's own (3.6.1.Final, in the reference Apache Kafka
 * Connect) capture the same database: a snapshot of rows of many types, then inserts, updates
 * (with and without REPLICA IDENTITY FULL), a primary key change, deletes and an ADD COLUMN.
 * The two topics must agree record by record on key, op, before, after and the deterministic
 * source fields (LSN and transaction id included for streamed changes).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testKafka } from '../../../support/kafka-helpers.ts';
import type { ApacheConnectWorker } from '../../../support/apache-connect.ts';
import { readJsonTopic, type JsonRecord } from '../../../support/cdc-helpers.ts';
import { startDebeziumConnect } from '../../../../host/debezium-connect-launcher.ts';
import { uniqueName } from '../../../support/local-host-process.ts';
import { eventually, rest } from '../../../support/rest-client.ts';
import { E2eHost } from '../jdbc-e2e/e2e-support.ts';
import { comparable, connectorConfig, dropDatabase, freshDatabase, type PgTarget } from './pg-cdc-support.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const postgresCdc = inject('postgresCdc');

const TYPES_TABLE = `CREATE TABLE public.types (
  id serial PRIMARY KEY, name text NOT NULL, price numeric(10,2), qty int, big bigint, small smallint, flag boolean,
  f4 real, f8 double precision, d date, ts timestamp, ts3 timestamp(3), tstz timestamptz, tm time, tmtz timetz,
  js jsonb, j json, u uuid, b bytea, arr int[], tarr text[], vc varchar(20), ch char(3), iv interval, nm numeric,
  money money, x xml, inet inet, mood mood, dom posint)`;

const TYPES_ROW = `INSERT INTO types (name, price, qty, big, small, flag, f4, f8, d, ts, ts3, tstz, tm, tmtz, js, j, u, b, arr, tarr, vc, ch, iv, nm, money, x, inet, mood, dom) VALUES
  ('a', 12.34, 5, 9007199254740993, 7, true, 1.5, 2.25, '2024-02-29', '2024-02-29 12:34:56.789123', '1999-12-31 23:59:59.5', '2024-02-29 12:34:56.789123+02',
   '12:34:56.789', '12:34:56+02', '{"a": [1, 2]}', '{"b": 2}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\\x0102ff', '{1,NULL,3}', '{"x","y z"}', 'vc', 'ab',
   '1 year 2 mons 3 days 04:05:06.5', 123.456, 12.5, '<a/>', '10.0.0.1', 'happy', 42)`;

describe('Tributary and Debezium capture the same PostgreSQL changes', () => {
  const host = new E2eHost(kafkaBootstrap, dynamoEndpoint);
  const kafka = testKafka(kafkaBootstrap);
  const work = mkdtempSync(join(tmpdir(), 'tributary-dbz-'));
  let debezium: ApacheConnectWorker | undefined;
  let target: PgTarget;
  let db: pg.Client;

  beforeAll(async () => {
    ({ target, client: db } = await freshDatabase(postgresCdc));
    await db.query(`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`);
    await db.query(`CREATE DOMAIN posint AS int CHECK (VALUE > 0)`);
    await db.query(TYPES_TABLE);
    await db.query(TYPES_ROW);
    await db.query(`INSERT INTO types (name, qty) VALUES ('sparse', 1)`);
    await db.query(`CREATE TABLE public.pairs (k1 int, k2 text, v text, PRIMARY KEY (k1, k2))`);
    await db.query(`INSERT INTO pairs VALUES (1, 'x', 'one'), (2, 'y', 'two')`);
    await db.query(`CREATE TABLE public.nokey (a int, b text)`);
    await db.query(`ALTER TABLE nokey REPLICA IDENTITY FULL`);
    await Promise.all([host.start(), startDebeziumConnect({ bootstrapServers: kafkaBootstrap, workDir: work }).then((w) => (debezium = w))]);
  });

  afterAll(async () => {
    await host.close();
    await debezium?.stop();
    await kafka.close();
    await db?.end();
    if (target) await dropDatabase(postgresCdc, target.database).catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  });

  it('agrees record by record on key, op, before, after and source', async () => {
    const id = uniqueName('cmp').replace(/-/g, '_');
    const ours = `trb_${id}`;
    const theirs = `dbz_${id}`;
    const common = { 'table.include.list': 'public\\.(types|pairs|nokey)', 'publication.autocreate.mode': 'filtered', 'heartbeat.interval.ms': '0' };
    const mine = await rest(host.url, 'POST', '/connectors', {
      name: ours,
      config: connectorConfig(target, { ...common, 'topic.prefix': ours, 'slot.name': ours, 'publication.name': ours, 'offset.flush.interval.ms': '500' }),
    });
    expect(mine.status).toBe(201);
    const ref = await rest(debezium!.restUrl, 'POST', '/connectors', {
      name: theirs,
      config: connectorConfig(target, { ...common, 'topic.prefix': theirs, 'slot.name': theirs, 'publication.name': theirs }),
    });
    expect(ref.status).toBe(201);
    const topics = (prefix: string) => ['types', 'pairs'].map((t) => `${prefix}.public.${t}`);
    const countAll = async (prefix: string) => (await Promise.all(topics(prefix).map((t) => readJsonTopic(kafka, t)))).reduce((n, r) => n + r.length, 0);
    const statuses = async () => JSON.stringify([(await rest(host.url, 'GET', `/connectors/${ours}/status`)).body, (await rest(debezium!.restUrl, 'GET', `/connectors/${theirs}/status`)).body]);
    const progress = setInterval(() => void statuses().then((s) => console.log(new Date().toISOString(), s.slice(0, 3000))), 15_000);
    // Both snapshots done (4 rows) before any change, so both stream the same changes.
    await eventually(async () => (await countAll(ours)) >= 4 && (await countAll(theirs)) >= 4, { what: 'both snapshots', timeoutMs: 180_000, intervalMs: 1000 });
    await eventually(async () => ((await db.query(`SELECT 1 FROM pg_replication_slots WHERE slot_name IN ($1, $2) AND active`, [ours, theirs])).rowCount ?? 0) === 2, { what: 'both slots streaming', timeoutMs: 60_000 });

    await db.query(`INSERT INTO types (name, qty, nm) VALUES ('b', 1, 'NaN')`);
    await db.query(`UPDATE types SET qty = 2, price = 99.99, tarr = '{}' WHERE name = 'b'`);
    await db.query(`BEGIN; UPDATE types SET flag = false WHERE name = 'a'; DELETE FROM types WHERE name = 'sparse'; COMMIT`);
    await db.query(`ALTER TABLE pairs REPLICA IDENTITY FULL`);
    await db.query(`UPDATE pairs SET v = 'uno' WHERE k1 = 1`);
    await db.query(`UPDATE pairs SET k2 = 'z' WHERE k1 = 1`);
    await db.query(`DELETE FROM pairs WHERE k1 = 2`);
    await db.query(`ALTER TABLE types ADD COLUMN extra text DEFAULT 'dflt'`);
    await db.query(`INSERT INTO types (name, extra) VALUES ('c', 'e')`);
    await db.query(`DELETE FROM types WHERE name = 'c'`);
    await db.query(`INSERT INTO nokey VALUES (1, 'one')`);
    await db.query(`UPDATE nokey SET b = 'uno'`);

    // types: 2 read, c, u, u, d + tombstone, c, d + tombstone; pairs: 2 read, u, key change (d + tombstone + c), d + tombstone.
    const expectedPerTopic = { types: 2 + 1 + 1 + 1 + 2 + 1 + 2, pairs: 2 + 1 + 3 + 2 };
    const read = async (prefix: string) => Object.fromEntries(await Promise.all(['types', 'pairs', 'nokey'].map(async (t) => [t, await readJsonTopic(kafka, `${prefix}.public.${t}`)] as const)));
    const settled = async (prefix: string) => {
      const r = await read(prefix);
      return (r.types?.length ?? 0) >= expectedPerTopic.types && (r.pairs?.length ?? 0) >= expectedPerTopic.pairs && (r.nokey?.length ?? 0) >= 2 ? r : undefined;
    };
    const mineOut = await eventually(() => settled(ours), { what: 'Tributary to capture every change', timeoutMs: 120_000, intervalMs: 1000 });
    const theirsOut = await eventually(() => settled(theirs), { what: 'Debezium to capture every change', timeoutMs: 120_000, intervalMs: 1000 });
    clearInterval(progress);
    for (const table of ['types', 'pairs', 'nokey'] as const) {
      const a = (mineOut[table] as JsonRecord[]).map(comparable);
      const b = (theirsOut[table] as JsonRecord[]).map(comparable);
      expect({ table, events: a }).toEqual({ table, events: b });
    }
    // Schemas as JsonConverter renders them agree too (the source block's `name` is the prefix).
    const schemaOf = (r: JsonRecord | undefined, prefix: string) => JSON.parse(JSON.stringify((r?.value as { schema: unknown }).schema).replaceAll(prefix, 'PREFIX'));
    const lastTypes = (out: Record<string, JsonRecord[]>) => out.types?.filter((r) => r.value !== null).at(-1);
    expect(schemaOf(lastTypes(mineOut), ours)).toEqual(schemaOf(lastTypes(theirsOut), theirs));
  }, 480_000);
});
