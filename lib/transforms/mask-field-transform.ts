/**
 * org.apache.kafka.connect.transforms.MaskField$Key / $Value: replaces fields with their type's
 * "empty" value (0, false, "", empty list/map, epoch date) or with a replacement converted to the
 * field's type.
 */
import { ConfigDef } from '../config/config-def.ts';
import { DataError, Struct } from '../plugins/connect-schema.ts';
import type { Schema, SchemaType } from '../plugins/connect-schema.ts';
import type { ConnectRecord } from '../plugins/connect-record.ts';
import type { Props } from '../plugins/plugin-types.ts';
import { describeType, intRange, isPlainObject, normalizeInt64, setOwn, structValue } from '../converters/data-util.ts';
import { Decimal } from '../converters/logical-types.ts';
import { KeyValueTransform } from './operating-side.ts';
import {
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  REPLACE_NULL_WITH_DEFAULT_DOC,
  copyMap,
  nonEmptyList,
  nonEmptyString,
  parseConfig,
  requireMap,
  requireStruct,
} from './transform-util.ts';

const FIELDS_CONFIG = 'fields';
const REPLACEMENT_CONFIG = 'replacement';
const PURPOSE = 'mask fields';

/** The null-equivalent of a value of the given type. */
function emptyValue(value: unknown, type: SchemaType | undefined): unknown {
  if (typeof value === 'boolean') return false;
  if (typeof value === 'number') return 0;
  if (typeof value === 'bigint') return type === 'INT64' ? 0 : 0n;
  if (typeof value === 'string') return '';
  if (value instanceof Decimal) return new Decimal(0n, value.scale);
  if (value instanceof Date) return new Date(0);
  if (Array.isArray(value)) return [];
  if (value instanceof Map) return new Map();
  if (isPlainObject(value)) return {};
  throw new DataError(`Cannot mask value of type: ${describeType(value)}`);
}

function badNumber(replacement: string): DataError {
  return new DataError(`Unable to convert ${replacement} (String) to number`);
}

/** The replacement converted to the type of the masked value (numbers and strings only). */
function replacementFor(value: unknown, type: SchemaType | undefined, replacement: string): unknown {
  if (typeof value === 'string') return replacement;
  if (value instanceof Decimal) return Decimal.parse(replacement);
  if (typeof value === 'bigint') {
    if (!/^[+-]?\d+$/.test(replacement.trim())) throw badNumber(replacement);
    return type === 'INT64' ? normalizeInt64(BigInt(replacement.trim())) : BigInt(replacement.trim());
  }
  if (typeof value === 'number') {
    const n = Number(replacement.trim());
    if (replacement.trim() === '' || Number.isNaN(n)) throw badNumber(replacement);
    if (type === 'FLOAT32') return Math.fround(n);
    if (type === 'FLOAT64' || (type === undefined && !Number.isInteger(value))) return n;
    const integral = Math.trunc(n);
    if (type === 'INT8' || type === 'INT16' || type === 'INT32') {
      const [lo, hi] = intRange(type);
      if (integral < lo || integral > hi) throw new DataError(`Unable to convert ${replacement} to ${type}: out of range`);
      return integral;
    }
    if (type === 'INT64') {
      const big = BigInt(replacement.trim().replace(/\..*$/, ''));
      if (BigInt.asIntN(64, big) !== big) throw new DataError(`Unable to convert ${replacement} to INT64: out of range`);
      return normalizeInt64(big);
    }
    return integral;
  }
  throw new DataError(`Cannot mask value of type ${describeType(value)} with custom replacement.`);
}

export class MaskField extends KeyValueTransform {
  static readonly overview =
    'Mask specified fields with a valid null value for the field type (i.e. 0, false, empty string, and so on). ' +
    'For numeric and string fields, an optional replacement value can be specified that is converted to the correct type.';

  private masked = new Set<string>();
  private replacement: string | null = null;
  private replaceNullWithDefault = true;

  config(): ConfigDef {
    return new ConfigDef()
      .define({
        name: FIELDS_CONFIG,
        type: 'LIST',
        importance: 'HIGH',
        documentation: 'Names of fields to mask.',
        validator: nonEmptyList,
        validValues: 'non-empty list',
      })
      .define({
        name: REPLACEMENT_CONFIG,
        type: 'STRING',
        defaultValue: null,
        importance: 'LOW',
        documentation: "Custom value replacement, that will be applied to all 'fields' values (numeric or non-empty string values only).",
        validator: nonEmptyString,
        validValues: 'non-empty string',
      })
      .define({ name: REPLACE_NULL_WITH_DEFAULT_CONFIG, type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: REPLACE_NULL_WITH_DEFAULT_DOC });
  }

  configure(props: Props): void {
    const cfg = parseConfig(this.config(), props);
    this.masked = new Set(cfg[FIELDS_CONFIG] as string[]);
    this.replacement = (cfg[REPLACEMENT_CONFIG] as string | null) ?? null;
    this.replaceNullWithDefault = cfg[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const schema = this.on.schema(record);
    const value = this.on.value(record);
    if (!schema) {
      const map = requireMap(value, PURPOSE);
      const updated = copyMap(map);
      for (const field of this.masked) setOwn(updated, field, this.mask(Object.hasOwn(map, field) ? map[field] : null, undefined));
      return this.on.update(record, null, updated);
    }
    const struct = requireStruct(value, PURPOSE);
    const updated = new Struct(struct.schema);
    for (const f of struct.schema.fields ?? []) {
      const original = structValue(struct, f.name, this.replaceNullWithDefault);
      updated.put(f.name, this.masked.has(f.name) ? this.mask(original, f.schema) : original);
    }
    return this.on.update(record, schema, updated);
  }

  private mask(value: unknown, schema: Schema | undefined): unknown {
    if (value === null || value === undefined) return null;
    return this.replacement === null ? emptyValue(value, schema?.type) : replacementFor(value, schema?.type, this.replacement);
  }
}
