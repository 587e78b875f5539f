/**
 * Rows inserted and updated while the JDBC source task runs are picked up in order
 * (incrementing, timestamp+incrementing and timestamp modes), on PostgreSQL and MariaDB.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JdbcSourceTask } from '../../../../lib/connectors/jdbc/jdbc-source-task.ts';
import { DB_KINDS, field, MemoryOffsetStore, openTestDb, pollFor, pollUntil, randomTable, sourceContext, type TestDb } from './jdbc-test-support.ts';

describe.each(DB_KINDS)('JDBC source on %s picks up changes while running', (kind) => {
  let db: TestDb;
  let table: string;
  let task: JdbcSourceTask;

  beforeEach(async () => {
    db = await openTestDb(kind);
    table = randomTable('live');
    task = new JdbcSourceTask();
    if (kind === 'postgresql') {
      await db.exec(`CREATE TABLE ${db.q(table)} (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, updated_at TIMESTAMP(6) NOT NULL DEFAULT clock_timestamp())`);
    } else {
      await db.exec(
        `CREATE TABLE ${db.q(table)} (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL, updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6))`,
      );
    }
  });

  afterEach(async () => {
    await task.stop();
    await db.drop(table);
    await db.close();
  });

  const props = (mode: string, extra: Record<string, string> = {}) => ({
    'connection.url': db.url,
    mode,
    'timestamp.column.name': 'updated_at',
    'topic.prefix': 'live-',
    'poll.interval.ms': '20',
    'batch.max.rows': '4',
    tables: `${db.q(db.namespace)}.${db.q(table)}`,
    ...extra,
  });

  const insert = async (...names: string[]) => {
    for (const n of names) await db.exec(`INSERT INTO ${db.q(table)} (name) VALUES ('${n}')`);
  };
  const names = (records: readonly { value: unknown }[]) => records.map((r) => field(r as never, 'name'));

  it('incrementing mode (auto-detected column) reads new rows in id order', async () => {
    await insert('a', 'b', 'c', 'd', 'e', 'f');
    const p = props('incrementing');
    await task.start(p, sourceContext(p, new MemoryOffsetStore()));
    expect(names(await pollUntil(task, (all) => all.length >= 6))).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);

    await insert('g', 'h', 'i', 'j', 'k');
    const more = await pollUntil(task, (all) => all.length >= 5);
    expect(names(more)).toEqual(['g', 'h', 'i', 'j', 'k']);
    expect(more.map((r) => r.sourceOffset)).toEqual([7, 8, 9, 10, 11].map((incrementing) => ({ incrementing })));
  });

  it('timestamp+incrementing mode reads inserts and updates in (timestamp, id) order', async () => {
    await insert('a', 'b', 'c');
    const p = props('timestamp+incrementing', { 'incrementing.column.name': 'id' });
    await task.start(p, sourceContext(p, new MemoryOffsetStore()));
    const first = await pollUntil(task, (all) => all.length >= 3);
    expect(names(first)).toEqual(['a', 'b', 'c']);
    expect(Object.keys(first[0]?.sourceOffset ?? {})).toEqual(['timestamp_nanos', 'incrementing', 'timestamp']);

    await db.exec(`UPDATE ${db.q(table)} SET name = 'a2', updated_at = CURRENT_TIMESTAMP(6) WHERE id = 1`);
    await insert('d');
    await db.exec(`UPDATE ${db.q(table)} SET name = 'b2', updated_at = CURRENT_TIMESTAMP(6) WHERE id = 2`);
    const changes = await pollUntil(task, (all) => all.length >= 3);
    expect(names(changes)).toEqual(['a2', 'd', 'b2']);
    expect(changes.map((r) => Number(field(r, 'id')))).toEqual([1, 4, 2]);
    // Nothing is read twice.
    expect(await pollFor(task, 300)).toEqual([]);
  });

  it('timestamp mode reads rows sharing one timestamp across a batch boundary exactly once', async () => {
    const ts = "'2024-05-06 07:08:09.123456'";
    for (let i = 0; i < 9; i++) await db.exec(`INSERT INTO ${db.q(table)} (name, updated_at) VALUES ('same${i}', ${ts})`);
    await db.exec(`INSERT INTO ${db.q(table)} (name, updated_at) VALUES ('x', '2024-05-06 07:08:09.5'), ('y', '2024-05-06 07:08:09.5'), ('z', '2024-05-06 07:08:10')`);
    const p = props('timestamp');
    await task.start(p, sourceContext(p, new MemoryOffsetStore()));
    const records = await pollUntil(task, (all) => all.length >= 12);
    expect(records).toHaveLength(12);
    expect(new Set(names(records)).size).toBe(12);
    expect(names(records).slice(-3)).toEqual(expect.arrayContaining(['x', 'y', 'z']));
    expect(records.at(-1)?.sourceOffset).toEqual({ timestamp_nanos: 0, timestamp: Date.UTC(2024, 4, 6, 7, 8, 10) });
    expect(records[0]?.sourceOffset).toEqual({ timestamp_nanos: 123_456_000, timestamp: Date.UTC(2024, 4, 6, 7, 8, 9, 123) });
  });
});
