/**
 * Helpers shared by the built-in transforms, after Connect's Requirements, SchemaUtil and
 * SimpleConfig: type checks that raise DataError, schema copying, and config parsing/validators.
 */
import { ConfigError } from '../config/config-def.ts';
import type { ConfigDef, ConfigValueType, Validator } from '../config/config-def.ts';
import { DataError, SchemaBuilder, Struct } from '../plugins/connect-schema.ts';
import type { Schema } from '../plugins/connect-schema.ts';
import type { ConnectRecord, SinkRecord } from '../plugins/connect-record.ts';
import type { Props } from '../plugins/plugin-types.ts';
import { describeType, isPlainObject, setOwn } from '../converters/data-util.ts';
import { compileJavaRegex } from './java-regex.ts';

export const REPLACE_NULL_WITH_DEFAULT_CONFIG = 'replace.null.with.default';
export const REPLACE_NULL_WITH_DEFAULT_DOC =
  'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.';

/** Parses props against a definition; throws ConfigError naming the first bad or missing key. */
export function parseConfig(def: ConfigDef, props: Props): Record<string, ConfigValueType> {
  return def.parse(props);
}

/** Connect's ConfigException(name, value, message) text. */
export function invalidConfig(name: string, value: unknown, message: string): ConfigError {
  return new ConfigError(`Invalid value ${formatConfigValue(value)} for configuration ${name}: ${message}`, name);
}

export function formatConfigValue(value: unknown): string {
  return Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
}

export const nonEmptyList: Validator = (name, value) => {
  if (value === null || (Array.isArray(value) && value.length === 0)) throw invalidConfig(name, value, 'Empty list');
};

export const nonEmptyString: Validator = (name, value) => {
  if (value === '') throw invalidConfig(name, value, 'String must be non-empty');
};

export const validRegex: Validator = (name, value) => {
  if (typeof value !== 'string') return;
  try {
    compileJavaRegex(value);
  } catch (e) {
    throw invalidConfig(name, value, `Invalid regex: ${(e as Error).message}`);
  }
};

/** Java's String.split(sep): trailing empty strings removed. */
export function javaSplit(text: string, sep: string): string[] {
  const parts = text.split(sep);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** A schemaless map value as a plain object; a JS Map is accepted and copied. */
export function requireMap(value: unknown, purpose: string): Record<string, unknown> {
  if (isPlainObject(value)) return value;
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) setOwn(out, String(k), v);
    return out;
  }
  throw new DataError(`Only Map objects supported in absence of schema for [${purpose}], found: ${describeType(value)}`);
}

export function requireMapOrNull(value: unknown, purpose: string): Record<string, unknown> | null {
  return value === null || value === undefined ? null : requireMap(value, purpose);
}

export function requireStruct(value: unknown, purpose: string): Struct {
  if (!(value instanceof Struct)) throw new DataError(`Only Struct objects supported for [${purpose}], found: ${describeType(value)}`);
  return value;
}

export function requireStructOrNull(value: unknown, purpose: string): Struct | null {
  return value === null || value === undefined ? null : requireStruct(value, purpose);
}

export function requireSchema(schema: Schema | null | undefined, purpose: string): Schema {
  if (!schema) throw new DataError(`Schema required for [${purpose}]`);
  return schema;
}

export function requireSinkRecord(record: ConnectRecord, purpose: string): SinkRecord {
  const offset = (record as Partial<SinkRecord>).kafkaOffset;
  if (typeof offset !== 'number') throw new DataError(`Only SinkRecord supported for [${purpose}], found: SourceRecord`);
  return record as SinkRecord;
}

/** SchemaUtil.copySchemaBasics: name, version, doc and parameters onto a builder. */
export function copySchemaBasics(source: Schema, builder: SchemaBuilder): SchemaBuilder {
  if (source.name !== undefined) builder.name(source.name);
  if (source.version !== undefined) builder.version(source.version);
  if (source.doc !== undefined) builder.doc(source.doc);
  for (const [k, v] of Object.entries(source.parameters ?? {})) builder.parameter(k, v);
  return builder;
}

/** A builder of the same type as `schema` (ARRAY and MAP keep their element schemas), without metadata. */
export function builderLike(schema: Schema): SchemaBuilder {
  if (schema.type === 'ARRAY' && schema.valueSchema) return SchemaBuilder.array(schema.valueSchema);
  if (schema.type === 'MAP' && schema.keySchema && schema.valueSchema) return SchemaBuilder.map(schema.keySchema, schema.valueSchema);
  return new SchemaBuilder(schema.type);
}

/** A copy of a schema with some attributes changed, keeping fields and element schemas. */
export function schemaWith(schema: Schema, changes: Partial<Schema>): Schema {
  return Object.freeze({ ...schema, ...changes });
}

/** A shallow copy of a plain object, safe for every key. */
export function copyMap(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) setOwn(out, k, value[k]);
  return out;
}

/** Runs a schema build, turning SchemaBuilder's duplicate-field TypeError into a DataError. */
export function buildSchemaSafely(purpose: string, build: () => Schema): Schema {
  try {
    return build();
  } catch (e) {
    if (e instanceof TypeError) throw new DataError(`Cannot build the schema for [${purpose}]: ${e.message}`, { cause: e });
    throw e;
  }
}

/** A small identity cache for derived schemas, as Connect's per-transform LRU caches. */
export class SchemaCache {
  private readonly cache = new WeakMap<Schema, Schema>();

  getOrBuild(schema: Schema, build: (s: Schema) => Schema): Schema {
    let derived = this.cache.get(schema);
    if (!derived) {
      derived = build(schema);
      this.cache.set(schema, derived);
    }
    return derived;
  }
}
