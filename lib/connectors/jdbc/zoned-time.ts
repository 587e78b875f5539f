/**
 * Date and time text as the databases send it, read and written in the connector's
 * `db.timezone`, with the nanosecond precision Confluent's offsets keep
 * (`timestamp` = epoch millis, `timestamp_nanos` = nanos of the second, like java.sql.Timestamp).
 */
import { JdbcValueError } from './errors.ts';

/** A point in time as java.sql.Timestamp holds it: epoch millis plus the nanos of its second. */
export interface PreciseTimestamp {
  /** Milliseconds since the epoch, floored (includes the millis of `nanos`). */
  readonly epochMs: number;
  /** Nanoseconds within the second, 0..999,999,999. */
  readonly nanos: number;
}

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Z', 'UCT', 'Universal', 'Zulu']);
const formatters = new Map<string, Intl.DateTimeFormat>();

/** True when Node knows the IANA zone name. */
export function isValidTimeZone(zone: string): boolean {
  if (UTC_NAMES.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC, in milliseconds, at an instant. */
export function zoneOffsetMs(zone: string, epochMs: number): number {
  if (UTC_NAMES.has(zone)) return 0;
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(epochMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts['year'] ?? 1970, (parts['month'] ?? 1) - 1, parts['day'] ?? 1, parts['hour'] ?? 0, parts['minute'] ?? 0, parts['second'] ?? 0);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** Converts wall-clock millis (as if UTC) in `zone` to an instant. */
export function localToEpochMs(wallMs: number, zone: string): number {
  if (UTC_NAMES.has(zone)) return wallMs;
  const first = wallMs - zoneOffsetMs(zone, wallMs);
  const second = wallMs - zoneOffsetMs(zone, first);
  return second;
}

const TS_RE = /^(-?\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?$/;

/**
 * Parses timestamp text from the database. Text without an offset is wall-clock time in `zone`
 * (TIMESTAMP WITHOUT TIME ZONE, DATETIME); text with one is absolute.
 */
export function parseDbTimestamp(text: string, zone: string): PreciseTimestamp {
  const m = TS_RE.exec(text.trim());
  if (!m) throw new JdbcValueError(`Cannot read "${text}" as a timestamp`);
  const [, y, mo, d, h, mi, s, frac = '', off] = m;
  const wallSeconds = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const fixedYear = new Date(wallSeconds);
  if (Number(y) < 100) fixedYear.setUTCFullYear(Number(y));
  const wall = fixedYear.getTime();
  const epochSeconds = off === undefined ? localToEpochMs(wall, zone) : wall - offsetTextMs(off);
  const nanos = Number(frac.padEnd(9, '0'));
  return { epochMs: epochSeconds + Math.floor(nanos / 1_000_000), nanos };
}

/** Formats an instant as wall-clock text in `zone` with microseconds, for SQL parameters. */
export function formatDbTimestamp(ts: PreciseTimestamp, zone: string): string {
  const secondMs = ts.epochMs - Math.floor(ts.nanos / 1_000_000);
  const wall = new Date(secondMs + zoneOffsetMs(zone, secondMs));
  const year = wall.getUTCFullYear();
  const micros = String(Math.floor(ts.nanos / 1000)).padStart(6, '0');
  return (
    `${String(year).padStart(4, '0')}-${pad2(wall.getUTCMonth() + 1)}-${pad2(wall.getUTCDate())} ` +
    `${pad2(wall.getUTCHours())}:${pad2(wall.getUTCMinutes())}:${pad2(wall.getUTCSeconds())}.${micros}`
  );
}

/** The precise form of a JS Date or epoch millis. */
export function preciseFromMillis(epochMs: number): PreciseTimestamp {
  const msOfSecond = ((epochMs % 1000) + 1000) % 1000;
  return { epochMs, nanos: msOfSecond * 1_000_000 };
}

/** Negative, zero or positive as a is before, at or after b. */
export function compareTimestamps(a: PreciseTimestamp, b: PreciseTimestamp): number {
  const sa = a.epochMs - Math.floor(a.nanos / 1_000_000);
  const sb = b.epochMs - Math.floor(b.nanos / 1_000_000);
  return sa !== sb ? sa - sb : a.nanos - b.nanos;
}

const DATE_RE = /^(-?\d{4,})-(\d{2})-(\d{2})$/;

/** A DATE as Connect's Date logical value: midnight UTC of that day. Zero dates give null. */
export function parseDbDate(text: string): Date | null {
  const m = DATE_RE.exec(text.trim());
  if (!m) throw new JdbcValueError(`Cannot read "${text}" as a date`);
  if (m[1] === '0000' && m[2] === '00') return null; // MySQL zero date
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number(m[1]) < 100) d.setUTCFullYear(Number(m[1]));
  return d;
}

const TIME_RE = /^(\d{2,3}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** A TIME as Connect's Time logical value: millis since midnight, as a Date on 1970-01-01 UTC. */
export function parseDbTime(text: string): Date {
  const m = TIME_RE.exec(text.trim());
  if (!m) throw new JdbcValueError(`Cannot read "${text}" as a time of day`);
  const [, h, mi, s, frac = '', off] = m;
  let ms = ((Number(h) * 60 + Number(mi)) * 60 + Number(s)) * 1000 + Math.floor(Number(frac.padEnd(9, '0')) / 1_000_000);
  if (off !== undefined) ms -= offsetTextMs(off);
  const day = 86_400_000;
  if (Number(h) >= 24 && off === undefined) throw new JdbcValueError(`Time "${text}" is outside one day`);
  return new Date(((ms % day) + day) % day);
}

function offsetTextMs(off: string): number {
  if (off === 'Z') return 0;
  const sign = off.startsWith('-') ? -1 : 1;
  const digits = off.slice(1).replace(/:/g, '');
  const h = Number(digits.slice(0, 2));
  const m = Number(digits.slice(2, 4) || '0');
  const s = Number(digits.slice(4, 6) || '0');
  return sign * ((h * 60 + m) * 60 + s) * 1000;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
