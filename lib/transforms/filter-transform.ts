/**
 * org.apache.kafka.connect.transforms.Filter: drops every record; used with a predicate.
 */
import { ConfigDef } from '../config/config-def.ts';
import type { ConnectRecord } from '../plugins/connect-record.ts';
import type { Props } from '../plugins/plugin-types.ts';
import { BaseTransform } from './operating-side.ts';

export class Filter extends BaseTransform {
  static readonly overview =
    'Drops all records, filtering them from subsequent transformations in the chain. ' +
    'This is intended to be used conditionally to filter out records matching (or not matching) a particular Predicate.';

  config(): ConfigDef {
    return new ConfigDef();
  }

  configure(_props: Props): void {}

  apply<R extends ConnectRecord>(_record: R): R | null {
    return null;
  }
}
