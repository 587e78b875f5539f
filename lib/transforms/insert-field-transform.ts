/**
 * org.apache.kafka.connect.transforms.InsertField$Key / $Value: adds fields holding the record's
 * topic, partition, offset (sink records only), timestamp, or a static value.
 */
import { ConfigDef, ConfigError } from '../config/config-def.ts';
import { SchemaBuilder, Schemas, Struct } from '../plugins/connect-schema.ts';
import type { Schema } from '../plugins/connect-schema.ts';
import type { ConnectRecord } from '../plugins/connect-record.ts';
import type { Props } from '../plugins/plugin-types.ts';
import { setOwn, structValue } from '../converters/data-util.ts';
import { timestampSchema } from '../converters/logical-types.ts';
import { KeyValueTransform } from './operating-side.ts';
import {
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  REPLACE_NULL_WITH_DEFAULT_DOC,
  SchemaCache,
  buildSchemaSafely,
  copyMap,
  copySchemaBasics,
  parseConfig,
  requireMap,
  requireSinkRecord,
  requireStruct,
} from './transform-util.ts';

const TOPIC_FIELD = 'topic.field';
const PARTITION_FIELD = 'partition.field';
const OFFSET_FIELD = 'offset.field';
const TIMESTAMP_FIELD = 'timestamp.field';
const STATIC_FIELD = 'static.field';
const STATIC_VALUE = 'static.value';
const PURPOSE = 'field insertion';
const OPTIONALITY_DOC = 'Suffix with `!` to make this a required field, or `?` to keep it optional (the default).';

interface InsertionSpec {
  readonly name: string;
  readonly optional: boolean;
}

function parseSpec(spec: unknown): InsertionSpec | null {
  if (typeof spec !== 'string') return null;
  if (spec.endsWith('?')) return { name: spec.slice(0, -1), optional: true };
  if (spec.endsWith('!')) return { name: spec.slice(0, -1), optional: false };
  return { name: spec, optional: true };
}

export class InsertField extends KeyValueTransform {
  static readonly overview = 'Insert field(s) using attributes from the record metadata or a configured static value.';

  private topic: InsertionSpec | null = null;
  private partition: InsertionSpec | null = null;
  private offset: InsertionSpec | null = null;
  private timestamp: InsertionSpec | null = null;
  private staticField: InsertionSpec | null = null;
  private staticValue: string | null = null;
  private replaceNullWithDefault = true;
  private readonly schemas = new SchemaCache();

  config(): ConfigDef {
    const field = (name: string, documentation: string) =>
      ({ name, type: 'STRING', defaultValue: null, importance: 'MEDIUM', documentation }) as const;
    return new ConfigDef()
      .define(field(TOPIC_FIELD, `Field name for Kafka topic. ${OPTIONALITY_DOC}`))
      .define(field(PARTITION_FIELD, `Field name for Kafka partition. ${OPTIONALITY_DOC}`))
      .define(field(OFFSET_FIELD, `Field name for Kafka offset - only applicable to sink connectors. ${OPTIONALITY_DOC}`))
      .define(field(TIMESTAMP_FIELD, `Field name for record timestamp. ${OPTIONALITY_DOC}`))
      .define(field(STATIC_FIELD, `Field name for static data field. ${OPTIONALITY_DOC}`))
      .define(field(STATIC_VALUE, 'Static field value, if field name configured.'))
      .define({ name: REPLACE_NULL_WITH_DEFAULT_CONFIG, type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: REPLACE_NULL_WITH_DEFAULT_DOC });
  }

  configure(props: Props): void {
    const cfg = parseConfig(this.config(), props);
    this.topic = parseSpec(cfg[TOPIC_FIELD]);
    this.partition = parseSpec(cfg[PARTITION_FIELD]);
    this.offset = parseSpec(cfg[OFFSET_FIELD]);
    this.timestamp = parseSpec(cfg[TIMESTAMP_FIELD]);
    this.staticField = parseSpec(cfg[STATIC_FIELD]);
    this.staticValue = (cfg[STATIC_VALUE] as string | null) ?? null;
    this.replaceNullWithDefault = cfg[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
    if (!this.topic && !this.partition && !this.offset && !this.timestamp && !this.staticField) {
      throw new ConfigError('No field insertion configured');
    }
    if (this.staticField && this.staticValue === null) {
      throw new ConfigError(`Invalid value null for configuration ${STATIC_VALUE}: No value specified for static field: ${this.staticField.name}`, STATIC_VALUE);
    }
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const value = this.on.value(record);
    if (value === null) return record;
    const schema = this.on.schema(record);
    if (!schema) {
      const updated = copyMap(requireMap(value, PURPOSE));
      this.insert(record, (name, v) => setOwn(updated, name, v), false);
      return this.on.update(record, null, updated);
    }
    const struct = requireStruct(value, PURPOSE);
    const updatedSchema = this.schemas.getOrBuild(struct.schema, (s) => buildSchemaSafely(PURPOSE, () => this.buildSchema(s)));
    const updated = new Struct(updatedSchema);
    for (const f of struct.schema.fields ?? []) updated.put(f.name, structValue(struct, f.name, this.replaceNullWithDefault));
    this.insert(record, (name, v) => updated.put(name, v), true);
    return this.on.update(record, updatedSchema, updated);
  }

  private insert(record: ConnectRecord, put: (name: string, value: unknown) => void, withSchema: boolean): void {
    if (this.topic) put(this.topic.name, record.topic);
    if (this.partition && record.kafkaPartition !== null && record.kafkaPartition !== undefined) put(this.partition.name, record.kafkaPartition);
    if (this.offset) put(this.offset.name, requireSinkRecord(record, PURPOSE).kafkaOffset);
    if (this.timestamp && record.timestamp !== null && record.timestamp !== undefined) {
      put(this.timestamp.name, withSchema ? new Date(record.timestamp) : record.timestamp);
    }
    if (this.staticField && this.staticValue !== null) put(this.staticField.name, this.staticValue);
  }

  private buildSchema(schema: Schema): Schema {
    const b = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const f of schema.fields ?? []) b.field(f.name, f.schema);
    if (this.topic) b.field(this.topic.name, this.topic.optional ? Schemas.OPTIONAL_STRING : Schemas.STRING);
    if (this.partition) b.field(this.partition.name, this.partition.optional ? Schemas.OPTIONAL_INT32 : Schemas.INT32);
    if (this.offset) b.field(this.offset.name, this.offset.optional ? Schemas.OPTIONAL_INT64 : Schemas.INT64);
    if (this.timestamp) b.field(this.timestamp.name, timestampSchema(this.timestamp.optional));
    if (this.staticField) b.field(this.staticField.name, this.staticField.optional ? Schemas.OPTIONAL_STRING : Schemas.STRING);
    return b.build();
  }
}
