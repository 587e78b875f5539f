/**
 * org.apache.kafka.connect.transforms.predicates.TopicNameMatches: true when the whole topic name
 * matches `pattern` (a Java regular expression).
 */
import { ConfigDef } from '../config/config-def.ts';
import type { ConnectRecord } from '../plugins/connect-record.ts';
import type { Predicate, Props } from '../plugins/plugin-types.ts';
import { compileJavaRegex, fullyMatches } from './java-regex.ts';
import { TRANSFORMS_VERSION } from './operating-side.ts';
import { invalidConfig, nonEmptyString, parseConfig, validRegex } from './transform-util.ts';

const PATTERN_CONFIG = 'pattern';

export class TopicNameMatches implements Predicate {
  static readonly overview = 'A predicate which is true for records with a topic name that matches the configured regular expression.';

  private pattern = /$^/;

  version(): string {
    return TRANSFORMS_VERSION;
  }

  config(): ConfigDef {
    return new ConfigDef().define({
      name: PATTERN_CONFIG,
      type: 'STRING',
      importance: 'MEDIUM',
      documentation: "A Java regular expression for matching against the name of a record's topic.",
      validator: (name, value) => {
        nonEmptyString(name, value);
        validRegex(name, value);
      },
      validValues: 'non-empty string, valid regex',
    });
  }

  configure(props: Props): void {
    const value = parseConfig(this.config(), props)[PATTERN_CONFIG] as string;
    try {
      this.pattern = compileJavaRegex(value);
    } catch (e) {
      throw invalidConfig(PATTERN_CONFIG, value, `entry must be a Java-compatible regular expression: ${(e as Error).message}`);
    }
  }

  test(record: ConnectRecord): boolean {
    return typeof record.topic === 'string' && fullyMatches(this.pattern, record.topic);
  }

  close(): void {}
}
