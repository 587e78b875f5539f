/**
 * A JDBC source stopped in the middle of its table resumes from its committed offset: once
 * through PUT /stop and /resume, once through SIGTERM of the whole host and a start on the
 * same data folder and DynamoDB table. The topic ends with every row exactly once, in order,
 * and GET /offsets shows Confluent's offset. Size: TRIBUTARY_JDBC_E2E_RESUME_ROWS (default
 * 500,000; smaller tables can be copied completely before a stop lands, since a runner sees a
 * stop only between produce batches of up to 16,384 rows, and a source copies 100,000 rows in
 * well under a second on a fast machine).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTopics } from '../../../support/kafka-helpers.ts';
import { uniqueName } from '../../../support/local-host-process.ts';
import { eventually, rest } from '../../../support/rest-client.ts';
import { openTestDb, randomTable, type TestDb } from '../jdbc/jdbc-test-support.ts';
import { E2eHost, envelope, envSize, TopicReader, type ConnectorStatus } from './e2e-support.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const ROWS = envSize('TRIBUTARY_JDBC_E2E_RESUME_ROWS', 500_000);

interface Offsets {
  offsets: { partition: Record<string, unknown>; offset: Record<string, unknown> }[];
}

describe(`stopping a JDBC source in the middle of a ${ROWS.toLocaleString('en')}-row table`, () => {
  const host = new E2eHost(kafkaBootstrap, dynamoEndpoint);
  const reader = new TopicReader(kafkaBootstrap);
  const table = randomTable('e2e_resume');
  const prefix = `${uniqueName('resume')}-`;
  const topic = prefix + table;
  const name = uniqueName('pg-resume-source');
  let db: TestDb;

  const offsets = async () => (await rest<Offsets>(host.url, 'GET', `/connectors/${name}/offsets`)).body;
  const confluentOffset = (incrementing: number): Offsets => ({ offsets: [{ partition: { protocol: '1', table: `public.${table}` }, offset: { incrementing } }] });

  beforeAll(async () => {
    db = await openTestDb('postgresql');
    await db.exec(`CREATE TABLE ${db.q(table)} (id BIGINT PRIMARY KEY, payload TEXT NOT NULL)`);
    await db.exec(`INSERT INTO ${db.q(table)} SELECT g, repeat('x', 40) || g FROM generate_series(1, ${ROWS}) g`);
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

  it('PUT /stop in the middle of the table: the runner commits what it sent and lets go', async () => {
    const created = await rest(host.url, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
        'connection.url': db.url,
        mode: 'incrementing',
        'incrementing.column.name': 'id',
        'table.whitelist': table,
        'topic.prefix': prefix,
        // A runner sees a stop at its next commit: keep that within a second.
        'offset.flush.interval.ms': '1000',
      },
    });
    expect(created.status).toBe(201);
    // As with SIGTERM below, the runner notices the stop only after a produce batch or two: ask early.
    await reader.atLeast(topic, 1000);
    expect((await rest(host.url, 'PUT', `/connectors/${name}/stop`)).status).toBe(204);
    await host.executionsGone(name);
    const copied = await reader.settled(topic, 2000);
    console.info(`stopped after ${copied} of ${ROWS} rows`);
    expect(copied).toBeGreaterThanOrEqual(1000);
    expect(copied).toBeLessThan(ROWS);

    const status = (await rest<ConnectorStatus>(host.url, 'GET', `/connectors/${name}/status`)).body;
    expect(status.connector.state).toBe('STOPPED');
    expect(status.tasks).toEqual([]);
    // Rows go out in id order, so the committed offset is the number of rows in the topic.
    expect(await offsets()).toEqual(confluentOffset(copied));
  });

  it('PUT /resume continues from there; SIGTERM of the host and a new start continue again', async () => {
    const before = await reader.count(topic);
    expect((await rest(host.url, 'PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await host.running(name);
    // A runner notices SIGTERM after the produce batch in flight (up to 16,384 rows): stop early.
    await reader.atLeast(topic, before + 1000);
    expect(await host.stop()).toBe(0);
    const atSigterm = await reader.count(topic);
    console.info(`SIGTERM after ${atSigterm} of ${ROWS} rows`);
    expect(atSigterm).toBeLessThan(ROWS);

    await host.start();
    await host.running(name);
    await reader.atLeast(topic, ROWS, 120_000);
    expect(await reader.settled(topic, 2000)).toBe(ROWS);
    const ids = (await reader.snapshot(topic)).map((m) => Number(envelope<{ id: number }>(m.value).payload.id));
    const seen = new Uint8Array(ROWS + 1);
    for (const id of ids) seen[id] = (seen[id] ?? 0) + 1;
    const missing = seen.reduce((n, c, id) => n + (id > 0 && c === 0 ? 1 : 0), 0);
    const duplicated = seen.reduce((n, c) => n + (c > 1 ? c - 1 : 0), 0);
    expect({ missing, duplicated, total: ids.length }).toEqual({ missing: 0, duplicated: 0, total: ROWS });
    expect(ids.findIndex((id, i) => id !== i + 1)).toBe(-1);

    await eventually(async () => JSON.stringify(await offsets()) === JSON.stringify(confluentOffset(ROWS)), { what: 'the final offset', timeoutMs: 30_000 });
    expect(await offsets()).toEqual(confluentOffset(ROWS));
  });
});
