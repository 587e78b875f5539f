/**
 * org.apache.kafka.connect.transforms.SetSchemaMetadata$Key / $Value: sets the name and/or version
 * of the key or value schema (Structs are rebuilt against the renamed schema).
 */
import { ConfigDef, ConfigError } from '../config/config-def.ts';
import { Struct } from '../plugins/connect-schema.ts';
import type { Schema } from '../plugins/connect-schema.ts';
import type { ConnectRecord } from '../plugins/connect-record.ts';
import type { Props } from '../plugins/plugin-types.ts';
import { structValue } from '../converters/data-util.ts';
import { KeyValueTransform } from './operating-side.ts';
import { REPLACE_NULL_WITH_DEFAULT_CONFIG, REPLACE_NULL_WITH_DEFAULT_DOC, parseConfig, requireSchema, schemaWith } from './transform-util.ts';

const SCHEMA_NAME = 'schema.name';
const SCHEMA_VERSION = 'schema.version';

export class SetSchemaMetadata extends KeyValueTransform {
  static readonly overview = "Set the schema name, version or both on the record's key or value schema.";

  private schemaName: string | null = null;
  private schemaVersion: number | null = null;
  private replaceNullWithDefault = true;

  config(): ConfigDef {
    return new ConfigDef()
      .define({ name: SCHEMA_NAME, type: 'STRING', defaultValue: null, importance: 'HIGH', documentation: 'Schema name to set.' })
      .define({ name: SCHEMA_VERSION, type: 'INT', defaultValue: null, importance: 'HIGH', documentation: 'Schema version to set.' })
      .define({ name: REPLACE_NULL_WITH_DEFAULT_CONFIG, type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: REPLACE_NULL_WITH_DEFAULT_DOC });
  }

  configure(props: Props): void {
    const cfg = parseConfig(this.config(), props);
    this.schemaName = (cfg[SCHEMA_NAME] as string | null) ?? null;
    this.schemaVersion = (cfg[SCHEMA_VERSION] as number | null) ?? null;
    this.replaceNullWithDefault = cfg[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
    if (this.schemaName === null && this.schemaVersion === null) throw new ConfigError('Neither schema name nor version configured');
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const value = this.on.value(record);
    const original = this.on.schema(record);
    if (value === null && original === null) return record;
    const schema = requireSchema(original, 'updating schema metadata');
    const updatedSchema = schemaWith(schema, {
      name: this.schemaName ?? schema.name,
      version: this.schemaVersion ?? schema.version,
    });
    return this.on.update(record, updatedSchema, this.updateSchemaIn(value, updatedSchema));
  }

  /** Structs reference their schema, so they are copied onto the renamed one. */
  private updateSchemaIn(value: unknown, updatedSchema: Schema): unknown {
    if (!(value instanceof Struct) || updatedSchema.type !== 'STRUCT') return value;
    const copy = new Struct(updatedSchema);
    for (const f of updatedSchema.fields ?? []) copy.put(f.name, structValue(value, f.name, this.replaceNullWithDefault));
    return copy;
  }
}
