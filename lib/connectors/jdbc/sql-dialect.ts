/**
 * What the JDBC connectors need to know about a database's SQL: identifier quoting, table
 * names, metadata queries and the sink's statements. One implementation per database family
 * (postgres-dialect.ts, mysql-dialect.ts); everything here is pure and unit-tested.
 */
import type { Schema } from '../../plugins/connect-schema.ts';

/** A table's identity as Confluent's TableId: catalog (MySQL database), schema (PostgreSQL), name. */
export interface TableId {
  readonly catalog?: string | undefined;
  readonly schema?: string | undefined;
  readonly table: string;
}

/** A column's type reduced to what decides its Connect schema. */
export type ColumnKind =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint64'
  | 'decimal'
  | 'float32'
  | 'float64'
  | 'boolean'
  | 'string'
  | 'json'
  | 'bytes'
  | 'date'
  | 'time'
  | 'timestamp'
  | 'timestamptz'
  | 'unsupported';

/** A result column as the drivers describe it, normalised across databases. */
export interface ColumnMeta {
  readonly name: string;
  readonly kind: ColumnKind;
  /** The database's own type name, for messages. */
  readonly typeName: string;
  /** undefined when the database cannot tell (computed columns): treated as nullable. */
  readonly nullable: boolean | undefined;
  /** Decimal precision; 0 when unconstrained. */
  readonly precision?: number | undefined;
  /** Decimal scale; -1 when unconstrained. */
  readonly scale?: number | undefined;
  readonly autoIncrement?: boolean | undefined;
}

/** A column of an existing table, from information_schema. */
export interface TableColumn {
  readonly name: string;
  readonly nullable: boolean;
  readonly typeName: string;
  readonly autoIncrement: boolean;
}

/** A column the sink writes: its name, Connect schema, and whether it is part of the primary key. */
export interface SinkColumn {
  readonly name: string;
  readonly schema: Schema;
  readonly isKey: boolean;
}

export interface SqlText {
  readonly sql: string;
  readonly params: readonly unknown[];
}

export interface SqlDialect {
  /** Confluent's dialect name, e.g. PostgreSqlDatabaseDialect. */
  readonly name: string;
  /** The identifier quote character: `"` or a backtick. */
  readonly quoteChar: string;
  quote(identifier: string): string;
  /** `"public"."t"` (quoted) or `public.t` (as in offsets and table lists). */
  tableName(id: TableId, quoted?: boolean): string;
  parseTableId(fqn: string): TableId;
  /** The n-th (1-based) bind parameter: `$n` or `?`. */
  placeholder(n: number): string;
  /** SQL for the database's current time minus `delayMs`, compared against timestamp columns. */
  nowMinus(delayMs: number): string;
  listTables(schemaPattern: string | null, tableTypes: readonly string[]): SqlText;
  /** Reads a listTables row into a TableId. */
  tableIdFromRow(row: readonly unknown[]): TableId;
  /** Query returning [name, is_nullable ('YES'/'NO'), data_type, auto_increment (bool-ish)]. */
  describeColumns(id: TableId): SqlText;
  /** The column type the sink's auto.create / auto.evolve gives a Connect schema. */
  sqlType(schema: Schema, isKey: boolean): string;
  insert(table: TableId, columns: readonly string[], rows: number): string;
  upsert(table: TableId, keyColumns: readonly string[], otherColumns: readonly string[], rows: number): string;
  update(table: TableId, keyColumns: readonly string[], otherColumns: readonly string[]): string;
  deleteByKeys(table: TableId, keyColumns: readonly string[], rows: number): string;
  createTable(table: TableId, columns: readonly SinkColumn[]): string;
  addColumns(table: TableId, columns: readonly SinkColumn[]): string;
}

/** Splits `a.b."c.d"` into its parts, honouring the quote character. */
export function splitQualifiedName(fqn: string, quote: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < fqn.length; i++) {
    const ch = fqn[i] as string;
    if (ch === quote) {
      if (quoted && fqn[i + 1] === quote) {
        current += quote;
        i++;
      } else {
        quoted = !quoted;
      }
    } else if (ch === '.' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim());
}

/** Splits a comma-separated list of (possibly quoted) table names. */
export function splitTableList(list: string, quote: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of list) {
    if (ch === quote) quoted = !quoted;
    if (ch === ',' && !quoted) {
      if (current.trim() !== '') out.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

/** `(p1,p2),(p3,p4)` for multi-row VALUES with `width` parameters per row. */
export function valueRows(dialect: Pick<SqlDialect, 'placeholder'>, width: number, rows: number, startAt = 1): string {
  const out: string[] = [];
  let n = startAt;
  for (let r = 0; r < rows; r++) {
    const ps: string[] = [];
    for (let c = 0; c < width; c++) ps.push(dialect.placeholder(n++));
    out.push(`(${ps.join(',')})`);
  }
  return out.join(',');
}

/** The SQL literal of a Connect default value, or undefined when it has none worth declaring. */
export function defaultLiteral(schema: Schema): string | undefined {
  const v = schema.defaultValue;
  if (v === undefined || v === null) return undefined;
  if (schema.name) return undefined;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  return undefined;
}
