/**
 * The SQS source and sink connectors, registered under the class names of Nordstrom's
 * kafka-connect-sqs so existing configs move over unchanged.
 */
import type { PluginDescriptor } from '../../plugins/plugin-types.ts';
import { SQS_SINK_CLASS, SQS_SOURCE_CLASS, SqsSinkConnector, SqsSourceConnector } from './sqs-connectors.ts';
import { SQS_CONNECTOR_VERSION } from './sqs-version.ts';

export const sqsPlugins: PluginDescriptor[] = [
  { className: SQS_SOURCE_CLASS, aliases: ['SqsSourceConnector', 'SqsSource'], type: 'source', version: SQS_CONNECTOR_VERSION, create: () => new SqsSourceConnector() },
  { className: SQS_SINK_CLASS, aliases: ['SqsSinkConnector', 'SqsSink'], type: 'sink', version: SQS_CONNECTOR_VERSION, create: () => new SqsSinkConnector() },
];

export { SqsSinkConnector, SqsSourceConnector, SQS_SINK_CLASS, SQS_SOURCE_CLASS } from './sqs-connectors.ts';
export { SqsSinkTask } from './sqs-sink-task.ts';
export { SqsSourceTask } from './sqs-source-task.ts';
export { sqsSinkConfigDef, sqsSourceConfigDef } from './sqs-config.ts';
