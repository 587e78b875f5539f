import type { PluginDescriptor } from '../../plugins/plugin-types.ts';
import { RABBITMQ_SINK_CLASS, RABBITMQ_SOURCE_CLASS, RabbitMQSinkConnector, RabbitMQSourceConnector } from './rabbitmq-connectors.ts';
import { RABBITMQ_CONNECTOR_VERSION } from './rabbitmq-version.ts';

export const rabbitmqPlugins: PluginDescriptor[] = [
  { className: RABBITMQ_SOURCE_CLASS, aliases: ['RabbitMQSourceConnector', 'RabbitMQSource'], type: 'source', version: RABBITMQ_CONNECTOR_VERSION, create: () => new RabbitMQSourceConnector() },
  { className: RABBITMQ_SINK_CLASS, aliases: ['RabbitMQSinkConnector', 'RabbitMQSink'], type: 'sink', version: RABBITMQ_CONNECTOR_VERSION, create: () => new RabbitMQSinkConnector() },
];
