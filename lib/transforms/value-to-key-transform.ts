/**
 * org.apache.kafka.connect.transforms.ValueToKey: replaces the key with a struct (or map) made of
 * some fields of the value.
 */
import { ConfigDef } from '../config/config-def.ts';
import { DataError, SchemaBuilder, Struct } from '../plugins/connect-schema.ts';
import { newRecord } from '../plugins/connect-record.ts';
import type { ConnectRecord } from '../plugins/connect-record.ts';
import type { Props } from '../plugins/plugin-types.ts';
import { setOwn, structValue } from '../converters/data-util.ts';
import { BaseTransform } from './operating-side.ts';
import {
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  REPLACE_NULL_WITH_DEFAULT_DOC,
  SchemaCache,
  buildSchemaSafely,
  nonEmptyList,
  parseConfig,
  requireMap,
  requireStruct,
} from './transform-util.ts';

const FIELDS_CONFIG = 'fields';
const PURPOSE = 'copying fields from value to key';

export class ValueToKey extends BaseTransform {
  static readonly overview = 'Replace the record key with a new key formed from a subset of fields in the record value.';

  private fields: string[] = [];
  private replaceNullWithDefault = true;
  private readonly schemas = new SchemaCache();

  config(): ConfigDef {
    return new ConfigDef()
      .define({
        name: FIELDS_CONFIG,
        type: 'LIST',
        importance: 'HIGH',
        documentation: 'Field names on the record value to extract as the record key.',
        validator: nonEmptyList,
        validValues: 'non-empty list',
      })
      .define({ name: REPLACE_NULL_WITH_DEFAULT_CONFIG, type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: REPLACE_NULL_WITH_DEFAULT_DOC });
  }

  configure(props: Props): void {
    const cfg = parseConfig(this.config(), props);
    this.fields = cfg[FIELDS_CONFIG] as string[];
    this.replaceNullWithDefault = cfg[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    if (!record.valueSchema) {
      const value = requireMap(record.value, PURPOSE);
      const key: Record<string, unknown> = {};
      for (const f of this.fields) setOwn(key, f, Object.hasOwn(value, f) ? (value[f] ?? null) : null);
      return newRecord(record, { keySchema: null, key });
    }
    const value = requireStruct(record.value, PURPOSE);
    const keySchema = this.schemas.getOrBuild(value.schema, (s) =>
      buildSchemaSafely(PURPOSE, () => {
        const b = SchemaBuilder.struct();
        for (const name of this.fields) {
          const field = s.fields?.find((f) => f.name === name);
          if (!field) throw new DataError(`Field does not exist: ${name}`);
          b.field(name, field.schema);
        }
        return b.build();
      }),
    );
    const key = new Struct(keySchema);
    for (const f of this.fields) key.put(f, structValue(value, f, this.replaceNullWithDefault));
    return newRecord(record, { keySchema, key, valueSchema: value.schema });
  }
}
