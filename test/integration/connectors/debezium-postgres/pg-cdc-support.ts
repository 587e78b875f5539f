/**
 * Helpers for the PostgreSQL change data capture tests: a fresh database per test file on the
 * private logical-decoding PostgreSQL, connector configs, and the source fields two correct
 * connectors agree on.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { comparableEvent, type ComparableEvent, type JsonRecord } from '../../../support/cdc-helpers.ts';

export interface PgTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
}

/** Creates a database of its own on the CDC PostgreSQL (host:port); returns it and a client on it. */
export async function freshDatabase(hostPort: string): Promise<{ target: PgTarget; client: pg.Client }> {
  const [host = '127.0.0.1', port = '5432'] = hostPort.split(':');
  const database = `cdc_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ host, port: Number(port), user: 'postgres', password: 'postgres', database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const client = new pg.Client({ host, port: Number(port), user: 'postgres', password: 'postgres', database });
  await client.connect();
  return { target: { host, port: Number(port), database }, client };
}

/** Drops a database once nothing uses it (slots and connections of connectors included). */
export async function dropDatabase(hostPort: string, database: string): Promise<void> {
  const [host = '127.0.0.1', port = '5432'] = hostPort.split(':');
  const admin = new pg.Client({ host, port: Number(port), user: 'postgres', password: 'postgres', database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);
    await admin.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active`, [database]);
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  } finally {
    await admin.end();
  }
}

export function connectorConfig(t: PgTarget, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'database.hostname': t.host,
    'database.port': String(t.port),
    'database.user': 'postgres',
    'database.password': 'postgres',
    'database.dbname': t.database,
    'plugin.name': 'pgoutput',
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    ...extra,
  };
}

/** Source fields of PostgreSQL change events that depend only on the database's history (LSN and txId for streamed ones). */
export const PG_SOURCE_FIELDS = { always: ['version', 'connector', 'snapshot', 'db', 'schema', 'table'], streaming: ['txId', 'lsn'] } as const;

/** The parts of a PostgreSQL change event that two correct connectors agree on. */
export const comparable = (r: JsonRecord): ComparableEvent => comparableEvent(r, PG_SOURCE_FIELDS);
