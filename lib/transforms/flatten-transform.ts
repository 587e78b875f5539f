/**
 * org.apache.kafka.connect.transforms.Flatten$Key / $Value: flattens nested structs (or maps)
 * into one level, joining field names with `delimiter`. Arrays are kept as they are.
 */
import { ConfigDef } from '../config/config-def.ts';
import { DataError, SchemaBuilder, Struct } from '../plugins/connect-schema.ts';
import type { Schema } from '../plugins/connect-schema.ts';
import type { ConnectRecord } from '../plugins/connect-record.ts';
import type { Props } from '../plugins/plugin-types.ts';
import { describeType, isBytes, isPlainObject, setOwn } from '../converters/data-util.ts';
import { Decimal } from '../converters/logical-types.ts';
import { KeyValueTransform } from './operating-side.ts';
import { SchemaCache, buildSchemaSafely, builderLike, copySchemaBasics, parseConfig, requireMap, requireStructOrNull } from './transform-util.ts';

const DELIMITER_CONFIG = 'delimiter';
const PURPOSE = 'flattening';

function isPrimitiveOrArray(value: unknown): boolean {
  return (
    ['boolean', 'number', 'bigint', 'string'].includes(typeof value) || isBytes(value) || Array.isArray(value)
  );
}

export class Flatten extends KeyValueTransform {
  static readonly overview =
    'Flatten a nested data structure, generating names for each field by concatenating the field names at each level with a configurable delimiter character. ' +
    "Applies to Struct when schema present, or a Map in the case of schemaless data. Array fields and their contents are not modified. The default delimiter is '.'.";

  private delimiter = '.';
  private readonly schemas = new SchemaCache();

  config(): ConfigDef {
    return new ConfigDef().define({
      name: DELIMITER_CONFIG,
      type: 'STRING',
      defaultValue: '.',
      importance: 'MEDIUM',
      documentation: 'Delimiter to insert between field names from the input record when generating field names for the output record',
    });
  }

  configure(props: Props): void {
    this.delimiter = parseConfig(this.config(), props)[DELIMITER_CONFIG] as string;
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const value = this.on.value(record);
    if (value === null) return record;
    const schema = this.on.schema(record);
    if (!schema) {
      const out: Record<string, unknown> = {};
      this.flattenMap(requireMap(value, PURPOSE), '', out);
      return this.on.update(record, null, out);
    }
    const struct = requireStructOrNull(value, PURPOSE);
    const updatedSchema = this.schemas.getOrBuild(schema, (s) => {
      const builder = copySchemaBasics(s, SchemaBuilder.struct());
      return buildSchemaSafely(PURPOSE, () => {
        this.flattenSchema(s, '', builder, s.optional, s.defaultValue instanceof Struct ? s.defaultValue : null);
        return builder.build();
      });
    });
    if (!struct) return this.on.update(record, updatedSchema, null);
    const out = new Struct(updatedSchema);
    this.flattenStruct(struct, '', out);
    return this.on.update(record, updatedSchema, out);
  }

  private name(prefix: string, field: string): string {
    return prefix === '' ? field : prefix + this.delimiter + field;
  }

  private flattenMap(map: Record<string, unknown>, prefix: string, out: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(map)) {
      const name = this.name(prefix, key);
      if (value === null || value === undefined || isPrimitiveOrArray(value)) {
        setOwn(out, name, value ?? null);
      } else if (value instanceof Map || isPlainObject(value)) {
        this.flattenMap(requireMap(value, PURPOSE), name, out);
      } else if (value instanceof Struct || value instanceof Date || value instanceof Decimal) {
        throw new DataError(`Flatten transformation does not support ${describeType(value)} for record without schemas (for field ${name}).`);
      } else {
        throw new DataError(`Flatten transformation was passed a value of type ${describeType(value)} which is not supported by Connect's data API`);
      }
    }
  }

  /** Optionality and defaults of ancestors carry down to the flattened fields. */
  private flattenSchema(schema: Schema, prefix: string, builder: SchemaBuilder, optional: boolean, parentDefault: Struct | null): void {
    for (const field of schema.fields ?? []) {
      const name = this.name(prefix, field.name);
      const fieldOptional = optional || field.schema.optional;
      const fieldDefault = field.schema.defaultValue ?? (parentDefault ? parentDefault.get(field.name) : null);
      if (field.schema.type === 'STRUCT') {
        this.flattenSchema(field.schema, name, builder, fieldOptional, fieldDefault instanceof Struct ? fieldDefault : null);
      } else if (field.schema.type === 'MAP') {
        throw new DataError(`Flatten transformation does not support MAP for record with schemas (for field ${name}).`);
      } else {
        const fb = copySchemaBasics(field.schema, builderLike(field.schema));
        if (fieldOptional) fb.optional();
        if (fieldDefault !== null && fieldDefault !== undefined) fb.defaultValue(fieldDefault);
        builder.field(name, fb.build());
      }
    }
  }

  private flattenStruct(struct: Struct, prefix: string, out: Struct): void {
    for (const field of struct.schema.fields ?? []) {
      const name = this.name(prefix, field.name);
      const value = struct.get(field.name);
      if (field.schema.type === 'STRUCT') {
        if (value !== null && value !== undefined) this.flattenStruct(value as Struct, name, out);
      } else {
        out.put(name, value);
      }
    }
  }
}
