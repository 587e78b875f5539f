/**
 * Connect values as the Node driver encodes them for a column's CQL type: JSON numbers become
 * the bigint a `bigint` column needs, structs become objects for UDTs and maps, Connect's
 * Time becomes a LocalTime, anything else written to a text column becomes its JSON text. The
 * driver then checks and encodes the result; what it rejects fails the record.
 */
import { Struct } from '../../plugins/connect-schema.ts';
import type { CassandraDriver } from './cassandra-session.ts';

/** The driver's description of a column type (`{ code, info }`). */
export interface CqlType {
  readonly code: number;
  readonly info?: unknown;
}

/** Returns the value to bind for a column of type `t`; null stays null. */
export type ToCql = (v: unknown, t: CqlType) => unknown;

const MS_PER_DAY = 86_400_000;

function json(v: unknown): string {
  return JSON.stringify(plain(v), (_, x: unknown) => (typeof x === 'bigint' ? x.toString() : Buffer.isBuffer(x) ? x.toString('base64') : x));
}

/** Structs and Maps as plain objects, all the way down. */
function plain(v: unknown): unknown {
  if (v instanceof Struct) return Object.fromEntries((v.schema.fields ?? []).map((f) => [f.name, plain(v.get(f.name))]));
  if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

function entriesOf(v: unknown): [unknown, unknown][] {
  if (v instanceof Map) return [...v.entries()];
  if (v instanceof Struct) return (v.schema.fields ?? []).map((f) => [f.name, v.get(f.name)]);
  if (typeof v === 'object' && v !== null) return Object.entries(v);
  return [];
}

/** The conversion on the driver's type codes and value classes, which a table writer has once its session is open. */
export function cqlConverter(types: CassandraDriver['types']): ToCql {
  const T = types.dataTypes;
  const TEXT = new Set<number>([T.text, T.varchar, T.ascii]);
  const LONG = new Set<number>([T.bigint, T.counter, T.varint]);
  const SMALL_INT = new Set<number>([T.int, T.smallint, T.tinyint]);
  const toCql: ToCql = (v, t) => {
    if (v === null || v === undefined) return null;
    if (TEXT.has(t.code)) return typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : typeof v === 'object' ? json(v) : String(v);
    if (LONG.has(t.code)) {
      if (typeof v === 'number') return BigInt(Math.trunc(v));
      if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return BigInt(v.trim());
      if (v instanceof Date) return BigInt(v.getTime());
      return v;
    }
    if (SMALL_INT.has(t.code)) return typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v) : v;
    if (t.code === T.double || t.code === T.float) return typeof v === 'bigint' ? Number(v) : v;
    if (t.code === T.boolean && typeof v === 'string') return v.trim().toLowerCase() === 'true';
    if (t.code === T.timestamp) return typeof v === 'bigint' ? Number(v) : v;
    if (t.code === T.date && typeof v === 'number') return types.LocalDate.fromDate(new Date(v * MS_PER_DAY));
    if (t.code === T.time) {
      // Connect's Time is a Date on 1970-01-01; a number is milliseconds of the day.
      if (v instanceof Date) return types.LocalTime.fromMilliseconds(v.getTime() % MS_PER_DAY);
      if (typeof v === 'number' || typeof v === 'bigint') return types.LocalTime.fromMilliseconds(Number(v));
      return v;
    }
    if (t.code === T.blob && typeof v === 'string') return Buffer.from(v, 'utf8');
    if (t.code === T.list || t.code === T.set) return Array.isArray(v) ? v.map((x) => toCql(x, t.info as CqlType)) : v;
    if (t.code === T.map) {
      const [k, x] = t.info as [CqlType, CqlType];
      return new Map(entriesOf(v).map(([key, value]) => [toCql(key, k), toCql(value, x)]));
    }
    if (t.code === T.udt) {
      const fields = (t.info as { fields: { name: string; type: CqlType }[] }).fields;
      const source = new Map(entriesOf(v).map(([key, value]) => [String(key), value]));
      return Object.fromEntries(fields.map((f) => [f.name, toCql(source.get(f.name), f.type)]));
    }
    if (t.code === T.tuple && Array.isArray(v)) return types.Tuple.fromArray(v.map((x, i) => toCql(x, (t.info as CqlType[])[i] ?? { code: T.custom })));
    return v;
  };
  return toCql;
}
