import type { PluginDescriptor } from '../../plugins/plugin-types.ts';
import { MQTT_SINK_CLASS, MQTT_SOURCE_CLASS, MqttSinkConnector, MqttSourceConnector } from './mqtt-connectors.ts';
import { MQTT_CONNECTOR_VERSION } from './mqtt-version.ts';

export const mqttPlugins: PluginDescriptor[] = [
  { className: MQTT_SOURCE_CLASS, aliases: ['MqttSourceConnector', 'MqttSource'], type: 'source', version: MQTT_CONNECTOR_VERSION, create: () => new MqttSourceConnector() },
  { className: MQTT_SINK_CLASS, aliases: ['MqttSinkConnector', 'MqttSink'], type: 'sink', version: MQTT_CONNECTOR_VERSION, create: () => new MqttSinkConnector() },
];
