/**
 * Plain (non-replication) connections to PostgreSQL and the catalog queries the connector needs:
 * captured tables, their columns and keys, and the server's replication settings. Every value is
 * read as the server's text so the snapshot and the stream convert values the same way.
 */
import type pg from 'pg';
import { CdcConnectionError, CdcError, CdcSetupError } from '../debezium-common/cdc-errors.ts';
import { NameFilter } from '../debezium-common/table-filter.ts';
import { lazyDriver } from '../lazy-driver.ts';
import type { PgSettings } from './pg-config.ts';
import type { PgColumnInfo } from './pg-type-mapper.ts';

/** The `pg` driver, loaded by the first connection (see lazy-driver.ts). */
const pgDriver = lazyDriver(() => import('pg'));

const asText = (v: string): string => v;

export function clientConfig(s: PgSettings, replication = false): pg.ClientConfig {
  return {
    host: s.hostname,
    port: s.port,
    user: s.user,
    password: s.password,
    database: s.dbname,
    ssl: s.sslMode === 'require' ? { rejectUnauthorized: false } : false,
    connectionTimeoutMillis: 10_000,
    application_name: 'tributary-cdc',
    types: { getTypeParser: (() => asText) as unknown as typeof pg.types.getTypeParser },
    ...(replication ? { replication: 'database' } : {}),
  } as pg.ClientConfig;
}

/** Classifies a driver error into a connector error saying what to fix. */
export function pgError(e: unknown, s: PgSettings, doing: string): CdcError {
  if (e instanceof CdcError) return e;
  const err = (e ?? {}) as { code?: string; message?: string };
  const msg = err.message ?? String(e);
  const target = `${s.hostname}:${s.port}/${s.dbname}`;
  if (err.code?.startsWith('28')) return new CdcSetupError(`Authentication failed for user ${s.user} at ${target}: ${msg}. Check database.user and database.password.`, { cause: e });
  if (err.code === '3D000') return new CdcSetupError(`Database ${s.dbname} does not exist at ${target}: ${msg}. Check database.dbname.`, { cause: e });
  if (err.code === '42501') return new CdcSetupError(`User ${s.user} lacks a privilege while ${doing}: ${msg}. Grant it REPLICATION and SELECT on the captured tables (ALTER ROLE ${s.user} WITH REPLICATION).`, { cause: e });
  if (err.code === '55000' && /wal_level/.test(msg)) return new CdcSetupError(`Logical decoding is off at ${target}: ${msg}. Set wal_level = logical in postgresql.conf and restart the server.`, { cause: e });
  if (err.code === '55006' || /is active for PID/.test(msg)) return new CdcConnectionError(`Replication slot ${s.slotName} is in use by another connection (${msg}); retrying.`, { cause: e });
  if (err.code?.startsWith('08') || err.code?.startsWith('57P') || /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|terminated|timeout/i.test(`${err.code ?? ''} ${msg}`)) {
    return new CdcConnectionError(`Cannot reach PostgreSQL at ${target} while ${doing}: ${msg}`, { cause: e });
  }
  return new CdcError(`PostgreSQL failed while ${doing}: ${msg}`, { cause: e, retriable: false });
}

export async function connect(s: PgSettings, replication = false): Promise<pg.Client> {
  const { default: pg } = await pgDriver.load();
  const client = new pg.Client(clientConfig(s, replication));
  // A dropped idle connection emits 'error'; without a listener it would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return client;
  } catch (e) {
    await client.end().catch(() => undefined);
    throw pgError(e, s, 'connecting');
  }
}

export interface TableRef {
  readonly schema: string;
  readonly table: string;
  readonly oid: number;
}

/** Ordinary and partitioned tables in non-system schemas that pass the filters, sorted by name. */
export async function capturedTables(client: pg.Client, s: PgSettings): Promise<TableRef[]> {
  const res = await client.query<{ nspname: string; relname: string; oid: string }>(
    `SELECT n.nspname, c.relname, c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
     ORDER BY n.nspname, c.relname`,
  );
  const schemas = new NameFilter(s.schemaInclude, s.schemaExclude);
  const tables = new NameFilter(s.tableInclude, s.tableExclude);
  return res.rows.filter((r) => schemas.matches(r.nspname) && tables.matches(`${r.nspname}.${r.relname}`)).map((r) => ({ schema: r.nspname, table: r.relname, oid: Number(r.oid) }));
}

export interface TableInfo {
  readonly ref: TableRef;
  readonly columns: PgColumnInfo[];
  readonly keyColumns: string[];
}

/** Columns (in order) and primary key of a table, by its OID. */
export async function tableInfo(client: pg.Client, ref: TableRef): Promise<TableInfo> {
  const cols = await client.query<{ attname: string; typname: string; atttypmod: string; typtype: string; elemname: string | null; labels: string | null; attnotnull: string; basename: string | null; basemod: string | null; dflt: string | null }>(
    `SELECT a.attname, t.typname, a.atttypmod, t.typtype, e.typname AS elemname, a.attnotnull,
            (SELECT string_agg(l.enumlabel, ',' ORDER BY l.enumsortorder) FROM pg_enum l WHERE l.enumtypid = a.atttypid) AS labels,
            b.typname AS basename, t.typtypmod AS basemod, pg_get_expr(d.adbin, d.adrelid) AS dflt
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
       LEFT JOIN pg_type b ON b.oid = t.typbasetype AND t.typtype = 'd'
      WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [ref.oid],
  );
  const keys = await client.query<{ attname: string }>(
    `SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = $1 AND i.indisprimary ORDER BY k.ord`,
    [ref.oid],
  );
  return {
    ref,
    columns: cols.rows.map((r) => ({
      name: r.attname,
      // A domain maps as its base type, as Debezium does.
      typeName: r.basename ?? r.typname,
      typeMod: r.basename ? Number(r.basemod) : Number(r.atttypmod),
      typeType: r.basename ? 'b' : r.typtype,
      elementTypeName: r.elemname,
      enumLabels: r.labels,
      notNull: r.attnotnull === 't' || r.attnotnull === 'true',
      defaultExpr: r.dflt,
    })),
    keyColumns: keys.rows.map((r) => r.attname),
  };
}

/** The server settings change data capture depends on, with what to fix when one is wrong. */
export async function replicationProblems(client: pg.Client, s: PgSettings): Promise<{ key: string; message: string }[]> {
  const problems: { key: string; message: string }[] = [];
  const wal = (await client.query<{ wal_level: string }>('SHOW wal_level')).rows[0]?.wal_level;
  if (wal !== 'logical') problems.push({ key: 'plugin.name', message: `Postgres server wal_level property must be "logical" but is: ${wal}. Set wal_level = logical in postgresql.conf and restart the server.` });
  const role = (await client.query<{ ok: string }>(`SELECT (rolreplication OR rolsuper)::text AS ok FROM pg_roles WHERE rolname = current_user`)).rows[0]?.ok;
  if (role !== 'true') problems.push({ key: 'database.user', message: `User ${s.user} has no REPLICATION privilege; run ALTER ROLE ${s.user} WITH REPLICATION (or use a user that has it).` });
  if (s.publicationAutocreate === 'disabled') {
    const pub = await client.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [s.publicationName]);
    if (pub.rowCount === 0) problems.push({ key: 'publication.name', message: `Publication ${s.publicationName} does not exist and publication.autocreate.mode is disabled; create it (CREATE PUBLICATION ${s.publicationName} FOR TABLE ...) or choose another mode.` });
  }
  return problems;
}

const quote = (id: string) => `"${id.replace(/"/g, '""')}"`;
export const qualified = (t: { schema: string; table: string }) => `${quote(t.schema)}.${quote(t.table)}`;
export { quote as quoteIdent };

/** Creates or updates the publication as `publication.autocreate.mode` says. */
export async function ensurePublication(client: pg.Client, s: PgSettings, tables: readonly TableRef[]): Promise<void> {
  const exists = ((await client.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [s.publicationName])).rowCount ?? 0) > 0;
  const name = quote(s.publicationName);
  try {
    switch (s.publicationAutocreate) {
      case 'disabled':
        if (!exists) throw new CdcSetupError(`Publication ${s.publicationName} does not exist and publication.autocreate.mode is disabled; create it or choose another mode.`);
        return;
      case 'all_tables':
        if (!exists) await client.query(`CREATE PUBLICATION ${name} FOR ALL TABLES`);
        return;
      case 'no_tables':
        if (!exists) await client.query(`CREATE PUBLICATION ${name}`);
        return;
      case 'filtered': {
        if (tables.length === 0) throw new CdcSetupError(`No table matches the filters, so publication ${s.publicationName} would be empty; check table.include.list.`);
        const list = tables.map(qualified).join(', ');
        await client.query(exists ? `ALTER PUBLICATION ${name} SET TABLE ${list}` : `CREATE PUBLICATION ${name} FOR TABLE ${list}`);
        return;
      }
    }
  } catch (e) {
    throw pgError(e, s, `creating publication ${s.publicationName}`);
  }
}
