/**
 * org.apache.kafka.connect.transforms.predicates.RecordIsTombstone: true when the value is null.
 */
import { ConfigDef } from '../config/config-def.ts';
import type { ConnectRecord } from '../plugins/connect-record.ts';
import type { Predicate, Props } from '../plugins/plugin-types.ts';
import { TRANSFORMS_VERSION } from './operating-side.ts';

export class RecordIsTombstone implements Predicate {
  static readonly overview = 'A predicate which is true for records which are tombstones (i.e. have null value).';

  version(): string {
    return TRANSFORMS_VERSION;
  }

  config(): ConfigDef {
    return new ConfigDef();
  }

  configure(_props: Props): void {}

  test(record: ConnectRecord): boolean {
    return record.value === null || record.value === undefined;
  }

  close(): void {}
}
