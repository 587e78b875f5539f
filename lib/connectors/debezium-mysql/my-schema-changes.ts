/**
 * Debezium's MySQL/MariaDB schema change events (`include.schema.changes`): topic `<topic.prefix>`,
 * key `{databaseName}`, value `{source, ts_ms, databaseName, schemaName, ddl, tableChanges}` where
 * each table change carries the table's structure after the statement, as Debezium's
 * `io.debezium.connector.schema.Table` describes it. The structure is read from the catalog when
 * the statement is handled (Debezium parses the DDL text instead).
 */
import { SchemaBuilder, Schemas, Struct, type Schema } from '../../plugins/connect-schema.ts';
import type { SourceOffset, SourcePartition, SourceRecord } from '../../plugins/connect-record.ts';
import type { MyColumnInfo } from './my-catalog.ts';
import { mySourceSchema } from './my-tables.ts';

const optionalStrings = SchemaBuilder.array(Schemas.STRING).optional().build();

const COLUMN = SchemaBuilder.struct()
  .name('io.debezium.connector.schema.Column')
  .version(1)
  .field('name', Schemas.STRING)
  .field('jdbcType', Schemas.INT32)
  .field('nativeType', Schemas.OPTIONAL_INT32)
  .field('typeName', Schemas.STRING)
  .field('typeExpression', Schemas.OPTIONAL_STRING)
  .field('charsetName', Schemas.OPTIONAL_STRING)
  .field('length', Schemas.OPTIONAL_INT32)
  .field('scale', Schemas.OPTIONAL_INT32)
  .field('position', Schemas.INT32)
  .field('optional', Schemas.OPTIONAL_BOOLEAN)
  .field('autoIncremented', Schemas.OPTIONAL_BOOLEAN)
  .field('generated', Schemas.OPTIONAL_BOOLEAN)
  .field('comment', Schemas.OPTIONAL_STRING)
  .field('defaultValueExpression', Schemas.OPTIONAL_STRING)
  .field('enumValues', optionalStrings)
  .build();

const TABLE = SchemaBuilder.struct()
  .optional()
  .name('io.debezium.connector.schema.Table')
  .version(1)
  .field('defaultCharsetName', Schemas.OPTIONAL_STRING)
  .field('primaryKeyColumnNames', optionalStrings)
  .field('columns', SchemaBuilder.array(COLUMN).build())
  .field('comment', Schemas.OPTIONAL_STRING)
  .build();

const CHANGE = SchemaBuilder.struct().name('io.debezium.connector.schema.Change').version(1).field('type', Schemas.STRING).field('id', Schemas.STRING).field('table', TABLE).build();

const schemas = new Map<string, { key: Schema; value: Schema }>();

function changeSchemas(flavor: 'mysql' | 'mariadb'): { key: Schema; value: Schema } {
  let s = schemas.get(flavor);
  if (!s) {
    const key = SchemaBuilder.struct().name(`io.debezium.connector.${flavor}.SchemaChangeKey`).version(1).field('databaseName', Schemas.STRING).build();
    const value = SchemaBuilder.struct()
      .name(`io.debezium.connector.${flavor}.SchemaChangeValue`)
      .version(1)
      .field('source', mySourceSchema(flavor))
      .field('ts_ms', Schemas.INT64)
      .field('databaseName', Schemas.OPTIONAL_STRING)
      .field('schemaName', Schemas.OPTIONAL_STRING)
      .field('ddl', Schemas.OPTIONAL_STRING)
      .field('tableChanges', SchemaBuilder.array(CHANGE).build())
      .build();
    s = { key, value };
    schemas.set(flavor, s);
  }
  return s;
}

/** java.sql.Types codes Debezium's MySQL DDL parser gives each type. */
const JDBC_TYPES: Record<string, number> = {
  bit: -7, tinyint: 5, smallint: 5, mediumint: 4, int: 4, integer: 4, bigint: -5, float: 6, double: 8, real: 8, decimal: 3, numeric: 2, boolean: 16, bool: 16,
  date: 91, time: 92, datetime: 93, timestamp: 2014, year: 4, char: 1, varchar: 12, tinytext: 12, text: 12, mediumtext: 12, longtext: 12, json: 1111,
  binary: -2, varbinary: -3, tinyblob: -4, blob: 2004, mediumblob: 2004, longblob: 2004, enum: 1, set: 1,
};

/** A table's structure as the catalog describes it, for `tableChanges`. */
export interface MyTableStructure {
  readonly db: string;
  readonly table: string;
  readonly columns: readonly MyColumnInfo[];
  readonly keyColumns: readonly string[];
  readonly defaultCharset: string | null;
  readonly comment: string | null;
}

function tableStruct(t: MyTableStructure): Struct {
  const columns = t.columns.map((c, i) => {
    const typeName = `${c.dataType.toUpperCase()}${/ unsigned/.test(c.columnType) ? ' UNSIGNED' : ''}`;
    const sizes = /^\w+\((\d+)(?:,(\d+))?\)/.exec(c.columnType);
    const values = c.dataType === 'enum' || c.dataType === 'set' ? [...c.columnType.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1] ?? '') : null;
    const enumValues = values?.map((v) => `'${v}'`) ?? null;
    // An ENUM is as long as its longest value, a SET as all its values joined with commas.
    const enumLength = values && (c.dataType === 'enum' ? Math.max(0, ...values.map((v) => v.length)) : values.join(',').length);
    return new Struct(COLUMN)
      .put('name', c.name)
      .put('jdbcType', JDBC_TYPES[c.dataType] ?? 1111)
      .put('nativeType', null)
      .put('typeName', typeName)
      .put('typeExpression', typeName)
      .put('charsetName', c.charset ?? null)
      .put('length', enumLength ?? (sizes?.[1] !== undefined ? Number(sizes[1]) : null))
      .put('scale', sizes?.[2] !== undefined ? Number(sizes[2]) : null)
      .put('position', i + 1)
      .put('optional', !c.notNull)
      .put('autoIncremented', c.autoIncrement ?? false)
      .put('generated', c.autoIncrement ?? false)
      .put('comment', c.comment || null)
      .put('defaultValueExpression', c.defaultValue ?? null)
      .put('enumValues', enumValues);
  });
  return new Struct(TABLE)
    .put('defaultCharsetName', t.defaultCharset)
    .put('primaryKeyColumnNames', [...t.keyColumns])
    .put('columns', columns)
    .put('comment', t.comment || null);
}

export interface SchemaChange {
  readonly flavor: 'mysql' | 'mariadb';
  readonly topicPrefix: string;
  readonly databaseName: string;
  readonly ddl: string;
  /** CREATE, ALTER or DROP of the statement's table; none for statements on no table. */
  readonly change: { type: 'CREATE' | 'ALTER' | 'DROP'; db: string; table: string; structure: MyTableStructure | null } | null;
  readonly source: Struct;
  readonly partition: SourcePartition;
  readonly offset: SourceOffset;
}

export function schemaChangeRecord(c: SchemaChange): SourceRecord {
  const { key: keySchema, value: valueSchema } = changeSchemas(c.flavor);
  const tableChanges = c.change
    ? [new Struct(CHANGE).put('type', c.change.type).put('id', `"${c.change.db}"."${c.change.table}"`).put('table', c.change.structure && c.change.type !== 'DROP' ? tableStruct(c.change.structure) : null)]
    : [];
  const value = new Struct(valueSchema)
    .put('source', c.source)
    .put('ts_ms', Date.now())
    .put('databaseName', c.databaseName)
    .put('schemaName', null)
    .put('ddl', c.ddl)
    .put('tableChanges', tableChanges);
  return { topic: c.topicPrefix, keySchema, key: new Struct(keySchema).put('databaseName', c.databaseName), valueSchema, value, sourcePartition: c.partition, sourceOffset: c.offset };
}

/** What a DDL statement does to which table, as far as `tableChanges` needs to know. */
export function ddlTarget(ddl: string, defaultDb: string): { type: 'CREATE' | 'ALTER' | 'DROP'; db: string; table: string } | null {
  const name = '(?:`((?:[^`]|``)+)`|(\\w+))';
  const re = new RegExp(`^\\s*(CREATE|ALTER|DROP)\\s+(?:TEMPORARY\\s+)?TABLE\\s+(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?${name}(?:\\s*\\.\\s*${name})?`, 'i');
  const m = re.exec(ddl);
  if (!m) return null;
  const first = (m[2] ?? m[3] ?? '').replace(/``/g, '`');
  const second = m[4] ?? m[5];
  const type = (m[1] ?? '').toUpperCase() as 'CREATE' | 'ALTER' | 'DROP';
  return second === undefined ? { type, db: defaultDb, table: first } : { type, db: first, table: second.replace(/``/g, '`') };
}
