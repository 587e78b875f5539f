/**
 * FileStreamSource: lines appended to a file become records, as Apache Kafka's
 * FileStreamSourceConnector (same class name, options and offsets `{filename}` → `{position}`).
 */
import { ConfigDef, ConfigError, Validators } from '../../config/config-def.ts';
import { integerValue, InvalidOffsetError, onlyKeys, type OffsetChange } from '../offset-checks.ts';
import type { Props, SourceConnector, SourceTask } from '../../plugins/plugin-types.ts';
import { FileStreamSourceTask } from './file-stream-source-task.ts';

export const FILE_STREAM_VERSION = '4.1.1';

export const fileStreamSourceConfig = new ConfigDef()
  .define({ name: 'file', type: 'STRING', defaultValue: null, importance: 'HIGH', documentation: 'Source filename. If not specified, the standard input will be used' })
  .define({ name: 'topic', type: 'LIST', importance: 'HIGH', documentation: 'The topic to publish data to', validator: exactlyOneTopic })
  .define({ name: 'batch.size', type: 'INT', defaultValue: 2000, importance: 'LOW', documentation: 'The maximum number of records the source task can read from the file each time it is polled', validator: Validators.atLeast(1) });

function exactlyOneTopic(name: string, value: unknown): void {
  if (Array.isArray(value) && value.length !== 1) {
    throw new ConfigError(`Invalid value ${value.join(',')} for configuration ${name}: 'topic' in FileStreamSourceConnector configuration requires definition of a single topic.`, name);
  }
}

export class FileStreamSourceConnector implements SourceConnector {
  readonly type = 'source';
  private props: Props = {};

  version(): string {
    return FILE_STREAM_VERSION;
  }
  start(props: Props): void {
    fileStreamSourceConfig.parse(props);
    this.props = props;
  }
  taskConfigs(): Props[] {
    // Only one input stream makes sense; the task gets the connector's whole config, as Apache's does.
    return [{ ...this.props }];
  }
  stop(): void {}
  config(): ConfigDef {
    return fileStreamSourceConfig;
  }
  createTask(): SourceTask {
    return new FileStreamSourceTask();
  }
  exactlyOnceSupport(): 'SUPPORTED' {
    return 'SUPPORTED';
  }
  /** Accepts offsets shaped as this connector writes them: `{filename}` → `{position}` (a byte count, a safe integer). */
  alterOffsets(_config: Props, offsets: readonly OffsetChange[]): boolean {
    for (const { partition, offset } of offsets) {
      if (typeof partition.filename !== 'string') throw new InvalidOffsetError(`Partition objects must contain the key 'filename'`);
      onlyKeys('Partition', partition, ['filename']);
      if (offset === null) continue;
      if (!('position' in offset)) throw new InvalidOffsetError(`Offset objects must contain the key 'position'`);
      onlyKeys('Offset', offset, ['position']);
      integerValue('offset', 'position', offset.position, { min: 0 });
    }
    return true;
  }
}
