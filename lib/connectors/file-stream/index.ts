import type { PluginDescriptor } from '../../plugins/plugin-types.ts';
import { FILE_STREAM_VERSION, FileStreamSourceConnector } from './file-stream-source-connector.ts';
import { FileStreamSinkConnector } from './file-stream-sink-connector.ts';

export const fileStreamPlugins: PluginDescriptor[] = [
  { className: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: FILE_STREAM_VERSION, create: () => new FileStreamSourceConnector() },
  { className: 'org.apache.kafka.connect.file.FileStreamSinkConnector', type: 'sink', version: FILE_STREAM_VERSION, create: () => new FileStreamSinkConnector() },
];
