/**
 * org.apache.kafka.connect.transforms.predicates.HasHeaderKey: true when the record has at least
 * one header named `name`.
 */
import { ConfigDef } from '../config/config-def.ts';
import type { ConnectRecord } from '../plugins/connect-record.ts';
import type { Predicate, Props } from '../plugins/plugin-types.ts';
import { TRANSFORMS_VERSION } from './operating-side.ts';
import { nonEmptyString, parseConfig } from './transform-util.ts';

const NAME_CONFIG = 'name';

export class HasHeaderKey implements Predicate {
  static readonly overview = 'A predicate which is true for records with at least one header with the configured name.';

  private name = '';

  version(): string {
    return TRANSFORMS_VERSION;
  }

  config(): ConfigDef {
    return new ConfigDef().define({
      name: NAME_CONFIG,
      type: 'STRING',
      importance: 'MEDIUM',
      documentation: 'The header name.',
      validator: nonEmptyString,
      validValues: 'non-empty string',
    });
  }

  configure(props: Props): void {
    this.name = parseConfig(this.config(), props)[NAME_CONFIG] as string;
  }

  test(record: ConnectRecord): boolean {
    return (record.headers ?? []).some((h) => h.key === this.name);
  }

  close(): void {}
}
