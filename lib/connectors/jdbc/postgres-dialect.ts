/**
 * PostgreSQL's SQL for the JDBC connectors, matching Confluent's PostgreSqlDatabaseDialect:
 * two-part `schema.table` names, `INSERT .. ON CONFLICT .. DO UPDATE` upserts, and the
 * type OIDs the `pg` driver reports mapped to column kinds.
 */
import { LOGICAL, type Schema } from '../../plugins/connect-schema.ts';
import { BaseSqlDialect } from './base-sql-dialect.ts';
import {
  splitQualifiedName,
  valueRows,
  type ColumnKind,
  type SqlDialect,
  type SqlText,
  type TableId,
} from './sql-dialect.ts';

/** What pg_type says about a type OID the driver does not know by number. */
export interface PgTypeInfo {
  readonly typname: string;
  /** b base, e enum, d domain, c composite, r range, m multirange. */
  readonly typtype: string;
  /** A for arrays. */
  readonly typcategory: string;
  readonly baseKind?: ColumnKind | undefined;
}

const BUILTIN: Record<number, [ColumnKind, string]> = {
  16: ['boolean', 'bool'],
  17: ['bytes', 'bytea'],
  18: ['string', 'char'],
  19: ['string', 'name'],
  20: ['int64', 'int8'],
  21: ['int16', 'int2'],
  23: ['int32', 'int4'],
  25: ['string', 'text'],
  26: ['int64', 'oid'],
  114: ['json', 'json'],
  142: ['string', 'xml'],
  650: ['string', 'cidr'],
  700: ['float32', 'float4'],
  701: ['float64', 'float8'],
  774: ['string', 'macaddr8'],
  790: ['unsupported', 'money'],
  829: ['string', 'macaddr'],
  869: ['string', 'inet'],
  1042: ['string', 'bpchar'],
  1043: ['string', 'varchar'],
  1082: ['date', 'date'],
  1083: ['time', 'time'],
  1114: ['timestamp', 'timestamp'],
  1184: ['timestamptz', 'timestamptz'],
  1186: ['unsupported', 'interval'],
  1266: ['time', 'timetz'],
  1560: ['boolean', 'bit'],
  1562: ['string', 'varbit'],
  1700: ['decimal', 'numeric'],
  2950: ['string', 'uuid'],
  3802: ['json', 'jsonb'],
};

/** OIDs of types whose text the driver should hand over untouched (the mapper parses it). */
export const PG_RAW_TEXT_OIDS: readonly number[] = [20, 26, 114, 1082, 1083, 1114, 1184, 1266, 1560, 1700, 3802];

export interface PgColumnType {
  readonly kind: ColumnKind;
  readonly typeName: string;
  readonly precision?: number | undefined;
  readonly scale?: number | undefined;
}

/** Maps a result field's type OID and modifier (plus pg_type facts for other OIDs) to a column kind. */
export function pgColumnType(oid: number, typmod: number, info?: PgTypeInfo): PgColumnType {
  const builtin = BUILTIN[oid];
  if (builtin) {
    const [kind, typeName] = builtin;
    if (oid === 1700) {
      if (typmod < 4) return { kind, typeName, precision: 0, scale: -1 };
      return { kind, typeName, precision: ((typmod - 4) >> 16) & 0xffff, scale: (typmod - 4) & 0xffff };
    }
    if (oid === 1560 && typmod > 1) return { kind: 'string', typeName: `bit(${typmod})` };
    return { kind, typeName };
  }
  if (!info) return { kind: 'unsupported', typeName: `oid ${oid}` };
  if (info.typcategory === 'A') return { kind: 'unsupported', typeName: info.typname };
  if (info.typtype === 'e') return { kind: 'string', typeName: info.typname };
  if (info.typtype === 'd' && info.baseKind) return { kind: info.baseKind, typeName: info.typname };
  if (info.typname === 'citext') return { kind: 'string', typeName: info.typname };
  return { kind: 'unsupported', typeName: info.typname };
}

const TABLE_TYPES: Record<string, string> = { TABLE: 'BASE TABLE', VIEW: 'VIEW' };

export class PostgresDialect extends BaseSqlDialect implements SqlDialect {
  readonly name = 'PostgreSqlDatabaseDialect';

  readonly quoteChar = '"';

  constructor(private readonly quoteIdentifiers = true) {
    super();
  }

  quote(identifier: string): string {
    return this.quoteIdentifiers ? `"${identifier.replace(/"/g, '""')}"` : identifier;
  }

  tableName(id: TableId, quoted = true): string {
    const parts = [id.catalog, id.schema, id.table].filter((p): p is string => p !== undefined && p !== '');
    return parts.map((p) => (quoted ? this.quote(p) : p)).join('.');
  }

  parseTableId(fqn: string): TableId {
    const parts = splitQualifiedName(fqn, '"');
    const table = parts.at(-1) ?? fqn;
    if (parts.length >= 3) return { catalog: parts.at(-3), schema: parts.at(-2), table };
    if (parts.length === 2) return { schema: parts[0], table };
    return { table };
  }

  placeholder(n: number): string {
    return `$${n}`;
  }

  nowMinus(delayMs: number): string {
    return delayMs > 0 ? `(CURRENT_TIMESTAMP - INTERVAL '${Math.trunc(delayMs)} milliseconds')` : 'CURRENT_TIMESTAMP';
  }

  listTables(schemaPattern: string | null, tableTypes: readonly string[]): SqlText {
    const types = tableTypes.map((t) => TABLE_TYPES[t.toUpperCase()] ?? t.toUpperCase());
    const params: unknown[] = [types];
    let sql =
      'SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = ANY($1::text[]) ' +
      "AND table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\\_toast%'";
    if (schemaPattern !== null) {
      params.push(schemaPattern);
      sql += ' AND table_schema LIKE $2';
    }
    return { sql: `${sql} ORDER BY table_schema, table_name`, params };
  }

  tableIdFromRow(row: readonly unknown[]): TableId {
    return { schema: String(row[0]), table: String(row[1]) };
  }

  describeColumns(id: TableId): SqlText {
    return {
      sql:
        "SELECT column_name, is_nullable, data_type, (column_default LIKE 'nextval(%' OR is_identity = 'YES') " +
        'FROM information_schema.columns WHERE table_schema = COALESCE($1, current_schema()) AND table_name = $2 ' +
        'ORDER BY ordinal_position',
      params: [id.schema ?? null, id.table],
    };
  }

  sqlType(schema: Schema, _isKey: boolean): string {
    switch (schema.name) {
      case LOGICAL.decimal:
        return 'DECIMAL';
      case LOGICAL.date:
        return 'DATE';
      case LOGICAL.time:
        return 'TIME';
      case LOGICAL.timestamp:
        return 'TIMESTAMP';
    }
    switch (schema.type) {
      case 'INT8':
      case 'INT16':
        return 'SMALLINT';
      case 'INT32':
        return 'INT';
      case 'INT64':
        return 'BIGINT';
      case 'FLOAT32':
        return 'REAL';
      case 'FLOAT64':
        return 'DOUBLE PRECISION';
      case 'BOOLEAN':
        return 'BOOLEAN';
      case 'STRING':
        return 'TEXT';
      case 'BYTES':
        return 'BYTEA';
      default:
        return '';
    }
  }

  insert(table: TableId, columns: readonly string[], rows: number): string {
    return `INSERT INTO ${this.tableName(table)} (${columns.map((c) => this.quote(c)).join(',')}) VALUES ${valueRows(this, columns.length, rows)}`;
  }

  upsert(table: TableId, keyColumns: readonly string[], otherColumns: readonly string[], rows: number): string {
    const all = [...keyColumns, ...otherColumns];
    const conflict = `ON CONFLICT (${keyColumns.map((c) => this.quote(c)).join(',')})`;
    const action =
      otherColumns.length === 0
        ? 'DO NOTHING'
        : `DO UPDATE SET ${otherColumns.map((c) => `${this.quote(c)}=EXCLUDED.${this.quote(c)}`).join(',')}`;
    return `${this.insert(table, all, rows)} ${conflict} ${action}`;
  }

}
