/**
 * Connect schemas and values to Protobuf (proto3 schema text, protobufjs messages) and back.
 * STRUCT maps to a message (nested structs to nested messages), ARRAY to `repeated`, MAP to
 * `map<K, V>`, optional primitives to proto3 `optional` fields, INT8/INT16/INT32 to int32, INT64
 * to int64. Logical types go as their Connect representation (Decimal as its text, Date/Time as
 * int32, Timestamp as int64), not as Confluent's google.type/confluent.type imports.
 */
import protobuf from 'protobufjs';
import { LOGICAL, SchemaBuilder, Struct } from '../../plugins/connect-schema.ts';
import type { Schema } from '../../plugins/connect-schema.ts';
import { normalizeInt64 } from '../data-util.ts';
import { Decimal, dateToDays, daysToDate, decimalScale, millisToTime, timeToMillis, timestampToMillis } from '../logical-types.ts';
import { SchemaRegistryDataError } from '../schema-registry/errors.ts';

const SCALAR: Partial<Record<Schema['type'], string>> = { INT8: 'int32', INT16: 'int32', INT32: 'int32', INT64: 'int64', FLOAT32: 'float', FLOAT64: 'double', BOOLEAN: 'bool', STRING: 'string', BYTES: 'bytes' };
const MAP_KEYS = new Set(['int32', 'int64', 'string', 'bool']);

function scalar(s: Schema): string | undefined {
  if (s.name === LOGICAL.decimal) return 'string';
  return SCALAR[s.type];
}

/** A proto3 file for a STRUCT schema; returns the text and the top-level message's full name. */
export function toProtoText(schema: Schema): { text: string; fullName: string } {
  if (schema.type !== 'STRUCT') throw new SchemaRegistryDataError('The Protobuf converter needs a STRUCT schema (a message)');
  const full = schema.name ?? 'ConnectDefault1';
  const dot = full.lastIndexOf('.');
  const pkg = dot < 0 ? '' : full.slice(0, dot);
  const lines: string[] = ['syntax = "proto3";'];
  if (pkg) lines.push(`package ${pkg};`);
  const message = (s: Schema, name: string, indent: string): string[] => {
    const out = [`${indent}message ${name} {`];
    const nested = new Set<string>();
    (s.fields ?? []).forEach((f, i) => {
      const typeOf = (fs: Schema, fallback: string): string => {
        const t = scalar(fs);
        if (t) return t;
        if (fs.type !== 'STRUCT') throw new SchemaRegistryDataError(`Field ${f.name}: nested ${fs.type} inside ARRAY or MAP is not supported by the Protobuf converter`);
        const n = (fs.name ?? fallback).split('.').pop() as string;
        if (!nested.has(n)) {
          nested.add(n);
          out.push(...message(fs, n, `${indent}  `));
        }
        return n;
      };
      const fallback = f.name.charAt(0).toUpperCase() + f.name.slice(1);
      let decl: string;
      if (f.schema.type === 'ARRAY') decl = `repeated ${typeOf(f.schema.valueSchema as Schema, fallback)}`;
      else if (f.schema.type === 'MAP') {
        const k = scalar(f.schema.keySchema as Schema) ?? '';
        if (!MAP_KEYS.has(k)) throw new SchemaRegistryDataError(`Field ${f.name}: map keys must be integers, strings or booleans`);
        decl = `map<${k}, ${typeOf(f.schema.valueSchema as Schema, `${fallback}Value`)}>`;
      } else {
        const t = typeOf(f.schema, fallback);
        decl = f.schema.optional && f.schema.type !== 'STRUCT' ? `optional ${t}` : t;
      }
      out.push(`${indent}  ${decl} ${f.name} = ${i + 1};`);
    });
    out.push(`${indent}}`);
    return out;
  };
  lines.push(...message(schema, full.slice(dot + 1), ''));
  return { text: `${lines.join('\n')}\n`, fullName: full };
}

/** The message type at the Confluent message-index path in a parsed file. */
export function messageAt(root: protobuf.Root, indexes: readonly number[]): protobuf.Type {
  const top: protobuf.Type[] = [];
  const collect = (ns: protobuf.NamespaceBase): void => {
    for (const n of ns.nestedArray) {
      if (n instanceof protobuf.Type) top.push(n);
      else if (n instanceof protobuf.Namespace) collect(n);
    }
  };
  collect(root);
  let t = top[indexes[0] ?? 0];
  for (const i of indexes.slice(1)) t = t?.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type)[i];
  if (!t) throw new SchemaRegistryDataError(`No message at index path [${indexes.join(', ')}]`);
  return t;
}

/** A protobufjs message type → Connect schema. */
export function toConnectSchema(type: protobuf.Type, optional = false): Schema {
  type.resolveAll();
  const b = SchemaBuilder.struct().name(type.fullName.replace(/^\./, ''));
  for (const f of type.fieldsArray) b.field(f.name, fieldSchema(f));
  if (optional) b.optional();
  return b.build();
}

function scalarSchema(t: string, optional: boolean): Schema {
  const m: Record<string, Schema['type']> = { int32: 'INT32', sint32: 'INT32', sfixed32: 'INT32', uint32: 'INT64', fixed32: 'INT64', int64: 'INT64', sint64: 'INT64', sfixed64: 'INT64', uint64: 'INT64', fixed64: 'INT64', float: 'FLOAT32', double: 'FLOAT64', bool: 'BOOLEAN', string: 'STRING', bytes: 'BYTES' };
  const st = m[t];
  const b = new SchemaBuilder(st ?? 'INT32');
  return (optional ? b.optional() : b).build();
}

function fieldSchema(f: protobuf.Field): Schema {
  const element = (): Schema => (f.resolvedType instanceof protobuf.Type ? toConnectSchema(f.resolvedType, !f.repeated && !(f instanceof protobuf.MapField)) : f.resolvedType instanceof protobuf.Enum ? scalarSchema('string', false) : scalarSchema(f.type, false));
  if (f instanceof protobuf.MapField) return SchemaBuilder.map(scalarSchema(f.keyType, false), element()).build();
  if (f.repeated) return SchemaBuilder.array(element()).build();
  if (f.resolvedType instanceof protobuf.Type) return toConnectSchema(f.resolvedType, true);
  if (f.resolvedType instanceof protobuf.Enum) return scalarSchema('string', f.hasPresence);
  return scalarSchema(f.type, f.hasPresence);
}

/** Connect value → a plain object for protobufjs' fromObject. */
export function toProtoObject(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  switch (schema.type) {
    case 'STRUCT': {
      if (!(value instanceof Struct)) throw new SchemaRegistryDataError('Invalid value for STRUCT schema');
      const out: Record<string, unknown> = {};
      for (const f of schema.fields ?? []) {
        const v = value.get(f.name);
        if ((v === null || v === undefined) && !f.schema.optional) throw new SchemaRegistryDataError(`Found null value for non-optional field ${f.name}`);
        const p = toProtoObject(f.schema, v);
        if (p !== undefined) out[f.name] = p;
      }
      return out;
    }
    case 'ARRAY':
      return (value as unknown[]).map((v) => toProtoObject(schema.valueSchema as Schema, v));
    case 'MAP': {
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as object);
      return Object.fromEntries(entries.map(([k, v]) => [String(k), toProtoObject(schema.valueSchema as Schema, v)]));
    }
    case 'INT32':
      return schema.name === LOGICAL.date ? dateToDays(value) : schema.name === LOGICAL.time ? timeToMillis(value) : value;
    case 'INT64':
      return schema.name === LOGICAL.timestamp ? String(timestampToMillis(value)) : String(value);
    case 'BYTES':
      return schema.name === LOGICAL.decimal ? Decimal.from(value).withScale(decimalScale(schema)).toPlainString() : Buffer.from(value as Uint8Array);
    default:
      return value;
  }
}

/** A protobufjs toObject result (longs as strings, bytes as Buffer) → Connect value. */
export function fromProtoObject(schema: Schema, v: unknown): unknown {
  if (v === null || v === undefined) return schema.optional ? null : fromProtoObject(schema, zero(schema));
  switch (schema.type) {
    case 'STRUCT': {
      const s = new Struct(schema);
      for (const f of schema.fields ?? []) s.put(f.name, fromProtoObject(f.schema, (v as Record<string, unknown>)[f.name]));
      return s;
    }
    case 'ARRAY':
      return (v as unknown[]).map((x) => fromProtoObject(schema.valueSchema as Schema, x));
    case 'MAP': {
      const k = schema.keySchema as Schema;
      return new Map(Object.entries(v as object).map(([key, x]) => [fromProtoObject(k, k.type === 'STRING' ? key : k.type === 'BOOLEAN' ? key === 'true' : key), fromProtoObject(schema.valueSchema as Schema, x)]));
    }
    case 'INT8':
    case 'INT16':
    case 'INT32': {
      const n = Number(v);
      return schema.name === LOGICAL.date ? daysToDate(n) : schema.name === LOGICAL.time ? millisToTime(n) : n;
    }
    case 'INT64': {
      const n = normalizeInt64(BigInt(v as string));
      return schema.name === LOGICAL.timestamp ? new Date(Number(n)) : n;
    }
    case 'BYTES':
      return schema.name === LOGICAL.decimal ? Decimal.parse(String(v)).withScale(decimalScale(schema)) : Buffer.from(v as Uint8Array);
    default:
      return v;
  }
}

function zero(schema: Schema): unknown {
  switch (schema.type) {
    case 'STRING':
      return '';
    case 'BOOLEAN':
      return false;
    case 'BYTES':
      return schema.name === LOGICAL.decimal ? '0' : Buffer.alloc(0);
    case 'ARRAY':
      return [];
    case 'MAP':
      return {};
    case 'STRUCT':
      return {};
    case 'INT64':
      return '0';
    default:
      return 0;
  }
}
