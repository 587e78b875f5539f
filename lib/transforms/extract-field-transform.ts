/**
 * org.apache.kafka.connect.transforms.ExtractField$Key / $Value: replaces the key or value with
 * one of its fields (nested fields with `field.syntax.version=V2`).
 */
import { ConfigDef } from '../config/config-def.ts';
import { DataError } from '../plugins/connect-schema.ts';
import type { ConnectRecord } from '../plugins/connect-record.ts';
import type { Props } from '../plugins/plugin-types.ts';
import { FIELD_SYNTAX_VERSION_CONFIG, SingleFieldPath, fieldSyntaxVersion, withFieldSyntaxVersion } from './field-path.ts';
import { KeyValueTransform } from './operating-side.ts';
import { REPLACE_NULL_WITH_DEFAULT_CONFIG, REPLACE_NULL_WITH_DEFAULT_DOC, parseConfig, requireMapOrNull, requireStructOrNull } from './transform-util.ts';

const FIELD_CONFIG = 'field';
const PURPOSE = 'field extraction';

export class ExtractField extends KeyValueTransform {
  static readonly overview =
    'Extract the specified field from a Struct when schema present, or a Map in the case of schemaless data. Any null values are passed through unmodified.';

  private path = new SingleFieldPath('', 'V1');
  private originalPath = '';
  private replaceNullWithDefault = true;

  config(): ConfigDef {
    return withFieldSyntaxVersion(
      new ConfigDef()
        .define({ name: FIELD_CONFIG, type: 'STRING', importance: 'MEDIUM', documentation: 'Field name to extract.' })
        .define({ name: REPLACE_NULL_WITH_DEFAULT_CONFIG, type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: REPLACE_NULL_WITH_DEFAULT_DOC }),
    );
  }

  configure(props: Props): void {
    const cfg = parseConfig(this.config(), props);
    this.originalPath = cfg[FIELD_CONFIG] as string;
    this.path = new SingleFieldPath(this.originalPath, fieldSyntaxVersion(cfg[FIELD_SYNTAX_VERSION_CONFIG]));
    this.replaceNullWithDefault = cfg[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const schema = this.on.schema(record);
    if (!schema) {
      const map = requireMapOrNull(this.on.value(record), PURPOSE);
      return this.on.update(record, null, map === null ? null : this.path.valueFromMap(map));
    }
    const struct = requireStructOrNull(this.on.value(record), PURPOSE);
    const field = this.path.fieldFrom(schema);
    if (!field) throw new DataError(`Unknown field: ${this.originalPath}`);
    return this.on.update(record, field.schema, struct === null ? null : this.path.valueFromStruct(struct, this.replaceNullWithDefault));
  }
}
