/** FileStreamSink: records are appended to a file, one line each, as Apache Kafka's FileStreamSinkConnector. */
import { ConfigDef } from '../../config/config-def.ts';
import type { Props, SinkConnector, SinkTask } from '../../plugins/plugin-types.ts';
import { FILE_STREAM_VERSION } from './file-stream-source-connector.ts';
import { FileStreamSinkTask } from './file-stream-sink-task.ts';

export const fileStreamSinkConfig = new ConfigDef()
  .define({ name: 'file', type: 'STRING', defaultValue: null, importance: 'HIGH', documentation: 'Destination filename. If not specified, the standard output will be used' });

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
    return Array.from({ length: maxTasks }, () => ({ ...(this.props.file !== undefined ? { file: this.props.file } : {}) }));
  }
  stop(): void {}
  config(): ConfigDef {
    return fileStreamSinkConfig;
  }
  createTask(): SinkTask {
    return new FileStreamSinkTask();
  }
}
