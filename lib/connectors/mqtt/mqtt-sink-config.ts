/** The MQTT sink's options: the keys of Confluent's MqttSinkConnector, plus a topic template. */
import { ConfigDef } from '../../config/config-def.ts';
import { defineConnectionKeys } from './mqtt-connection.ts';

export function mqttSinkConfigDef(): ConfigDef {
  return defineConnectionKeys(
    new ConfigDef()
      .define({ name: 'mqtt.retain.enabled', type: 'BOOLEAN', defaultValue: false, importance: 'MEDIUM', documentation: 'Publish with the retain flag, so the broker keeps the last message of each topic for new subscribers.' })
      .define({ name: 'mqtt.topic.template', type: 'STRING', defaultValue: '${topic}', importance: 'MEDIUM', documentation: 'Tributary: the MQTT topic of each message; `${topic}`, `${key}` and `${partition}` are the record\'s Kafka topic, key (as text) and partition. Confluent publishes to the Kafka topic\'s name, which is the default.' }),
  );
}
