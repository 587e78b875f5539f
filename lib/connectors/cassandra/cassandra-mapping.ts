/**
 * The DataStax connector's mapping language, `col1=key.f1, col2=value.f2, col3=header.h,
 * __ttl=value.ttl, __timestamp=value.ts, col4=now()`, and reading a mapped field from a sink
 * record (Connect Structs, JSON maps, plain keys and values, headers). Hand-written: the
 * syntax is the DataStax connector's own and no library parses it.
 */
import type { SinkRecord } from '../../plugins/connect-record.ts';
import { Struct } from '../../plugins/connect-schema.ts';

/** Java's TimeUnit names, as the DataStax connector takes them. */
export const TIME_UNITS = ['NANOSECONDS', 'MICROSECONDS', 'MILLISECONDS', 'SECONDS', 'MINUTES', 'HOURS', 'DAYS'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];
const NANOS: Record<TimeUnit, bigint> = {
  NANOSECONDS: 1n,
  MICROSECONDS: 1_000n,
  MILLISECONDS: 1_000_000n,
  SECONDS: 1_000_000_000n,
  MINUTES: 60_000_000_000n,
  HOURS: 3_600_000_000_000n,
  DAYS: 86_400_000_000_000n,
};

/** Converts an amount of `unit` to `to`, truncating as Java's TimeUnit.convert does. */
export function convertTime(amount: number | bigint, unit: TimeUnit, to: TimeUnit): bigint {
  const whole = typeof amount === 'bigint' ? amount : BigInt(Math.trunc(amount));
  return (whole * NANOS[unit]) / NANOS[to];
}

/** Where a column's value comes from. */
export interface FieldRef {
  readonly source: 'key' | 'value' | 'header' | 'now';
  /** Field names below the key or value; empty for the whole key or value. For a header, its name. */
  readonly path: readonly string[];
  /** As written in the mapping, for messages. */
  readonly text: string;
}

export interface ColumnMapping {
  /** Table columns and their fields, in mapping order. */
  readonly columns: readonly { readonly column: string; readonly field: FieldRef }[];
  readonly ttl?: FieldRef | undefined;
  readonly timestamp?: FieldRef | undefined;
}

/** Splits on commas outside double quotes. */
function entries(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out.map((e) => e.trim()).filter((e) => e !== '');
}

/** A column name: quoted keeps its case and may hold any character; unquoted is taken as written, as the DataStax connector does. */
function identifier(text: string): string {
  const t = text.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replaceAll('""', '"') : t;
}

function fieldRef(text: string): FieldRef | string {
  const t = text.trim();
  if (t === 'now()') return { source: 'now', path: [], text: t };
  if (/^[A-Za-z_]\w*\(.*\)$/.test(t)) return `the function ${t} is not supported (only now() is)`;
  const [root = '', ...rest] = t.split('.');
  const path = rest.map(identifier).filter((p) => p !== '__self');
  if (root === 'key' || root === 'value') return { source: root, path, text: t };
  if (root === 'header' && rest.length > 0) return { source: 'header', path: [rest.join('.')], text: t };
  return `the field ${t} must be key, value, key.<field>, value.<field>, header.<name> or now()`;
}

/** Parses a mapping; every mistake is listed, none stops the others from being found. */
export function parseMapping(text: string): { mapping: ColumnMapping; errors: string[] } {
  const errors: string[] = [];
  const columns: { column: string; field: FieldRef }[] = [];
  let ttl: FieldRef | undefined;
  let timestamp: FieldRef | undefined;
  for (const entry of entries(text)) {
    const eq = entry.indexOf('=');
    if (eq < 0) {
      errors.push(`"${entry}" is not of the form column=field`);
      continue;
    }
    const column = identifier(entry.slice(0, eq));
    const field = fieldRef(entry.slice(eq + 1));
    if (column === '') errors.push(`"${entry}" names no column`);
    else if (typeof field === 'string') errors.push(`${column}: ${field}`);
    else if (column === '__ttl' || column === '__timestamp') {
      if (field.source === 'now') errors.push(`${column} cannot be now()`);
      else if (column === '__ttl') ttl = field;
      else timestamp = field;
    } else if (columns.some((c) => c.column === column)) errors.push(`the column ${column} is mapped twice`);
    else columns.push({ column, field });
  }
  if (columns.length === 0 && errors.length === 0) errors.push('it maps no column');
  return { mapping: { columns, ttl, timestamp }, errors };
}

/** A mapped field's value in a record: `missing` when the key or value has no such field. */
export type FieldValue = { readonly missing: false; readonly value: unknown } | { readonly missing: true };

export function readField(record: SinkRecord, ref: FieldRef): FieldValue {
  if (ref.source === 'header') {
    const h = [...(record.headers ?? [])].reverse().find((x) => x.key === ref.path[0]);
    return { missing: false, value: h?.value ?? null };
  }
  let current: unknown = ref.source === 'key' ? record.key : record.value;
  for (const name of ref.path) {
    // A null key or value (a tombstone) has every field null: that is what makes a delete.
    if (current === null || current === undefined) return { missing: false, value: null };
    if (current instanceof Struct) {
      if (!current.field(name)) return { missing: true };
      current = current.get(name);
    } else if (current instanceof Map) {
      if (!current.has(name)) return { missing: true };
      current = current.get(name);
    } else if (typeof current === 'object' && !Buffer.isBuffer(current) && !Array.isArray(current)) {
      if (!Object.hasOwn(current, name)) return { missing: true };
      current = (current as Record<string, unknown>)[name];
    } else return { missing: true };
  }
  return { missing: false, value: current ?? null };
}
