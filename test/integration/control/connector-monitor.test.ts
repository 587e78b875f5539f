/**
 * The connector monitor on DynamoDB Local and the real PostgreSQL: a JDBC source whose
 * include pattern matches a table created while it runs gets new task configs as a new
 * generation, with fresh executions that fence the old runners; nothing else changes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConnectorMonitor } from '../../../lib/control/connector-monitor.ts';
import { ConnectorService } from '../../../lib/control/connector-service.ts';
import type { TaskExecutionInput } from '../../../lib/orchestrator/orchestrator-port.ts';
import { pluginRegistry } from '../../../lib/catalog/builtin-plugins.ts';
import type { PluginRegistry } from '../../../lib/plugins/plugin-registry.ts';
import type { ConnectorStore } from '../../../lib/store/store-ports.ts';
import { createStore } from '../../../lib/store/store-factory.ts';
import type { ConnectorState } from '../../../lib/store/store-model.ts';
import { openTestDb, randomTable, type TestDb } from '../connectors/jdbc/jdbc-test-support.ts';
import { uniqueName } from '../../support/local-host-process.ts';

const dynamoEndpoint = inject('dynamoEndpoint');

/** Stands in for Step Functions: records the executions started. */
class RecordingOrchestrator {
  readonly started: { name: string; input: TaskExecutionInput }[] = [];
  async startExecution(name: string, input: TaskExecutionInput): Promise<void> {
    this.started.push({ name, input });
  }
}

describe('ConnectorMonitor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-monitor-'));
  const prefix = randomTable('mon');
  const tables: string[] = [];
  let db: TestDb;
  let store: ConnectorStore;
  let registry: PluginRegistry;
  let orchestrator: RecordingOrchestrator;
  let control: ConnectorService;
  let monitor: ConnectorMonitor;

  const createTable = async (suffix: string) => {
    const name = `${prefix}_${suffix}`;
    tables.push(name);
    await db.exec(`CREATE TABLE ${db.q(name)} (id INT PRIMARY KEY, label TEXT)`);
    return name;
  };
  const qualified = (t: string) => `"public"."${t}"`;
  const jdbcSource = (name: string) => ({
    name,
    'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
    'connection.url': db.url,
    mode: 'incrementing',
    'incrementing.column.name': 'id',
    'topic.prefix': 'monitor-',
    'table.include.list': `public\\.${prefix}_.*`,
    'tasks.max': '2',
  });
  const state = async (name: string): Promise<ConnectorState> => {
    const s = await store.getState(name);
    if (!s) throw new Error(`connector ${name} is gone`);
    return s;
  };

  beforeAll(async () => {
    db = await openTestDb('postgresql');
    store = createStore({ tableName: uniqueName('monitor'), endpoint: dynamoEndpoint });
    await store.ensureTable();
    registry = await pluginRegistry();
    orchestrator = new RecordingOrchestrator();
    control = new ConnectorService({ store, registry, orchestrator, workerId: 'test-api' });
    monitor = new ConnectorMonitor({ store, registry, orchestrator, workerId: 'test-monitor' });
  });

  afterAll(async () => {
    await db?.drop(...tables);
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reconfigures a JDBC source when a table matching its pattern appears, then finds nothing more to do', async () => {
    const [a, b, c] = [await createTable('a'), await createTable('b'), await createTable('c')];
    const name = uniqueName('jdbc-monitored');
    await control.create(name, jdbcSource(name));
    const before = await state(name);
    expect(before.tasks?.configs.map((t) => t['tables'])).toEqual([`${qualified(a)},${qualified(c)}`, qualified(b)]);
    const epochs = [0, 1].map((t) => before.leases.get(t)?.epoch ?? 0);
    orchestrator.started.length = 0;

    expect(await monitor.check(name)).toBe('unchanged');
    expect(orchestrator.started).toEqual([]);

    const d = await createTable('d');
    expect(await monitor.check(name)).toBe('reconfigured');
    const after = await state(name);
    expect(after.connector.generation).toBe(before.connector.generation + 1);
    expect(after.tasks?.generation).toBe(after.connector.generation);
    expect(after.tasks?.configs.map((t) => t['tables'])).toEqual([`${qualified(a)},${qualified(c)}`, `${qualified(b)},${qualified(d)}`]);
    // The rest of each task config is what the connector planned at creation.
    expect(after.tasks?.configs[1]).toEqual({ ...before.tasks?.configs[1], tables: `${qualified(b)},${qualified(d)}` });
    expect(after.connector.config).toEqual(before.connector.config);
    expect(after.status).toMatchObject({ state: 'RUNNING', generation: after.connector.generation });
    // Every task starts afresh under a new lease epoch, owned by the execution just started.
    expect(orchestrator.started.map((s) => s.input)).toEqual([
      { connector: name, task: 0, idleStreak: 0, iteration: 0 },
      { connector: name, task: 1, idleStreak: 0, iteration: 0 },
    ]);
    for (const t of [0, 1]) {
      const lease = after.leases.get(t);
      expect(lease?.epoch).toBeGreaterThan(epochs[t] ?? 0);
      expect(lease?.owner).toBe(orchestrator.started[t]?.name);
    }

    orchestrator.started.length = 0;
    expect(await monitor.check(name)).toBe('unchanged');
    expect((await state(name)).connector.generation).toBe(after.connector.generation);
    expect(orchestrator.started).toEqual([]);
  });

  it('a dropped table shrinks the task split the same way', async () => {
    const name = uniqueName('jdbc-shrink');
    await control.create(name, { ...jdbcSource(name), 'tasks.max': '4' });
    const before = await state(name);
    expect(before.tasks?.configs).toHaveLength(tables.length);
    const gone = tables.pop() as string;
    await db.drop(gone);
    orchestrator.started.length = 0;
    expect(await monitor.check(name)).toBe('reconfigured');
    const after = await state(name);
    expect(after.tasks?.configs.map((t) => t['tables'])).toEqual(tables.map(qualified));
    expect(orchestrator.started.map((s) => s.input.task)).toEqual(tables.map((_, i) => i));
  });

  it('a FileStream source re-plans to the same configs: unchanged', async () => {
    const file = join(dir, 'in.txt');
    writeFileSync(file, 'a\n');
    const name = uniqueName('file-monitored');
    await control.create(name, { name, 'connector.class': 'FileStreamSource', file, topic: uniqueName('lines') });
    const generation = (await state(name)).connector.generation;
    orchestrator.started.length = 0;
    expect(await monitor.check(name)).toBe('unchanged');
    expect((await state(name)).connector.generation).toBe(generation);
    expect(orchestrator.started).toEqual([]);
  });

  it('skips connectors that are not RUNNING, and unknown ones', async () => {
    const name = uniqueName('jdbc-paused');
    await control.create(name, jdbcSource(name), 'PAUSED');
    await createTable('e');
    orchestrator.started.length = 0;
    expect(await monitor.check(name)).toBe('skipped');
    await control.stop(name);
    expect(await monitor.check(name)).toBe('skipped');
    expect(await monitor.check(uniqueName('never-created'))).toBe('skipped');
    expect(orchestrator.started).toEqual([]);
  });

  it('skips when another change wins the race between reading and storing', async () => {
    const name = uniqueName('jdbc-raced');
    await control.create(name, jdbcSource(name));
    await createTable('f');
    // A user's PUT lands while the monitor is planning: its conditional write must lose.
    const racing = Object.create(store, {
      getState: {
        value: async (n: string) => {
          const s = await store.getState(n);
          await control.patchConfig(name, { 'poll.interval.ms': '1234' });
          return s;
        },
      },
    }) as ConnectorStore;
    const raced = new ConnectorMonitor({ store: racing, registry, orchestrator, workerId: 'test-monitor' });
    const generation = (await state(name)).connector.generation;
    orchestrator.started.length = 0;
    expect(await raced.check(name)).toBe('skipped');
    const s = await state(name);
    // Only the user's change was stored; it planned the new table itself.
    expect(s.connector.generation).toBe(generation + 1);
    expect(s.connector.config['poll.interval.ms']).toBe('1234');
    expect(s.tasks?.configs.map((t) => t['tables']).join(',')).toContain(`${prefix}_f`);
    expect(await monitor.check(name)).toBe('unchanged');
  });

  it('fails the connector when its tables can no longer be planned, and clears that once they can', async () => {
    const schema = `${prefix}_s`;
    const dup = await createTable('dup');
    const name = uniqueName('jdbc-dup');
    await control.create(name, { ...jdbcSource(name), 'table.include.list': `(public|${schema})\\.${dup}` });
    const generation = (await state(name)).connector.generation;
    await db.exec(`CREATE SCHEMA ${db.q(schema)}`);
    try {
      // Two tables now share the unqualified name, i.e. the topic: Confluent fails the connector too.
      await db.exec(`CREATE TABLE ${db.q(schema)}.${db.q(dup)} (id INT PRIMARY KEY)`);
      expect(await monitor.check(name)).toBe('skipped');
      const failed = await state(name);
      expect(failed.status).toMatchObject({ state: 'FAILED', workerId: 'test-monitor' });
      expect(failed.status?.trace).toMatch(/JdbcError: .*tables sharing one/);
      expect(failed.connector.generation).toBe(generation);
    } finally {
      await db.exec(`DROP SCHEMA ${db.q(schema)} CASCADE`);
    }
    expect(await monitor.check(name)).toBe('unchanged');
    expect((await state(name)).status).toMatchObject({ state: 'RUNNING', generation });
  });

  it('checkAll reports every connector; a database it cannot reach leaves the connector running', async () => {
    const name = uniqueName('jdbc-unreachable');
    await control.create(name, jdbcSource(name));
    // Point the stored config at a closed port, as if the database went away after creation.
    const current = await state(name);
    await store.updateConfig(current.connector, {
      config: { ...current.connector.config, 'connection.url': 'jdbc:postgresql://127.0.0.1:1/test?user=postgres', 'connection.attempts': '1' },
      taskConfigs: current.tasks?.configs ?? [],
      previousTaskCount: current.tasks?.configs.length ?? 0,
      workerId: 'test',
    });
    const results = await monitor.checkAll();
    const names = await store.listConnectors();
    expect(results.map((r) => r.connector).sort()).toEqual([...names].sort());
    expect(results.find((r) => r.connector === name)?.outcome).toBe('skipped');
    expect((await state(name)).status?.state).toBe('RUNNING');
    for (const r of results) expect(['unchanged', 'reconfigured', 'skipped']).toContain(r.outcome);
  });
});
