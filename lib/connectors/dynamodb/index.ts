/**
 * The DynamoDB sink connector, registered under Confluent's class name so existing configs
 * move over unchanged.
 */
import type { PluginDescriptor } from '../../plugins/plugin-types.ts';
import { DYNAMODB_SINK_CLASS, DynamoDbSinkConnector } from './dynamodb-sink-connector.ts';
import { DYNAMODB_CONNECTOR_VERSION } from './dynamodb-sink-task.ts';

export const dynamoDbPlugins: PluginDescriptor[] = [
  { className: DYNAMODB_SINK_CLASS, aliases: ['DynamoDbSinkConnector', 'DynamoDbSink'], type: 'sink', version: DYNAMODB_CONNECTOR_VERSION, create: () => new DynamoDbSinkConnector() },
];

export { DynamoDbSinkConnector, DYNAMODB_SINK_CLASS } from './dynamodb-sink-connector.ts';
export { DynamoDbSinkTask } from './dynamodb-sink-task.ts';
export { dynamoSinkConfigDef } from './dynamodb-sink-config.ts';
