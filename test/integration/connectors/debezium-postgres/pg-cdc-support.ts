/**
 * Helpers for the PostgreSQL change data capture tests: a fresh database per test file on the
 * private logical-decoding PostgreSQL, connector configs, and change events reduced to what
 * must match (key, op, before, after, the deterministic source fields).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { JsonRecord } from '../../../support/cdc-helpers.ts';

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

interface Envelope {
  payload: { op: string; before: unknown; after: unknown; source: Record<string, unknown> } | null;
}

/** The parts of a change event that two correct connectors agree on. */
export interface ComparableEvent {
  readonly key: unknown;
  readonly op: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly source: Record<string, unknown> | null;
}

/** Source fields that depend only on the database's history; `streamingOnly` ones differ between two snapshots. */
const SOURCE_FIELDS = ['version', 'connector', 'snapshot', 'db', 'schema', 'table'];
const STREAMING_FIELDS = ['txId', 'lsn'];

export function comparable(r: JsonRecord): ComparableEvent {
  const key = (r.key as { payload?: unknown } | null)?.payload ?? null;
  const v = (r.value as Envelope | null)?.payload ?? null;
  if (!v) return { key, op: null, before: null, after: null, source: null };
  const source: Record<string, unknown> = {};
  const fields = v.op === 'r' ? SOURCE_FIELDS : [...SOURCE_FIELDS, ...STREAMING_FIELDS];
  for (const f of fields) source[f] = v.source[f];
  // Which table a snapshot reads first is not specified by Debezium, so neither are first/last markers.
  if (v.op === 'r') source.snapshot = v.source.snapshot === 'false' ? 'false' : 'snapshot';
  return { key, op: v.op, before: v.before, after: v.after, source };
}
