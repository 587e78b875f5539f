/**
 * Connect's logical types (org.apache.kafka.connect.data.Decimal, Date, Time, Timestamp):
 * their schemas and the conversions between their JS values and underlying representations.
 * Decimal values are {@link Decimal}; Date, Time and Timestamp values are JS `Date`s in UTC.
 */
import { DataError, LOGICAL, SchemaBuilder } from '../plugins/connect-schema.ts';
import type { Schema } from '../plugins/connect-schema.ts';

export const MILLIS_PER_DAY = 86_400_000;
export const DECIMAL_SCALE_PARAMETER = 'scale';

const DECIMAL_TEXT = /^([+-]?)(\d+)?(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** An arbitrary-precision decimal: `unscaled × 10^-scale`, as Java's BigDecimal (scale matters for equality). */
export class Decimal {
  readonly unscaled: bigint;
  readonly scale: number;

  constructor(unscaled: bigint, scale: number) {
    if (!Number.isInteger(scale)) throw new DataError(`Decimal scale must be an integer, got ${scale}`);
    this.unscaled = unscaled;
    this.scale = scale;
  }

  /** Parses decimal text the way `new BigDecimal(String)` does, keeping the written scale. */
  static parse(text: string): Decimal {
    const m = DECIMAL_TEXT.exec(text.trim());
    const intDigits = m?.[2] ?? '';
    const fracDigits = m?.[3] ?? '';
    if (!m || intDigits + fracDigits === '') throw new DataError(`Invalid decimal value: ${text}`);
    const exponent = m[4] ? Number(m[4]) : 0;
    const unscaled = BigInt(intDigits + fracDigits);
    return new Decimal(m[1] === '-' ? -unscaled : unscaled, fracDigits.length - exponent);
  }

  /** Converts a number, bigint, numeric string or Decimal to a Decimal. */
  static from(value: unknown): Decimal {
    if (value instanceof Decimal) return value;
    if (typeof value === 'bigint') return new Decimal(value, 0);
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new DataError(`Cannot represent ${value} as a Decimal`);
      return Decimal.parse(value.toExponential());
    }
    if (typeof value === 'string') return Decimal.parse(value);
    throw new DataError(`Invalid type for Decimal, expected Decimal but was ${typeof value}`);
  }

  /** The same value at another scale; throws DataError when that would need rounding. */
  withScale(scale: number): Decimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new Decimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale);
    const divisor = 10n ** BigInt(this.scale - scale);
    if (this.unscaled % divisor !== 0n) throw new DataError(`Decimal ${this.toString()} does not fit scale ${scale} without rounding`);
    return new Decimal(this.unscaled / divisor, scale);
  }

  /** True when the value has no fractional part. */
  isIntegral(): boolean {
    return this.scale <= 0 || this.unscaled % 10n ** BigInt(this.scale) === 0n;
  }

  /** The integral part, truncated toward zero. */
  toBigInt(): bigint {
    if (this.scale <= 0) return this.unscaled * 10n ** BigInt(-this.scale);
    return this.unscaled / 10n ** BigInt(this.scale);
  }

  toNumber(): number {
    return Number(this.toString());
  }

  /** Java's BigDecimal.toString: plain notation unless the exponent is small or the scale negative. */
  toString(): string {
    const sign = this.unscaled < 0n ? '-' : '';
    const digits = (this.unscaled < 0n ? -this.unscaled : this.unscaled).toString();
    if (this.scale === 0) return sign + digits;
    const adjusted = -this.scale + (digits.length - 1);
    if (this.scale > 0 && adjusted >= -6) return sign + insertPoint(digits, this.scale);
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
  }

  /** Java's BigDecimal.toPlainString: never scientific. */
  toPlainString(): string {
    const sign = this.unscaled < 0n ? '-' : '';
    const digits = (this.unscaled < 0n ? -this.unscaled : this.unscaled).toString();
    if (this.scale <= 0) return sign + digits + '0'.repeat(-this.scale);
    return sign + insertPoint(digits, this.scale);
  }

  toJSON(): string {
    return this.toString();
  }
}

function insertPoint(digits: string, scale: number): string {
  if (digits.length > scale) return `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return `0.${'0'.repeat(scale - digits.length)}${digits}`;
}

/** Two's-complement big-endian bytes, minimal length, as BigInteger.toByteArray. */
export function bigIntToBytes(value: bigint): Buffer {
  let bytes = 1;
  while (value < -(1n << BigInt(8 * bytes - 1)) || value >= 1n << BigInt(8 * bytes - 1)) bytes++;
  const unsigned = value < 0n ? (1n << BigInt(8 * bytes)) + value : value;
  return Buffer.from(unsigned.toString(16).padStart(bytes * 2, '0'), 'hex');
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  if (bytes.length === 0) throw new DataError('Invalid bytes for Decimal: zero length');
  const unsigned = BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
  return (bytes[0] ?? 0) & 0x80 ? unsigned - (1n << BigInt(8 * bytes.length)) : unsigned;
}

export function decimalSchema(scale: number, optional = false): Schema {
  const b = new SchemaBuilder('BYTES').name(LOGICAL.decimal).version(1).parameter(DECIMAL_SCALE_PARAMETER, String(scale));
  return (optional ? b.optional() : b).build();
}

export function dateSchema(optional = false): Schema {
  const b = new SchemaBuilder('INT32').name(LOGICAL.date).version(1);
  return (optional ? b.optional() : b).build();
}

export function timeSchema(optional = false): Schema {
  const b = new SchemaBuilder('INT32').name(LOGICAL.time).version(1);
  return (optional ? b.optional() : b).build();
}

export function timestampSchema(optional = false): Schema {
  const b = new SchemaBuilder('INT64').name(LOGICAL.timestamp).version(1);
  return (optional ? b.optional() : b).build();
}

export function decimalScale(schema: Schema): number {
  const raw = schema.parameters?.[DECIMAL_SCALE_PARAMETER];
  const scale = raw === undefined ? NaN : Number(raw);
  if (!Number.isInteger(scale)) throw new DataError('Invalid Decimal schema: scale parameter not found.');
  return scale;
}

/** Decimal.fromLogical: the unscaled bytes; the value's scale must equal the schema's. */
export function decimalToBytes(schema: Schema, value: unknown): Buffer {
  const d = coerceDecimal(schema, value);
  return bigIntToBytes(d.unscaled);
}

/** Accepts a Decimal with the schema's scale, or a number/bigint/string exactly representable at that scale. */
export function coerceDecimal(schema: Schema, value: unknown): Decimal {
  const scale = decimalScale(schema);
  if (value instanceof Decimal) {
    if (value.scale !== scale) throw new DataError('Decimal has mismatching scale value for given Decimal schema');
    return value;
  }
  return Decimal.from(value).withScale(scale);
}

export function decimalFromBytes(schema: Schema, bytes: Uint8Array): Decimal {
  return new Decimal(bytesToBigInt(bytes), decimalScale(schema));
}

function requireDate(value: unknown, what: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new DataError(`Invalid type for ${what}, expected Date but was ${value instanceof Date ? 'Invalid Date' : typeof value}`);
  }
  return value;
}

/** Date.fromLogical: days since the epoch; the Date must be at midnight UTC. */
export function dateToDays(value: unknown): number {
  const ms = requireDate(value, 'Date').getTime();
  if (ms % MILLIS_PER_DAY !== 0) {
    throw new DataError('Kafka Connect Date type should not have any time fields set to non-zero values.');
  }
  return ms / MILLIS_PER_DAY;
}

export function daysToDate(days: number): Date {
  return new Date(days * MILLIS_PER_DAY);
}

/** Time.fromLogical: milliseconds since midnight; the Date must lie on 1970-01-01 UTC. */
export function timeToMillis(value: unknown): number {
  const ms = requireDate(value, 'Time').getTime();
  if (ms < 0 || ms >= MILLIS_PER_DAY) {
    throw new DataError('Kafka Connect Time type should not have any date fields set to non-zero values.');
  }
  return ms;
}

export function millisToTime(ms: number): Date {
  if (ms < 0 || ms > MILLIS_PER_DAY) {
    throw new DataError('Time values must use number of milliseconds greater than 0 and less than 86400000');
  }
  return new Date(ms);
}

export function timestampToMillis(value: unknown): number {
  return requireDate(value, 'Timestamp').getTime();
}

/** Which logical type a schema names, if any. */
export function logicalKind(schema: Schema | null | undefined): 'decimal' | 'date' | 'time' | 'timestamp' | undefined {
  switch (schema?.name) {
    case LOGICAL.decimal:
      return 'decimal';
    case LOGICAL.date:
      return 'date';
    case LOGICAL.time:
      return 'time';
    case LOGICAL.timestamp:
      return 'timestamp';
    default:
      return undefined;
  }
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function isoDate(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

export function isoTime(d: Date): string {
  return `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}Z`;
}

/**
 * Formats a temporal value as Connect's Values.dateFormatFor does (ISO-8601, UTC): by its logical
 * schema when known, else time for values within the first day, date for whole days, timestamp otherwise.
 */
export function formatTemporal(d: Date, schema?: Schema | null): string {
  const kind = logicalKind(schema);
  if (kind === 'date') return isoDate(d);
  if (kind === 'time') return isoTime(d);
  if (kind === 'timestamp') return `${isoDate(d)}T${isoTime(d)}`;
  const t = d.getTime();
  if (t < MILLIS_PER_DAY) return isoTime(d);
  if (t % MILLIS_PER_DAY === 0) return isoDate(d);
  return `${isoDate(d)}T${isoTime(d)}`;
}
