/**
 * The JDBC sink against PostgreSQL and MariaDB: idempotent upserts under redelivery,
 * auto.create, auto.evolve, deletes on tombstones, and clear errors for a missing table and
 * schemaless values.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JdbcSinkTask } from '../../../../lib/connectors/jdbc/jdbc-sink-task.ts';
import { JdbcTableNotFoundError } from '../../../../lib/connectors/jdbc/errors.ts';
import type { SinkRecord } from '../../../../lib/plugins/connect-record.ts';
import { DataError, LOGICAL, SchemaBuilder, Schemas, Struct, type Schema } from '../../../../lib/plugins/connect-schema.ts';
import { DB_KINDS, openTestDb, randomTable, sinkContext, type TestDb } from './jdbc-test-support.ts';

const decimal = new SchemaBuilder('BYTES').name(LOGICAL.decimal).version(1).parameter('scale', '2').build();
const timestamp = new SchemaBuilder('INT64').name(LOGICAL.timestamp).version(1).build();
const KEY = SchemaBuilder.struct().name('account_key').field('id', Schemas.INT64).build();
const V1 = SchemaBuilder.struct()
  .name('account')
  .field('id', Schemas.INT64)
  .field('name', Schemas.STRING)
  .field('balance', decimal)
  .field('opened', timestamp)
  .field('active', Schemas.BOOLEAN)
  .field('photo', Schemas.OPTIONAL_BYTES)
  .build();
const V2 = SchemaBuilder.struct()
  .name('account')
  .field('id', Schemas.INT64)
  .field('name', Schemas.STRING)
  .field('balance', decimal)
  .field('opened', timestamp)
  .field('active', Schemas.BOOLEAN)
  .field('photo', Schemas.OPTIONAL_BYTES)
  .field('email', Schemas.OPTIONAL_STRING)
  .field('tier', new SchemaBuilder('INT32').defaultValue(1).build())
  .build();

let offset = 0;
function record(topic: string, id: number, name: string | null, schema: Schema = V1): SinkRecord {
  const key = new Struct(KEY).put('id', id);
  let value: Struct | null = null;
  if (name !== null) {
    value = new Struct(schema)
      .put('id', id)
      .put('name', name)
      .put('balance', `${id}.50`)
      .put('opened', new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)))
      .put('active', id % 2 === 0)
      .put('photo', Buffer.from([id % 256, 1, 2]));
    if (schema === V2) value.put('email', `${name}@example.com`).put('tier', 3);
  }
  return { topic, kafkaPartition: 0, kafkaOffset: offset++, keySchema: KEY, key, valueSchema: name === null ? null : schema, value };
}

describe.each(DB_KINDS)('JDBC sink on %s', (kind) => {
  let db: TestDb;
  let table: string;
  let task: JdbcSinkTask;

  beforeEach(async () => {
    db = await openTestDb(kind);
    table = randomTable('sink');
    task = new JdbcSinkTask();
  });

  afterEach(async () => {
    await task.stop();
    await db.drop(table);
    await db.close();
  });

  const props = (extra: Record<string, string> = {}) => ({
    name: 'accounts-sink',
    'connection.url': db.url,
    'insert.mode': 'upsert',
    'pk.mode': 'record_key',
    'auto.create': 'true',
    'batch.size': '7',
    ...extra,
  });
  const start = async (extra: Record<string, string> = {}) => task.start(props(extra), sinkContext(props(extra)));
  const rows = () => db.rows(`SELECT * FROM ${db.q(table)} ORDER BY id`);

  it('upserts: every record delivered twice still gives exactly one row per key', async () => {
    await start();
    const batch = Array.from({ length: 50 }, (_, i) => record(table, i + 1, `n${i + 1}`));
    await task.put(batch);
    // Redelivery after a crash: the same records again, in other batch splits, plus an update.
    await task.put(batch.slice(0, 20));
    await task.put([...batch.slice(20), record(table, 7, 'seven')]);
    task.flush(new Map());

    const got = await rows();
    expect(got).toHaveLength(50);
    expect(new Set(got.map((r) => Number(r['id']))).size).toBe(50);
    const seven = got.find((r) => Number(r['id']) === 7);
    expect(seven?.['name']).toBe('seven');
    expect(String(seven?.['balance'])).toBe('7.50');
    expect(Buffer.from(seven?.['photo'] as Buffer)).toEqual(Buffer.from([7, 1, 2]));
    expect(String(seven?.['opened'])).toMatch(/^2024-01-02 03:04:05\.678|Tue Jan 02 2024/);
  });

  it('auto.create makes the table with the key as primary key; auto.evolve adds new optional and defaulted fields', async () => {
    await start({ 'auto.evolve': 'true' });
    await task.put([record(table, 1, 'one')]);
    await task.put([record(table, 2, 'two', V2), record(table, 1, 'one again', V2)]);
    const got = await rows();
    expect(got.map((r) => [Number(r['id']), r['name'], r['email'], Number(r['tier'])])).toEqual([
      [1, 'one again', 'one again@example.com', 3],
      [2, 'two', 'two@example.com', 3],
    ]);
    const pk =
      kind === 'postgresql'
        ? await db.rows(`SELECT a.attname AS col FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = '${table}'::regclass AND i.indisprimary`)
        : await db.rows(`SELECT column_name AS col FROM information_schema.key_column_usage WHERE table_schema = 'test' AND table_name = '${table}' AND constraint_name = 'PRIMARY'`);
    expect(pk.map((r) => r['col'])).toEqual(['id']);
  });

  it('without auto.evolve, a new field fails with a message naming the table and field', async () => {
    await start();
    await task.put([record(table, 1, 'one')]);
    await expect(task.put([record(table, 2, 'two', V2)])).rejects.toThrow(new RegExp(`Table "${table}" is missing fields \\(email, tier\\)`));
  });

  it('delete.enabled: tombstones delete the row, in order with the writes around them', async () => {
    await start({ 'delete.enabled': 'true' });
    await task.put([record(table, 1, 'one'), record(table, 2, 'two'), record(table, 3, 'three')]);
    await task.put([record(table, 2, null), record(table, 3, null), record(table, 3, 'three again'), record(table, 4, null)]);
    expect((await rows()).map((r) => [Number(r['id']), r['name']])).toEqual([
      [1, 'one'],
      [3, 'three again'],
    ]);
  });

  it('insert mode with pk.mode kafka writes the Kafka coordinates as the key', async () => {
    await start({ 'insert.mode': 'insert', 'pk.mode': 'kafka' });
    const r = record(table, 9, 'nine');
    await task.put([r]);
    const got = await rows();
    expect(got).toHaveLength(1);
    expect(got[0]?.['__connect_topic']).toBe(table);
    expect(Number(got[0]?.['__connect_offset'])).toBe(r.kafkaOffset);
  });

  it('a missing table without auto.create fails with JdbcTableNotFoundError naming it', async () => {
    await start({ 'auto.create': 'false' });
    const err = await task.put([record(table, 1, 'one')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JdbcTableNotFoundError);
    expect((err as Error).message).toBe(`Table "${table}" is missing and auto-creation is disabled (auto.create=false)`);
  });

  it('schemaless values are rejected with a DataError like Confluent\'s', async () => {
    await start();
    const schemaless: SinkRecord = { topic: table, kafkaPartition: 0, kafkaOffset: 5, keySchema: Schemas.INT64, key: 1, valueSchema: null, value: { id: 1 } };
    const err = await task.put([schemaless]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toContain('requires records with a non-null Struct value and non-null Struct schema');
    expect((err as Error).message).toContain(`(topic='${table}',partition=0,offset=5`);
  });

  it('a batch is written in one transaction: a failing record leaves no partial batch', async () => {
    await start({ 'insert.mode': 'insert' });
    await task.put([record(table, 1, 'one')]);
    const err = await task.put([record(table, 2, 'two'), record(table, 1, 'duplicate key')]).catch((e: unknown) => e);
    expect((err as Error).message).toContain(`Statement on ${table} failed`);
    expect((await rows()).map((r) => Number(r['id']))).toEqual([1]);
  });
});

describe('JDBC sink on postgresql survives a dropped connection', () => {
  it('throws a retriable error for the batch, then writes the redelivered batch', async () => {
    const db = await openTestDb('postgresql');
    const table = randomTable('sinkdrop');
    const task = new JdbcSinkTask();
    try {
      // pgjdbc's ApplicationName parameter names the session, so only this task's connection is killed.
      const props = { 'connection.url': `${db.url}&ApplicationName=${table}`, 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'auto.create': 'true', 'retry.backoff.ms': '10' };
      await task.start(props, sinkContext(props));
      await task.put([record(table, 1, 'one')]);
      const killed = await db.rows(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '${table}'`);
      expect(killed).toHaveLength(1);
      const batch = [record(table, 2, 'two'), record(table, 3, 'three')];
      const err = await task.put(batch).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'JdbcConnectionError', retriable: true });
      await task.put(batch);
      expect((await db.rows(`SELECT id FROM ${db.q(table)} ORDER BY id`)).map((r) => Number(r['id']))).toEqual([1, 2, 3]);
    } finally {
      await task.stop();
      await db.drop(table);
      await db.close();
    }
  });
});
