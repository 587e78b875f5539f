/**
 * The Debezium-compatible PostgreSQL source end to end through the local host (REST → state
 * machine → runner processes → Kafka) on a private PostgreSQL with wal_level=logical: a snapshot,
 * then streaming while the runner is SIGKILLed twice, with every change in Kafka afterwards; the
 * slot's confirmed position never ahead of what Kafka committed; bad input named by validate with
 * nothing stored; a runtime problem ends FAILED with a trace that says what to fix.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testKafka } from '../../../support/kafka-helpers.ts';
import { readJsonTopic } from '../../../support/cdc-helpers.ts';
import { runnerPid } from '../../../support/fault-helpers.ts';
import { uniqueName } from '../../../support/local-host-process.ts';
import { eventually, rest } from '../../../support/rest-client.ts';
import { E2eHost, type ConnectorStatus } from '../jdbc-e2e/e2e-support.ts';
import { connectorConfig, dropDatabase, freshDatabase, type PgTarget } from './pg-cdc-support.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const postgresCdc = inject('postgresCdc');
const INITIAL_ROWS = 1000;
const ROUNDS = 60;

interface Payload {
  op: string;
  before: { id: number; n: number } | null;
  after: { id: number; n: number } | null;
  source: { lsn: number; txId: number; snapshot: string };
}

describe('Debezium PostgreSQL connector through the local host', () => {
  const host = new E2eHost(kafkaBootstrap, dynamoEndpoint);
  const kafka = testKafka(kafkaBootstrap);
  let target: PgTarget;
  let db: pg.Client;
  const connectors: string[] = [];

  beforeAll(async () => {
    ({ target, client: db } = await freshDatabase(postgresCdc));
    await db.query('CREATE TABLE items (id int PRIMARY KEY, n int NOT NULL, note text)');
    await db.query(`INSERT INTO items SELECT i, 0, 'row ' || i FROM generate_series(1, ${INITIAL_ROWS}) AS i`);
    await host.start();
  });

  afterAll(async () => {
    await host.deleteConnectors(...connectors);
    await host.close();
    await kafka.close();
    await db?.end();
    if (target) await dropDatabase(postgresCdc, target.database).catch(() => undefined);
  });

  it('snapshots, then streams through two SIGKILLs of its runner with no change lost, and confirms the slot only up to the Kafka commit', async () => {
    const name = uniqueName('pg-cdc');
    const prefix = name.replace(/-/g, '_');
    const slot = `slot_${prefix}`;
    connectors.push(name);
    const created = await rest(host.url, 'POST', '/connectors', {
      name,
      config: connectorConfig(target, { 'topic.prefix': prefix, 'slot.name': slot, 'publication.name': `pub_${prefix}`, 'table.include.list': 'public.items', 'offset.flush.interval.ms': '500', 'tributary.restart.max.per.hour': '100' }),
    });
    expect(created.status).toBe(201);
    const topic = `${prefix}.public.items`;
    await eventually(async () => (await readJsonTopic(kafka, topic)).length >= INITIAL_ROWS, { what: 'the snapshot in Kafka', timeoutMs: 120_000, intervalMs: 500 });

    // Changes in transactions, the runner killed twice meanwhile; what each key must go through is noted.
    const expected = new Map<number, string[]>();
    const note = (id: number, e: string) => expected.set(id, [...(expected.get(id) ?? []), e]);
    const values = new Map<number, number>();
    for (let i = 1; i <= INITIAL_ROWS; i++) values.set(i, 0);
    let nextId = INITIAL_ROWS + 1;
    const killAt = new Set([Math.floor(ROUNDS / 3), Math.floor((2 * ROUNDS) / 3)]);
    let kills = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await db.query('BEGIN');
      for (let k = 0; k < 10; k++) {
        const id = nextId++;
        await db.query('INSERT INTO items VALUES ($1, 1, $2)', [id, `new ${id}`]);
        values.set(id, 1);
        note(id, 'c:1');
      }
      const live = [...values.keys()];
      for (let k = 0; k < 10; k++) {
        const id = live[(round * 37 + k * 101) % live.length] as number;
        if (!values.has(id)) continue;
        const n = (values.get(id) ?? 0) + 1;
        await db.query('UPDATE items SET n = $2 WHERE id = $1', [id, n]);
        values.set(id, n);
        note(id, `u:${n}`);
      }
      const victim = live[(round * 53) % live.length] as number;
      if (values.has(victim)) {
        await db.query('DELETE FROM items WHERE id = $1', [victim]);
        values.delete(victim);
        note(victim, 'd');
      }
      await db.query('COMMIT');
      if (killAt.has(round)) {
        process.kill(await runnerPid(host.url, name, 0, { intervalMs: 250 }), 'SIGKILL');
        kills++;
      }
      await new Promise((r) => setTimeout(r, 30));
    }
    expect(kills).toBe(2);
    const changes = [...expected.values()].reduce((n, l) => n + l.length, 0);

    // Every change arrives; duplicates (replays after a kill) are the same event at the same LSN.
    const seen = await eventually(
      async () => {
        const records = await readJsonTopic(kafka, topic);
        const unique = new Map<string, Payload>();
        for (const r of records) {
          const p = (r.value as { payload: Payload } | null)?.payload;
          if (!p || p.op === 'r') continue;
          const id = (p.after ?? p.before)?.id;
          unique.set(`${p.source.lsn}:${p.op}:${id}`, p);
        }
        return unique.size >= changes ? { records, unique } : undefined;
      },
      { what: `${changes} changes in Kafka`, timeoutMs: 180_000, intervalMs: 1000 },
    );
    const got = new Map<number, string[]>();
    for (const p of [...seen.unique.values()].sort((a, b) => a.source.lsn - b.source.lsn)) {
      const row = (p.after ?? p.before) as { id: number; n: number };
      got.set(row.id, [...(got.get(row.id) ?? []), p.op === 'd' ? 'd' : `${p.op}:${p.after?.n}`]);
    }
    const streamed = seen.records.filter((r) => (r.value as { payload: Payload } | null)?.payload.op !== 'r' && r.value !== null).length;
    console.log(`${changes} changes with ${kills} kills: ${streamed} change records in Kafka, ${streamed - seen.unique.size} of them replays`);
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));
    // Deletes are followed by tombstones; the snapshot is complete.
    const tombstones = seen.records.filter((r) => r.value === null).length;
    expect(tombstones).toBeGreaterThanOrEqual([...expected.values()].flat().filter((e) => e === 'd').length);
    const snapshotIds = new Set(seen.records.filter((r) => (r.value as { payload: Payload } | null)?.payload.op === 'r').map((r) => (r.value as { payload: Payload }).payload.after?.id));
    expect(snapshotIds.size).toBe(INITIAL_ROWS);

    // The slot follows the committed offsets, never ahead of them.
    const { offset, confirmed } = await eventually(
      async () => {
        const offsets = (await rest<{ offsets: { partition: { server: string }; offset: { lsn_commit?: number } }[] }>(host.url, 'GET', `/connectors/${name}/offsets`)).body.offsets;
        const o = offsets.find((x) => x.partition.server === prefix)?.offset;
        const row = (await db.query<{ lsn: string }>(`SELECT (confirmed_flush_lsn - '0/0')::text AS lsn FROM pg_replication_slots WHERE slot_name = $1`, [slot])).rows[0];
        const c = Number(row?.lsn ?? 0);
        return o?.lsn_commit && c > 0 && c === o.lsn_commit ? { offset: o, confirmed: c } : undefined;
      },
      { what: 'the slot confirmed at the committed offset', timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(confirmed).toBeLessThanOrEqual(offset.lsn_commit ?? 0);
  });

  it('names the problem in validate and stores nothing: wrong password, no REPLICATION privilege, missing table, unknown values', async () => {
    await db.query(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cdc_plain') THEN CREATE ROLE cdc_plain LOGIN PASSWORD 'plain'; END IF; END $$`);
    const cls = 'io.debezium.connector.postgresql.PostgresConnector';
    const errorsOf = async (config: Record<string, string>) => {
      const r = await rest<{ configs: { value: { name: string; errors: string[] } }[] }>(host.url, 'PUT', `/connector-plugins/${cls}/config/validate`, config);
      expect(r.status).toBe(200);
      return Object.fromEntries(r.body.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors.join(' ')]));
    };
    const base = connectorConfig(target, { 'topic.prefix': 'validate_me', name: 'v' });
    expect(await errorsOf(base)).toEqual({});
    expect((await errorsOf({ ...base, 'database.password': 'wrong' }))['database.user']).toMatch(/password authentication failed/);
    expect((await errorsOf({ ...base, 'database.user': 'cdc_plain', 'database.password': 'plain' }))['database.user']).toMatch(/REPLICATION privilege/);
    expect((await errorsOf({ ...base, 'table.include.list': 'public.nope' }))['table.include.list']).toMatch(/No table matches public.nope/);
    const wrong = await errorsOf({ ...base, 'snapshot.mode': 'sometimes', 'plugin.name': 'decoderbufs', 'decimal.handling.mode': 'float', 'publication.autocreate.mode': 'maybe', 'topic.prefix': 'bad prefix!' });
    expect(Object.keys(wrong).sort()).toEqual(['decimal.handling.mode', 'plugin.name', 'publication.autocreate.mode', 'snapshot.mode', 'topic.prefix']);
    expect(wrong['snapshot.mode']).toMatch(/initial/);

    const name = uniqueName('pg-cdc-bad');
    const created = await rest<{ message: string }>(host.url, 'POST', '/connectors', { name, config: { ...base, name, 'database.user': 'cdc_plain', 'database.password': 'plain' } });
    expect(created.status).toBe(400);
    expect(created.body.message).toMatch(/REPLICATION/);
    expect((await rest(host.url, 'GET', `/connectors/${name}`)).status).toBe(404);
    const slots = await db.query(`SELECT 1 FROM pg_replication_slots WHERE slot_name = 'debezium'`);
    expect(slots.rowCount).toBe(0);
  });

  it('fails with a trace saying what to fix when its replication slot vanished under a committed position', async () => {
    const name = uniqueName('pg-cdc-lost');
    const prefix = name.replace(/-/g, '_');
    const slot = `slot_${prefix}`;
    connectors.push(name);
    const config = connectorConfig(target, { 'topic.prefix': prefix, 'slot.name': slot, 'publication.name': `pub_${prefix}`, 'table.include.list': 'public.items', 'offset.flush.interval.ms': '500', 'tributary.restart.policy': 'never' });
    expect((await rest(host.url, 'POST', '/connectors', { name, config })).status).toBe(201);
    await eventually(async () => ((await rest<{ offsets: unknown[] }>(host.url, 'GET', `/connectors/${name}/offsets`)).body.offsets?.length ?? 0) > 0, { what: 'a committed offset', timeoutMs: 120_000, intervalMs: 500 });
    expect((await rest(host.url, 'PUT', `/connectors/${name}/stop`)).status).toBe(204);
    await host.executionsGone(name);
    await eventually(async () => ((await db.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active`, [slot])).rowCount ?? 0) > 0, { what: 'the slot dropped', timeoutMs: 30_000 });
    expect((await rest(host.url, 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
    const failed = await eventually(
      async () => {
        const s = (await rest<ConnectorStatus>(host.url, 'GET', `/connectors/${name}/status`)).body;
        return s.tasks?.[0]?.state === 'FAILED' ? s.tasks[0] : undefined;
      },
      { what: 'the task FAILED', timeoutMs: 60_000 },
    );
    expect(failed.trace).toMatch(new RegExp(`Replication slot ${slot} does not exist`));
    expect(failed.trace).toMatch(/Reset the connector's offsets|snapshot.mode=when_needed/);
  });
});
