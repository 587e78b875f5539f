/**
 * The classic first job, from one curl call: copy a MariaDB table into the topic named like
 * it, with Confluent's class name and options, through the whole local stack, and read the
 * topic with an independent consumer: every row, as Connect's JsonConverter would write it.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueName } from '../../../support/local-host-process.ts';
import { eventually, rest } from '../../../support/rest-client.ts';
import { openTestDb, type TestDb } from '../jdbc/jdbc-test-support.ts';
import { decodeDecimal, E2eHost, envelope, TopicReader } from './e2e-support.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');

interface Account {
  id: number;
  name: string;
  balance: string | null;
  created_at: number;
}

describe('a MariaDB table to Kafka with one POST /connectors', () => {
  const host = new E2eHost(kafkaBootstrap, dynamoEndpoint);
  const reader = new TopicReader(kafkaBootstrap);
  const table = `accounts_${randomBytes(4).toString('hex')}`;
  const name = uniqueName('accounts-source');
  let db: TestDb;

  // [name, balance, created_at (UTC)] of the rows there before the connector starts.
  const initial: [string, string | null, string][] = [
    ['alice', '1234.56', '2024-03-01 12:34:56'],
    ['bob', '-42.50', '2024-03-02 00:00:01'],
    ['carol', null, '2024-03-03 23:59:59'],
    ['dave', '9999999999.99', '1999-12-31 23:59:59'],
    ['erin', '0.01', '2038-01-19 03:14:07'],
  ];

  beforeAll(async () => {
    db = await openTestDb('mariadb');
    await db.exec(
      `CREATE TABLE ${db.q(table)} (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, balance DECIMAL(12,2), created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)`,
    );
    for (const [n, b, c] of initial) await db.exec(`INSERT INTO ${db.q(table)} (name, balance, created_at) VALUES (?, ?, ?)`, [n, b, c]);
    await host.start();
  }, 120_000);

  afterAll(async () => {
    await reader.close();
    await host.deleteConnectors(name);
    await host.close();
    await db?.drop(table);
    await db?.close();
  });

  it('creates the connector from the config a Kafka Connect user would send', async () => {
    const created = await rest(host.url, 'POST', '/connectors', {
      name,
      config: {
        'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
        'connection.url': 'jdbc:mariadb://127.0.0.1:3306/test',
        'connection.user': 'root',
        mode: 'incrementing',
        'table.whitelist': table,
        'topic.prefix': '',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name, type: 'source', tasks: [{ connector: name, task: 0 }] });
    const status = await host.running(name);
    expect(status.type).toBe('source');
  });

  it('writes every row to the topic named like the table, in the JsonConverter envelope', async () => {
    await reader.atLeast(table, initial.length, 60_000);
    const messages = await reader.snapshot(table);
    expect(messages).toHaveLength(initial.length);
    const first = envelope<Account>(messages[0]?.value ?? null);
    // Confluent's schema: the struct named after the table, INT → int32, DECIMAL → Decimal with its precision, TIMESTAMP → Timestamp.
    expect(first.schema).toEqual({
      type: 'struct',
      name: table,
      optional: false,
      fields: [
        { field: 'id', type: 'int32', optional: false },
        { field: 'name', type: 'string', optional: false },
        {
          field: 'balance',
          type: 'bytes',
          optional: true,
          name: 'org.apache.kafka.connect.data.Decimal',
          version: 1,
          parameters: { scale: '2', 'connect.decimal.precision': '12' },
        },
        { field: 'created_at', type: 'int64', optional: false, name: 'org.apache.kafka.connect.data.Timestamp', version: 1 },
      ],
    });
    // Table mode has no record key.
    expect(messages.every((m) => m.key === null)).toBe(true);
    const rows = messages.map((m) => envelope<Account>(m.value).payload);
    expect(rows.map((r) => ({ ...r, balance: r.balance === null ? null : decodeDecimal(r.balance, 2) }))).toEqual(
      initial.map(([n, b, c], i) => ({ id: i + 1, name: n, balance: b, created_at: Date.parse(`${c.replace(' ', 'T')}Z`) })),
    );
  });

  it('picks up a row inserted while it runs, and shows Confluent\'s offsets', async () => {
    await db.exec(`INSERT INTO ${db.q(table)} (name, balance, created_at) VALUES ('frank', 7.00, '2024-06-30 10:00:00')`);
    // poll.interval.ms is Confluent's default 5 s; an idle runner sleeps at most 2 s here.
    await reader.atLeast(table, initial.length + 1, 30_000);
    const last = (await reader.snapshot(table)).at(-1);
    const row = envelope<Account>(last?.value ?? null).payload;
    expect({ ...row, balance: decodeDecimal(row.balance ?? '', 2) }).toEqual({ id: initial.length + 1, name: 'frank', balance: '7.00', created_at: Date.UTC(2024, 5, 30, 10) });

    const offsets = await eventually(
      async () => {
        const r = await rest<{ offsets: { partition: Record<string, unknown>; offset: Record<string, unknown> }[] }>(host.url, 'GET', `/connectors/${name}/offsets`);
        return r.body.offsets?.[0]?.offset['incrementing'] === initial.length + 1 ? r.body : undefined;
      },
      { what: 'the offset of the last row to be committed', timeoutMs: 30_000 },
    );
    expect(offsets).toEqual({ offsets: [{ partition: { protocol: '1', table: `test.${table}` }, offset: { incrementing: initial.length + 1 } }] });
    const topics = await rest<Record<string, { topics: string[] }>>(host.url, 'GET', `/connectors/${name}/topics`);
    expect(topics.body).toEqual({ [name]: { topics: [table] } });
  });
});
