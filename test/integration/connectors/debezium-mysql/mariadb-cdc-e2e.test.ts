/**
 * The Debezium-compatible MySQL/MariaDB source end to end through the local host on a private
 * MariaDB with a ROW binlog: a snapshot, then streaming while the runner is SIGKILLed twice, with
 * every change in Kafka afterwards; validate names a missing privilege, a missing table and a
 * binlog that is not ROW, and nothing is stored.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testKafka } from '../../../support/kafka-helpers.ts';
import { readJsonTopic } from '../../../support/cdc-helpers.ts';
import { runnerPid } from '../../../support/fault-helpers.ts';
import { freePort, uniqueName } from '../../../support/local-host-process.ts';
import { eventually, rest } from '../../../support/rest-client.ts';
import { startMariaDbCdc } from '../../../../host/mariadb-cdc-launcher.ts';
import { E2eHost } from '../jdbc-e2e/e2e-support.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const [mariaHost = '127.0.0.1', mariaPort = '3306'] = inject('mariadbCdc').split(':');
const INITIAL_ROWS = 500;
const ROUNDS = 40;

interface Payload {
  op: string;
  before: { id: number; n: number } | null;
  after: { id: number; n: number } | null;
  source: { file: string; pos: number; row: number; gtid: string | null };
}

describe('Debezium MySQL connector on MariaDB through the local host', () => {
  const host = new E2eHost(kafkaBootstrap, dynamoEndpoint);
  const kafka = testKafka(kafkaBootstrap);
  const database = `cdc_${randomBytes(4).toString('hex')}`;
  let db: mysql.Connection;
  const base = (extra: Record<string, string>) => ({
    'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
    'database.hostname': mariaHost,
    'database.port': mariaPort,
    'database.user': 'cdc',
    'database.password': 'cdc',
    'database.include.list': database,
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    ...extra,
  });

  beforeAll(async () => {
    db = await mysql.createConnection({ host: mariaHost, port: Number(mariaPort), user: 'cdc', password: 'cdc', multipleStatements: true });
    await db.query(`CREATE DATABASE ${database}`);
    await db.query(`CREATE TABLE ${database}.items (id int PRIMARY KEY, n int NOT NULL, note varchar(40))`);
    const values = Array.from({ length: INITIAL_ROWS }, (_, i) => `(${i + 1}, 0, 'row ${i + 1}')`).join(',');
    await db.query(`INSERT INTO ${database}.items VALUES ${values}`);
    await host.start();
  });

  afterAll(async () => {
    await host.close();
    await kafka.close();
    await db?.query(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    await db?.end();
  });

  it('snapshots, then streams through two SIGKILLs of its runner with no change lost', async () => {
    const name = uniqueName('maria-cdc');
    const prefix = name.replace(/-/g, '_');
    const created = await rest(host.url, 'POST', '/connectors', { name, config: base({ 'topic.prefix': prefix, 'offset.flush.interval.ms': '500', 'tributary.restart.max.per.hour': '100' }) });
    expect(created.status).toBe(201);
    const topic = `${prefix}.${database}.items`;
    await eventually(async () => (await readJsonTopic(kafka, topic)).length >= INITIAL_ROWS, { what: 'the snapshot in Kafka', timeoutMs: 120_000, intervalMs: 500 });

    const expected = new Map<number, string[]>();
    const note = (id: number, e: string) => expected.set(id, [...(expected.get(id) ?? []), e]);
    const values = new Map<number, number>();
    for (let i = 1; i <= INITIAL_ROWS; i++) values.set(i, 0);
    let nextId = INITIAL_ROWS + 1;
    const killAt = new Set([Math.floor(ROUNDS / 3), Math.floor((2 * ROUNDS) / 3)]);
    let kills = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const statements: string[] = [];
      for (let k = 0; k < 5; k++) {
        const id = nextId++;
        statements.push(`INSERT INTO ${database}.items VALUES (${id}, 1, 'new')`);
        values.set(id, 1);
        note(id, 'c:1');
      }
      const live = [...values.keys()];
      for (let k = 0; k < 5; k++) {
        const id = live[(round * 37 + k * 101) % live.length] as number;
        if (!values.has(id)) continue;
        const n = (values.get(id) ?? 0) + 1;
        statements.push(`UPDATE ${database}.items SET n = ${n} WHERE id = ${id}`);
        values.set(id, n);
        note(id, `u:${n}`);
      }
      const victim = live[(round * 53) % live.length] as number;
      if (values.has(victim)) {
        statements.push(`DELETE FROM ${database}.items WHERE id = ${victim}`);
        values.delete(victim);
        note(victim, 'd');
      }
      await db.query(`START TRANSACTION; ${statements.join('; ')}; COMMIT`);
      if (killAt.has(round)) {
        process.kill(await runnerPid(host.url, name, 0, { intervalMs: 250 }), 'SIGKILL');
        kills++;
      }
      await new Promise((r) => setTimeout(r, 30));
    }
    expect(kills).toBe(2);
    const changes = [...expected.values()].reduce((n, l) => n + l.length, 0);
    const seen = await eventually(
      async () => {
        const records = await readJsonTopic(kafka, topic);
        const unique = new Map<string, Payload>();
        for (const r of records) {
          const p = (r.value as { payload: Payload } | null)?.payload;
          if (!p || p.op === 'r') continue;
          unique.set(`${p.source.gtid}:${p.op}:${(p.after ?? p.before)?.id}`, p);
        }
        return unique.size >= changes ? { records, unique } : undefined;
      },
      { what: `${changes} changes in Kafka`, timeoutMs: 180_000, intervalMs: 1000 },
    );
    const got = new Map<number, string[]>();
    for (const p of seen.unique.values()) {
      const row = (p.after ?? p.before) as { id: number };
      got.set(row.id, [...(got.get(row.id) ?? []), p.op === 'd' ? 'd' : `${p.op}:${p.after?.n}`]);
    }
    const streamed = seen.records.filter((r) => r.value !== null && (r.value as { payload: Payload }).payload.op !== 'r').length;
    console.log(`${changes} changes with ${kills} kills: ${streamed} change records in Kafka, ${streamed - seen.unique.size} of them replays`);
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));
    await rest(host.url, 'DELETE', `/connectors/${name}`);
  });

  it('names the problem in validate and stores nothing: no replication privilege, missing table, binlog not ROW', async () => {
    const cls = 'io.debezium.connector.mariadb.MariaDbConnector';
    const errorsOf = async (url: string, config: Record<string, string>) => {
      const r = await rest<{ configs: { value: { name: string; errors: string[] } }[] }>(url, 'PUT', `/connector-plugins/${cls}/config/validate`, config);
      expect(r.status).toBe(200);
      return Object.fromEntries(r.body.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors.join(' ')]));
    };
    const plain = `plain_${randomBytes(3).toString('hex')}`;
    await db.query(`CREATE USER '${plain}'@'%' IDENTIFIED BY 'plain'`);
    await db.query(`GRANT SELECT ON *.* TO '${plain}'@'%'`);
    const config = base({ 'topic.prefix': 'v', name: 'v' });
    expect(await errorsOf(host.url, config)).toEqual({});
    expect((await errorsOf(host.url, { ...config, 'database.password': 'wrong' }))['database.user']).toMatch(/Access denied/);
    expect((await errorsOf(host.url, { ...config, 'database.user': plain, 'database.password': 'plain' }))['database.user']).toMatch(/REPLICATION SLAVE/);
    expect((await errorsOf(host.url, { ...config, 'table.include.list': `${database}.nope` }))['table.include.list']).toMatch(/No table matches/);
    const statement = await startMariaDbCdc({ port: await freePort(), binlogFormat: 'STATEMENT' });
    try {
      const errs = await errorsOf(host.url, { ...config, 'database.hostname': statement.host, 'database.port': String(statement.port), 'database.include.list': '' });
      expect(errs['database.hostname']).toMatch(/ROW binlog_format/);
    } finally {
      await statement.stop();
    }
    const name = uniqueName('maria-bad');
    const created = await rest<{ message: string }>(host.url, 'POST', '/connectors', { name, config: { ...config, name, 'database.user': plain, 'database.password': 'plain' } });
    expect(created.status).toBe(400);
    expect((await rest(host.url, 'GET', `/connectors/${name}`)).status).toBe(404);
  });
});
