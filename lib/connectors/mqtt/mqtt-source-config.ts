/** The MQTT source's options: the keys of Confluent's MqttSourceConnector, plus a topic mapping. */
import { ConfigDef, ConfigError, type ConfigValueType } from '../../config/config-def.ts';
import { defineConnectionKeys } from './mqtt-connection.ts';
import { filterProblem } from './topic-filter.ts';

const filters = (name: string, value: ConfigValueType) => {
  for (const f of Array.isArray(value) ? value : []) {
    const problem = filterProblem(f);
    if (problem) throw new ConfigError(`Invalid value ${f} for configuration ${name}: ${problem}`, name);
  }
};

const mapping = (name: string, value: ConfigValueType) => {
  for (const entry of Array.isArray(value) ? value : []) {
    const at = entry.lastIndexOf(':');
    if (at <= 0 || at === entry.length - 1) throw new ConfigError(`Invalid value ${entry} for configuration ${name}: expected <mqtt topic filter>:<kafka topic>`, name);
    const problem = filterProblem(entry.slice(0, at));
    if (problem) throw new ConfigError(`Invalid value ${entry} for configuration ${name}: ${problem}`, name);
  }
};

export function mqttSourceConfigDef(): ConfigDef {
  return defineConnectionKeys(
    new ConfigDef()
      .define({ name: 'mqtt.topics', type: 'LIST', importance: 'HIGH', validator: filters, documentation: 'The MQTT topic filters to subscribe to; `+` and `#` wildcards allowed.' })
      .define({ name: 'kafka.topic', type: 'STRING', defaultValue: '', importance: 'HIGH', documentation: 'The Kafka topic to write messages to (those no `kafka.topic.mapping` entry matches).' })
      .define({ name: 'kafka.topic.mapping', type: 'LIST', defaultValue: [], importance: 'MEDIUM', validator: mapping, documentation: 'Tributary: `<mqtt topic filter>:<kafka topic>` entries; a message goes to the Kafka topic of the first filter its MQTT topic matches, else to `kafka.topic`.' }),
  );
}

/** Where each MQTT topic's messages go: the first matching mapping, else the default. */
export function parseMapping(entries: readonly string[]): { filter: string; topic: string }[] {
  return entries.map((e) => {
    const at = e.lastIndexOf(':');
    return { filter: e.slice(0, at).trim(), topic: e.slice(at + 1).trim() };
  });
}
