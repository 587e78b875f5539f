/**
 * Tributary's MySQL connector and Debezium's own (3.6.1.Final, in the reference Apache Kafka
 * Connect; Debezium's separate MariaDB connector is not published at that version, and its MySQL
 * connector reads MariaDB's binlog) capture the same private MariaDB: a snapshot of rows of many types, then inserts,
 * updates, a multi-row statement, a primary key change, deletes, a table without a key and an
 * ADD COLUMN. The two topics must agree record by record on key, op, before, after and the
 * deterministic source fields (binlog file, position, row, server id, GTID and thread for
 * streamed changes), the JsonConverter schemas too; and the schema change topics on the DDL.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ApacheConnectWorker } from '../../../../host/apache-connect-launcher.ts';
import { startDebeziumConnect } from '../../../../host/debezium-connect-launcher.ts';
import { comparableEvent, readJsonTopic, type JsonRecord } from '../../../support/cdc-helpers.ts';
import { testKafka } from '../../../support/kafka-helpers.ts';
import { uniqueName } from '../../../support/local-host-process.ts';
import { eventually, rest } from '../../../support/rest-client.ts';
import { E2eHost } from '../jdbc-e2e/e2e-support.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const [mariaHost = '127.0.0.1', mariaPort = '3306'] = inject('mariadbCdc').split(':');

const MY_SOURCE_FIELDS = { always: ['connector', 'snapshot', 'db', 'table'], streaming: ['server_id', 'gtid', 'file', 'pos', 'row', 'thread'] };

const TYPES_TABLE = `CREATE TABLE types (
  id int AUTO_INCREMENT PRIMARY KEY, name varchar(20) NOT NULL, ti tinyint, si smallint unsigned, mi mediumint, bi bigint, bu bigint unsigned,
  iu int unsigned, price decimal(10,2), f float, d double, b1 bit(1), b10 bit(10), flag boolean, dt date, dtm datetime, dtm3 datetime(3),
  dtm6 datetime(6), ts timestamp NULL, ts6 timestamp(6) NULL, tm time, tm6 time(6), yr year, ch char(3), txt text, bl blob, bin binary(3),
  vb varbinary(8), js json, en enum('a','b','c'), st set('x','y','z'))`;

const TYPES_ROW = `INSERT INTO types (name, ti, si, mi, bi, bu, iu, price, f, d, b1, b10, flag, dt, dtm, dtm3, dtm6, ts, ts6, tm, tm6, yr, ch, txt, bl, bin, vb, js, en, st) VALUES
  ('a', -5, 65000, -8000000, 9007199254740993, 18446744073709551615, 4294967295, 12.34, 1.5, 2.25, b'1', b'1000000001', true, '2024-02-29',
   '2024-02-29 12:34:56', '1999-12-31 23:59:59.5', '2024-02-29 12:34:56.789123', '2024-02-29 12:34:56', '2024-02-29 12:34:56.789123',
   '-12:34:56', '838:59:59.000001', 2024, 'ab', 'long text', X'0102ff', X'0a0b', X'00ff', '{"a": [1, 2]}', 'b', 'x,z')`;

interface SchemaChangeView {
  readonly key: unknown;
  readonly snapshot: boolean;
  readonly databaseName: unknown;
  readonly ddl: string;
  readonly source: Record<string, unknown>;
  readonly tableChanges: { type: string; id: string; table: unknown }[];
}

/** A schema change event reduced to what two correct connectors agree on. */
function schemaChange(r: JsonRecord, prefix: string): SchemaChangeView {
  const p = (r.value as { payload: { source: Record<string, unknown>; databaseName: unknown; ddl: string; tableChanges: SchemaChangeView['tableChanges'] } }).payload;
  const snapshot = p.source.snapshot !== 'false';
  const source = Object.fromEntries((snapshot ? MY_SOURCE_FIELDS.always.filter((f) => f !== 'snapshot') : [...MY_SOURCE_FIELDS.always, ...MY_SOURCE_FIELDS.streaming]).map((f) => [f, p.source[f]]));
  return { key: (r.key as { payload: unknown }).payload, snapshot, databaseName: p.databaseName, ddl: p.ddl.replaceAll(prefix, 'PREFIX'), source, tableChanges: p.tableChanges };
}

describe('Tributary and Debezium capture the same MariaDB changes', () => {
  const host = new E2eHost(kafkaBootstrap, dynamoEndpoint);
  const kafka = testKafka(kafkaBootstrap);
  const work = mkdtempSync(join(tmpdir(), 'tributary-dbz-my-'));
  const database = `cmp_${randomBytes(4).toString('hex')}`;
  let debezium: ApacheConnectWorker | undefined;
  let db: mysql.Connection;

  const config = (prefix: string, serverId: number, extra: Record<string, string> = {}) => ({
    'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
    'database.hostname': mariaHost,
    'database.port': mariaPort,
    'database.user': 'cdc',
    'database.password': 'cdc',
    'database.server.id': String(serverId),
    'database.include.list': database,
    'topic.prefix': prefix,
    'schema.history.internal.kafka.bootstrap.servers': kafkaBootstrap,
    'schema.history.internal.kafka.topic': `${prefix}-history`,
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    ...extra,
  });

  beforeAll(async () => {
    db = await mysql.createConnection({ host: mariaHost, port: Number(mariaPort), user: 'cdc', password: 'cdc', multipleStatements: true });
    await db.query(`CREATE DATABASE ${database}`);
    await db.query(`USE ${database}`);
    await db.query(TYPES_TABLE);
    await db.query(TYPES_ROW);
    await db.query(`INSERT INTO types (name, ti) VALUES ('sparse', 1)`);
    await db.query(`CREATE TABLE pairs (k1 int, k2 varchar(8), v varchar(20), PRIMARY KEY (k1, k2))`);
    await db.query(`INSERT INTO pairs VALUES (1, 'x', 'one'), (2, 'y', 'two')`);
    await db.query(`CREATE TABLE nokey (a int, b varchar(8))`);
    await Promise.all([host.start(), startDebeziumConnect({ bootstrapServers: kafkaBootstrap, workDir: work }).then((w) => (debezium = w))]);
  }, 300_000);

  afterAll(async () => {
    await host.close();
    await debezium?.stop();
    await kafka.close();
    await db?.query(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    await db?.end();
    rmSync(work, { recursive: true, force: true });
  });

  it('agrees record by record on key, op, before, after, source, schemas and schema changes', async () => {
    const id = uniqueName('cmp').replace(/-/g, '_');
    const ours = `trb_${id}`;
    const theirs = `dbz_${id}`;
    for (const [url, name, serverId] of [[host.url, ours, 5601], [debezium!.restUrl, theirs, 5602]] as const) {
      const created = await rest(url, 'POST', '/connectors', { name, config: config(name, serverId) });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    const tables = ['types', 'pairs', 'nokey'] as const;
    const read = async (prefix: string) => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await readJsonTopic(kafka, `${prefix}.${database}.${t}`)] as const)));
    const countAll = async (prefix: string) => Object.values(await read(prefix)).reduce((n, r) => n + r.length, 0);
    // Both snapshots done (4 rows; nokey is empty) before any change, so both stream the same changes.
    await eventually(async () => (await countAll(ours)) >= 4 && (await countAll(theirs)) >= 4, { what: 'both snapshots', timeoutMs: 240_000, intervalMs: 1000 });
    // Debezium's reader connects after its snapshot: wait until both replicas are attached to the binlog.
    await eventually(async () => (await db.query<mysql.RowDataPacket[]>(`SHOW PROCESSLIST`))[0].filter((r) => /Binlog Dump/i.test(String(r.Command))).length >= 2, { what: 'both binlog readers', timeoutMs: 120_000, intervalMs: 500 });

    await db.query(`INSERT INTO types (name, ti, price, js) VALUES ('b', 1, 0.5, '[]')`);
    await db.query(`UPDATE types SET ti = 2, price = 99.99, st = '' WHERE name = 'b'`);
    await db.query(`START TRANSACTION; UPDATE types SET flag = false, dtm6 = '2000-01-01 00:00:00.000001' WHERE name = 'a'; DELETE FROM types WHERE name = 'sparse'; COMMIT`);
    await db.query(`UPDATE pairs SET v = 'uno' WHERE k1 = 1`);
    await db.query(`UPDATE pairs SET k2 = 'z' WHERE k1 = 1`);
    await db.query(`DELETE FROM pairs WHERE k1 = 2`);
    await db.query(`INSERT INTO pairs VALUES (3, 'p', 'three'), (4, 'q', 'four')`);
    await db.query(`ALTER TABLE types ADD COLUMN extra varchar(10) DEFAULT 'dflt'`);
    await db.query(`INSERT INTO types (name, extra) VALUES ('c', 'e')`);
    await db.query(`DELETE FROM types WHERE name = 'c'`);
    await db.query(`INSERT INTO nokey VALUES (1, 'one')`);
    await db.query(`UPDATE nokey SET b = 'uno'`);

    // types: 2 read, c, u, u, d + tombstone, c, d + tombstone; pairs: 2 read, u, key change (d + tombstone + c), d + tombstone, c, c.
    const expected = { types: 2 + 1 + 1 + 1 + 2 + 1 + 2, pairs: 2 + 1 + 3 + 2 + 2, nokey: 2 };
    const settled = async (prefix: string) => {
      const r = await read(prefix);
      return tables.every((t) => (r[t]?.length ?? 0) >= expected[t]) ? r : undefined;
    };
    const mine = await eventually(() => settled(ours), { what: 'Tributary to capture every change', timeoutMs: 120_000, intervalMs: 1000 });
    const reference = await eventually(() => settled(theirs), { what: 'Debezium to capture every change', timeoutMs: 120_000, intervalMs: 1000 });
    let compared = 0;
    for (const table of tables) {
      const a = (mine[table] as JsonRecord[]).map((r) => comparableEvent(r, MY_SOURCE_FIELDS));
      const b = (reference[table] as JsonRecord[]).map((r) => comparableEvent(r, MY_SOURCE_FIELDS));
      expect({ table, events: a }).toEqual({ table, events: b });
      compared += a.length;
    }
    // Schemas as JsonConverter renders them agree too (names carry the prefix), before and after the ADD COLUMN.
    const schemaOf = (r: JsonRecord | undefined, prefix: string) => JSON.parse(JSON.stringify((r?.value as { schema: unknown }).schema).replaceAll(prefix, 'PREFIX'));
    const values = (out: Record<string, JsonRecord[]>) => (out.types ?? []).filter((r) => r.value !== null);
    expect(schemaOf(values(mine).at(0), ours)).toEqual(schemaOf(values(reference).at(0), theirs));
    expect(schemaOf(values(mine).at(-1), ours)).toEqual(schemaOf(values(reference).at(-1), theirs));
    const keySchema = (r: JsonRecord | undefined, prefix: string) => JSON.parse(JSON.stringify((r?.key as { schema: unknown }).schema).replaceAll(prefix, 'PREFIX'));
    expect(keySchema(mine.pairs?.at(0), ours)).toEqual(keySchema(reference.pairs?.at(0), theirs));

    // The schema change topics: each snapshot's CREATE TABLE of the captured tables, then the streamed ALTER TABLE.
    const [myTopic, theirTopic] = [await readJsonTopic(kafka, ours), await readJsonTopic(kafka, theirs)];
    const [myChanges, theirChanges] = [myTopic.map((r) => schemaChange(r, ours)), theirTopic.map((r) => schemaChange(r, theirs))];
    const created = (list: SchemaChangeView[]) => list.filter((c) => c.snapshot && c.tableChanges.some((t) => t.type === 'CREATE')).sort((a, b) => a.ddl.localeCompare(b.ddl));
    expect(created(myChanges)).toEqual(created(theirChanges));
    expect(created(myChanges).map((c) => c.tableChanges[0]?.id)).toEqual(tables.map((t) => `"${database}"."${t}"`).sort());
    const streamed = (list: SchemaChangeView[]) => list.filter((c) => !c.snapshot);
    expect(streamed(myChanges)).toEqual(streamed(theirChanges));
    expect(streamed(myChanges).map((c) => c.ddl)).toEqual([`ALTER TABLE types ADD COLUMN extra varchar(10) DEFAULT 'dflt'`]);
    expect(schemaOf(myTopic.at(-1), ours)).toEqual(schemaOf(theirTopic.at(-1), theirs));
    expect(keySchema(myTopic.at(-1), ours)).toEqual(keySchema(theirTopic.at(-1), theirs));
    console.log(`${compared} change records and ${created(myChanges).length + streamed(myChanges).length} schema change records compared with Debezium's`);
  }, 600_000);
});
