/**
 * The JDBC source connector: table discovery with include lists and whitelists, round-robin
 * task configs, new tables found while running triggering task reconfiguration, and query mode.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JdbcSourceConnector } from '../../../../lib/connectors/jdbc/jdbc-source-connector.ts';
import { JdbcSourceTask } from '../../../../lib/connectors/jdbc/jdbc-source-task.ts';
import { DB_KINDS, field, MemoryOffsetStore, openTestDb, pollUntil, randomTable, sourceContext, type TestDb } from './jdbc-test-support.ts';

describe.each(DB_KINDS)('JDBC source connector on %s', (kind) => {
  let db: TestDb;
  let prefix: string;
  let created: string[];
  let connector: JdbcSourceConnector;

  beforeEach(async () => {
    db = await openTestDb(kind);
    prefix = randomTable('mon');
    created = [];
    connector = new JdbcSourceConnector();
  });

  afterEach(async () => {
    await connector.stop();
    await db.drop(...created);
    await db.close();
  });

  const createTable = async (suffix: string) => {
    const name = `${prefix}_${suffix}`;
    created.push(name);
    await db.exec(`CREATE TABLE ${db.q(name)} (id INT PRIMARY KEY, name VARCHAR(20))`);
    await db.exec(`INSERT INTO ${db.q(name)} VALUES (1, '${suffix}'), (2, '${suffix}')`);
    return name;
  };

  it('spreads the tables matching table.include.list round-robin and reconfigures when one appears', async () => {
    const [a, b, c] = [await createTable('a'), await createTable('b'), await createTable('c')];
    let reconfigurations = 0;
    const props = {
      name: 'mon',
      'connection.url': db.url,
      mode: 'incrementing',
      'incrementing.column.name': 'id',
      'topic.prefix': 'db-',
      'table.include.list': `${db.namespace}\\.${prefix}_.*`,
      'table.poll.interval.ms': '100',
    };
    await connector.start(props, { requestTaskReconfiguration: () => reconfigurations++, raiseError: () => undefined });
    const q = (t: string) => `${db.q(db.namespace)}.${db.q(t)}`;
    expect((await connector.taskConfigs(2)).map((t) => t['tables'])).toEqual([`${q(a)},${q(c)}`, q(b)]);
    expect((await connector.taskConfigs(5)).map((t) => t['tables'])).toEqual([q(a), q(b), q(c)]);

    const d = await createTable('d');
    const deadline = Date.now() + 5000;
    while (reconfigurations === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(reconfigurations).toBe(1);
    expect((await connector.taskConfigs(2)).map((t) => t['tables'])).toEqual([`${q(a)},${q(c)}`, `${q(b)},${q(d)}`]);

    // A task given two tables reads both, each into its own topic.
    const taskProps = (await connector.taskConfigs(2))[1] ?? {};
    const task = new JdbcSourceTask();
    await task.start(taskProps, sourceContext(taskProps, new MemoryOffsetStore()));
    const records = await pollUntil(task, (all) => all.length >= 4);
    await task.stop();
    expect(new Set(records.map((r) => r.topic))).toEqual(new Set([`db-${b}`, `db-${d}`]));
  });

  it('table.whitelist accepts unqualified names; query mode copies one query to topic.prefix', async () => {
    const [a] = [await createTable('a'), await createTable('b')];
    const props = { 'connection.url': db.url, mode: 'bulk', 'topic.prefix': 'x-', 'table.whitelist': a, 'table.poll.interval.ms': '0' };
    await connector.start(props, { requestTaskReconfiguration: () => undefined, raiseError: () => undefined });
    expect(connector.currentTables().map((t) => t.table)).toEqual([a]);

    const queryProps = {
      'connection.url': db.url,
      mode: 'incrementing',
      'incrementing.column.name': 'id',
      query: `SELECT id, name AS label FROM ${db.q(a)}`,
      'topic.prefix': 'query-topic',
    };
    const qc = new JdbcSourceConnector();
    await qc.start(queryProps, { requestTaskReconfiguration: () => undefined, raiseError: () => undefined });
    const [taskProps] = await qc.taskConfigs(3);
    expect(await qc.taskConfigs(3)).toHaveLength(1);
    const task = new JdbcSourceTask();
    const store = new MemoryOffsetStore();
    await task.start(taskProps ?? {}, sourceContext(taskProps ?? {}, store));
    const records = await pollUntil(task, (all) => all.length >= 2, { store });
    await task.stop();
    await qc.stop();
    expect(records.map((r) => [r.topic, field(r, 'label')])).toEqual([
      ['query-topic', 'a'],
      ['query-topic', 'a'],
    ]);
    expect(store.entries()).toEqual([[{ query: 'query' }, { incrementing: 2 }]]);
    expect(records[0]?.valueSchema?.name).toBeUndefined();
  });
});
