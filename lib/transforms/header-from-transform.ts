/**
 * org.apache.kafka.connect.transforms.HeaderFrom$Key / $Value: copies or moves fields of the key
 * or value into headers.
 */
import { ConfigDef, ConfigError } from '../config/config-def.ts';
import { DataError, SchemaBuilder, Struct } from '../plugins/connect-schema.ts';
import type { Schema } from '../plugins/connect-schema.ts';
import type { ConnectHeader, ConnectRecord } from '../plugins/connect-record.ts';
import type { Props } from '../plugins/plugin-types.ts';
import { oneOf } from '../converters/converter-config.ts';
import { structValue } from '../converters/data-util.ts';
import { KeyValueTransform } from './operating-side.ts';
import {
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  REPLACE_NULL_WITH_DEFAULT_DOC,
  SchemaCache,
  copyMap,
  copySchemaBasics,
  nonEmptyList,
  parseConfig,
  requireMap,
  requireStruct,
} from './transform-util.ts';

const FIELDS_CONFIG = 'fields';
const HEADERS_CONFIG = 'headers';
const OPERATION_CONFIG = 'operation';

export class HeaderFrom extends KeyValueTransform {
  static readonly overview =
    "Moves or copies fields in the key/value of a record into that record's headers. " +
    'Corresponding elements of `fields` and `headers` together identify a field and the header it should be moved or copied to.';

  private fields: string[] = [];
  private headers: string[] = [];
  private operation: 'move' | 'copy' = 'copy';
  private replaceNullWithDefault = true;
  private readonly moveSchemas = new SchemaCache();

  config(): ConfigDef {
    return new ConfigDef()
      .define({
        name: FIELDS_CONFIG,
        type: 'LIST',
        importance: 'HIGH',
        documentation: 'Field names in the record whose values are to be copied or moved to headers.',
        validator: nonEmptyList,
        validValues: 'non-empty list',
      })
      .define({
        name: HEADERS_CONFIG,
        type: 'LIST',
        importance: 'HIGH',
        documentation: 'Header names, in the same order as the field names listed in the fields configuration property.',
        validator: nonEmptyList,
        validValues: 'non-empty list',
      })
      .define({
        name: OPERATION_CONFIG,
        type: 'STRING',
        importance: 'HIGH',
        documentation:
          'Either `move` if the fields are to be moved to the headers (removed from the key/value), or `copy` if the fields are to be copied to the headers (retained in the key/value).',
        validator: oneOf(false, 'move', 'copy'),
        validValues: '[move, copy]',
      })
      .define({ name: REPLACE_NULL_WITH_DEFAULT_CONFIG, type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: REPLACE_NULL_WITH_DEFAULT_DOC });
  }

  configure(props: Props): void {
    const cfg = parseConfig(this.config(), props);
    this.fields = cfg[FIELDS_CONFIG] as string[];
    this.headers = cfg[HEADERS_CONFIG] as string[];
    if (this.fields.length !== this.headers.length) {
      throw new ConfigError(`'${FIELDS_CONFIG}' config must have the same number of elements as '${HEADERS_CONFIG}' config.`, HEADERS_CONFIG);
    }
    this.operation = cfg[OPERATION_CONFIG] === 'move' ? 'move' : 'copy';
    this.replaceNullWithDefault = cfg[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const schema = this.on.schema(record);
    const value = this.on.value(record);
    const headers: ConnectHeader[] = [...(record.headers ?? [])];
    const purpose = `header ${this.operation}`;
    if (!schema) {
      const map = requireMap(value, purpose);
      const updated = copyMap(map);
      this.fields.forEach((field, i) => {
        if (this.operation === 'move') delete updated[field];
        headers.push({ key: this.headers[i] ?? field, schema: null, value: Object.hasOwn(map, field) ? (map[field] ?? null) : null });
      });
      return this.on.update(record, null, updated, headers);
    }
    const struct = requireStruct(value, purpose);
    let updatedSchema: Schema = schema;
    let updatedValue: Struct = struct;
    if (this.operation === 'move') {
      updatedSchema = this.moveSchemas.getOrBuild(schema, (s) => {
        const b = copySchemaBasics(s, SchemaBuilder.struct());
        for (const f of s.fields ?? []) if (!this.fields.includes(f.name)) b.field(f.name, f.schema);
        return b.build();
      });
      updatedValue = new Struct(updatedSchema);
      for (const f of updatedSchema.fields ?? []) updatedValue.put(f.name, structValue(struct, f.name, this.replaceNullWithDefault));
    }
    this.fields.forEach((fieldName, i) => {
      const field = schema.fields?.find((f) => f.name === fieldName);
      if (!field) throw new DataError(`Field does not exist: ${fieldName}`);
      headers.push({ key: this.headers[i] ?? fieldName, schema: field.schema, value: structValue(struct, fieldName, this.replaceNullWithDefault) });
    });
    return this.on.update(record, updatedSchema, updatedValue, headers);
  }
}
