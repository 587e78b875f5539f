/**
 * The S3 sink connector, registered under Confluent's class name so existing configs move
 * over unchanged.
 */
import type { PluginDescriptor } from '../../plugins/plugin-types.ts';
import { S3_SINK_CLASS, S3SinkConnector } from './s3-sink-connector.ts';
import { S3_CONNECTOR_VERSION } from './s3-version.ts';

export const s3SinkPlugin: PluginDescriptor<S3SinkConnector> = {
  className: S3_SINK_CLASS,
  aliases: ['S3SinkConnector', 'S3Sink'],
  type: 'sink',
  version: S3_CONNECTOR_VERSION,
  create: () => new S3SinkConnector(),
};

export const s3Plugins: PluginDescriptor[] = [s3SinkPlugin];

export { S3SinkConnector, S3_SINK_CLASS } from './s3-sink-connector.ts';
export { S3SinkTask } from './s3-sink-task.ts';
export { s3SinkConfigDef, parseS3SinkSettings } from './s3-sink-config.ts';
