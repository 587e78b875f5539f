/**
 * JdbcClient on the `pg` driver. Timestamps, dates, numerics and 64-bit integers arrive as the
 * server's text so no precision is lost; nullability and unknown type OIDs are looked up once
 * in the catalog and cached.
 */
import type pg from 'pg';
import { lazyDriver } from '../lazy-driver.ts';
import { connectError } from './driver-errors.ts';
import type { ClientSettings, JdbcClient, QueryResult, RowCursor } from './jdbc-client.ts';
import { PG_RAW_TEXT_OIDS, PostgresDialect, pgColumnType, type PgTypeInfo } from './postgres-dialect.ts';
import type { ColumnKind, ColumnMeta } from './sql-dialect.ts';

/** The `pg` driver, loaded by the first connection (see lazy-driver.ts). */
const pgDriver = lazyDriver(() => import('pg'));

const rawText = (value: string): string => value;
const RAW = new Set(PG_RAW_TEXT_OIDS);

interface PgField {
  name: string;
  tableID: number;
  columnID: number;
  dataTypeID: number;
  dataTypeModifier: number;
}

let cursorCounter = 0;

export class PgClient implements JdbcClient {
  readonly dialect: PostgresDialect;
  private readonly notNull = new Map<string, boolean>();
  private readonly typeInfo = new Map<number, PgTypeInfo | null>();

  private constructor(
    private readonly client: pg.Client,
    readonly database: string | undefined,
    quoteIdentifiers: boolean,
  ) {
    this.dialect = new PostgresDialect(quoteIdentifiers);
  }

  static async connect(settings: ClientSettings): Promise<PgClient> {
    const c = settings.connection;
    const { default: pg } = await pgDriver.load();
    const client = new pg.Client({
      host: c.host,
      port: c.port,
      database: c.database,
      user: settings.user ?? c.user,
      password: settings.password ?? c.password ?? '',
      ssl: c.ssl === false ? false : { rejectUnauthorized: c.ssl.rejectUnauthorized },
      connectionTimeoutMillis: c.connectTimeoutMs ?? 10_000,
      application_name: c.properties['ApplicationName'] ?? 'tributary',
      types: {
        getTypeParser: ((oid: number, format?: string) =>
          RAW.has(oid) ? rawText : pg.types.getTypeParser(oid, (format ?? 'text') as 'text')) as typeof pg.types.getTypeParser,
      },
    });
    // An idle connection that drops emits 'error'; without a listener that would crash the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query(`SET TIME ZONE '${settings.timeZone.replace(/'/g, "''")}'`);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw connectError(e, settings);
    }
    return new PgClient(client, c.database, settings.quoteIdentifiers);
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<QueryResult> {
    const r = await this.client.query({ text: sql, values: [...params], rowMode: 'array' });
    return { rows: r.rows as unknown[][], columns: await this.describe(r.fields as PgField[]) };
  }

  async execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    const r = await this.client.query({ text: sql, values: [...params] });
    return r.rowCount ?? 0;
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.client.query('BEGIN');
    try {
      const result = await fn();
      await this.client.query('COMMIT');
      return result;
    } catch (e) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  async openCursor(sql: string, params: readonly unknown[]): Promise<RowCursor> {
    const name = `tributary_cursor_${++cursorCounter}`;
    await this.client.query('BEGIN READ ONLY');
    try {
      await this.client.query({ text: `DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, values: [...params] });
      // Fetching nothing still describes the columns.
      const head = await this.client.query({ text: `FETCH FORWARD 0 FROM ${name}`, rowMode: 'array' });
      const columns = await this.describe(head.fields as PgField[]);
      let open = true;
      const close = async (): Promise<void> => {
        if (!open) return;
        open = false;
        await this.client.query(`CLOSE ${name}`).catch(() => undefined);
        await this.client.query('COMMIT').catch(() => undefined);
      };
      return {
        columns,
        read: async (max) => {
          if (!open) return [];
          const r = await this.client.query({ text: `FETCH FORWARD ${Math.max(1, Math.trunc(max))} FROM ${name}`, rowMode: 'array' });
          return r.rows as unknown[][];
        },
        close,
      };
    } catch (e) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  private async describe(fields: readonly PgField[]): Promise<ColumnMeta[]> {
    await this.loadNullability(fields);
    await this.loadTypes(fields.map((f) => f.dataTypeID));
    return fields.map((f) => {
      const info = this.typeInfo.get(f.dataTypeID) ?? undefined;
      const t = pgColumnType(f.dataTypeID, f.dataTypeModifier, info);
      const notNull = f.tableID === 0 ? undefined : this.notNull.get(`${f.tableID}:${f.columnID}`);
      return { name: f.name, kind: t.kind, typeName: t.typeName, nullable: notNull === undefined ? undefined : !notNull, precision: t.precision, scale: t.scale };
    });
  }

  private async loadNullability(fields: readonly PgField[]): Promise<void> {
    const missing = [...new Set(fields.filter((f) => f.tableID !== 0 && !this.notNull.has(`${f.tableID}:${f.columnID}`)).map((f) => f.tableID))];
    if (missing.length === 0) return;
    const r = await this.client.query({
      text: 'SELECT attrelid, attnum, attnotnull FROM pg_attribute WHERE attrelid = ANY($1::oid[]) AND attnum > 0',
      values: [missing],
      rowMode: 'array',
    });
    for (const [rel, num, notNull] of r.rows as [string | number, number, boolean][]) this.notNull.set(`${rel}:${num}`, notNull);
    // Columns of tables that vanished meanwhile stay unknown, i.e. nullable.
    for (const f of fields) if (f.tableID !== 0 && !this.notNull.has(`${f.tableID}:${f.columnID}`)) this.notNull.set(`${f.tableID}:${f.columnID}`, false);
  }

  private async loadTypes(oids: readonly number[]): Promise<void> {
    const missing = [...new Set(oids.filter((o) => pgColumnType(o, -1).kind === 'unsupported' && !this.typeInfo.has(o)))];
    if (missing.length === 0) return;
    const r = await this.client.query({
      text: 'SELECT t.oid, t.typname, t.typtype, t.typcategory, t.typbasetype FROM pg_type t WHERE t.oid = ANY($1::oid[])',
      values: [missing],
      rowMode: 'array',
    });
    for (const [oid, typname, typtype, typcategory, base] of r.rows as [number, string, string, string, number][]) {
      const baseKind: ColumnKind | undefined = typtype === 'd' ? pgColumnType(Number(base), -1).kind : undefined;
      this.typeInfo.set(Number(oid), { typname, typtype, typcategory, baseKind });
    }
    for (const o of missing) if (!this.typeInfo.has(o)) this.typeInfo.set(o, null);
  }
}
