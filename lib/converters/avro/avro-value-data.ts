/**
 * Connect values to the values avsc encodes (unions wrapped as `{branch: value}`, longs as
 * bigint-capable numbers) and back, walking the Connect schema beside the Avro schema tree.
 * Also field defaults between Connect values and Avro's JSON defaults.
 */
import { DataError, LOGICAL, Struct } from '../../plugins/connect-schema.ts';
import type { Schema } from '../../plugins/connect-schema.ts';
import { normalizeInt64 } from '../data-util.ts';
import {
  Decimal,
  bigIntToBytes,
  bytesToBigInt,
  coerceDecimal,
  dateToDays,
  daysToDate,
  decimalScale,
  millisToTime,
  timeToMillis,
  timestampToMillis,
} from '../logical-types.ts';
import { SchemaRegistryDataError } from '../schema-registry/errors.ts';
import { optionalBranch, type AvroNode } from './avro-schema-model.ts';

function mismatch(schema: Schema, value: unknown): never {
  throw new SchemaRegistryDataError(`Invalid value for ${schema.type} schema${schema.name ? ` ${schema.name}` : ''}: ${typeof value}`);
}

function mapEntries(value: unknown): [unknown, unknown][] {
  if (value instanceof Map) return [...value.entries()];
  if (value && typeof value === 'object') return Object.entries(value);
  throw new SchemaRegistryDataError(`Invalid value for MAP schema: ${typeof value}`);
}

/** Connect value → the value avsc writes for `node`. */
export function connectToAvro(schema: Schema, node: AvroNode, value: unknown): unknown {
  if (value === null || value === undefined) {
    if (schema.defaultValue !== undefined && schema.defaultValue !== null) return connectToAvro(schema, node, schema.defaultValue);
    if (!schema.optional) throw new DataError(`Found null value for non-optional schema${schema.name ? ` ${schema.name}` : ''}`);
    return null;
  }
  if (node.kind === 'union') {
    const branch = optionalBranch(node) ?? node.branches.find((b) => !(b.kind === 'primitive' && b.type === 'null'));
    if (!branch) throw new SchemaRegistryDataError('Union without a non-null branch');
    return { [branch.branchName]: connectToAvro(schema, branch, value) };
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
      if (schema.name === LOGICAL.date) return dateToDays(value);
      if (schema.name === LOGICAL.time) return timeToMillis(value);
      if (typeof value !== 'number') mismatch(schema, value);
      return value;
    case 'INT64':
      if (schema.name === LOGICAL.timestamp) return BigInt(timestampToMillis(value));
      if (typeof value !== 'number' && typeof value !== 'bigint') mismatch(schema, value);
      return typeof value === 'bigint' ? value : BigInt(value);
    case 'FLOAT32':
    case 'FLOAT64':
      if (typeof value !== 'number') mismatch(schema, value);
      return value;
    case 'BOOLEAN':
      if (typeof value !== 'boolean') mismatch(schema, value);
      return value;
    case 'STRING':
      if (typeof value !== 'string') mismatch(schema, value);
      return value;
    case 'BYTES':
      if (schema.name === LOGICAL.decimal) return bigIntToBytes(coerceDecimal(schema, value).unscaled);
      if (value instanceof Uint8Array) return Buffer.isBuffer(value) ? value : Buffer.from(value);
      return mismatch(schema, value);
    case 'ARRAY': {
      if (!Array.isArray(value) || node.kind !== 'array') mismatch(schema, value);
      const items = schema.valueSchema as Schema;
      return value.map((v) => connectToAvro(items, node.items, v));
    }
    case 'MAP': {
      const k = schema.keySchema as Schema;
      const v = schema.valueSchema as Schema;
      if (node.kind === 'map') {
        const out: Record<string, unknown> = {};
        for (const [key, val] of mapEntries(value)) out[String(key)] = connectToAvro(v, node.values, val);
        return out;
      }
      if (node.kind !== 'array' || node.items.kind !== 'record') mismatch(schema, value);
      const [kf, vf] = node.items.fields;
      return mapEntries(value).map(([key, val]) => ({ key: connectToAvro(k, kf?.node as AvroNode, key), value: connectToAvro(v, vf?.node as AvroNode, val) }));
    }
    case 'STRUCT': {
      if (!(value instanceof Struct) || node.kind !== 'record') mismatch(schema, value);
      const out: Record<string, unknown> = {};
      for (const f of node.fields) {
        const cf = schema.fields?.find((x) => x.name === f.name);
        if (!cf) {
          // Writing with another version (use.latest.version): a field the record lacks takes its Avro default.
          if (f.hasDefault && (f.default === null || f.node.kind !== 'union')) {
            out[f.name] = f.default;
            continue;
          }
          throw new SchemaRegistryDataError(`Field ${f.name} of Avro record ${node.fullName} is not in the Connect schema and has no default`);
        }
        out[f.name] = connectToAvro(cf.schema, f.node, value.get(f.name));
      }
      return out;
    }
  }
}

/** A value avsc read for `node` → Connect value for `schema`. */
export function avroToConnect(schema: Schema, node: AvroNode, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (node.kind === 'union') {
    const entries = Object.entries(value as Record<string, unknown>);
    const [branchName, inner] = entries[0] ?? [];
    const branch = node.branches.find((b) => b.branchName === branchName);
    if (!branch) throw new SchemaRegistryDataError(`Unknown union branch ${String(branchName)}`);
    if (optionalBranch(node)) return avroToConnect(schema, branch, inner);
    // A general union: Connect's io.confluent.connect.avro.Union struct with one field set.
    const struct = new Struct(schema);
    const field = schema.fields?.find((f) => unionMember(f.schema, branch));
    if (field) struct.put(field.name, avroToConnect(field.schema, branch, inner));
    return struct;
  }
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
      if (schema.name === LOGICAL.date) return daysToDate(value as number);
      if (schema.name === LOGICAL.time) return millisToTime(value as number);
      return value;
    case 'INT64': {
      const n = typeof value === 'bigint' ? normalizeInt64(value) : value;
      if (schema.name === LOGICAL.timestamp) return new Date(Number(n));
      return n;
    }
    case 'BYTES':
      if (schema.name === LOGICAL.decimal) return new Decimal(bytesToBigInt(value as Buffer), decimalScale(schema));
      return value;
    case 'ARRAY': {
      if (node.kind !== 'array') return value;
      const items = schema.valueSchema as Schema;
      return (value as unknown[]).map((v) => avroToConnect(items, node.items, v));
    }
    case 'MAP': {
      const k = schema.keySchema as Schema;
      const v = schema.valueSchema as Schema;
      const out = new Map<unknown, unknown>();
      if (node.kind === 'map') {
        for (const [key, val] of Object.entries(value as Record<string, unknown>)) out.set(key, avroToConnect(v, node.values, val));
      } else if (node.kind === 'array' && node.items.kind === 'record') {
        const [kf, vf] = node.items.fields;
        for (const e of value as { key: unknown; value: unknown }[]) out.set(avroToConnect(k, kf?.node as AvroNode, e.key), avroToConnect(v, vf?.node as AvroNode, e.value));
      }
      return out;
    }
    case 'STRUCT': {
      if (node.kind !== 'record') return value;
      const struct = new Struct(schema);
      const rec = value as Record<string, unknown>;
      for (const f of node.fields) {
        const cf = schema.fields?.find((x) => x.name === f.name);
        if (cf) struct.put(f.name, avroToConnect(cf.schema, f.node, rec[f.name]));
      }
      return struct;
    }
    default:
      return value;
  }
}

function unionMember(schema: Schema, branch: AvroNode): boolean {
  const t = branch.kind === 'primitive' ? branch.type : branch.kind;
  const expected = { int: ['INT8', 'INT16', 'INT32'], long: ['INT64'], float: ['FLOAT32'], double: ['FLOAT64'], boolean: ['BOOLEAN'], string: ['STRING'], bytes: ['BYTES'], enum: ['STRING'], fixed: ['BYTES'], record: ['STRUCT'], array: ['ARRAY', 'MAP'], map: ['MAP'] }[t as string];
  return expected?.includes(schema.type) ?? false;
}

/** A Connect default value → Avro JSON default (bytes as ISO-8859-1 strings, as Avro's JSON has them). */
export function connectDefaultToAvro(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
      if (schema.name === LOGICAL.date) return dateToDays(value);
      if (schema.name === LOGICAL.time) return timeToMillis(value);
      return value;
    case 'INT64':
      if (schema.name === LOGICAL.timestamp) return timestampToMillis(value);
      return Number(value);
    case 'BYTES': {
      const bytes = schema.name === LOGICAL.decimal ? bigIntToBytes(coerceDecimal(schema, value).unscaled) : Buffer.from(value as Uint8Array);
      return bytes.toString('latin1');
    }
    case 'ARRAY':
      return (value as unknown[]).map((v) => connectDefaultToAvro(schema.valueSchema as Schema, v));
    case 'MAP': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of mapEntries(value)) out[String(k)] = connectDefaultToAvro(schema.valueSchema as Schema, v);
      return out;
    }
    case 'STRUCT': {
      const out: Record<string, unknown> = {};
      for (const f of schema.fields ?? []) out[f.name] = connectDefaultToAvro(f.schema, (value as Struct).get(f.name));
      return out;
    }
    default:
      return value;
  }
}

/** An Avro JSON default → Connect default value for `schema`. */
export function avroDefaultToConnect(schema: Schema, json: unknown): unknown {
  if (json === null || json === undefined) return null;
  switch (schema.type) {
    case 'INT32':
      if (schema.name === LOGICAL.date) return daysToDate(Number(json));
      if (schema.name === LOGICAL.time) return millisToTime(Number(json));
      return Number(json);
    case 'INT8':
    case 'INT16':
    case 'FLOAT32':
    case 'FLOAT64':
      return Number(json);
    case 'INT64':
      if (schema.name === LOGICAL.timestamp) return new Date(Number(json));
      return Number(json);
    case 'BYTES': {
      const bytes = Buffer.from(String(json), 'latin1');
      return schema.name === LOGICAL.decimal ? new Decimal(bytesToBigInt(bytes), decimalScale(schema)) : bytes;
    }
    case 'ARRAY':
      return (json as unknown[]).map((v) => avroDefaultToConnect(schema.valueSchema as Schema, v));
    case 'MAP': {
      const out = new Map<unknown, unknown>();
      for (const [k, v] of Object.entries(json as Record<string, unknown>)) out.set(k, avroDefaultToConnect(schema.valueSchema as Schema, v));
      return out;
    }
    case 'STRUCT': {
      const s = new Struct(schema);
      for (const f of schema.fields ?? []) {
        const v = (json as Record<string, unknown>)[f.name];
        if (v !== undefined) s.put(f.name, avroDefaultToConnect(f.schema, v));
      }
      return s;
    }
    default:
      return json;
  }
}
