/**
 * org.apache.kafka.connect.transforms.TimestampRouter: sets the topic from `topic.format`,
 * substituting `${topic}` and `${timestamp}` (the record timestamp in `timestamp.format`, UTC).
 */
import { ConfigDef } from '../config/config-def.ts';
import { DataError } from '../plugins/connect-schema.ts';
import { newRecord } from '../plugins/connect-record.ts';
import type { ConnectRecord } from '../plugins/connect-record.ts';
import type { Props } from '../plugins/plugin-types.ts';
import { BaseTransform } from './operating-side.ts';
import { SimpleDateFormat } from './simple-date-format.ts';
import { invalidConfig, parseConfig } from './transform-util.ts';

const TOPIC_FORMAT_CONFIG = 'topic.format';
const TIMESTAMP_FORMAT_CONFIG = 'timestamp.format';

export class TimestampRouter extends BaseTransform {
  static readonly overview =
    "Update the record's topic field as a function of the original topic value and the record timestamp. " +
    'This is mainly useful for sink connectors, since the topic field is often used to determine the equivalent entity name in the destination system (e.g. database table or search index name).';

  private topicFormat = '${topic}-${timestamp}';
  private format = new SimpleDateFormat('yyyyMMdd');

  config(): ConfigDef {
    return new ConfigDef()
      .define({
        name: TOPIC_FORMAT_CONFIG,
        type: 'STRING',
        defaultValue: '${topic}-${timestamp}',
        importance: 'HIGH',
        documentation: 'Format string which can contain `${topic}` and `${timestamp}` as placeholders for the topic and timestamp, respectively.',
      })
      .define({
        name: TIMESTAMP_FORMAT_CONFIG,
        type: 'STRING',
        defaultValue: 'yyyyMMdd',
        importance: 'HIGH',
        documentation: 'Format string for the timestamp that is compatible with `java.text.SimpleDateFormat`.',
      });
  }

  configure(props: Props): void {
    const cfg = parseConfig(this.config(), props);
    this.topicFormat = cfg[TOPIC_FORMAT_CONFIG] as string;
    const pattern = cfg[TIMESTAMP_FORMAT_CONFIG] as string;
    try {
      this.format = new SimpleDateFormat(pattern);
    } catch (e) {
      throw invalidConfig(TIMESTAMP_FORMAT_CONFIG, pattern, (e as Error).message);
    }
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    if (record.timestamp === null || record.timestamp === undefined) {
      throw new DataError(`Timestamp missing on record: topic=${record.topic}, partition=${record.kafkaPartition ?? null}`);
    }
    const formatted = this.format.format(new Date(record.timestamp));
    const topic = this.topicFormat.split('${topic}').join(record.topic).split('${timestamp}').join(formatted);
    return newRecord(record, { topic });
  }
}
