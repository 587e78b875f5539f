/**
 * MySQL and MariaDB SQL for the JDBC connectors, matching Confluent's MySqlDatabaseDialect:
 * `database.table` names (the database is the JDBC catalog), `INSERT .. ON DUPLICATE KEY UPDATE`
 * upserts, and the column metadata mysql2 reports mapped to column kinds.
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

/** The parts of a mysql2 field packet that decide the column kind. */
export interface MysqlFieldInfo {
  readonly columnType: number;
  readonly flags: number;
  readonly decimals: number;
  readonly columnLength: number;
  readonly characterSet: number;
  readonly extendedFormat?: string | undefined;
}

export const MYSQL_FLAGS = { NOT_NULL: 1, BLOB: 16, UNSIGNED: 32, BINARY: 128, ENUM: 256, AUTO_INCREMENT: 512, SET: 2048 } as const;
const BINARY_CHARSET = 63;

export interface MysqlColumnType {
  readonly kind: ColumnKind;
  readonly typeName: string;
  readonly precision?: number | undefined;
  readonly scale?: number | undefined;
}

/** Maps a mysql2 field packet to a column kind (TINYINT(1) is BOOLEAN, as Connector/J reports it). */
export function mysqlColumnType(f: MysqlFieldInfo): MysqlColumnType {
  const unsigned = (f.flags & MYSQL_FLAGS.UNSIGNED) !== 0;
  const binary = f.characterSet === BINARY_CHARSET;
  const u = unsigned ? ' unsigned' : '';
  switch (f.columnType) {
    case 0:
    case 246: {
      const precision = f.columnLength - (f.decimals > 0 ? 1 : 0) - (unsigned ? 0 : 1);
      return { kind: 'decimal', typeName: `decimal(${precision},${f.decimals})${u}`, precision, scale: f.decimals };
    }
    case 1:
      if (f.columnLength === 1 && !unsigned) return { kind: 'boolean', typeName: 'tinyint(1)' };
      return { kind: unsigned ? 'int16' : 'int8', typeName: `tinyint${u}` };
    case 2:
      return { kind: unsigned ? 'int32' : 'int16', typeName: `smallint${u}` };
    case 9:
      return { kind: 'int32', typeName: `mediumint${u}` };
    case 3:
      return { kind: unsigned ? 'int64' : 'int32', typeName: `int${u}` };
    case 8:
      return { kind: unsigned ? 'uint64' : 'int64', typeName: `bigint${u}` };
    case 4:
      return { kind: 'float32', typeName: 'float' };
    case 5:
      return { kind: 'float64', typeName: 'double' };
    case 16:
      return f.columnLength === 1 ? { kind: 'boolean', typeName: 'bit(1)' } : { kind: 'bytes', typeName: `bit(${f.columnLength})` };
    case 13:
      return { kind: 'int32', typeName: 'year' };
    case 10:
    case 14:
      return { kind: 'date', typeName: 'date' };
    case 11:
      return { kind: 'time', typeName: 'time' };
    case 7:
      return { kind: 'timestamp', typeName: 'timestamp' };
    case 12:
      return { kind: 'timestamp', typeName: 'datetime' };
    case 245:
      return { kind: 'json', typeName: 'json' };
    case 15:
    case 253:
    case 254:
      if ((f.flags & (MYSQL_FLAGS.ENUM | MYSQL_FLAGS.SET)) !== 0) return { kind: 'string', typeName: 'enum' };
      return binary ? { kind: 'bytes', typeName: 'varbinary' } : { kind: 'string', typeName: 'varchar' };
    case 249:
    case 250:
    case 251:
    case 252:
      if (f.extendedFormat === 'json') return { kind: 'json', typeName: 'json' };
      return binary ? { kind: 'bytes', typeName: 'blob' } : { kind: 'string', typeName: 'text' };
    case 6:
      return { kind: 'string', typeName: 'null' };
    case 255:
      return { kind: 'unsupported', typeName: 'geometry' };
    default:
      return { kind: 'unsupported', typeName: `mysql type ${f.columnType}` };
  }
}

const TABLE_TYPES: Record<string, string> = { TABLE: 'BASE TABLE', VIEW: 'VIEW' };

export class MysqlDialect extends BaseSqlDialect implements SqlDialect {
  protected override allowsDefault(schema: Schema): boolean {
    return schema.type !== 'STRING' && schema.type !== 'BYTES';
  }

  readonly name = 'MySqlDatabaseDialect';

  readonly quoteChar = '`';

  constructor(private readonly quoteIdentifiers = true) {
    super();
  }

  quote(identifier: string): string {
    return this.quoteIdentifiers ? `\`${identifier.replace(/`/g, '``')}\`` : identifier;
  }

  tableName(id: TableId, quoted = true): string {
    const parts = [id.catalog, id.table].filter((p): p is string => p !== undefined && p !== '');
    return parts.map((p) => (quoted ? this.quote(p) : p)).join('.');
  }

  parseTableId(fqn: string): TableId {
    const parts = splitQualifiedName(fqn, '`');
    const table = parts.at(-1) ?? fqn;
    return parts.length >= 2 ? { catalog: parts[0], table } : { table };
  }

  placeholder(_n: number): string {
    return '?';
  }

  nowMinus(delayMs: number): string {
    return delayMs > 0 ? `(NOW(6) - INTERVAL ${Math.trunc(delayMs) * 1000} MICROSECOND)` : 'NOW(6)';
  }

  listTables(catalogPattern: string | null, tableTypes: readonly string[]): SqlText {
    const types = tableTypes.map((t) => TABLE_TYPES[t.toUpperCase()] ?? t.toUpperCase());
    const where = catalogPattern === null ? 'table_schema = DATABASE()' : 'table_schema LIKE ?';
    return {
      sql:
        `SELECT table_schema, table_name FROM information_schema.tables WHERE table_type IN (${types.map(() => '?').join(',')}) ` +
        `AND ${where} ORDER BY table_schema, table_name`,
      params: catalogPattern === null ? types : [...types, catalogPattern],
    };
  }

  tableIdFromRow(row: readonly unknown[]): TableId {
    return { catalog: String(row[0]), table: String(row[1]) };
  }

  describeColumns(id: TableId): SqlText {
    return {
      sql:
        "SELECT column_name, is_nullable, data_type, extra LIKE '%auto_increment%' FROM information_schema.columns " +
        'WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ? ORDER BY ordinal_position',
      params: [id.catalog ?? null, id.table],
    };
  }

  sqlType(schema: Schema, isKey: boolean): string {
    switch (schema.name) {
      case LOGICAL.decimal: {
        // MySQL allows precision 65 and scale 30 at most.
        const scale = Math.min(Number(schema.parameters?.['scale'] ?? '0'), 30);
        return `DECIMAL(65,${scale})`;
      }
      case LOGICAL.date:
        return 'DATE';
      case LOGICAL.time:
        return 'TIME(3)';
      case LOGICAL.timestamp:
        return 'DATETIME(3)';
    }
    switch (schema.type) {
      case 'INT8':
        return 'TINYINT';
      case 'INT16':
        return 'SMALLINT';
      case 'INT32':
        return 'INT';
      case 'INT64':
        return 'BIGINT';
      case 'FLOAT32':
        return 'FLOAT';
      case 'FLOAT64':
        return 'DOUBLE';
      case 'BOOLEAN':
        return 'TINYINT';
      case 'STRING':
        // TEXT cannot be part of a key without a prefix length.
        return isKey ? 'VARCHAR(255)' : 'TEXT';
      case 'BYTES':
        return isKey ? 'VARBINARY(255)' : 'VARBINARY(1024)';
      default:
        return '';
    }
  }

  insert(table: TableId, columns: readonly string[], rows: number): string {
    return `INSERT INTO ${this.tableName(table)} (${columns.map((c) => this.quote(c)).join(',')}) VALUES ${valueRows(this, columns.length, rows)}`;
  }

  upsert(table: TableId, keyColumns: readonly string[], otherColumns: readonly string[], rows: number): string {
    const updated = otherColumns.length === 0 ? keyColumns : otherColumns;
    const set = updated.map((c) => `${this.quote(c)}=VALUES(${this.quote(c)})`).join(',');
    return `${this.insert(table, [...keyColumns, ...otherColumns], rows)} ON DUPLICATE KEY UPDATE ${set}`;
  }

}
