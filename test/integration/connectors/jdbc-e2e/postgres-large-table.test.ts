/**
 * A PostgreSQL table of 100,000 rows copied through the whole local stack (REST → runner →
 * Kafka) in timestamp+incrementing mode: no row lost, none repeated, in order; rows inserted
 * and updated while the copy runs follow it, in the order the database gave them their
 * timestamps. Size: TRIBUTARY_JDBC_E2E_ROWS (default 100,000); changes made while running:
 * TRIBUTARY_JDBC_E2E_CHANGES (default 200).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTopics } from '../../../support/kafka-helpers.ts';
import { uniqueName } from '../../../support/local-host-process.ts';
import { eventually, rest } from '../../../support/rest-client.ts';
import { openTestDb, randomTable, type TestDb } from '../jdbc/jdbc-test-support.ts';
import { decodeDecimal, E2eHost, envelope, envSize, TopicReader } from './e2e-support.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const ROWS = envSize('TRIBUTARY_JDBC_E2E_ROWS', 100_000);
const CHANGES = envSize('TRIBUTARY_JDBC_E2E_CHANGES', 200);

interface Row {
  id: number;
  name: string;
  amount: string;
  updated_at: number;
}

describe(`a PostgreSQL table of ${ROWS.toLocaleString('en')} rows through the whole stack`, () => {
  const host = new E2eHost(kafkaBootstrap, dynamoEndpoint);
  const reader = new TopicReader(kafkaBootstrap);
  const table = randomTable('e2e_big');
  const prefix = `${uniqueName('pg')}-`;
  const topic = prefix + table;
  const name = uniqueName('pg-big-source');
  let db: TestDb;
  /** The changes made while running, in the order they were committed: [id, name]. */
  const changes: [number, string][] = [];

  beforeAll(async () => {
    db = await openTestDb('postgresql');
    await db.exec(`CREATE TABLE ${db.q(table)} (id BIGINT PRIMARY KEY, name TEXT NOT NULL, amount NUMERIC(12,2) NOT NULL, updated_at TIMESTAMP(6) NOT NULL)`);
    // Timestamps in the past, rising with the id, a microsecond part on every row.
    await db.exec(
      `INSERT INTO ${db.q(table)} SELECT g, 'name-' || g, g * 1.25, TIMESTAMP '2024-01-01' + g * INTERVAL '1001 microseconds' FROM generate_series(1, ${ROWS}) g`,
    );
    // One partition, so the topic's order is the order the task produced in.
    await createTopics(reader.kafka, [topic], 1);
    await host.start();
  }, 120_000);

  afterAll(async () => {
    await reader.close();
    await host.deleteConnectors(name);
    await host.close();
    await db?.drop(table);
    await db?.close();
  });

  it('copies the table while rows are inserted and updated', async () => {
    const started = performance.now();
    const created = await rest(host.url, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'JdbcSource',
        'connection.url': db.url,
        mode: 'timestamp+incrementing',
        'incrementing.column.name': 'id',
        'timestamp.column.name': 'updated_at',
        'table.whitelist': table,
        'topic.prefix': prefix,
        'poll.interval.ms': '500',
      },
    });
    expect(created.status).toBe(201);

    await reader.atLeast(topic, 1);
    const firstRow = performance.now();
    // Once a tenth of the table is in Kafka, change rows one statement at a time: new rows,
    // and updates of rows already copied. Each gets the database clock as its timestamp.
    await reader.atLeast(topic, Math.ceil(ROWS / 10));
    for (let i = 0; i < CHANGES; i++) {
      if (i % 2 === 0) {
        const id = ROWS + 1 + i / 2;
        await db.exec(`INSERT INTO ${db.q(table)} VALUES ($1, $2, 1.00, clock_timestamp()::timestamp)`, [id, `inserted-${i}`]);
        changes.push([id, `inserted-${i}`]);
      } else {
        const id = 1 + ((i * 7) % Math.ceil(ROWS / 20));
        await db.exec(`UPDATE ${db.q(table)} SET name = $2, amount = amount + 1, updated_at = clock_timestamp()::timestamp WHERE id = $1`, [id, `updated-${i}`]);
        changes.push([id, `updated-${i}`]);
      }
    }
    const copiedWhenChangesEnded = await reader.count(topic);

    await reader.atLeast(topic, ROWS, 150_000);
    const copied = performance.now();
    const seconds = (copied - started) / 1000;
    const streaming = (copied - firstRow) / 1000;
    await reader.atLeast(topic, ROWS + CHANGES, 60_000);
    console.info(
      `PostgreSQL → Kafka through the local stack: ${ROWS} rows in ${seconds.toFixed(1)} s from POST = ${Math.round(ROWS / seconds)} rows/s; ` +
        `first row after ${((firstRow - started) / 1000).toFixed(1)} s, then ${Math.round(ROWS / streaming)} rows/s ` +
        `(changes made while ${Math.ceil(ROWS / 10)}..${copiedWhenChangesEnded} rows were copied)`,
    );
    expect(copiedWhenChangesEnded).toBeLessThan(ROWS);
  });

  it('the topic holds every row once, in order, then every change once, in commit order', async () => {
    expect(await reader.settled(topic, 2000)).toBe(ROWS + CHANGES);
    const rows = (await reader.snapshot(topic)).map((m) => envelope<Row>(m.value).payload);
    expect(rows).toHaveLength(ROWS + CHANGES);

    const copy = rows.slice(0, ROWS);
    expect(new Set(copy.map((r) => r.id)).size).toBe(ROWS);
    const outOfOrder = copy.findIndex((r, i) => r.id !== i + 1);
    expect(outOfOrder).toBe(-1);
    const sample = copy[ROWS - 1] as Row;
    expect({ ...sample, amount: decodeDecimal(sample.amount, 2) }).toEqual({
      id: ROWS,
      name: `name-${ROWS}`,
      amount: (ROWS * 1.25).toFixed(2),
      updated_at: Date.UTC(2024, 0, 1) + Math.floor((ROWS * 1001) / 1000),
    });

    expect(rows.slice(ROWS).map((r) => [r.id, r.name])).toEqual(changes);
    const inserted = new Set(changes.filter(([, n]) => n.startsWith('inserted')).map(([id]) => id));
    expect(new Set(rows.map((r) => r.id)).size).toBe(ROWS + inserted.size);
  });

  it('commits the offset of the last change in Confluent\'s timestamp+incrementing shape', async () => {
    const [last] = await db.rows(`SELECT id, (extract(epoch from date_trunc('milliseconds', updated_at)) * 1000)::bigint AS ms, extract(microseconds from updated_at)::bigint % 1000000 AS micros FROM ${db.q(table)} ORDER BY updated_at DESC, id DESC LIMIT 1`);
    const expected = {
      offsets: [
        {
          partition: { protocol: '1', table: `public.${table}` },
          offset: { timestamp_nanos: Number(last?.micros) * 1000, incrementing: Number(last?.id), timestamp: Number(last?.ms) },
        },
      ],
    };
    // Offsets are committed every offset.flush.interval.ms (5 s by default).
    const offsets = await eventually(
      async () => {
        const r = await rest<{ offsets: { offset: { incrementing?: number } }[] }>(host.url, 'GET', `/connectors/${name}/offsets`);
        return r.body.offsets?.[0]?.offset.incrementing === Number(last?.id) ? r.body : undefined;
      },
      { what: 'the offset of the last change', timeoutMs: 30_000 },
    );
    expect(offsets).toEqual(expected);
  });
});
