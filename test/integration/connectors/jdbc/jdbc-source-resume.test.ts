/**
 * Stopping the JDBC source task mid-table and restarting it with the last committed offset
 * resumes without loss or duplicate; offsets written by Confluent's connector (protocol 1, and
 * the older unqualified protocol 0) are honoured.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JdbcSourceTask } from '../../../../lib/connectors/jdbc/jdbc-source-task.ts';
import type { SourceRecord } from '../../../../lib/plugins/connect-record.ts';
import { DB_KINDS, field, MemoryOffsetStore, openTestDb, pollUntil, randomTable, sourceContext, type TestDb } from './jdbc-test-support.ts';

const ROWS = 2_000;

describe.each(DB_KINDS)('JDBC source on %s resumes from committed offsets', (kind) => {
  let db: TestDb;
  let table: string;

  beforeEach(async () => {
    db = await openTestDb(kind);
    table = randomTable('resume');
    if (kind === 'postgresql') {
      await db.exec(`CREATE TABLE ${db.q(table)} (id INT PRIMARY KEY, updated_at TIMESTAMP(3) NOT NULL)`);
      // Ten rows share each timestamp, so batches end in the middle of a timestamp.
      await db.exec(`INSERT INTO ${db.q(table)} SELECT g, TIMESTAMP '2024-01-01' + (g / 10) * INTERVAL '1 second' FROM generate_series(1, ${ROWS}) g`);
    } else {
      await db.exec(`CREATE TABLE ${db.q(table)} (id INT PRIMARY KEY, updated_at DATETIME(3) NOT NULL)`);
      await db.exec(`INSERT INTO ${db.q(table)} SELECT seq, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (seq DIV 10) SECOND FROM seq_1_to_${ROWS}`);
    }
  });

  afterEach(async () => {
    await db.drop(table);
    await db.close();
  });

  const props = (mode: string) => ({
    'connection.url': db.url,
    mode,
    'incrementing.column.name': 'id',
    'timestamp.column.name': 'updated_at',
    'topic.prefix': '',
    'poll.interval.ms': '10',
    'batch.max.rows': '333',
    tables: `${db.q(db.namespace)}.${db.q(table)}`,
  });

  const ids = (records: readonly SourceRecord[]) => records.map((r) => Number(field(r, 'id')));

  it.each(['incrementing', 'timestamp+incrementing'])('in %s mode', async (mode) => {
    const store = new MemoryOffsetStore();
    const first = new JdbcSourceTask();
    await first.start(props(mode), sourceContext(props(mode), store));
    const delivered: SourceRecord[] = [];
    for (let i = 0; i < 3; i++) {
      const batch = await pollUntil(first, (all) => all.length > 0);
      // The third batch is produced but its offsets are never committed: the task stops first.
      if (i < 2) {
        delivered.push(...batch);
        store.commit(batch);
      }
    }
    await first.stop();
    expect(delivered).toHaveLength(666);

    const second = new JdbcSourceTask();
    await second.start(props(mode), sourceContext(props(mode), store));
    const rest = await pollUntil(second, (all) => all.length >= ROWS - delivered.length, { store });
    await second.stop();

    const all = [...ids(delivered), ...ids(rest)];
    expect(all).toHaveLength(ROWS);
    expect(new Set(all).size).toBe(ROWS);
    expect(all).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
  });

  it('resumes from an offset stored by Confluent (protocol 1) and from an unqualified (protocol 0) one', async () => {
    for (const partition of [{ protocol: '1', table: `${db.namespace}.${table}` }, { table }]) {
      const store = new MemoryOffsetStore();
      // Java's Timestamp for 2024-01-01T00:00:50Z with 0 nanos, last id 500 (the 10 rows at second 50 are 500..509).
      store.set(partition, { timestamp_nanos: 0, incrementing: 500, timestamp: Date.UTC(2024, 0, 1, 0, 0, 50) });
      const task = new JdbcSourceTask();
      await task.start(props('timestamp+incrementing'), sourceContext(props('timestamp+incrementing'), store));
      const rest = await pollUntil(task, (all) => all.length >= ROWS - 500);
      await task.stop();
      expect(ids(rest)[0]).toBe(501);
      expect(new Set(ids(rest)).size).toBe(ROWS - 500);
      // New offsets are always written under the protocol 1 partition.
      expect(rest[0]?.sourcePartition).toEqual({ protocol: '1', table: `${db.namespace}.${table}` });
    }
  });
});

describe('JDBC source on postgresql survives a dropped connection', () => {
  it('reconnects on a later poll and reads on without loss or duplicate', async () => {
    const db = await openTestDb('postgresql');
    const table = randomTable('drop');
    try {
      await db.exec(`CREATE TABLE ${db.q(table)} (id INT PRIMARY KEY)`);
      await db.exec(`INSERT INTO ${db.q(table)} SELECT g FROM generate_series(1, 1000) g`);
      const props = { 'connection.url': `${db.url}&ApplicationName=${table}`, mode: 'incrementing', 'incrementing.column.name': 'id', 'topic.prefix': '', 'batch.max.rows': '100', 'poll.interval.ms': '10', tables: `"public"."${table}"` };
      const task = new JdbcSourceTask();
      await task.start(props, sourceContext(props, new MemoryOffsetStore()));
      const before = await pollUntil(task, (all) => all.length >= 300);
      // pgjdbc's ApplicationName parameter names the session, so only this task's connection is killed.
      const killed = await db.rows(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = '${table}'`);
      expect(killed).toHaveLength(1);
      const after = await pollUntil(task, (all) => all.length >= 700);
      await task.stop();
      const all = [...ids(before), ...ids(after)];
      expect(all).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    } finally {
      await db.drop(table);
      await db.close();
    }
  });
});

function ids(records: readonly SourceRecord[]): number[] {
  return records.map((r) => Number(field(r, 'id')));
}
