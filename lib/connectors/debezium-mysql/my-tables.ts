/** Debezium schemas and converters of captured MySQL/MariaDB tables, and the source block. */
import { Schemas, Struct, type Schema } from '../../plugins/connect-schema.ts';
import { DEBEZIUM_COMPAT_VERSION, sourceSchemaBuilder, tableSchema, type CdcTableSchema } from '../debezium-common/debezium-envelope.ts';
import { NameFilter } from '../debezium-common/table-filter.ts';
import type { MyColumnInfo, MyTableRef } from './my-catalog.ts';
import type { MySettings } from './my-config.ts';
import { mapMyColumn, type MyColumnMapping } from './my-type-mapper.ts';

const sourceSchemas = new Map<string, Schema>();

export function mySourceSchema(flavor: 'mysql' | 'mariadb'): Schema {
  let s = sourceSchemas.get(flavor);
  if (!s) {
    s = sourceSchemaBuilder(`io.debezium.connector.${flavor}.Source`)
      .field('table', Schemas.OPTIONAL_STRING)
      .field('server_id', Schemas.INT64)
      .field('gtid', Schemas.OPTIONAL_STRING)
      .field('file', Schemas.STRING)
      .field('pos', Schemas.INT64)
      .field('row', Schemas.INT32)
      .field('thread', Schemas.OPTIONAL_INT64)
      .field('query', Schemas.OPTIONAL_STRING)
      .build();
    sourceSchemas.set(flavor, s);
  }
  return s;
}

export interface MyTable {
  readonly schema: CdcTableSchema;
  readonly mappings: ReadonlyMap<string, MyColumnMapping>;
}

export function buildMyTable(ref: MyTableRef, columns: readonly MyColumnInfo[], keyColumns: readonly string[], s: MySettings): MyTable {
  const filter = new NameFilter(s.columnInclude, s.columnExclude);
  const mappings = new Map<string, MyColumnMapping>();
  for (const c of columns) {
    if (!keyColumns.includes(c.name) && !filter.matches(`${ref.db}.${ref.table}.${c.name}`)) continue;
    mappings.set(c.name, mapMyColumn(c, s));
  }
  const schema = tableSchema({ prefix: s.topicPrefix, namespace: ref.db, table: ref.table, columns: [...mappings.values()].map((m) => m.column), keyColumns, sourceSchema: mySourceSchema(s.flavor) });
  return { schema, mappings };
}

export function convertMyRow(t: MyTable, row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, m] of t.mappings) out[name] = m.convert(row[name]);
  return out;
}

export interface MySourceFields {
  readonly tsMs: number;
  readonly snapshot: string;
  readonly file: string;
  readonly pos: number;
  readonly row: number;
  readonly serverId: number;
  readonly gtid: string | null;
}

/** The source block of an event on table `where` (a schema change on no table has table null). */
export function mySource(s: MySettings, where: { db: string; table: string | null }, f: MySourceFields): Struct {
  return new Struct(mySourceSchema(s.flavor))
    .put('version', DEBEZIUM_COMPAT_VERSION)
    .put('connector', s.flavor)
    .put('name', s.topicPrefix)
    .put('ts_ms', f.tsMs)
    .put('snapshot', f.snapshot)
    .put('db', where.db)
    .put('sequence', null)
    .put('ts_us', f.tsMs * 1000)
    .put('ts_ns', BigInt(f.tsMs) * 1_000_000n)
    .put('table', where.table)
    .put('server_id', f.serverId)
    .put('gtid', f.gtid)
    .put('file', f.file)
    .put('pos', f.pos)
    .put('row', f.row)
    .put('thread', null)
    .put('query', null);
}
