/**
 * Plans the sink's SQL for a batch of records: consecutive records for the same table, column
 * set and operation share multi-row statements; upserts and deletes keep only the last record
 * per key (a PostgreSQL upsert may not touch one row twice), which also makes redelivery
 * idempotent.
 */
import type { SinkRecord } from '../../plugins/connect-record.ts';
import type { JdbcSinkSettings } from './jdbc-sink-config.ts';
import { bindValue, fieldsMetadata, keyValues, nonKeyValues, validateRecord, type FieldsMetadata } from './sink-record-mapper.ts';
import type { SinkColumn, SqlDialect, SqlText, TableId } from './sql-dialect.ts';

export interface WriteSegment {
  readonly table: TableId;
  readonly label: string;
  readonly meta: FieldsMetadata;
  readonly op: 'write' | 'delete';
  readonly records: SinkRecord[];
}

/** PostgreSQL's bind parameter limit is 65535; stay below it. */
const MAX_PARAMS = 60_000;

type PlannerSettings = Pick<JdbcSinkSettings, 'tableNameFormat' | 'pkMode' | 'pkFields' | 'fieldsInclude' | 'deleteEnabled' | 'connectorName' | 'insertMode' | 'batchSize'>;

/** The destination table of a topic, from `table.name.format`. */
export function tableFor(topic: string, format: string, dialect: SqlDialect): TableId {
  return dialect.parseTableId(format.split('${topic}').join(topic));
}

/** Groups records into segments; validates each record (DataError on a bad one). */
export function planSegments(records: readonly SinkRecord[], s: PlannerSettings, dialect: SqlDialect): WriteSegment[] {
  const segments: WriteSegment[] = [];
  let current: WriteSegment | undefined;
  for (const record of records) {
    validateRecord(record, s);
    const table = tableFor(record.topic, s.tableNameFormat, dialect);
    const label = dialect.tableName(table, false);
    const op = record.value === null || record.value === undefined ? 'delete' : 'write';
    const meta = fieldsMetadata(label, record, s);
    const sameAsCurrent =
      current !== undefined && current.label === label && current.op === op && (op === 'delete' ? sameKeys(current.meta, meta) : current.meta.signature === meta.signature);
    if (!sameAsCurrent) {
      current = { table, label, meta, op, records: [] };
      segments.push(current);
    }
    current?.records.push(record);
  }
  return segments;
}

/** The statements that apply one segment. */
export function segmentStatements(seg: WriteSegment, s: PlannerSettings, dialect: SqlDialect, timeZone: string): SqlText[] {
  const keyCols = seg.meta.keyColumns;
  const valueCols = seg.meta.valueColumns;
  const bindAll = (values: readonly unknown[], cols: readonly SinkColumn[]) => values.map((v, i) => bindValue(v, (cols[i] as SinkColumn).schema, (cols[i] as SinkColumn).name, timeZone));
  const keysOf = (r: SinkRecord) => bindAll(keyValues(r, seg.meta, s), keyCols);
  const keyNames = keyCols.map((c) => c.name);
  const valueNames = valueCols.map((c) => c.name);

  if (seg.op === 'delete') {
    const rows = lastPerKey(seg.records, keysOf).map(keysOf);
    return chunk(rows, s.batchSize, keyNames.length).map((part) => ({ sql: dialect.deleteByKeys(seg.table, keyNames, part.length), params: part.flat() }));
  }
  const rowOf = (r: SinkRecord) => [...keysOf(r), ...bindAll(nonKeyValues(r, seg.meta), valueCols)];
  switch (s.insertMode) {
    case 'insert': {
      const rows = seg.records.map(rowOf);
      return chunk(rows, s.batchSize, keyNames.length + valueNames.length).map((part) => ({
        sql: dialect.insert(seg.table, [...keyNames, ...valueNames], part.length),
        params: part.flat(),
      }));
    }
    case 'upsert': {
      const rows = lastPerKey(seg.records, keysOf).map(rowOf);
      return chunk(rows, s.batchSize, keyNames.length + valueNames.length).map((part) => ({
        sql: dialect.upsert(seg.table, keyNames, valueNames, part.length),
        params: part.flat(),
      }));
    }
    case 'update': {
      if (valueNames.length === 0) return [];
      const sql = dialect.update(seg.table, keyNames, valueNames);
      return seg.records.map((r) => ({ sql, params: [...bindAll(nonKeyValues(r, seg.meta), valueCols), ...keysOf(r)] }));
    }
  }
}

/** The records that are the last for their key, in the order of those last occurrences. */
function lastPerKey(records: readonly SinkRecord[], keysOf: (r: SinkRecord) => unknown[]): SinkRecord[] {
  const last = new Map<string, SinkRecord>();
  for (const r of records) {
    const k = identity(keysOf(r));
    last.delete(k);
    last.set(k, r);
  }
  return [...last.values()];
}

function identity(values: readonly unknown[]): string {
  return JSON.stringify(values, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

function chunk<T>(rows: readonly T[], batchSize: number, width: number): T[][] {
  const size = Math.max(1, Math.min(batchSize, Math.floor(MAX_PARAMS / Math.max(1, width))));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

function sameKeys(a: FieldsMetadata, b: FieldsMetadata): boolean {
  return a.keyColumns.map((c) => c.name).join('\0') === b.keyColumns.map((c) => c.name).join('\0');
}
