/**
 * JdbcClient on `mysql2` for MySQL and MariaDB. Dates, DECIMAL, BIGINT and JSON arrive as text
 * so nothing is rounded; the session time zone is set to `db.timezone` so TIMESTAMP and
 * DATETIME columns read and compare in the same zone.
 */
import type mysqlCore from 'mysql2';
import type { FieldPacket, ResultSetHeader } from 'mysql2';
import type mysql from 'mysql2/promise';
import type { Readable } from 'node:stream';
import { lazyDriver } from '../lazy-driver.ts';
import { connectError } from './driver-errors.ts';
import type { ClientSettings, JdbcClient, QueryResult, RowCursor } from './jdbc-client.ts';
import { MYSQL_FLAGS, MysqlDialect, mysqlColumnType } from './mysql-dialect.ts';
import type { ColumnMeta } from './sql-dialect.ts';
import { zoneOffsetMs } from './zoned-time.ts';

type Row = readonly unknown[];

/** The `mysql2` driver, loaded by the first connection (see lazy-driver.ts). */
const mysqlDriver = lazyDriver(() => import('mysql2'));

export class MysqlClient implements JdbcClient {
  readonly dialect: MysqlDialect;

  private constructor(
    private readonly core: mysqlCore.Connection,
    private readonly conn: mysql.Connection,
    readonly database: string | undefined,
    quoteIdentifiers: boolean,
  ) {
    this.dialect = new MysqlDialect(quoteIdentifiers);
  }

  static async connect(settings: ClientSettings): Promise<MysqlClient> {
    const c = settings.connection;
    const { default: mysqlCore } = await mysqlDriver.load();
    let core: mysqlCore.Connection | undefined;
    try {
      core = mysqlCore.createConnection({
        host: c.host,
        port: c.port,
        database: c.database,
        user: settings.user ?? c.user,
        password: settings.password ?? c.password ?? '',
        ssl: c.ssl === false ? undefined : { rejectUnauthorized: c.ssl.rejectUnauthorized },
        connectTimeout: c.connectTimeoutMs ?? 10_000,
        charset: 'utf8mb4',
        dateStrings: true,
        supportBigNumbers: true,
        bigNumberStrings: true,
        decimalNumbers: false,
        jsonStrings: true,
        multipleStatements: false,
      });
      // An idle connection that drops emits 'error'; without a listener that would crash the process.
      core.on('error', () => undefined);
      await core.promise().connect();
      await setSessionTimeZone(core.promise(), settings.timeZone);
    } catch (e) {
      core?.destroy();
      throw connectError(e, settings);
    }
    return new MysqlClient(core, core.promise(), c.database, settings.quoteIdentifiers);
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<QueryResult> {
    const [rows, fields] = await this.conn.query({ sql, values: [...params], rowsAsArray: true });
    return { rows: rows as unknown as Row[], columns: describe(fields ?? []) };
  }

  async execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    const [result] = await this.conn.query({ sql, values: [...params] });
    return (result as ResultSetHeader).affectedRows ?? 0;
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.conn.beginTransaction();
    try {
      const result = await fn();
      await this.conn.commit();
      return result;
    } catch (e) {
      await this.conn.rollback().catch(() => undefined);
      throw e;
    }
  }

  async openCursor(sql: string, params: readonly unknown[]): Promise<RowCursor> {
    const q = this.core.query({ sql, values: [...params], rowsAsArray: true });
    const stream: Readable = q.stream({ highWaterMark: 1000 } as never);
    const fields = await new Promise<FieldPacket[]>((resolve, reject) => {
      q.once('fields', (f: FieldPacket[]) => resolve(f));
      stream.once('error', reject);
      stream.once('end', () => resolve([]));
    });
    const it = stream[Symbol.asyncIterator]() as AsyncIterator<Row>;
    let done = false;
    return {
      columns: describe(fields),
      read: async (max) => {
        const out: Row[] = [];
        while (!done && out.length < max) {
          const next = await it.next();
          if (next.done) done = true;
          else out.push(next.value);
        }
        return out;
      },
      close: async () => {
        if (done) return;
        done = true;
        // mysql2 cannot abandon a streaming result mid-way; the connection is dropped instead.
        stream.destroy();
        this.conn.destroy();
      },
    };
  }

  async close(): Promise<void> {
    await this.conn.end().catch(() => this.conn.destroy());
  }
}

function describe(fields: readonly FieldPacket[]): ColumnMeta[] {
  return fields.map((f) => {
    const flags = typeof f.flags === 'number' ? f.flags : 0;
    const t = mysqlColumnType({
      columnType: f.columnType ?? f.type ?? -1,
      flags,
      decimals: f.decimals,
      columnLength: f.columnLength ?? f.length ?? 0,
      characterSet: f.characterSet ?? f.charsetNr ?? 0,
      extendedFormat: f.extendedFormat,
    });
    return {
      name: f.name,
      kind: t.kind,
      typeName: t.typeName,
      nullable: (flags & MYSQL_FLAGS.NOT_NULL) === 0,
      precision: t.precision,
      scale: t.scale,
      autoIncrement: (flags & MYSQL_FLAGS.AUTO_INCREMENT) !== 0,
    };
  });
}

async function setSessionTimeZone(conn: mysql.Connection, zone: string): Promise<void> {
  const offset = zoneOffsetMs(zone, Date.now());
  if (offset === 0 && /^(UTC|Etc\/UTC|GMT|Z)$/i.test(zone)) {
    await conn.query("SET time_zone = '+00:00'");
    return;
  }
  try {
    await conn.query('SET time_zone = ?', [zone]);
  } catch {
    // Named zones need the server's time zone tables; fall back to today's fixed offset.
    const sign = offset < 0 ? '-' : '+';
    const minutes = Math.abs(offset) / 60_000;
    const text = `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    await conn.query('SET time_zone = ?', [text]);
  }
}
