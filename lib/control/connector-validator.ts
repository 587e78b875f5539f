/**
 * Validates a connector config as Connect's AbstractHerder.validateConnectorConfig does:
 * the common keys, the connector's own definition, converters, transforms and predicates,
 * and sink topic rules. The result has the shape of Connect's ConfigInfos.
 */
import type { ConfigDef, ConfigKey, ConfigValueType } from '../config/config-def.ts';
import { NO_DEFAULT } from '../config/config-def.ts';
import { sinkConnectorConfigDef, sourceConnectorConfigDef } from '../config/connector-config-def.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import type { Connector, PluginDescriptor } from '../plugins/plugin-types.ts';
import { validateTransformConfig } from '../transforms/transform-chain.ts';

export interface ConfigKeyInfo {
  name: string;
  type: string;
  required: boolean;
  default_value: string | null;
  importance: string;
  documentation: string;
  group: string | null;
  order: number;
  width: string;
  display_name: string;
  dependents: string[];
}

export interface ConfigInfo {
  definition: ConfigKeyInfo;
  value: { name: string; value: string | null; recommended_values: string[]; errors: string[]; visible: boolean };
}

export interface ConfigInfos {
  name: string;
  error_count: number;
  groups: string[];
  configs: ConfigInfo[];
}

export const HIDDEN = '[hidden]';

/** Connect's ConfigKeyInfo for a key (the plugin config endpoint's entries). */
export function keyInfo(k: ConfigKey): ConfigKeyInfo {
  return {
    name: k.name,
    type: k.type,
    required: k.defaultValue === NO_DEFAULT,
    default_value: k.defaultValue === NO_DEFAULT || k.defaultValue === null ? null : k.type === 'PASSWORD' ? HIDDEN : renderValue(k.defaultValue),
    importance: k.importance,
    documentation: k.documentation,
    group: k.group ?? null,
    order: k.orderInGroup ?? -1,
    width: k.width ?? 'NONE',
    display_name: k.displayName ?? k.name,
    dependents: [...(k.dependents ?? [])],
  };
}

function renderValue(v: ConfigValueType): string | null {
  if (v === null) return null;
  return Array.isArray(v) ? v.join(',') : String(v);
}

/** The full definition of a connector: common keys for its type, then its own. */
export function connectorDefinition(descriptor: PluginDescriptor, connector: Connector): ConfigDef {
  const base = descriptor.type === 'sink' ? sinkConnectorConfigDef() : sourceConnectorConfigDef();
  return base.merge(connector.config());
}

export async function validateConnectorConfig(registry: PluginRegistry, descriptor: PluginDescriptor, config: Readonly<Record<string, string>>): Promise<ConfigInfos> {
  const connector = descriptor.create() as Connector;
  const def = connectorDefinition(descriptor, connector);
  const results = def.validate(config);
  const errors = new Map<string, string[]>(results.map((r) => [r.name, [...r.errors]]));
  const add = (key: string, message: string) => errors.set(key, [...(errors.get(key) ?? []), message]);

  for (const [key, type] of [
    ['key.converter', 'converter'],
    ['value.converter', 'converter'],
    ['header.converter', 'header_converter'],
  ] as const) {
    const cls = config[key];
    if (cls !== undefined && !registry.find(cls, [type])) add(key, `Invalid value ${cls} for configuration ${key}: Class ${cls} could not be found.`);
  }
  if (descriptor.type === 'sink') {
    const hasTopics = (config.topics ?? '').trim() !== '';
    const hasRegex = (config['topics.regex'] ?? '').trim() !== '';
    if (hasTopics && hasRegex) {
      const msg = 'topics and topics.regex are mutually exclusive options, but both are set.';
      add('topics', msg);
      add('topics.regex', msg);
    } else if (!hasTopics && !hasRegex) {
      const msg = 'Must configure one of topics or topics.regex';
      add('topics', msg);
      add('topics.regex', msg);
    }
    const dlq = (config['errors.deadletterqueue.topic.name'] ?? '').trim();
    if (dlq && (config.topics ?? '').split(',').map((t) => t.trim()).includes(dlq)) {
      add('errors.deadletterqueue.topic.name', `The DLQ topic '${dlq}' may not be included in the list of topics ('topics=${config.topics}') consumed by the connector`);
    }
  }
  for (const [key, messages] of Object.entries(validateTransformConfig(config, (name) => registry.find(name, ['transformation', 'predicate'])))) {
    for (const m of messages) add(key, m);
  }
  if (connector.validate) {
    try {
      for (const [key, messages] of Object.entries(await connector.validate(config))) for (const m of messages) add(key, m);
    } catch (e) {
      add('connector.class', `The connector could not validate its configuration: ${(e as Error).message}`);
    }
  }

  const known = new Set(def.names());
  const configs: ConfigInfo[] = def.configKeys().map((k) => {
    const r = results.find((x) => x.name === k.name);
    const raw = config[k.name];
    const value = raw === undefined ? renderValue(r?.value ?? null) : raw;
    return {
      definition: keyInfo(k),
      value: {
        name: k.name,
        value: k.type === 'PASSWORD' && value !== null ? HIDDEN : value,
        recommended_values: (r?.recommendedValues ?? []).map((v) => renderValue(v) ?? ''),
        errors: errors.get(k.name) ?? [],
        visible: true,
      },
    };
  });
  // Errors on keys outside the definition (transform aliases and their options) still count.
  for (const [key, messages] of errors) {
    if (known.has(key) || messages.length === 0) continue;
    configs.push({
      definition: { name: key, type: 'STRING', required: false, default_value: null, importance: 'HIGH', documentation: '', group: null, order: -1, width: 'NONE', display_name: key, dependents: [] },
      value: { name: key, value: config[key] ?? null, recommended_values: [], errors: messages, visible: true },
    });
  }
  const groups = [...new Set(def.configKeys().map((k) => k.group).filter((g): g is string => Boolean(g)))];
  return { name: descriptor.className, error_count: configs.reduce((n, c) => n + c.value.errors.length, 0), groups, configs };
}

/** The one-line errors of a validation, as in Connect's 400 message for an invalid config. */
export function validationMessage(infos: ConfigInfos, connectorType: string): string {
  const lines = infos.configs.flatMap((c) => c.value.errors);
  return [
    `Connector configuration is invalid and contains the following ${lines.length} error(s):`,
    ...lines,
    `You can also find the above list of errors at the endpoint \`/connector-plugins/${connectorType}/config/validate\``,
  ].join('\n');
}
