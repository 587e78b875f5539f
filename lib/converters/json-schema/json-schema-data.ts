/**
 * Connect schemas and values to JSON Schema and JSON and back, as Confluent's JsonSchemaData maps
 * them: `connect.type` for int8..int64, float32/float64, bytes and maps; logical types by `title`
 * with `connect.version` and `connect.parameters`; optional schemas as `oneOf` with null; fields
 * ordered by `connect.index`; struct names as `title`, docs as `description`.
 */
import { LOGICAL, SchemaBuilder, Struct } from '../../plugins/connect-schema.ts';
import type { Schema, SchemaType } from '../../plugins/connect-schema.ts';
import { normalizeInt64 } from '../data-util.ts';
import { Decimal, dateToDays, daysToDate, decimalScale, millisToTime, timeToMillis, timestampToMillis } from '../logical-types.ts';
import { SchemaRegistryDataError } from '../schema-registry/errors.ts';

type Json = Record<string, unknown>;

const CONNECT_TYPES: Partial<Record<SchemaType, string>> = { INT8: 'int8', INT16: 'int16', INT32: 'int32', INT64: 'int64', FLOAT32: 'float32', FLOAT64: 'float64', BYTES: 'bytes' };
const BY_CONNECT_TYPE = new Map(Object.entries(CONNECT_TYPES).map(([t, n]) => [n, t as SchemaType]));

/** Connect schema → JSON Schema (JsonSchemaData.fromConnectSchema). */
export function fromConnectSchema(schema: Schema): Json {
  const base = (s: Schema): Json => {
    const out: Json = {};
    switch (s.type) {
      case 'STRUCT': {
        out.type = 'object';
        const props: Json = {};
        (s.fields ?? []).forEach((f, i) => (props[f.name] = { ...fromConnectSchema(f.schema), 'connect.index': i }));
        out.properties = props;
        break;
      }
      case 'ARRAY':
        Object.assign(out, { type: 'array', items: fromConnectSchema(s.valueSchema as Schema) });
        break;
      case 'MAP': {
        const k = s.keySchema as Schema;
        if (k.type === 'STRING' && !k.optional) Object.assign(out, { type: 'object', additionalProperties: fromConnectSchema(s.valueSchema as Schema), 'connect.type': 'map' });
        else Object.assign(out, { type: 'array', 'connect.type': 'map', items: { type: 'object', properties: { key: { ...fromConnectSchema(k), 'connect.index': 0 }, value: { ...fromConnectSchema(s.valueSchema as Schema), 'connect.index': 1 } } } });
        break;
      }
      case 'BOOLEAN':
        out.type = 'boolean';
        break;
      case 'STRING':
        out.type = 'string';
        break;
      case 'BYTES':
        out.type = s.name === LOGICAL.decimal ? 'number' : 'string';
        if (s.name !== LOGICAL.decimal) out['connect.type'] = 'bytes';
        break;
      case 'FLOAT32':
      case 'FLOAT64':
        Object.assign(out, { type: 'number', 'connect.type': CONNECT_TYPES[s.type] });
        break;
      default:
        Object.assign(out, { type: 'integer', 'connect.type': CONNECT_TYPES[s.type] });
        if (s.name === LOGICAL.date || s.name === LOGICAL.time || s.name === LOGICAL.timestamp) delete out['connect.type'];
    }
    if (s.name !== undefined) out.title = s.name;
    if (s.version !== undefined) out['connect.version'] = s.version;
    if (s.doc !== undefined) out.description = s.doc;
    if (s.parameters && Object.keys(s.parameters).length) out['connect.parameters'] = { ...s.parameters };
    if (s.defaultValue !== undefined && s.defaultValue !== null) out.default = toJsonValue(s, s.defaultValue);
    return out;
  };
  const b = base(schema);
  return schema.optional ? { oneOf: [{ type: 'null' }, b] } : b;
}

/** JSON Schema → Connect schema (JsonSchemaData.toConnectSchema), for Connect's own schemas and plain ones. */
export function toConnectSchema(json: unknown, optional = false): Schema {
  if (!json || typeof json !== 'object') throw new SchemaRegistryDataError(`Unsupported JSON Schema: ${JSON.stringify(json)}`);
  const j = json as Json;
  const alternatives = (j.oneOf ?? j.anyOf) as unknown[] | undefined;
  if (Array.isArray(alternatives)) {
    const nonNull = alternatives.filter((a) => (a as Json)?.type !== 'null');
    if (nonNull.length === 1 && nonNull.length < alternatives.length) return toConnectSchema(nonNull[0], true);
    throw new SchemaRegistryDataError('Unions other than with null are not supported by the JSON Schema converter');
  }
  let type = j.type;
  if (Array.isArray(type)) {
    const nonNull = type.filter((t) => t !== 'null');
    if (nonNull.length !== 1) throw new SchemaRegistryDataError(`Unsupported JSON Schema type list ${JSON.stringify(type)}`);
    optional ||= nonNull.length < type.length;
    type = nonNull[0];
  }
  const connectType = typeof j['connect.type'] === 'string' ? j['connect.type'] : undefined;
  const title = typeof j.title === 'string' ? j.title : undefined;
  let b: SchemaBuilder;
  if (connectType === 'map') {
    if (type === 'object') b = SchemaBuilder.map(new SchemaBuilder('STRING').build(), toConnectSchema(j.additionalProperties));
    else {
      const props = ((j.items as Json)?.properties ?? {}) as Json;
      b = SchemaBuilder.map(toConnectSchema(props.key), toConnectSchema(props.value));
    }
  } else if (type === 'object') {
    b = SchemaBuilder.struct();
    const props = Object.entries((j.properties ?? {}) as Record<string, Json>);
    props.sort((x, y) => Number(x[1]['connect.index'] ?? 0) - Number(y[1]['connect.index'] ?? 0));
    const required = new Set(Array.isArray(j.required) ? (j.required as string[]) : []);
    const connectMade = props.some(([, p]) => p['connect.index'] !== undefined);
    for (const [name, p] of props) b.field(name, toConnectSchema(p, !connectMade && !required.has(name)));
  } else if (type === 'array') {
    b = SchemaBuilder.array(toConnectSchema(j.items));
  } else if (title === LOGICAL.decimal) {
    b = new SchemaBuilder('BYTES');
  } else if (type === 'integer' || type === 'number') {
    b = new SchemaBuilder(BY_CONNECT_TYPE.get(connectType ?? '') ?? (title === LOGICAL.date || title === LOGICAL.time ? 'INT32' : type === 'integer' ? 'INT64' : 'FLOAT64'));
  } else if (type === 'string') {
    b = new SchemaBuilder(connectType === 'bytes' ? 'BYTES' : 'STRING');
  } else if (type === 'boolean') {
    b = new SchemaBuilder('BOOLEAN');
  } else {
    throw new SchemaRegistryDataError(`Unsupported JSON Schema type ${JSON.stringify(type)}`);
  }
  if (title !== undefined) b.name(title);
  if (typeof j['connect.version'] === 'number') b.version(j['connect.version']);
  if (typeof j.description === 'string') b.doc(j.description);
  const params = j['connect.parameters'];
  if (params && typeof params === 'object') for (const [k, v] of Object.entries(params)) b.parameter(k, String(v));
  if (optional) b.optional();
  if (j.default !== undefined && j.default !== null) b.defaultValue(toConnectValue(b.build(), j.default));
  return b.build();
}

/** Connect value → JSON value; bigints stay bigints for the writer to print exactly. */
export function toJsonValue(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) {
    if (schema.defaultValue !== undefined && schema.defaultValue !== null) return toJsonValue(schema, schema.defaultValue);
    if (!schema.optional) throw new SchemaRegistryDataError(`Found null value for non-optional schema${schema.name ? ` ${schema.name}` : ''}`);
    return null;
  }
  switch (schema.type) {
    case 'INT32':
      if (schema.name === LOGICAL.date) return dateToDays(value);
      if (schema.name === LOGICAL.time) return timeToMillis(value);
      return value;
    case 'INT64':
      return schema.name === LOGICAL.timestamp ? timestampToMillis(value) : value;
    case 'BYTES':
      if (schema.name === LOGICAL.decimal) return new RawNumber(Decimal.from(value).withScale(decimalScale(schema)).toPlainString());
      return Buffer.from(value as Uint8Array).toString('base64');
    case 'ARRAY':
      return (value as unknown[]).map((v) => toJsonValue(schema.valueSchema as Schema, v));
    case 'MAP': {
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as Json);
      const k = schema.keySchema as Schema;
      if (k.type === 'STRING' && !k.optional) return Object.fromEntries(entries.map(([key, v]) => [key, toJsonValue(schema.valueSchema as Schema, v)]));
      return entries.map(([key, v]) => ({ key: toJsonValue(k, key), value: toJsonValue(schema.valueSchema as Schema, v) }));
    }
    case 'STRUCT': {
      if (!(value instanceof Struct)) throw new SchemaRegistryDataError(`Invalid value for STRUCT schema: ${typeof value}`);
      return Object.fromEntries((schema.fields ?? []).map((f) => [f.name, toJsonValue(f.schema, value.get(f.name))]));
    }
    default:
      return value;
  }
}

/** A number written as given (decimals keep their digits). */
export class RawNumber {
  constructor(readonly text: string) {}
}

/** JSON text with bigints and RawNumbers printed exactly. */
export function writeJsonText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof RawNumber) return v.text;
  if (Array.isArray(v)) return `[${v.map(writeJsonText).join(',')}]`;
  if (typeof v === 'object') return `{${Object.entries(v as Json).map(([k, x]) => `${JSON.stringify(k)}:${writeJsonText(x)}`).join(',')}}`;
  return JSON.stringify(v);
}

/** Parses JSON keeping integers beyond 2^53 as bigint and every number's text (for decimals). */
export function parseJsonText(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown, ctx?: { source?: string }) => {
    if (typeof v === 'number' && ctx?.source !== undefined) {
      if (/^-?\d+$/.test(ctx.source) && !Number.isSafeInteger(v)) return BigInt(ctx.source);
      if (/[.eE]/.test(ctx.source) || !Number.isSafeInteger(v)) return new RawNumber(ctx.source);
    }
    return v;
  });
}

/** JSON value → Connect value. */
export function toConnectValue(schema: Schema, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  const num = (x: unknown): number => (x instanceof RawNumber ? Number(x.text) : Number(x));
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
      return num(v);
    case 'INT32':
      if (schema.name === LOGICAL.date) return daysToDate(num(v));
      if (schema.name === LOGICAL.time) return millisToTime(num(v));
      return num(v);
    case 'INT64':
      if (schema.name === LOGICAL.timestamp) return new Date(num(v));
      return typeof v === 'bigint' ? normalizeInt64(v) : num(v);
    case 'FLOAT32':
    case 'FLOAT64':
      return num(v);
    case 'BYTES':
      if (schema.name === LOGICAL.decimal) return Decimal.parse(v instanceof RawNumber ? v.text : String(v)).withScale(decimalScale(schema));
      return Buffer.from(String(v), 'base64');
    case 'ARRAY':
      return (v as unknown[]).map((x) => toConnectValue(schema.valueSchema as Schema, x));
    case 'MAP': {
      const out = new Map<unknown, unknown>();
      if (Array.isArray(v)) for (const e of v as Json[]) out.set(toConnectValue(schema.keySchema as Schema, e.key), toConnectValue(schema.valueSchema as Schema, e.value));
      else for (const [k, x] of Object.entries(v as Json)) out.set(k, toConnectValue(schema.valueSchema as Schema, x));
      return out;
    }
    case 'STRUCT': {
      const s = new Struct(schema);
      for (const f of schema.fields ?? []) if ((v as Json)[f.name] !== undefined) s.put(f.name, toConnectValue(f.schema, (v as Json)[f.name]));
      return s;
    }
    default:
      return v;
  }
}

/** Plain JSON (RawNumbers as numbers, bigints as numbers) for validation with ajv. */
export function plainJson(v: unknown): unknown {
  if (v instanceof RawNumber) return Number(v.text);
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(plainJson);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Json).map(([k, x]) => [k, plainJson(x)]));
  return v;
}
