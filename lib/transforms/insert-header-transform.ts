/**
 * org.apache.kafka.connect.transforms.InsertHeader: adds a header whose value is a literal,
 * parsed as Connect's Values does (so `42` is an INT8, `true` a BOOLEAN, text a STRING).
 */
import { ConfigDef } from '../config/config-def.ts';
import { newRecord } from '../plugins/connect-record.ts';
import type { ConnectRecord } from '../plugins/connect-record.ts';
import type { Props, SchemaAndValue } from '../plugins/plugin-types.ts';
import { parseString } from '../converters/values.ts';
import { BaseTransform } from './operating-side.ts';
import { parseConfig } from './transform-util.ts';

const HEADER_CONFIG = 'header';
const VALUE_LITERAL_CONFIG = 'value.literal';

export class InsertHeader extends BaseTransform {
  static readonly overview = 'Add a header to each record.';

  private header = '';
  private literal: SchemaAndValue = { schema: null, value: null };

  config(): ConfigDef {
    return new ConfigDef()
      .define({ name: HEADER_CONFIG, type: 'STRING', importance: 'HIGH', documentation: 'The name of the header.' })
      .define({
        name: VALUE_LITERAL_CONFIG,
        type: 'STRING',
        importance: 'HIGH',
        documentation: 'The literal value that is to be set as the header value on all records.',
      });
  }

  configure(props: Props): void {
    const cfg = parseConfig(this.config(), props);
    this.header = cfg[HEADER_CONFIG] as string;
    this.literal = parseString(cfg[VALUE_LITERAL_CONFIG] as string);
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const headers = [...(record.headers ?? []), { key: this.header, schema: this.literal.schema, value: this.literal.value }];
    return newRecord(record, { headers });
  }
}
