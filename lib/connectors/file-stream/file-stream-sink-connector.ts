/** FileStreamSink: records are appended to a file, one line each, as Apache Kafka's FileStreamSinkConnector. */
import { ConfigDef, Validators } from '../../config/config-def.ts';
import type { Props, SinkConnector, SinkTask } from '../../plugins/plugin-types.ts';
import { FILE_STREAM_VERSION } from './file-stream-source-connector.ts';
import { FileStreamSinkTask } from './file-stream-sink-task.ts';

export const fileStreamSinkConfig = new ConfigDef()
  .define({ name: 'file', type: 'STRING', defaultValue: null, importance: 'HIGH', documentation: 'Destination filename. If not specified, the standard output will be used' })
  .define({ name: 'format', type: 'STRING', defaultValue: 'text', importance: 'MEDIUM', documentation: 'Tributary: `text` writes each value as a line, as Apache does; `csv` writes a header and one column per field of struct or JSON object values.', validator: Validators.in('text', 'csv'), validValues: '[text, csv]' })
  .define({ name: 'csv.fields', type: 'LIST', defaultValue: [], importance: 'LOW', documentation: 'Tributary, CSV only: the columns, in order. Empty: the fields of the first record (struct schema order, or JSON object keys).' })
  .define({ name: 'csv.header', type: 'BOOLEAN', defaultValue: true, importance: 'LOW', documentation: 'Tributary, CSV only: write a header line when the file is empty.' });

export class FileStreamSinkConnector implements SinkConnector {
  readonly type = 'sink';
  private props: Props = {};

  version(): string {
    return FILE_STREAM_VERSION;
  }
  start(props: Props): void {
    fileStreamSinkConfig.parse(props);
    this.props = props;
  }
  taskConfigs(maxTasks: number): Props[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.props }));
  }
  stop(): void {}
  config(): ConfigDef {
    return fileStreamSinkConfig;
  }
  createTask(): SinkTask {
    return new FileStreamSinkTask();
  }
  /** The sink keeps no offsets of its own: Connect's consumer group offsets are all there is. */
  alterOffsets(): boolean {
    return true;
  }
}
