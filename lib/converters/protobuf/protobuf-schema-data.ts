/**
 * Connect schemas ↔ Protobuf (proto3) schemas as Confluent's ProtobufData maps them:
 * STRUCT → message (nested structs as nested messages), ARRAY → `repeated`, MAP → `map<K, V>`
 * or, when the key is not a Protobuf map key or the value is itself repeated, `repeated XEntry`
 * with `key = 1` and `value = 2`; STRING with `io.confluent.connect.protobuf.Enum` parameters →
 * an enum; a STRUCT named `io.confluent.connect.protobuf.Union.<name>` → `oneof <name>`;
 * Decimal/Date/Time/Timestamp → confluent.type.Decimal, google.type.Date, google.type.TimeOfDay,
 * google.protobuf.Timestamp; INT8/INT16 → int32 with `connect.type` field meta; optional
 * primitives → plain fields, proto3 `optional` (`optional.for.nullables`) or google.protobuf
 * wrappers (`wrapper.for.nullables`). Field tags follow `io.confluent.connect.protobuf.Tag`.
 */
import protobuf from 'protobufjs';
import { DataError, LOGICAL, SchemaBuilder } from '../../plugins/connect-schema.ts';
import type { Schema } from '../../plugins/connect-schema.ts';
import { DECIMAL_SCALE_PARAMETER } from '../logical-types.ts';
import { DATE_TYPE, DECIMAL_TYPE, IMPORT_OF, META_IMPORT, TIME_TYPE, TIMESTAMP_TYPE } from './protobuf-files.ts';

export const ENUM_PARAM = 'io.confluent.connect.protobuf.Enum';
export const UNION_PREFIX = 'io.confluent.connect.protobuf.Union.';
export const TAG_PARAM = 'io.confluent.connect.protobuf.Tag';
const PRECISION_PARAM = 'connect.decimal.precision';
const WRAPPERS_IMPORT = 'google/protobuf/wrappers.proto';

export interface ProtobufDataOptions {
  /** enhanced.protobuf.schema.support: Connect schema names keep the package. */
  readonly enhanced: boolean;
  /** wrapper.for.nullables: optional primitives as google.protobuf wrappers. */
  readonly wrapperForNullables: boolean;
  /** optional.for.nullables: optional primitives as proto3 `optional` fields. */
  readonly optionalForNullables: boolean;
}

const SCALAR: Partial<Record<Schema['type'], string>> = { INT8: 'int32', INT16: 'int32', INT32: 'int32', INT64: 'int64', FLOAT32: 'float', FLOAT64: 'double', BOOLEAN: 'bool', STRING: 'string', BYTES: 'bytes' };
const WRAPPER: Partial<Record<Schema['type'], string>> = { INT8: 'Int32Value', INT16: 'Int32Value', INT32: 'Int32Value', INT64: 'Int64Value', FLOAT32: 'FloatValue', FLOAT64: 'DoubleValue', BOOLEAN: 'BoolValue', STRING: 'StringValue', BYTES: 'BytesValue' };
const MAP_KEYS = new Set(['int32', 'int64', 'string', 'bool']);
const LOGICAL_TYPE: Readonly<Record<string, string>> = { [LOGICAL.decimal]: DECIMAL_TYPE, [LOGICAL.date]: DATE_TYPE, [LOGICAL.time]: TIME_TYPE, [LOGICAL.timestamp]: TIMESTAMP_TYPE };

const unqualified = (name: string): string => name.slice(name.lastIndexOf('.') + 1);
const pascal = (name: string): string => name.split('_').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
export const isEnumSchema = (s: Schema): boolean => s.type === 'STRING' && s.parameters?.[ENUM_PARAM] !== undefined;
export const isUnionSchema = (s: Schema): boolean => s.type === 'STRUCT' && (s.name ?? '').startsWith(UNION_PREFIX);

function metaOption(params: Record<string, string>): string {
  const entries = Object.entries(params);
  if (entries.length === 0) return '';
  return ` [(confluent.field_meta) = { params: [${entries.map(([k, v]) => `{ key: "${k}", value: "${v}" }`).join(', ')}] }]`;
}

/** A proto3 file for a STRUCT schema; returns the text and the top-level message's full name. */
export function toProtoText(schema: Schema, opts: ProtobufDataOptions): { text: string; fullName: string } {
  if (schema.type !== 'STRUCT') throw new DataError(`Unsupported root schema of type ${schema.type}`);
  let defaults = 0;
  const full = schema.name ?? `ConnectDefault${++defaults}`;
  const dot = full.lastIndexOf('.');
  const imports = new Set<string>();

  const message = (s: Schema, name: string, indent: string): string[] => {
    const body: string[] = [];
    const nested: string[] = [];
    const defined = new Set<string>();
    let next = 1;
    const tagOf = (fs: Schema): number => (fs.parameters?.[TAG_PARAM] !== undefined ? Number(fs.parameters[TAG_PARAM]) : next++);

    // The type name of a non-repeated value, defining nested messages and enums on the way.
    const typeOf = (fs: Schema, fieldName: string, meta: Record<string, string>): string => {
      const logical = fs.name ? LOGICAL_TYPE[fs.name] : undefined;
      if (logical) {
        imports.add(IMPORT_OF[logical] as string);
        if (fs.name === LOGICAL.decimal) {
          const precision = fs.parameters?.[PRECISION_PARAM];
          if (precision !== undefined) meta.precision = precision;
          const scale = fs.parameters?.[DECIMAL_SCALE_PARAMETER];
          if (scale !== undefined) meta.scale = scale;
        }
        return logical;
      }
      if (isEnumSchema(fs)) {
        const enumName = unqualified(fs.parameters?.[ENUM_PARAM] as string);
        if (!defined.has(enumName)) {
          defined.add(enumName);
          const symbols = Object.entries(fs.parameters ?? {}).filter(([k]) => k.startsWith(`${ENUM_PARAM}.`));
          nested.push(`${indent}  enum ${enumName} {`, ...symbols.map(([k, v]) => `${indent}    ${k.slice(ENUM_PARAM.length + 1)} = ${v};`), `${indent}  }`);
        }
        return enumName;
      }
      if (fs.type === 'STRUCT') {
        let n = unqualified(fs.name ?? `ConnectDefault${++defaults}`);
        if (n === fieldName) n += 'Message';
        if (!defined.has(n)) {
          defined.add(n);
          nested.push(...message(fs, n, `${indent}  `));
        }
        return n;
      }
      if (fs.type === 'ARRAY' || fs.type === 'MAP') throw new DataError(`Field ${fieldName}: an ${fs.type} inside an ARRAY has no Protobuf form`);
      if (fs.type === 'INT8' || fs.type === 'INT16') meta['connect.type'] = fs.type.toLowerCase();
      if (opts.wrapperForNullables && fs.optional) {
        imports.add(WRAPPERS_IMPORT);
        return `google.protobuf.${WRAPPER[fs.type] as string}`;
      }
      return SCALAR[fs.type] as string;
    };

    const declare = (fieldName: string, fs: Schema, tag: number): string => {
      const meta: Record<string, string> = {};
      let decl: string;
      if (fs.type === 'ARRAY') decl = `repeated ${typeOf(fs.valueSchema as Schema, fieldName, meta)}`;
      else if (fs.type === 'MAP') {
        const k = fs.keySchema as Schema;
        const v = fs.valueSchema as Schema;
        const keyType = !k.name && !isEnumSchema(k) && !(opts.wrapperForNullables && k.optional) ? SCALAR[k.type] : undefined;
        if (keyType && MAP_KEYS.has(keyType) && v.type !== 'ARRAY' && v.type !== 'MAP') {
          const valueMeta: Record<string, string> = {};
          decl = `map<${keyType}, ${typeOf(v, fieldName, valueMeta)}>`;
        } else {
          const entry = `${pascal(fieldName)}Entry`;
          if (!defined.has(entry)) {
            defined.add(entry);
            const entrySchema = SchemaBuilder.struct().field('key', k).field('value', v).build();
            nested.push(...message(entrySchema, entry, `${indent}  `));
          }
          decl = `repeated ${entry}`;
        }
      } else {
        const t = typeOf(fs, fieldName, meta);
        const presence = opts.optionalForNullables && fs.optional && (SCALAR[fs.type] === t || isEnumSchema(fs));
        decl = presence ? `optional ${t}` : t;
      }
      if (Object.keys(meta).length > 0) imports.add(META_IMPORT);
      return `${decl} ${fieldName} = ${tag}${metaOption(meta)};`;
    };

    for (const f of s.fields ?? []) {
      if (isUnionSchema(f.schema)) {
        body.push(`${indent}  oneof ${unqualified((f.schema.name as string).slice(UNION_PREFIX.length))} {`);
        for (const m of f.schema.fields ?? []) body.push(`${indent}    ${declare(m.name, { ...m.schema, optional: false }, tagOf(m.schema))}`);
        body.push(`${indent}  }`);
      } else body.push(`${indent}  ${declare(f.name, f.schema, tagOf(f.schema))}`);
    }
    return [`${indent}message ${name} {`, ...nested, ...body, `${indent}}`];
  };

  const text = message(schema, unqualified(full), '');
  const head = ['syntax = "proto3";'];
  if (dot >= 0) head.push(`package ${full.slice(0, dot)};`);
  for (const imp of [...imports].sort()) head.push(`import "${imp}";`);
  return { text: `${[...head, '', ...text].join('\n')}\n`, fullName: full };
}

/** The `(confluent.field_meta)` params of a field. */
function metaParams(f: protobuf.Field): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of (f.parsedOptions ?? []) as unknown as Record<string, unknown>[]) {
    const meta = (o as Record<string, { params?: unknown }>)['(confluent.field_meta)'];
    const list = meta?.params === undefined ? [] : Array.isArray(meta.params) ? meta.params : [meta.params];
    for (const p of list as { key?: string; value?: string }[]) if (p.key !== undefined && p.value !== undefined) out[p.key] = p.value;
  }
  return out;
}

const isSyntheticOneof = (o: protobuf.OneOf): boolean => o.fieldsArray.length === 1 && (o.fieldsArray[0]?.options?.proto3_optional as boolean | undefined) === true;

/** A protobufjs message type → Connect STRUCT schema, as Confluent's ProtobufData.toConnectSchema. */
export function toConnectSchema(type: protobuf.Type, opts: ProtobufDataOptions, seen: ReadonlySet<string> = new Set()): Schema {
  const full = type.fullName.replace(/^\./, '');
  if (seen.has(full)) throw new DataError(`Recursive Protobuf message ${full} has no Connect schema`);
  const inner = new Set([...seen, full]);
  const b = SchemaBuilder.struct().name(opts.enhanced ? full : type.name);
  const realOneofs = type.oneofsArray.filter((o) => !isSyntheticOneof(o));
  realOneofs.forEach((o, i) => {
    const u = SchemaBuilder.struct().name(UNION_PREFIX + o.name).optional();
    for (const f of o.fieldsArray) u.field(f.name, fieldSchema(f, opts, inner));
    b.field(`${o.name}_${i}`, u.build());
  });
  for (const f of type.fieldsArray) {
    if (f.partOf && !isSyntheticOneof(f.partOf)) continue;
    b.field(f.name, fieldSchema(f, opts, inner));
  }
  return b.build();
}

const INT64_TYPES = new Set(['uint32', 'fixed32', 'int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const PRIMITIVE: Readonly<Record<string, Schema['type']>> = { int32: 'INT32', sint32: 'INT32', sfixed32: 'INT32', float: 'FLOAT32', double: 'FLOAT64', bool: 'BOOLEAN', string: 'STRING', bytes: 'BYTES' };
const UNWRAPPED: Readonly<Record<string, Schema['type']>> = { DoubleValue: 'FLOAT64', FloatValue: 'FLOAT32', Int64Value: 'INT64', UInt64Value: 'INT64', Int32Value: 'INT32', UInt32Value: 'INT64', BoolValue: 'BOOLEAN', StringValue: 'STRING', BytesValue: 'BYTES' };

/** The Connect schema of one value of a field (an element when repeated). */
function valueSchema(f: protobuf.Field | { type: string; resolvedType: protobuf.ReflectionObject | null }, meta: Record<string, string>, opts: ProtobufDataOptions, seen: ReadonlySet<string>): SchemaBuilder {
  const rt = f.resolvedType;
  if (rt instanceof protobuf.Enum) {
    const b = new SchemaBuilder('STRING').name(rt.name).parameter(ENUM_PARAM, rt.name);
    for (const [sym, num] of Object.entries(rt.values)) b.parameter(`${ENUM_PARAM}.${sym}`, String(num));
    return b;
  }
  if (rt instanceof protobuf.Type) {
    const full = rt.fullName.replace(/^\./, '');
    if (full === DECIMAL_TYPE) {
      const b = new SchemaBuilder('BYTES').name(LOGICAL.decimal).version(1).parameter(DECIMAL_SCALE_PARAMETER, meta.scale ?? '0');
      return meta.precision === undefined ? b : b.parameter(PRECISION_PARAM, meta.precision);
    }
    if (full === DATE_TYPE) return new SchemaBuilder('INT32').name(LOGICAL.date).version(1);
    if (full === TIME_TYPE) return new SchemaBuilder('INT32').name(LOGICAL.time).version(1);
    if (full === TIMESTAMP_TYPE) return new SchemaBuilder('INT64').name(LOGICAL.timestamp).version(1);
    if (full.startsWith('google.protobuf.') && UNWRAPPED[rt.name]) return new SchemaBuilder(UNWRAPPED[rt.name] as Schema['type']);
    if (isMapEntry(rt)) {
      const [k, v] = rt.fieldsArray as [protobuf.Field, protobuf.Field];
      return rebuild(SchemaBuilder.map(fieldSchema(k, opts, seen), fieldSchema(v, opts, seen)), undefined);
    }
    return rebuild(new SchemaBuilder('STRUCT'), toConnectSchema(rt, opts, seen));
  }
  if (INT64_TYPES.has(f.type)) return new SchemaBuilder('INT64');
  if (f.type === 'int32' && (meta['connect.type'] === 'int8' || meta['connect.type'] === 'int16')) return new SchemaBuilder(meta['connect.type'] === 'int8' ? 'INT8' : 'INT16');
  const t = PRIMITIVE[f.type];
  if (!t) throw new DataError(`Unknown Protobuf type ${f.type}`);
  return new SchemaBuilder(t);
}

/** A builder carrying a built schema's name and fields (so tags and optionality can still be set). */
function rebuild(b: SchemaBuilder, from: Schema | undefined): SchemaBuilder {
  if (!from) return b;
  if (from.name) b.name(from.name);
  for (const f of from.fields ?? []) b.field(f.name, f.schema);
  return b;
}

/** A `repeated XEntry` whose message has exactly `key = 1` and `value = 2`: Confluent reads it as a MAP. */
export function isMapEntry(t: protobuf.Type): boolean {
  const fs = t.fieldsArray;
  return t.name.endsWith('Entry') && fs.length === 2 && fs[0]?.name === 'key' && fs[0].id === 1 && fs[1]?.name === 'value' && fs[1].id === 2;
}

function fieldSchema(f: protobuf.Field, opts: ProtobufDataOptions, seen: ReadonlySet<string>): Schema {
  f.resolve();
  const meta = metaParams(f);
  let b: SchemaBuilder;
  if (f instanceof protobuf.MapField) {
    const key = valueSchema({ type: f.keyType, resolvedType: null }, {}, opts, seen).optional().build();
    b = SchemaBuilder.map(key, valueSchema(f, meta, opts, seen).optional().build());
  } else {
    b = valueSchema(f, meta, opts, seen);
    const isMap = f.resolvedType instanceof protobuf.Type && isMapEntry(f.resolvedType);
    if (f.repeated && !isMap) b = SchemaBuilder.array(b.optional().build());
  }
  return b.optional().parameter(TAG_PARAM, String(f.id)).build();
}
