/**
 * Small helpers over Connect data values shared by converters and transforms: type tests,
 * INT64 handling (number when safe, bigint beyond), deep schema equality, strict base64.
 */
import { DataError, Struct, valuesEqual } from '../plugins/connect-schema.ts';
import type { Schema } from '../plugins/connect-schema.ts';

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

const INT_RANGES = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
} as const;

/** True for `{...}` objects (plain or null-prototype), the schemaless representation of a map. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

/** Names a value's runtime type for error messages, e.g. "string", "Struct", "Buffer". */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'Object';
  return typeof value;
}

/** Sets an own enumerable property even for the key "__proto__". */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Returns an INT64 as a number when it is a safe integer, else as a bigint. */
export function normalizeInt64(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** The value as a bigint when it is an integral number or a bigint, else undefined. */
export function integralBigInt(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return undefined;
}

export function isInt64(value: unknown): value is number | bigint {
  const b = integralBigInt(value);
  return b !== undefined && b >= INT64_MIN && b <= INT64_MAX;
}

/** True when the value is an integral number fitting a Connect INT8/INT16/INT32. */
export function fitsInt(type: 'INT8' | 'INT16' | 'INT32', value: unknown): value is number {
  const [lo, hi] = INT_RANGES[type];
  return typeof value === 'number' && Number.isInteger(value) && value >= lo && value <= hi;
}

export function intRange(type: 'INT8' | 'INT16' | 'INT32'): readonly [number, number] {
  return INT_RANGES[type];
}

/** Deep equality of two schemas, as ConnectSchema.equals. */
export function schemaEquals(a: Schema | null | undefined, b: Schema | null | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  if (a.type !== b.type || a.optional !== b.optional) return false;
  if ((a.name ?? null) !== (b.name ?? null) || (a.version ?? null) !== (b.version ?? null)) return false;
  if ((a.doc ?? null) !== (b.doc ?? null)) return false;
  if (!paramsEqual(a.parameters, b.parameters)) return false;
  if (!valuesEqual(a.defaultValue ?? null, b.defaultValue ?? null)) return false;
  if (!schemaEquals(a.keySchema, b.keySchema) || !schemaEquals(a.valueSchema, b.valueSchema)) return false;
  const fa = a.fields ?? [];
  const fb = b.fields ?? [];
  return fa.length === fb.length && fa.every((f, i) => f.name === fb[i]?.name && schemaEquals(f.schema, fb[i]?.schema));
}

function paramsEqual(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  const kb = Object.keys(b ?? {});
  return ka.length === kb.length && ka.every((k) => a?.[k] === b?.[k]);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes standard base64 (padding optional), throwing DataError on anything else. */
export function decodeBase64(text: string, what: string): Buffer {
  if (!BASE64.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
    throw new DataError(`Invalid ${what}: not valid base64`);
  }
  return Buffer.from(text, 'base64');
}

/** A field value honouring `replace.null.with.default`: a null value becomes the field's default when asked. */
export function structValue(struct: Struct, name: string, replaceNullWithDefault: boolean): unknown {
  const v = struct.get(name);
  if ((v === null || v === undefined) && replaceNullWithDefault) return struct.field(name)?.schema.defaultValue ?? null;
  return v ?? null;
}
