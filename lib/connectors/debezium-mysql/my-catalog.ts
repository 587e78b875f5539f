/**
 * Plain connections to MySQL/MariaDB and the catalog queries the connector needs: captured
 * tables, their columns and keys, and the server settings a binlog reader depends on.
 */
import type mysql from 'mysql2/promise';
import { CdcConnectionError, CdcError, CdcSetupError } from '../debezium-common/cdc-errors.ts';
import { NameFilter } from '../debezium-common/table-filter.ts';
import { lazyDriver } from '../lazy-driver.ts';
import type { MySettings } from './my-config.ts';

/** mysql2's promise API, loaded by the first connection (see lazy-driver.ts). */
const mysqlDriver = lazyDriver(() => import('mysql2/promise'));

/** Session options shared by queries and the binlog reader, so both give values the same shape. */
export function connectionOptions(s: MySettings): mysql.ConnectionOptions {
  return {
    host: s.hostname,
    port: s.port,
    user: s.user,
    password: s.password,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    // JSON as the server stores it (Debezium passes the text through), not parsed and re-serialized.
    jsonStrings: true,
    timezone: 'Z',
    connectTimeout: 10_000,
  };
}

export function myError(e: unknown, s: MySettings, doing: string): CdcError {
  if (e instanceof CdcError) return e;
  const err = (e ?? {}) as { errno?: number; code?: string; message?: string };
  const msg = err.message ?? String(e);
  const target = `${s.hostname}:${s.port}`;
  if (err.errno === 1045 || err.errno === 1698) return new CdcSetupError(`Authentication failed for user ${s.user} at ${target}: ${msg}. Check database.user and database.password.`, { cause: e });
  if (err.errno === 1227 || err.errno === 1142 || err.errno === 1044) return new CdcSetupError(`User ${s.user} lacks a privilege while ${doing}: ${msg}. Grant it SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE and REPLICATION CLIENT.`, { cause: e });
  if (err.errno === 1236) return new CdcSetupError(`The binlog position is no longer on the server while ${doing}: ${msg}. Reset the connector's offsets to take a new snapshot, or set snapshot.mode=when_needed.`, { cause: e });
  if ((err.code && /ECONN|ENOTFOUND|ETIMEDOUT|PROTOCOL_CONNECTION_LOST|EPIPE/.test(err.code)) || /closed|timeout/i.test(msg)) {
    return new CdcConnectionError(`Cannot reach the database at ${target} while ${doing}: ${msg}`, { cause: e });
  }
  return new CdcError(`The database failed while ${doing}: ${msg}`, { cause: e });
}

export async function connect(s: MySettings): Promise<mysql.Connection> {
  const { default: mysql } = await mysqlDriver.load();
  try {
    const c = await mysql.createConnection(connectionOptions(s));
    c.on('error', () => undefined);
    return c;
  } catch (e) {
    throw myError(e, s, 'connecting');
  }
}

export interface MyTableRef {
  readonly db: string;
  readonly table: string;
}

export interface MyColumnInfo {
  readonly name: string;
  /** information_schema DATA_TYPE, e.g. `int`, `varchar`, `datetime`. */
  readonly dataType: string;
  /** information_schema COLUMN_TYPE, e.g. `int(10) unsigned`, `enum('a','b')`. */
  readonly columnType: string;
  readonly precision: number | null;
  readonly scale: number | null;
  readonly datetimePrecision: number | null;
  readonly notNull: boolean;
  /** What schema change events describe besides the type: charset, AUTO_INCREMENT, comment, default. */
  readonly charset?: string | null;
  readonly autoIncrement?: boolean;
  readonly comment?: string;
  readonly defaultValue?: string | null;
  /** Whether `defaultValue` is a literal (a quoted string or a number), not an expression such as current_timestamp(). */
  readonly defaultLiteral?: boolean;
}

const SYSTEM_DBS = new Set(['mysql', 'information_schema', 'performance_schema', 'sys']);

export async function capturedTables(c: mysql.Connection, s: MySettings): Promise<MyTableRef[]> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(`SELECT TABLE_SCHEMA AS db, TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_SCHEMA, TABLE_NAME`);
  const dbs = new NameFilter(s.databaseInclude, s.databaseExclude);
  const tables = new NameFilter(s.tableInclude, s.tableExclude);
  return rows
    .map((r) => ({ db: String(r.db), table: String(r.t) }))
    .filter((r) => !SYSTEM_DBS.has(r.db) && dbs.matches(r.db) && tables.matches(`${r.db}.${r.table}`));
}

export async function tableColumns(c: mysql.Connection, ref: MyTableRef): Promise<{ columns: MyColumnInfo[]; keyColumns: string[] }> {
  const [cols] = await c.query<mysql.RowDataPacket[]>(
    `SELECT COLUMN_NAME AS name, DATA_TYPE AS dt, COLUMN_TYPE AS ct, NUMERIC_PRECISION AS np, NUMERIC_SCALE AS ns, DATETIME_PRECISION AS dp, IS_NULLABLE AS nullable, COLUMN_KEY AS ck,
            CHARACTER_SET_NAME AS cs, EXTRA AS extra, COLUMN_COMMENT AS cmt, COLUMN_DEFAULT AS dflt
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    [ref.db, ref.table],
  );
  const [keys] = await c.query<mysql.RowDataPacket[]>(
    `SELECT COLUMN_NAME AS name FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION`,
    [ref.db, ref.table],
  );
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    columns: cols.map((r) => ({ name: String(r.name), dataType: String(r.dt).toLowerCase(), columnType: String(r.ct).toLowerCase(), precision: num(r.np), scale: num(r.ns), datetimePrecision: num(r.dp), notNull: r.nullable === 'NO', ...extras(r) })),
    keyColumns: keys.map((r) => String(r.name)),
  };
}

/** MariaDB's information_schema quotes string defaults and writes NULL for none; Debezium gives the bare value. */
function extras(r: mysql.RowDataPacket): Pick<MyColumnInfo, 'charset' | 'autoIncrement' | 'comment' | 'defaultValue' | 'defaultLiteral'> {
  const raw = r.dflt === null || r.dflt === undefined ? null : String(r.dflt);
  const quoted = raw !== null && /^'(.*)'$/s.test(raw);
  const defaultValue = raw === null || raw === 'NULL' ? null : quoted ? raw.slice(1, -1).replace(/''/g, "'") : raw;
  const defaultLiteral = defaultValue !== null && (quoted || /^-?\d+(\.\d+)?$/.test(defaultValue));
  return { charset: r.cs === null || r.cs === undefined ? null : String(r.cs), autoIncrement: /auto_increment/i.test(String(r.extra ?? '')), comment: String(r.cmt ?? ''), defaultValue, defaultLiteral };
}

/** A table's default character set and comment, for schema change events. */
export async function tableOptions(c: mysql.Connection, ref: MyTableRef): Promise<{ defaultCharset: string | null; comment: string | null }> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(
    `SELECT c.CHARACTER_SET_NAME AS cs, t.TABLE_COMMENT AS cmt FROM information_schema.TABLES t
       LEFT JOIN information_schema.COLLATION_CHARACTER_SET_APPLICABILITY c ON c.COLLATION_NAME = t.TABLE_COLLATION
      WHERE t.TABLE_SCHEMA = ? AND t.TABLE_NAME = ?`,
    [ref.db, ref.table],
  );
  const r = rows[0];
  return { defaultCharset: r?.cs ? String(r.cs) : null, comment: r?.cmt ? String(r.cmt) : null };
}

/** What a binlog reader needs from the server, with the fix for each problem. */
export async function binlogProblems(c: mysql.Connection, s: MySettings): Promise<{ key: string; message: string }[]> {
  const problems: { key: string; message: string }[] = [];
  const [vars] = await c.query<mysql.RowDataPacket[]>(`SHOW GLOBAL VARIABLES WHERE Variable_name IN ('log_bin', 'binlog_format', 'binlog_row_image')`);
  const v = Object.fromEntries(vars.map((r) => [String(r.Variable_name), String(r.Value)]));
  if ((v.log_bin ?? 'OFF').toUpperCase() !== 'ON') problems.push({ key: 'database.hostname', message: 'The MySQL server is not configured to use a binlog: set log_bin (and server_id) in the server configuration and restart it.' });
  if ((v.binlog_format ?? '').toUpperCase() !== 'ROW') problems.push({ key: 'database.hostname', message: `The MySQL server is not configured to use a ROW binlog_format, which is required for this connector to work properly (it is ${v.binlog_format}). Set binlog_format=ROW in the server configuration.` });
  if (v.binlog_row_image && v.binlog_row_image.toUpperCase() !== 'FULL') problems.push({ key: 'database.hostname', message: `The MySQL server is not configured to use a FULL binlog_row_image (it is ${v.binlog_row_image}). Set binlog_row_image=FULL.` });
  const [grants] = await c.query<mysql.RowDataPacket[]>('SHOW GRANTS');
  const text = grants.map((r) => String(Object.values(r)[0])).join('\n').toUpperCase();
  const all = /GRANT ALL PRIVILEGES ON \*\.\*/.test(text);
  for (const p of ['REPLICATION SLAVE', 'REPLICATION CLIENT']) {
    const alt = p === 'REPLICATION CLIENT' ? /BINLOG MONITOR/ : /REPLICATION SLAVE/;
    if (!all && !text.includes(p) && !alt.test(text)) problems.push({ key: 'database.user', message: `User ${s.user} lacks the ${p} privilege; run GRANT ${p} ON *.* TO '${s.user}'.` });
  }
  return problems;
}
