/**
 * Keeps destination tables in step with record schemas, as Confluent's DbStructure: creates a
 * missing table (auto.create), adds missing columns (auto.evolve), and otherwise fails with a
 * message naming the table and the fields.
 */
import { statementError } from './driver-errors.ts';
import { JdbcError, JdbcTableNotFoundError } from './errors.ts';
import type { JdbcClient } from './jdbc-client.ts';
import { jdbcLogger } from './jdbc-logger.ts';
import type { SinkColumn, TableColumn, TableId } from './sql-dialect.ts';

export interface TableOptions {
  readonly autoCreate: boolean;
  readonly autoEvolve: boolean;
}

export class SinkTableManager {
  private readonly known = new Map<string, TableColumn[]>();

  constructor(private readonly options: TableOptions) {}

  /** Forgets what is known about tables, e.g. after an error that may come from a changed table. */
  clear(): void {
    this.known.clear();
  }

  /** Makes sure `table` exists with every column in `columns`. */
  async ensure(client: JdbcClient, table: TableId, columns: readonly SinkColumn[]): Promise<void> {
    const label = client.dialect.tableName(table, false);
    let existing = this.known.get(label) ?? (await this.describe(client, table));
    if (existing.length === 0) {
      if (!this.options.autoCreate) {
        throw new JdbcTableNotFoundError(label, `Table "${label}" is missing and auto-creation is disabled (auto.create=false)`);
      }
      for (const c of columns) this.checkType(client, label, c);
      const sql = client.dialect.createTable(table, columns);
      jdbcLogger.info('Creating table', { table: label });
      // Another task may create the same table at the same time; its table is as good as ours.
      await this.run(client, sql, label).catch(async (e: unknown) => {
        if ((await this.describe(client, table)).length === 0) throw e;
      });
      existing = await this.describe(client, table);
    }
    const have = new Set(existing.map((c) => c.name.toLowerCase()));
    const missing = columns.filter((c) => !have.has(c.name.toLowerCase()));
    if (missing.length > 0) {
      const names = missing.map((c) => c.name).join(', ');
      if (!this.options.autoEvolve) {
        throw new JdbcError(`Table "${label}" is missing fields (${names}) and auto-evolution is disabled (auto.evolve=false)`);
      }
      for (const c of missing) {
        this.checkType(client, label, c);
        if (!c.schema.optional && (c.schema.defaultValue === undefined || c.schema.defaultValue === null)) {
          throw new JdbcError(`Cannot ALTER TABLE "${label}" to add missing field ${c.name}, as the field is not optional and does not have a default value`);
        }
      }
      jdbcLogger.info('Adding columns', { table: label, columns: names });
      await this.run(client, client.dialect.addColumns(table, missing), label).catch(async (e: unknown) => {
        const now = new Set((await this.describe(client, table)).map((c) => c.name.toLowerCase()));
        if (missing.some((c) => !now.has(c.name.toLowerCase()))) throw e;
      });
      existing = await this.describe(client, table);
    }
    this.known.set(label, existing);
  }

  private checkType(client: JdbcClient, table: string, c: SinkColumn): void {
    if (client.dialect.sqlType(c.schema, c.isKey) === '') {
      throw new JdbcError(`Cannot create column ${c.name} of table "${table}": no SQL type for Connect schema ${c.schema.type}${c.schema.name ? ` (${c.schema.name})` : ''}`);
    }
  }

  private async describe(client: JdbcClient, table: TableId): Promise<TableColumn[]> {
    const { sql, params } = client.dialect.describeColumns(table);
    const r = await client.query(sql, params);
    return r.rows.map((row) => ({
      name: String(row[0]),
      nullable: String(row[1]).toUpperCase() === 'YES',
      typeName: String(row[2]),
      autoIncrement: row[3] === true || row[3] === 1 || row[3] === '1',
    }));
  }

  private async run(client: JdbcClient, sql: string, label: string): Promise<void> {
    try {
      await client.execute(sql);
    } catch (e) {
      throw statementError(e, label);
    }
  }
}
