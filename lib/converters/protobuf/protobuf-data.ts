/**
 * Connect values ↔ protobufjs plain objects (the input of `Type.fromObject` and the output of
 * `Type.toObject` with longs as strings and bytes as Buffers), following the schema mapping of
 * protobuf-schema-data.ts: logical types as their google.type / confluent.type messages, unions
 * as the one member set, maps as `map<>` objects or `key`/`value` entry lists, wrappers unwrapped.
 */
import protobuf from 'protobufjs';
import { DataError, LOGICAL, Struct } from '../../plugins/connect-schema.ts';
import type { Schema } from '../../plugins/connect-schema.ts';
import { normalizeInt64 } from '../data-util.ts';
import { Decimal, bigIntToBytes, bytesToBigInt, coerceDecimal, dateToDays, decimalScale, timeToMillis, timestampToMillis } from '../logical-types.ts';
import { isUnionSchema } from './protobuf-schema-data.ts';

const MILLIS_PER_DAY = 86_400_000;

/** How decoded messages become plain objects for {@link fromProtoValue}: unset fields left out. */
export const TO_OBJECT_OPTIONS: protobuf.IConversionOptions = { longs: String, bytes: Buffer, enums: String, defaults: false, arrays: false, objects: false };

function digits(n: bigint): number {
  return (n < 0n ? -n : n).toString().length;
}

/** Connect value → a plain object for protobufjs' fromObject, for a field of protobuf type `rt` (a message, enum or scalar). */
export function toProtoValue(schema: Schema, value: unknown, rt: protobuf.ReflectionObject | null, asMapObject = false): unknown {
  if (value === null || value === undefined) return undefined;
  switch (schema.name) {
    case LOGICAL.decimal: {
      const d = coerceDecimal(schema, value);
      return { value: bigIntToBytes(d.unscaled), precision: digits(d.unscaled), scale: d.scale };
    }
    case LOGICAL.date: {
      const day = new Date(dateToDays(value) * MILLIS_PER_DAY);
      return { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
    }
    case LOGICAL.time: {
      const ms = timeToMillis(value);
      return { hours: Math.floor(ms / 3_600_000), minutes: Math.floor(ms / 60_000) % 60, seconds: Math.floor(ms / 1000) % 60, nanos: (ms % 1000) * 1_000_000 };
    }
    case LOGICAL.timestamp: {
      const ms = timestampToMillis(value);
      const seconds = Math.floor(ms / 1000);
      return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
    }
  }
  const wrapped = rt instanceof protobuf.Type && schema.type !== 'STRUCT' && schema.type !== 'MAP';
  const plain = primitive(schema, value);
  if (plain !== NOT_PRIMITIVE) return wrapped ? { value: plain } : plain;
  if (schema.type === 'ARRAY') {
    return (value as unknown[]).map((v) => {
      if (v === null || v === undefined) throw new DataError('Protobuf repeated fields cannot hold null');
      return toProtoValue(schema.valueSchema as Schema, v, rt);
    });
  }
  if (schema.type === 'MAP') {
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as object);
    if (asMapObject) return Object.fromEntries(entries.map(([k, v]) => [String(k), toProtoValue(schema.valueSchema as Schema, v, rt)]));
    const entry = rt as protobuf.Type;
    const vt = entry.fields.value?.resolvedType ?? null;
    const kt = entry.fields.key?.resolvedType ?? null;
    return entries.map(([k, v]) => ({ key: toProtoValue(schema.keySchema as Schema, k, kt), value: toProtoValue(schema.valueSchema as Schema, v, vt) }));
  }
  // STRUCT
  if (!(value instanceof Struct)) throw new DataError('Invalid value for STRUCT schema');
  const type = rt as protobuf.Type;
  const out: Record<string, unknown> = {};
  for (const f of schema.fields ?? []) {
    const v = value.get(f.name);
    if (isUnionSchema(f.schema)) {
      if (v === null || v === undefined) continue;
      const member = (f.schema.fields ?? []).find((m) => (v as Struct).get(m.name) !== null && (v as Struct).get(m.name) !== undefined);
      if (!member) throw new DataError(`Union ${f.name} has no field set`);
      out[member.name] = toProtoValue(member.schema, (v as Struct).get(member.name), fieldType(type, member.name));
      continue;
    }
    if ((v === null || v === undefined) && !f.schema.optional) throw new DataError(`Found null value for non-optional field ${f.name}`);
    const pf = type.fields[f.name];
    if (!pf) throw new DataError(`Cannot find field with name ${f.name}`);
    const p = toProtoValue(f.schema, v, fieldType(type, f.name), pf instanceof protobuf.MapField);
    if (p !== undefined) out[f.name] = p;
  }
  return out;
}

function fieldType(type: protobuf.Type, name: string): protobuf.ReflectionObject | null {
  const f = type.fields[name];
  if (!f) throw new DataError(`Cannot find field with name ${name}`);
  f.resolve();
  return f.resolvedType;
}

const NOT_PRIMITIVE = Symbol('not primitive');

function primitive(schema: Schema, value: unknown): unknown {
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'FLOAT32':
    case 'FLOAT64':
    case 'BOOLEAN':
    case 'STRING':
      return value;
    case 'INT64':
      return String(value);
    case 'BYTES':
      return Buffer.from(value as Uint8Array);
    default:
      return NOT_PRIMITIVE;
  }
}

/** A field's value from a toObject result → Connect value; `f` gives presence and the element type. */
export function fromProtoField(schema: Schema, f: protobuf.Field, raw: unknown): unknown {
  f.resolve();
  const rt = f.resolvedType;
  if (raw === undefined || raw === null) {
    if (f instanceof protobuf.MapField || (f.repeated && schema.type === 'MAP')) return new Map();
    if (f.repeated) return [];
    if (rt instanceof protobuf.Type || f.hasPresence) return null;
    if (rt instanceof protobuf.Enum) return Object.keys(rt.values)[0] ?? null;
    return fromProtoValue(schema, zero(f.type), null);
  }
  if (schema.type === 'MAP') {
    const k = schema.keySchema as Schema;
    const v = schema.valueSchema as Schema;
    if (f instanceof protobuf.MapField) {
      return new Map(Object.entries(raw as object).map(([key, x]) => [fromProtoValue(k, k.type === 'BOOLEAN' ? key === 'true' : key, null), fromProtoValue(v, x, rt)]));
    }
    const entry = rt as protobuf.Type;
    return new Map((raw as { key?: unknown; value?: unknown }[]).map((e) => [fromProtoField(k, entry.fields.key as protobuf.Field, e.key), fromProtoField(v, entry.fields.value as protobuf.Field, e.value)]));
  }
  if (schema.type === 'ARRAY') return (raw as unknown[]).map((x) => fromProtoValue(schema.valueSchema as Schema, x, rt));
  return fromProtoValue(schema, raw, rt);
}

/** One non-null value (not a repeated field) → Connect value. */
export function fromProtoValue(schema: Schema, v: unknown, rt: protobuf.ReflectionObject | null): unknown {
  const o = v as Record<string, unknown>;
  switch (schema.name) {
    case LOGICAL.decimal: {
      const bytes = o.value as Uint8Array | undefined;
      const d = new Decimal(bytes && bytes.length > 0 ? bytesToBigInt(bytes) : 0n, Number(o.scale ?? 0));
      const scale = decimalScale(schema);
      try {
        return d.withScale(scale);
      } catch {
        return d;
      }
    }
    case LOGICAL.date:
      return new Date(Date.UTC(Number(o.year ?? 0), Number(o.month ?? 1) - 1, Number(o.day ?? 1)));
    case LOGICAL.time:
      return new Date(Number(o.hours ?? 0) * 3_600_000 + Number(o.minutes ?? 0) * 60_000 + Number(o.seconds ?? 0) * 1000 + Math.floor(Number(o.nanos ?? 0) / 1_000_000));
    case LOGICAL.timestamp:
      return new Date(Number(o.seconds ?? 0) * 1000 + Math.floor(Number(o.nanos ?? 0) / 1_000_000));
  }
  if (schema.type === 'STRUCT') {
    const type = rt as protobuf.Type;
    const s = new Struct(schema);
    for (const f of schema.fields ?? []) {
      if (isUnionSchema(f.schema)) {
        const member = (f.schema.fields ?? []).find((m) => o[m.name] !== undefined && o[m.name] !== null);
        if (member) s.put(f.name, new Struct(f.schema).put(member.name, fromProtoField(member.schema, type.fields[member.name] as protobuf.Field, o[member.name])));
        continue;
      }
      s.put(f.name, fromProtoField(f.schema, type.fields[f.name] as protobuf.Field, o[f.name]));
    }
    return s;
  }
  const x = rt instanceof protobuf.Type ? (o.value ?? zeroOf(schema)) : v; // an unwrapped google.protobuf wrapper
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'FLOAT32':
    case 'FLOAT64':
      return Number(x);
    case 'INT64':
      return normalizeInt64(BigInt(x as string));
    case 'BOOLEAN':
      return Boolean(x);
    case 'STRING':
      return String(x);
    case 'BYTES':
      return Buffer.from(x as Uint8Array);
    default:
      throw new DataError(`Unexpected Protobuf value for ${schema.type}`);
  }
}

function zero(protoType: string): unknown {
  return protoType === 'string' ? '' : protoType === 'bool' ? false : protoType === 'bytes' ? Buffer.alloc(0) : 0;
}

function zeroOf(schema: Schema): unknown {
  return schema.type === 'STRING' ? '' : schema.type === 'BOOLEAN' ? false : schema.type === 'BYTES' ? Buffer.alloc(0) : 0;
}
