/**
 * The JsonConverter's mapping between Connect data and JSON trees: Connect schema JSON
 * (`{"type":"struct","fields":[...],"optional":false}`) and values, with logical types,
 * base64 bytes, and maps with non-string keys written as arrays of `[key, value]` pairs.
 */
import { DataError, SchemaBuilder, Struct } from '../plugins/connect-schema.ts';
import type { Schema, SchemaType } from '../plugins/connect-schema.ts';
import {
  INT64_MAX,
  INT64_MIN,
  decodeBase64,
  describeType,
  fitsInt,
  integralBigInt,
  isBytes,
  isPlainObject,
  normalizeInt64,
  schemaEquals,
  setOwn,
} from './data-util.ts';
import { formatDouble, formatFloat } from './java-format.ts';
import { JsonNumber, isJsonObject, jsonObject } from './json-text.ts';
import type { JsonNode, JsonObject } from './json-text.ts';
import {
  Decimal,
  bigIntToBytes,
  coerceDecimal,
  dateToDays,
  daysToDate,
  decimalFromBytes,
  logicalKind,
  millisToTime,
  timeToMillis,
  timestampToMillis,
} from './logical-types.ts';

export interface JsonCodecOptions {
  readonly decimalFormat: 'BASE64' | 'NUMERIC';
  readonly replaceNullWithDefault: boolean;
}

const TYPE_NAMES: Record<SchemaType, string> = {
  BOOLEAN: 'boolean',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FLOAT32: 'float',
  FLOAT64: 'double',
  BYTES: 'bytes',
  STRING: 'string',
  ARRAY: 'array',
  MAP: 'map',
  STRUCT: 'struct',
};
const TYPES_BY_NAME = new Map(Object.entries(TYPE_NAMES).map(([t, n]) => [n, t as SchemaType]));

const schemaJsonCache = new WeakMap<Schema, WeakMap<JsonCodecOptions, JsonObject>>();

/** Connect schema → its JSON form (JsonConverter.asJsonSchema). */
export function asJsonSchema(schema: Schema, opts: JsonCodecOptions): JsonObject {
  const cached = schemaJsonCache.get(schema)?.get(opts);
  if (cached) return cached;
  const entries: [string, JsonNode][] = [['type', TYPE_NAMES[schema.type]]];
  if (schema.type === 'ARRAY') entries.push(['items', schema.valueSchema ? asJsonSchema(schema.valueSchema, opts) : null]);
  if (schema.type === 'MAP') {
    entries.push(['keys', schema.keySchema ? asJsonSchema(schema.keySchema, opts) : null]);
    entries.push(['values', schema.valueSchema ? asJsonSchema(schema.valueSchema, opts) : null]);
  }
  if (schema.type === 'STRUCT') {
    const fields = (schema.fields ?? []).map((f) => jsonObject([...Object.entries(asJsonSchema(f.schema, opts)), ['field', f.name]]));
    entries.push(['fields', fields]);
  }
  entries.push(['optional', schema.optional]);
  if (schema.name !== undefined) entries.push(['name', schema.name]);
  if (schema.version !== undefined) entries.push(['version', new JsonNumber(String(schema.version))]);
  if (schema.doc !== undefined) entries.push(['doc', schema.doc]);
  if (schema.parameters) entries.push(['parameters', jsonObject(Object.entries(schema.parameters))]);
  if (schema.defaultValue !== undefined && schema.defaultValue !== null) {
    entries.push(['default', convertToJson(schema, schema.defaultValue, opts)]);
  }
  const result = jsonObject(entries);
  let perOpts = schemaJsonCache.get(schema);
  if (!perOpts) schemaJsonCache.set(schema, (perOpts = new WeakMap()));
  perOpts.set(opts, result);
  return result;
}

/** JSON schema → Connect schema (JsonConverter.asConnectSchema); null for a JSON null. */
export function asConnectSchema(node: JsonNode | undefined, opts: JsonCodecOptions): Schema | null {
  if (node === null || node === undefined) return null;
  if (!isJsonObject(node) || typeof node.type !== 'string') throw new DataError("Schema must contain 'type' field");
  const type = TYPES_BY_NAME.get(node.type);
  if (!type) throw new DataError(`Unknown schema type: ${node.type}`);
  let builder: SchemaBuilder;
  if (type === 'ARRAY') {
    const items = asConnectSchema(node.items, opts);
    if (!items) throw new DataError('Array schema did not specify the element type');
    builder = SchemaBuilder.array(items);
  } else if (type === 'MAP') {
    if (node.keys === undefined) throw new DataError('Map schema did not specify the key type');
    if (node.values === undefined) throw new DataError('Map schema did not specify the value type');
    const keys = asConnectSchema(node.keys, opts);
    const values = asConnectSchema(node.values, opts);
    if (!keys || !values) throw new DataError('Map schema must specify non-null key and value types');
    builder = SchemaBuilder.map(keys, values);
  } else if (type === 'STRUCT') {
    builder = SchemaBuilder.struct();
    if (!Array.isArray(node.fields)) throw new DataError('Struct schema\'s "fields" argument is not an array.');
    const seen = new Set<string>();
    for (const field of node.fields) {
      const name = isJsonObject(field) ? field.field : undefined;
      if (typeof name !== 'string') throw new DataError("Struct schema's field name not specified properly");
      if (seen.has(name)) throw new DataError(`Struct schema has duplicate field name: ${name}`);
      seen.add(name);
      builder.field(name, asConnectSchema(field, opts) as Schema);
    }
  } else {
    builder = new SchemaBuilder(type);
  }
  if (node.optional === true) builder.optional();
  if (typeof node.name === 'string') builder.name(node.name);
  if (node.version instanceof JsonNumber && node.version.isIntegral()) builder.version(Number(node.version.text));
  if (typeof node.doc === 'string') builder.doc(node.doc);
  if (isJsonObject(node.parameters)) {
    for (const [k, v] of Object.entries(node.parameters)) {
      if (typeof v !== 'string') throw new DataError('Schema parameters must have string values.');
      builder.parameter(k, v);
    }
  }
  if (node.default !== undefined && node.default !== null) {
    builder.defaultValue(convertToConnect(builder.build(), node.default, opts));
  }
  return builder.build();
}

function invalidType(schema: Schema | null, value: unknown): DataError {
  return new DataError(`Invalid type for ${schema ? schema.type : 'unknown schema'}: ${describeType(value)}`);
}

function floatNode(value: unknown, schema: Schema): JsonNode {
  if (typeof value !== 'number') throw invalidType(schema, value);
  if (!Number.isFinite(value)) return formatDouble(value);
  return new JsonNumber(schema.type === 'FLOAT32' ? formatFloat(value) : formatDouble(value));
}

function inferType(value: unknown): SchemaType {
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (typeof value === 'string') return 'STRING';
  if (typeof value === 'bigint') return 'INT64';
  if (typeof value === 'number') return isSafeLong(value) ? 'INT64' : 'FLOAT64';
  if (isBytes(value)) return 'BYTES';
  if (Array.isArray(value)) return 'ARRAY';
  if (value instanceof Map || isPlainObject(value)) return 'MAP';
  if (value instanceof Struct) return 'STRUCT';
  throw new DataError(`Value of type ${describeType(value)} does not have corresponding schema type.`);
}

function isSafeLong(n: number): boolean {
  return Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 63;
}

/** Connect value → JSON tree (JsonConverter.convertToJson). */
export function convertToJson(schema: Schema | null, value: unknown, opts: JsonCodecOptions): JsonNode {
  if (value === null || value === undefined) {
    if (!schema) return null;
    if (schema.defaultValue !== undefined && schema.defaultValue !== null && opts.replaceNullWithDefault) {
      return convertToJson(schema, schema.defaultValue, opts);
    }
    if (schema.optional) return null;
    throw new DataError('Conversion error: null value for field that is required and has no default value');
  }
  switch (logicalKind(schema)) {
    case 'decimal': {
      const d = coerceDecimal(schema as Schema, value);
      if (opts.decimalFormat === 'NUMERIC') return new JsonNumber(d.toString());
      return bigIntToBytes(d.unscaled).toString('base64');
    }
    case 'date':
      return new JsonNumber(String(dateToDays(value)));
    case 'time':
      return new JsonNumber(String(timeToMillis(value)));
    case 'timestamp':
      return new JsonNumber(String(timestampToMillis(value)));
    default:
  }
  const type = schema ? schema.type : inferType(value);
  switch (type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
      if (!fitsInt(type, value)) throw invalidType(schema, value);
      return new JsonNumber(String(value));
    case 'INT64': {
      const b = integralBigInt(value);
      if (b === undefined || b < INT64_MIN || b > INT64_MAX) throw invalidType(schema, value);
      return new JsonNumber(b.toString());
    }
    case 'FLOAT32':
    case 'FLOAT64':
      return floatNode(value, schema ?? { type: 'FLOAT64', optional: true });
    case 'BOOLEAN':
      if (typeof value !== 'boolean') throw invalidType(schema, value);
      return value;
    case 'STRING':
      if (typeof value !== 'string') throw invalidType(schema, value);
      return value;
    case 'BYTES':
      if (!isBytes(value)) throw invalidType(schema, value);
      return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    case 'ARRAY':
      if (!Array.isArray(value)) throw invalidType(schema, value);
      return value.map((v) => convertToJson(schema?.valueSchema ?? null, v, opts));
    case 'MAP':
      return mapToJson(schema, value, opts);
    case 'STRUCT': {
      if (!(value instanceof Struct)) throw invalidType(schema, value);
      if (!schema || !schemaEquals(value.schema, schema)) throw new DataError('Mismatching schema.');
      return jsonObject((schema.fields ?? []).map((f) => [f.name, convertToJson(f.schema, value.get(f.name), opts)] as const));
    }
  }
}

function mapEntries(value: unknown, schema: Schema | null): [unknown, unknown][] {
  if (value instanceof Map) return [...value.entries()];
  if (isPlainObject(value)) return Object.entries(value);
  throw invalidType(schema, value);
}

function mapToJson(schema: Schema | null, value: unknown, opts: JsonCodecOptions): JsonNode {
  const entries = mapEntries(value, schema);
  const objectMode = schema ? schema.keySchema?.type === 'STRING' : entries.every(([k]) => typeof k === 'string');
  const keySchema = schema?.keySchema ?? null;
  const valueSchema = schema?.valueSchema ?? null;
  if (objectMode) {
    return jsonObject(entries.map(([k, v]) => [nodeText(convertToJson(keySchema, k, opts)), convertToJson(valueSchema, v, opts)] as const));
  }
  return entries.map(([k, v]) => [convertToJson(keySchema, k, opts), convertToJson(valueSchema, v, opts)]);
}

function nodeText(node: JsonNode): string {
  if (node instanceof JsonNumber) return node.text;
  if (typeof node === 'string') return node;
  return node === null || typeof node === 'boolean' ? String(node) : '';
}

function describeNode(node: JsonNode | undefined): string {
  if (node === undefined) return 'MISSING';
  if (node === null) return 'NULL';
  if (node instanceof JsonNumber) return 'NUMBER';
  if (Array.isArray(node)) return 'ARRAY';
  return typeof node === 'object' ? 'OBJECT' : typeof node === 'string' ? 'STRING' : 'BOOLEAN';
}

function integral(node: JsonNode, schema: Schema): bigint {
  if (!(node instanceof JsonNumber) || !node.isIntegral()) {
    throw new DataError(`Invalid value for ${schema.type} field, expected an integral number but found ${describeNode(node)}`);
  }
  return BigInt(node.text);
}

function toFloat(node: JsonNode, schema: Schema): number {
  if (node instanceof JsonNumber) return Number(node.text);
  if (node === 'NaN' || node === 'Infinity' || node === '-Infinity') return Number(node);
  throw new DataError(`Invalid value for ${schema.type} field, expected a number but found ${describeNode(node)}`);
}

function inRange(v: bigint, type: 'INT8' | 'INT16' | 'INT32' | 'INT64'): number | bigint {
  const bits = { INT8: 8, INT16: 16, INT32: 32, INT64: 64 }[type];
  if (BigInt.asIntN(bits, v) !== v) throw new DataError(`Value ${v} is out of range for ${type}`);
  return type === 'INT64' ? normalizeInt64(v) : Number(v);
}

/** JSON tree → Connect value (JsonConverter.convertToConnect); schemaless objects become plain objects. */
export function convertToConnect(schema: Schema | null, node: JsonNode | undefined, opts: JsonCodecOptions): unknown {
  if (!schema) return schemalessValue(node);
  if (node === null || node === undefined) {
    if (schema.defaultValue !== undefined && schema.defaultValue !== null && opts.replaceNullWithDefault) return schema.defaultValue;
    if (schema.optional) return null;
    throw new DataError(`Invalid null value for required ${schema.type} field`);
  }
  switch (logicalKind(schema)) {
    case 'decimal':
      if (node instanceof JsonNumber) return Decimal.parse(node.text);
      if (typeof node === 'string') return decimalFromBytes(schema, decodeBase64(node, 'bytes for Decimal field'));
      throw new DataError(`Invalid type for Decimal, underlying representation should be numeric or bytes but was ${describeNode(node)}`);
    case 'date':
      return daysToDate(Number(inRange(integral(node, schema), 'INT32')));
    case 'time':
      return millisToTime(Number(inRange(integral(node, schema), 'INT32')));
    case 'timestamp': {
      const ms = Number(integral(node, schema));
      if (Math.abs(ms) > 8.64e15) throw new DataError(`Timestamp ${ms} is outside the range of a JS Date`);
      return new Date(ms);
    }
    default:
  }
  switch (schema.type) {
    case 'BOOLEAN':
      if (typeof node !== 'boolean') throw new DataError(`Invalid value for BOOLEAN field: ${describeNode(node)}`);
      return node;
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      return inRange(integral(node, schema), schema.type);
    case 'FLOAT32':
      return Math.fround(toFloat(node, schema));
    case 'FLOAT64':
      return toFloat(node, schema);
    case 'BYTES':
      if (typeof node !== 'string') throw new DataError(`Invalid bytes field: expected base64 text but found ${describeNode(node)}`);
      return decodeBase64(node, 'bytes field');
    case 'STRING':
      if (typeof node !== 'string') throw new DataError(`Invalid value for STRING field: ${describeNode(node)}`);
      return node;
    case 'ARRAY':
      if (!Array.isArray(node)) throw new DataError(`Arrays should be encoded as JSON arrays, but found ${describeNode(node)}`);
      return node.map((n) => convertToConnect(schema.valueSchema ?? null, n, opts));
    case 'MAP':
      return mapToConnect(schema, node, opts);
    case 'STRUCT': {
      if (!isJsonObject(node)) throw new DataError(`Structs should be encoded as JSON objects, but found ${describeNode(node)}`);
      const struct = new Struct(schema);
      for (const f of schema.fields ?? []) {
        struct.put(f.name, convertToConnect(f.schema, Object.hasOwn(node, f.name) ? node[f.name] : undefined, opts));
      }
      return struct;
    }
  }
}

function mapToConnect(schema: Schema, node: JsonNode, opts: JsonCodecOptions): Map<unknown, unknown> {
  const keySchema = schema.keySchema ?? null;
  const valueSchema = schema.valueSchema ?? null;
  const result = new Map<unknown, unknown>();
  if (keySchema?.type === 'STRING') {
    if (!isJsonObject(node)) throw new DataError(`Maps with string fields should be encoded as JSON objects, but found ${describeNode(node)}`);
    for (const [k, v] of Object.entries(node)) result.set(k, convertToConnect(valueSchema, v, opts));
    return result;
  }
  if (!Array.isArray(node)) throw new DataError(`Maps with non-string fields should be encoded as JSON array of tuples, but found ${describeNode(node)}`);
  for (const entry of node) {
    if (!Array.isArray(entry)) throw new DataError(`Found invalid map entry instead of array tuple: ${describeNode(entry)}`);
    if (entry.length !== 2) throw new DataError(`Found invalid map entry, expected length 2 but found :${entry.length}`);
    result.set(convertToConnect(keySchema, entry[0], opts), convertToConnect(valueSchema, entry[1], opts));
  }
  return result;
}

function schemalessValue(node: JsonNode | undefined): unknown {
  if (node === null || node === undefined) return null;
  if (node instanceof JsonNumber) {
    return node.isIntegral() ? normalizeInt64(BigInt(node.text)) : Number(node.text);
  }
  if (Array.isArray(node)) return node.map(schemalessValue);
  if (typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) setOwn(out, k, schemalessValue(v));
    return out;
  }
  return node;
}
