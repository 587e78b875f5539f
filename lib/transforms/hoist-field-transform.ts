/**
 * org.apache.kafka.connect.transforms.HoistField$Key / $Value: wraps the key or value in a
 * struct (or map) with a single field.
 */
import { ConfigDef } from '../config/config-def.ts';
import { SchemaBuilder, Struct } from '../plugins/connect-schema.ts';
import type { ConnectRecord } from '../plugins/connect-record.ts';
import type { Props } from '../plugins/plugin-types.ts';
import { setOwn } from '../converters/data-util.ts';
import { KeyValueTransform } from './operating-side.ts';
import { SchemaCache, parseConfig } from './transform-util.ts';

const FIELD_CONFIG = 'field';

export class HoistField extends KeyValueTransform {
  static readonly overview = 'Wrap data using the specified field name in a Struct when schema present, or a Map in the case of schemaless data.';

  private fieldName = '';
  private readonly schemas = new SchemaCache();

  config(): ConfigDef {
    return new ConfigDef().define({
      name: FIELD_CONFIG,
      type: 'STRING',
      importance: 'MEDIUM',
      documentation: 'Field name for the single field that will be created in the resulting Struct or Map.',
    });
  }

  configure(props: Props): void {
    this.fieldName = parseConfig(this.config(), props)[FIELD_CONFIG] as string;
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const schema = this.on.schema(record);
    const value = this.on.value(record);
    if (!schema) {
      const map: Record<string, unknown> = {};
      setOwn(map, this.fieldName, value);
      return this.on.update(record, null, map);
    }
    const updatedSchema = this.schemas.getOrBuild(schema, (s) => SchemaBuilder.struct().field(this.fieldName, s).build());
    return this.on.update(record, updatedSchema, new Struct(updatedSchema).put(this.fieldName, value));
  }
}
