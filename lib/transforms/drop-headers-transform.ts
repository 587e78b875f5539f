/**
 * org.apache.kafka.connect.transforms.DropHeaders: removes headers by name.
 */
import { ConfigDef } from '../config/config-def.ts';
import { newRecord } from '../plugins/connect-record.ts';
import type { ConnectRecord } from '../plugins/connect-record.ts';
import type { Props } from '../plugins/plugin-types.ts';
import { BaseTransform } from './operating-side.ts';
import { nonEmptyList, parseConfig } from './transform-util.ts';

const HEADERS_CONFIG = 'headers';

export class DropHeaders extends BaseTransform {
  static readonly overview = 'Removes one or more headers from each record.';

  private headers = new Set<string>();

  config(): ConfigDef {
    return new ConfigDef().define({
      name: HEADERS_CONFIG,
      type: 'LIST',
      importance: 'HIGH',
      documentation: 'The name of the headers to be removed.',
      validator: nonEmptyList,
      validValues: 'non-empty list',
    });
  }

  configure(props: Props): void {
    this.headers = new Set(parseConfig(this.config(), props)[HEADERS_CONFIG] as string[]);
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    return newRecord(record, { headers: (record.headers ?? []).filter((h) => !this.headers.has(h.key)) });
  }
}
