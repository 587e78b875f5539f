/**
 * One database connection behind a small interface the JDBC tasks use, implemented on the
 * `pg` and `mysql2` drivers. Driver errors come out as the errors in errors.ts.
 */
import type { JdbcConnectionOptions } from './jdbc-url-parser.ts';
import { MysqlClient } from './mysql-client.ts';
import { MysqlDialect } from './mysql-dialect.ts';
import { PgClient } from './pg-client.ts';
import { PostgresDialect } from './postgres-dialect.ts';
import type { ColumnMeta, SqlDialect } from './sql-dialect.ts';

export interface QueryResult {
  /** Rows as arrays, in column order. */
  readonly rows: readonly (readonly unknown[])[];
  readonly columns: readonly ColumnMeta[];
}

/** A server-side cursor over a large result, read a batch at a time. */
export interface RowCursor {
  readonly columns: readonly ColumnMeta[];
  /** Up to `max` rows; fewer means the result is exhausted. */
  read(max: number): Promise<readonly (readonly unknown[])[]>;
  close(): Promise<void>;
}

export interface JdbcClient {
  readonly dialect: SqlDialect;
  /** The database the connection is on (the default namespace of unqualified tables). */
  readonly database: string | undefined;
  query(sql: string, params?: readonly unknown[]): Promise<QueryResult>;
  /** Runs a statement and returns the number of rows it changed. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Runs `fn` in a transaction, committing when it resolves and rolling back when it throws. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  openCursor(sql: string, params: readonly unknown[]): Promise<RowCursor>;
  close(): Promise<void>;
}

export interface ClientSettings {
  readonly connection: JdbcConnectionOptions;
  /** connection.user / connection.password override the URL's. */
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** db.timezone, set as the session time zone. */
  readonly timeZone: string;
  readonly quoteIdentifiers: boolean;
}

/** Opens a connection; throws JdbcAuthenticationError or JdbcConnectionError when it cannot. */
export async function openJdbcClient(settings: ClientSettings): Promise<JdbcClient> {
  return settings.connection.dialect === 'postgresql' ? PgClient.connect(settings) : MysqlClient.connect(settings);
}

/** The dialect a connection will use, known before connecting. */
export function dialectFor(settings: ClientSettings): SqlDialect {
  return settings.connection.dialect === 'postgresql'
    ? new PostgresDialect(settings.quoteIdentifiers)
    : new MysqlDialect(settings.quoteIdentifiers);
}
