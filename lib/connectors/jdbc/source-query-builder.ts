/**
 * Builds the source's SELECT statements with Confluent's TimestampIncrementingCriteria WHERE
 * clauses, ordered by the offset columns and limited to `batch.max.rows` so every poll is one
 * short keyset query instead of a long-held cursor.
 */
import type { SqlDialect, SqlText, TableId } from './sql-dialect.ts';

export type QuerySource = { readonly table: TableId } | { readonly query: string };

export interface CriteriaSpec {
  readonly dialect: SqlDialect;
  readonly from: QuerySource;
  /** Null in `timestamp` mode. */
  readonly incrementingColumn: string | null;
  /** Empty in `incrementing` mode. */
  readonly timestampColumns: readonly string[];
  readonly delayMs: number;
  readonly suffix: string;
}

/** Values bound into the WHERE clause: the last offset, timestamps as text in db.timezone. */
export interface CriteriaValues {
  readonly incrementing: number | bigint | string;
  readonly timestamp: string;
}

export function baseSelect(dialect: SqlDialect, from: QuerySource): string {
  return 'table' in from ? `SELECT * FROM ${dialect.tableName(from.table)}` : from.query;
}

/** The whole-table (or whole-query) SELECT of bulk mode. */
export function buildBulkQuery(dialect: SqlDialect, from: QuerySource, suffix: string): string {
  return withSuffix(baseSelect(dialect, from), suffix);
}

/** The keyset query for incremental modes, returning at most `limit` rows past the offset. */
export function buildIncrementalQuery(spec: CriteriaSpec, values: CriteriaValues, limit: number): SqlText {
  const { dialect } = spec;
  let n = 0;
  const p = () => dialect.placeholder(++n);
  const params: unknown[] = [];
  const ts = timestampExpression(spec);
  const inc = spec.incrementingColumn === null ? null : dialect.quote(spec.incrementingColumn);
  let where: string;
  if (ts !== null && inc !== null) {
    const end = dialect.nowMinus(spec.delayMs);
    where = ` WHERE ${ts} < ${end} AND ((${ts} = ${p()} AND ${inc} > ${p()}) OR ${ts} > ${p()}) ORDER BY ${ts},${inc} ASC`;
    params.push(values.timestamp, String(values.incrementing), values.timestamp);
  } else if (ts !== null) {
    where = ` WHERE ${ts} > ${p()} AND ${ts} < ${dialect.nowMinus(spec.delayMs)} ORDER BY ${ts} ASC`;
    params.push(values.timestamp);
  } else if (inc !== null) {
    where = ` WHERE ${inc} > ${p()} ORDER BY ${inc} ASC`;
    params.push(String(values.incrementing));
  } else {
    throw new TypeError('an incremental query needs an incrementing or a timestamp column');
  }
  return { sql: `${withSuffix(baseSelect(dialect, spec.from) + where, spec.suffix)} LIMIT ${Math.trunc(limit)}`, params };
}

/**
 * Timestamp mode only: every row at exactly one timestamp. A full batch cannot end in the middle
 * of a timestamp (the next query starts strictly after it), so ties at its end are read whole.
 */
export function buildTimestampTieQuery(spec: CriteriaSpec, timestamp: string): SqlText {
  const ts = timestampExpression(spec);
  if (ts === null) throw new TypeError('a tie query needs a timestamp column');
  const sql = `${baseSelect(spec.dialect, spec.from)} WHERE ${ts} = ${spec.dialect.placeholder(1)}`;
  return { sql: withSuffix(sql, spec.suffix), params: [timestamp] };
}

function timestampExpression(spec: CriteriaSpec): string | null {
  const cols = spec.timestampColumns.map((c) => spec.dialect.quote(c));
  if (cols.length === 0) return null;
  return cols.length === 1 ? (cols[0] as string) : `COALESCE(${cols.join(',')})`;
}

function withSuffix(sql: string, suffix: string): string {
  return suffix.trim() === '' ? sql : `${sql} ${suffix.trim()}`;
}
