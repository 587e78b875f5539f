/**
 * The captured tables' Debezium schemas and value converters, built from the catalog and rebuilt
 * when pgoutput announces a changed relation (e.g. after ALTER TABLE ... ADD COLUMN).
 */
import { Schemas, Struct, type Schema } from '../../plugins/connect-schema.ts';
import { DEBEZIUM_COMPAT_VERSION, sourceSchemaBuilder, tableSchema, type CdcTableSchema } from '../debezium-common/debezium-envelope.ts';
import { NameFilter } from '../debezium-common/table-filter.ts';
import type { TableInfo } from './pg-catalog.ts';
import type { PgSettings } from './pg-config.ts';
import { mapColumn, type ColumnMapping } from './pg-type-mapper.ts';

export const PG_SOURCE_SCHEMA: Schema = sourceSchemaBuilder('io.debezium.connector.postgresql.Source')
  .field('schema', Schemas.STRING)
  .field('table', Schemas.STRING)
  .field('txId', Schemas.OPTIONAL_INT64)
  .field('lsn', Schemas.OPTIONAL_INT64)
  .field('xmin', Schemas.OPTIONAL_INT64)
  .field('origin', Schemas.OPTIONAL_STRING)
  .field('origin_lsn', Schemas.OPTIONAL_INT64)
  .build();

export interface PgTable {
  readonly schema: CdcTableSchema;
  /** Converters of the emitted columns, by column name. */
  readonly mappings: ReadonlyMap<string, ColumnMapping>;
  /** A signature of the columns, to notice when a relation message changes them. */
  readonly signature: string;
}

export function buildPgTable(info: TableInfo, s: PgSettings): PgTable {
  const columns = new NameFilter(s.columnInclude, s.columnExclude);
  const mappings = new Map<string, ColumnMapping>();
  for (const c of info.columns) {
    const isKey = info.keyColumns.includes(c.name);
    if (!isKey && !columns.matches(`${info.ref.schema}.${info.ref.table}.${c.name}`)) continue;
    mappings.set(c.name, mapColumn(c, s));
  }
  const schema = tableSchema({
    prefix: s.topicPrefix,
    namespace: info.ref.schema,
    table: info.ref.table,
    columns: [...mappings.values()].map((m) => m.column),
    keyColumns: info.keyColumns,
    sourceSchema: PG_SOURCE_SCHEMA,
  });
  return { schema, mappings, signature: info.columns.map((c) => `${c.name}:${c.typeName}:${c.typeMod}`).join(',') };
}

/**
 * Converts a row of texts (null for SQL NULL, undefined when the tuple lacks the column) to
 * Connect values. A key-only tuple (delete or key change without REPLICA IDENTITY FULL) gets
 * defaults for the other columns, as Debezium gives them.
 */
export function convertRow(t: PgTable, row: Readonly<Record<string, string | null | undefined>>, keyOnly = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, m] of t.mappings) {
    const text = row[name];
    out[name] = text === undefined ? (keyOnly ? m.fallback : null) : text === null ? null : m.convert(text);
  }
  return out;
}

export interface PgSourceFields {
  /** Commit (or snapshot) time in microseconds. */
  readonly tsUs: number;
  readonly snapshot: string;
  readonly txId: number | null;
  readonly lsn: number | null;
  readonly sequence: string | null;
}

export function pgSource(s: PgSettings, t: PgTable, f: PgSourceFields): Struct {
  return new Struct(PG_SOURCE_SCHEMA)
    .put('version', DEBEZIUM_COMPAT_VERSION)
    .put('connector', 'postgresql')
    .put('name', s.topicPrefix)
    .put('ts_ms', Math.floor(f.tsUs / 1000))
    .put('snapshot', f.snapshot)
    .put('db', s.dbname)
    .put('sequence', f.sequence)
    .put('ts_us', f.tsUs)
    .put('ts_ns', BigInt(f.tsUs) * 1000n)
    .put('schema', t.schema.namespace)
    .put('table', t.schema.table)
    .put('txId', f.txId)
    .put('lsn', f.lsn)
    .put('xmin', null)
    .put('origin', null)
    .put('origin_lsn', null);
}
