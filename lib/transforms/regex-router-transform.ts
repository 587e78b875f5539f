/**
 * org.apache.kafka.connect.transforms.RegexRouter: renames the topic when the whole topic name
 * matches `regex`, using Java's replaceFirst with `replacement` (`$1`, `${name}` references).
 */
import { ConfigDef } from '../config/config-def.ts';
import { newRecord } from '../plugins/connect-record.ts';
import type { ConnectRecord } from '../plugins/connect-record.ts';
import type { Props } from '../plugins/plugin-types.ts';
import { compileJavaRegex, fullyMatches, replaceFirstJava, validateReplacement } from './java-regex.ts';
import { BaseTransform } from './operating-side.ts';
import { invalidConfig, parseConfig, validRegex } from './transform-util.ts';

const REGEX_CONFIG = 'regex';
const REPLACEMENT_CONFIG = 'replacement';

export class RegexRouter extends BaseTransform {
  static readonly overview =
    'Update the record topic using the configured regular expression and replacement string. ' +
    "If the pattern matches the whole input topic, Java's `Matcher#replaceFirst()` semantics are used with the replacement string to obtain the new topic.";

  private regex = /$^/;
  private replacement = '';

  config(): ConfigDef {
    return new ConfigDef()
      .define({
        name: REGEX_CONFIG,
        type: 'STRING',
        importance: 'HIGH',
        documentation: 'Regular expression to use for matching.',
        validator: validRegex,
        validValues: 'valid regex',
      })
      .define({ name: REPLACEMENT_CONFIG, type: 'STRING', importance: 'HIGH', documentation: 'Replacement string.' });
  }

  configure(props: Props): void {
    const cfg = parseConfig(this.config(), props);
    this.regex = compileJavaRegex(cfg[REGEX_CONFIG] as string);
    this.replacement = cfg[REPLACEMENT_CONFIG] as string;
    try {
      // Surface a bad group reference at configure time rather than on the first matching record.
      validateReplacement(this.regex, this.replacement);
    } catch (e) {
      throw invalidConfig(REPLACEMENT_CONFIG, this.replacement, (e as Error).message);
    }
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    if (!fullyMatches(this.regex, record.topic)) return record;
    return newRecord(record, { topic: replaceFirstJava(this.regex, record.topic, this.replacement) });
  }
}
