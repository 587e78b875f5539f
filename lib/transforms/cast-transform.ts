/**
 * org.apache.kafka.connect.transforms.Cast$Key / $Value: casts fields, or the whole key/value,
 * to another primitive type with Java's conversion rules (narrowing wraps, strings parse strictly,
 * bytes become base64 text).
 */
import { ConfigDef, ConfigError } from '../config/config-def.ts';
import { DataError, SchemaBuilder, Struct } from '../plugins/connect-schema.ts';
import type { Schema, SchemaType } from '../plugins/connect-schema.ts';
import type { ConnectRecord } from '../plugins/connect-record.ts';
import type { Props } from '../plugins/plugin-types.ts';
import { describeType, isBytes, isPlainObject, normalizeInt64, structValue } from '../converters/data-util.ts';
import { formatDouble, formatFloat } from '../converters/java-format.ts';
import { Decimal, dateToDays, formatTemporal, logicalKind, timeToMillis, timestampToMillis } from '../converters/logical-types.ts';
import { KeyValueTransform } from './operating-side.ts';
import {
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  REPLACE_NULL_WITH_DEFAULT_DOC,
  SchemaCache,
  copyMap,
  copySchemaBasics,
  javaSplit,
  parseConfig,
  requireMap,
  requireStruct,
} from './transform-util.ts';

const SPEC_CONFIG = 'spec';
const PURPOSE = 'cast types';
const INPUT_TYPES: readonly SchemaType[] = ['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64', 'BOOLEAN', 'STRING', 'BYTES'];
const OUTPUT_TYPES: readonly SchemaType[] = ['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64', 'BOOLEAN', 'STRING'];
const WHOLE_VALUE = '\0whole-value';

export type CastType = 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FLOAT32' | 'FLOAT64' | 'BOOLEAN' | 'STRING';

/** Parses `field:type,...` or a single `type`; throws ConfigError as Connect does. */
export function parseCastSpec(mappings: readonly string[]): Map<string, CastType> {
  if (mappings.length === 0) throw new ConfigError('Must specify at least one field to cast.', SPEC_CONFIG);
  const result = new Map<string, CastType>();
  const outputType = (raw: string): CastType => {
    const t = raw.trim().toUpperCase() as SchemaType;
    if (!(['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64', 'BOOLEAN', 'STRING', 'BYTES', 'ARRAY', 'MAP', 'STRUCT'] as string[]).includes(t)) {
      throw new ConfigError(`Invalid type found in casting spec: ${raw.trim()}`, SPEC_CONFIG);
    }
    if (!OUTPUT_TYPES.includes(t)) {
      throw new ConfigError(`Cast transformation does not support casting to ${t}; supported types are [${OUTPUT_TYPES.join(', ')}]`, SPEC_CONFIG);
    }
    return t as CastType;
  };
  for (const mapping of mappings) {
    const parts = javaSplit(mapping, ':');
    if (parts.length > 2 || parts.length === 0) {
      throw new ConfigError(`Invalid value [${mappings.join(', ')}] for configuration ${SPEC_CONFIG}: Invalid rename mapping: ${mapping}`, SPEC_CONFIG);
    }
    if (parts.length === 1) result.set(WHOLE_VALUE, outputType(parts[0] ?? ''));
    else result.set((parts[0] ?? '').trim(), outputType(parts[1] ?? ''));
  }
  if (result.has(WHOLE_VALUE) && mappings.length > 1) {
    throw new ConfigError('Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec', SPEC_CONFIG);
  }
  return result;
}

function castConfigDef(): ConfigDef {
  return new ConfigDef()
    .define({
      name: SPEC_CONFIG,
      type: 'LIST',
      importance: 'HIGH',
      documentation:
        'List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of Maps or Structs. A single type to cast the entire value. ' +
        'Valid types are int8, int16, int32, int64, float32, float64, boolean, and string. Note that binary fields can only be cast to string.',
      validator: (_name, value) => void parseCastSpec(Array.isArray(value) ? value : []),
      validValues: 'list of colon-delimited pairs, e.g. `foo:bar,abc:xyz`',
    })
    .define({ name: REPLACE_NULL_WITH_DEFAULT_CONFIG, type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: REPLACE_NULL_WITH_DEFAULT_DOC });
}

function inferInputType(value: unknown): SchemaType {
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (typeof value === 'string') return 'STRING';
  if (typeof value === 'bigint') return 'INT64';
  if (typeof value === 'number') return Number.isInteger(value) ? 'INT64' : 'FLOAT64';
  if (isBytes(value)) return 'BYTES';
  if (Array.isArray(value)) return 'ARRAY';
  if (value instanceof Map || isPlainObject(value)) return 'MAP';
  if (value instanceof Struct) return 'STRUCT';
  throw new DataError(`Cast transformation was passed a value of type ${describeType(value)} which is not supported by Connect's data API`);
}

const BITS = { INT8: 8, INT16: 16, INT32: 32, INT64: 64 } as const;

/** Number.xxxValue(): integers wrap; floating values truncate, saturate to int (or long), then wrap. */
function toInteger(value: number | bigint | Decimal, floating: boolean, target: keyof typeof BITS): number | bigint {
  let big: bigint;
  if (value instanceof Decimal) big = value.toBigInt();
  else if (typeof value === 'bigint') big = value;
  else if (floating || !Number.isInteger(value)) {
    const limit = target === 'INT64' ? 2 ** 63 : 2 ** 31;
    const t = Number.isNaN(value) ? 0 : Math.trunc(value);
    big = t >= limit ? BigInt(limit) - 1n : t < -limit ? -BigInt(limit) : BigInt(t);
  } else big = BigInt(value);
  const wrapped = BigInt.asIntN(BITS[target], big);
  return target === 'INT64' ? normalizeInt64(wrapped) : Number(wrapped);
}

function parseIntegral(text: string, target: keyof typeof BITS): number | bigint {
  if (!/^[+-]?\d+$/.test(text)) throw new DataError(`Value (${text}) was out of range for requested data type`);
  const v = BigInt(text);
  if (BigInt.asIntN(BITS[target], v) !== v) throw new DataError(`Value (${text}) was out of range for requested data type`);
  return target === 'INT64' ? normalizeInt64(v) : Number(v);
}

function parseFloating(text: string): number {
  const t = text.trim();
  if (/^[+-]?(NaN|Infinity)$/.test(t)) return Number(t.replace('+', ''));
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?$/.test(t)) throw new DataError(`Value (${text}) was out of range for requested data type`);
  return Number(t.replace(/[fFdD]$/, ''));
}

/** Casts one value (castValueToType); `schema` is its schema, or null to infer from the value. */
export function castValue(schema: Schema | null, value: unknown, target: CastType): unknown {
  if (value === null || value === undefined) return null;
  const inputType = schema ? schema.type : inferInputType(value);
  if (!INPUT_TYPES.includes(inputType)) {
    throw new DataError(`Cast transformation does not support casting from ${inputType}; supported types are [${INPUT_TYPES.join(', ')}]`);
  }
  let v = value;
  const kind = logicalKind(schema);
  if (target !== 'STRING') {
    if (kind === 'date') v = dateToDays(value);
    else if (kind === 'time') v = timeToMillis(value);
    else if (kind === 'timestamp') v = timestampToMillis(value);
  }
  const floating = inputType === 'FLOAT32' || inputType === 'FLOAT64';
  const unexpected = () => new DataError(`Unexpected type in Cast transformation: ${describeType(v)}`);
  switch (target) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      if (typeof v === 'number' || typeof v === 'bigint' || v instanceof Decimal) return toInteger(v, floating, target);
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'string') return parseIntegral(v, target);
      throw unexpected();
    case 'FLOAT32':
    case 'FLOAT64': {
      let n: number;
      if (typeof v === 'number') n = v;
      else if (typeof v === 'bigint') n = Number(v);
      else if (v instanceof Decimal) n = v.toNumber();
      else if (typeof v === 'boolean') n = v ? 1 : 0;
      else if (typeof v === 'string') n = parseFloating(v);
      else throw unexpected();
      return target === 'FLOAT32' ? Math.fround(n) : n;
    }
    case 'BOOLEAN':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number' || typeof v === 'bigint' || v instanceof Decimal) return toInteger(v, floating, 'INT64') !== 0;
      if (typeof v === 'string') return v.toLowerCase() === 'true';
      throw unexpected();
    case 'STRING':
      if (v instanceof Date) return formatTemporal(v, schema);
      if (isBytes(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
      if (typeof v === 'number') {
        if (inputType === 'FLOAT32') return formatFloat(v);
        if (floating) return formatDouble(v);
      }
      return String(v);
  }
}

function schemaFor(type: CastType): SchemaBuilder {
  return new SchemaBuilder(type);
}

/** Connect's Cast. Use with side 'key' for Cast$Key, 'value' for Cast$Value. */
export class Cast extends KeyValueTransform {
  static readonly overview =
    'Cast fields or the entire key or value to a specific type, e.g. to force an integer field to a smaller width. ' +
    'Cast from integers, floats, boolean and string to any other type, and cast binary to string (base64 encoded).';

  private casts = new Map<string, CastType>();
  private wholeValueType: CastType | undefined;
  private replaceNullWithDefault = true;
  private readonly schemas = new SchemaCache();

  config(): ConfigDef {
    return castConfigDef();
  }

  configure(props: Props): void {
    const cfg = parseConfig(this.config(), props);
    this.casts = parseCastSpec(cfg[SPEC_CONFIG] as string[]);
    this.wholeValueType = this.casts.get(WHOLE_VALUE);
    this.replaceNullWithDefault = cfg[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const value = this.on.value(record);
    if (value === null) return record;
    const schema = this.on.schema(record);
    if (!schema) {
      if (this.wholeValueType) return this.on.update(record, null, castValue(null, value, this.wholeValueType));
      const map = requireMap(value, PURPOSE);
      const updated = copyMap(map);
      for (const [field, type] of this.casts) updated[field] = castValue(null, Object.hasOwn(map, field) ? map[field] : null, type);
      return this.on.update(record, null, updated);
    }
    const updatedSchema = this.schemas.getOrBuild(schema, (s) => this.buildSchema(s));
    if (this.wholeValueType) return this.on.update(record, updatedSchema, castValue(schema, value, this.wholeValueType));
    const struct = requireStruct(value, PURPOSE);
    const updated = new Struct(updatedSchema);
    for (const field of struct.schema.fields ?? []) {
      const original = structValue(struct, field.name, this.replaceNullWithDefault);
      const target = this.casts.get(field.name);
      updated.put(field.name, target ? castValue(field.schema, original, target) : original);
    }
    return this.on.update(record, updatedSchema, updated);
  }

  private buildSchema(schema: Schema): Schema {
    let builder: SchemaBuilder;
    if (this.wholeValueType) {
      builder = copySchemaBasics(schema, schemaFor(this.wholeValueType));
    } else {
      if (schema.type !== 'STRUCT') throw new DataError(`Only Struct objects supported for [${PURPOSE}], found schema type: ${schema.type}`);
      builder = copySchemaBasics(schema, SchemaBuilder.struct());
      for (const field of schema.fields ?? []) {
        const target = this.casts.get(field.name);
        if (!target) {
          builder.field(field.name, field.schema);
          continue;
        }
        const fb = schemaFor(target);
        if (field.schema.optional) fb.optional();
        if (field.schema.defaultValue !== undefined && field.schema.defaultValue !== null) {
          fb.defaultValue(castValue(field.schema, field.schema.defaultValue, target));
        }
        builder.field(field.name, fb.build());
      }
    }
    if (schema.optional) builder.optional();
    // A struct default would still reference the old schema, so only whole-value casts keep one.
    if (this.wholeValueType && schema.defaultValue !== undefined && schema.defaultValue !== null) {
      builder.defaultValue(castValue(schema, schema.defaultValue, this.wholeValueType));
    }
    return builder.build();
  }
}

