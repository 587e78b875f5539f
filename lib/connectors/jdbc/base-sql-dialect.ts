/**
 * What SQL dialects share: statements whose text differs between databases only in quoting,
 * placeholders, column types and column defaults.
 */
import type { Schema } from '../../plugins/connect-schema.ts';
import { defaultLiteral, valueRows, type SinkColumn, type SqlDialect, type TableId } from './sql-dialect.ts';

export abstract class BaseSqlDialect implements Pick<SqlDialect, 'update' | 'deleteByKeys' | 'createTable' | 'addColumns'> {
  abstract quote(identifier: string): string;
  abstract tableName(id: TableId, quoted?: boolean): string;
  abstract placeholder(n: number): string;
  abstract sqlType(schema: Schema, isKey: boolean): string;

  /** Whether a column of this schema may have a DEFAULT clause (MySQL refuses them on TEXT and BLOB). */
  protected allowsDefault(_schema: Schema): boolean {
    return true;
  }

  update(table: TableId, keyColumns: readonly string[], otherColumns: readonly string[]): string {
    let n = 1;
    const set = otherColumns.map((c) => `${this.quote(c)} = ${this.placeholder(n++)}`).join(', ');
    const where = keyColumns.map((c) => `${this.quote(c)} = ${this.placeholder(n++)}`).join(' AND ');
    return `UPDATE ${this.tableName(table)} SET ${set} WHERE ${where}`;
  }

  deleteByKeys(table: TableId, keyColumns: readonly string[], rows: number): string {
    const cols = keyColumns.map((c) => this.quote(c)).join(',');
    return `DELETE FROM ${this.tableName(table)} WHERE (${cols}) IN (${valueRows(this, keyColumns.length, rows)})`;
  }

  createTable(table: TableId, columns: readonly SinkColumn[]): string {
    const defs = columns.map((c) => this.columnDefinition(c));
    const keys = columns.filter((c) => c.isKey).map((c) => this.quote(c.name));
    if (keys.length > 0) defs.push(`PRIMARY KEY(${keys.join(',')})`);
    return `CREATE TABLE ${this.tableName(table)} (\n${defs.join(',\n')})`;
  }

  addColumns(table: TableId, columns: readonly SinkColumn[]): string {
    return `ALTER TABLE ${this.tableName(table)} ${columns.map((c) => `ADD ${this.columnDefinition(c)}`).join(', ')}`;
  }

  protected columnDefinition(c: SinkColumn): string {
    const def = this.allowsDefault(c.schema) ? defaultLiteral(c.schema) : undefined;
    return `${this.quote(c.name)} ${this.sqlType(c.schema, c.isKey)}${def === undefined ? '' : ` DEFAULT ${def}`} ${c.schema.optional && !c.isKey ? 'NULL' : 'NOT NULL'}`;
  }
}
