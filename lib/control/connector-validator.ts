/**
 * Validates a connector config as Connect's AbstractHerder.validateConnectorConfig does: the
 * common keys, the connector's own definition, converters and their settings, transforms and
 * predicates (each alias in its own group), sink topic rules and the connector's own checks.
 * The result has the shape of Connect's ConfigInfos. Placeholders (`${env:..}`) are resolved
 * for checking only: values are shown as written, and secrets never appear in clear.
 */
import type { ConfigKey, ConfigValueType } from '../config/config-def.ts';
import { NO_DEFAULT } from '../config/config-def.ts';
import { ConfigResolver, hasPlaceholder } from '../config/config-providers.ts';
import { withConverterType } from '../converters/converter-config.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import type { Connector, PluginDescriptor, Predicate, Transformation } from '../plugins/plugin-types.ts';
import { validateTransformConfig } from '../transforms/transform-chain.ts';
import { HIDDEN, secretKeys, shownValue } from './config-secrets.ts';
import { aliasList, connectorDefinition, CONVERTERS, pluginDef } from './plugin-definitions.ts';

export { HIDDEN, secretKeys } from './config-secrets.ts';
export { connectorDefinition } from './plugin-definitions.ts';

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

/** The last line of Connect's 400 for an invalid config; Connect prints `{connectorType}` literally. */
export const VALIDATE_HINT = 'You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`';

/** Connect's ConfigKeyInfo for a key (the plugin config endpoint's entries). */
export function keyInfo(k: ConfigKey, overrides: Partial<ConfigKeyInfo> = {}): ConfigKeyInfo {
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
    ...overrides,
  };
}

function withPrefix(config: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

function renderValue(v: ConfigValueType): string | null {
  if (v === null) return null;
  return Array.isArray(v) ? v.join(',') : String(v);
}

interface Entry {
  key: ConfigKeyInfo;
  value: string | null;
  recommended: string[];
  errors: string[];
}

/** Builds the ConfigInfos entries in Connect's order, collecting errors per key. */
class Report {
  readonly entries = new Map<string, Entry>();
  readonly groups: string[] = [];

  define(key: ConfigKeyInfo, value: string | null, recommended: string[] = []): void {
    if (this.entries.has(key.name)) return;
    this.entries.set(key.name, { key, value, recommended, errors: [] });
    if (key.group && !this.groups.includes(key.group)) this.groups.push(key.group);
  }

  error(name: string, message: string): void {
    const e = this.entries.get(name);
    if (e) {
      if (!e.errors.includes(message)) e.errors.push(message);
      return;
    }
    this.entries.set(name, { key: plainKey(name), value: null, recommended: [], errors: [message] });
  }
}

function plainKey(name: string, group: string | null = null, order = -1): ConfigKeyInfo {
  return { name, type: 'STRING', required: false, default_value: null, importance: 'HIGH', documentation: '', group, order, width: 'NONE', display_name: name, dependents: [] };
}

/** Resolves placeholders for checking; a placeholder that does not resolve is an error on its key. */
async function resolveForValidation(config: Readonly<Record<string, string>>, resolver: ConfigResolver): Promise<{ resolved: Record<string, string>; failures: Map<string, string> }> {
  const resolved: Record<string, string> = { ...config };
  const failures = new Map<string, string>();
  for (const [k, v] of Object.entries(config)) {
    if (!hasPlaceholder(v)) continue;
    try {
      resolved[k] = (await resolver.resolve({ [k]: v }))[k] ?? v;
    } catch (e) {
      failures.set(k, `Failed to resolve the config provider placeholder in ${k}: ${(e as Error).message}`);
    }
  }
  return { resolved, failures };
}

/** Validates a config; `resolver` is the request's, so planning after it fetches no secret again. */
export async function validateConnectorConfig(registry: PluginRegistry, descriptor: PluginDescriptor, config: Readonly<Record<string, string>>, resolver = new ConfigResolver()): Promise<ConfigInfos> {
  const { resolved, failures } = await resolveForValidation(config, resolver);
  const connector = descriptor.create() as Connector;
  const def = connectorDefinition(descriptor, connector);
  const report = new Report();
  // Values are shown by the one secret rule (config-secrets.ts), decided once for the whole answer.
  const secrets = secretKeys(registry, config);
  const shown = (k: ConfigKey, parsed: ConfigValueType) => {
    const raw = config[k.name];
    return shownValue(secrets, k.name, raw === undefined ? renderValue(parsed) : raw);
  };

  for (const r of def.validate(resolved)) {
    const k = def.get(r.name) as ConfigKey;
    const converter = CONVERTERS.find(([key]) => key === k.name);
    const recommended = converter ? registry.list([converter[1]]).map((d) => d.className) : r.recommendedValues.map((v) => renderValue(v) ?? '');
    report.define(keyInfo(k), shown(k, r.value), [...new Set(recommended)]);
    for (const m of r.errors) report.error(k.name, m);
  }
  for (const [k, m] of failures) report.error(k, m);

  validateConverters(registry, resolved, report);
  if (descriptor.type === 'sink') validateSinkTopics(resolved, report);
  defineTransformSections(registry, config, report, secrets);
  for (const [key, messages] of Object.entries(validateTransformConfig(resolved, (name) => registry.find(name, ['transformation', 'predicate'])))) {
    for (const m of messages) report.error(key, m);
  }
  if (connector.validate) {
    try {
      for (const [key, messages] of Object.entries(await connector.validate(resolved))) for (const m of messages) report.error(key, m);
    } catch (e) {
      report.error('connector.class', `The connector could not validate its configuration: ${(e as Error).message}`);
    }
  }

  const configs: ConfigInfo[] = [...report.entries.values()].map((e) => ({
    definition: e.key,
    value: {
      name: e.key.name,
      value: shownValue(secrets, e.key.name, e.value),
      recommended_values: e.recommended,
      errors: e.errors.map((m) => sanitize(m, e.key.name, config, resolved, secrets)),
      visible: true,
    },
  }));
  return {
    name: config['connector.class'] ?? descriptor.className,
    error_count: configs.reduce((n, c) => n + c.value.errors.length, 0),
    groups: report.groups,
    configs,
  };
}

/** Keeps secrets and resolved placeholder values out of an error message about `key`. */
function sanitize(message: string, key: string, raw: Readonly<Record<string, string>>, resolved: Readonly<Record<string, string>>, secrets: ReadonlySet<string>): string {
  const value = resolved[key];
  if (value === undefined || value === '') return message;
  const written = raw[key] ?? value;
  const replacement = shownValue(secrets, key, written);
  if (replacement === value) return message;
  let out = message.split(`Invalid value ${value} `).join(`Invalid value ${replacement} `);
  // Short values would also match unrelated words; long ones are replaced wherever they appear.
  if (value.length >= 6) out = out.split(value).join(replacement);
  return out;
}

/** Converter classes must exist; their own settings (`value.converter.schemas.enable`) are checked by their definitions. */
function validateConverters(registry: PluginRegistry, config: Readonly<Record<string, string>>, report: Report): void {
  for (const [key, type, converterType] of CONVERTERS) {
    const cls = config[key];
    if (cls === undefined || cls.trim() === '') continue;
    const d = registry.find(cls, [type]);
    if (!d) {
      report.error(key, `Invalid value ${cls} for configuration ${key}: Class ${cls} could not be found.`);
      continue;
    }
    const def = pluginDef(registry, cls, [type]);
    if (!def) continue;
    const prefix = `${key}.`;
    const props = withConverterType(withPrefix(config, prefix), converterType);
    for (const r of def.validate(props)) {
      const k = def.get(r.name) as ConfigKey;
      if (k.name === 'converter.type') continue;
      const raw = config[prefix + k.name];
      report.define(keyInfo(k, { name: prefix + k.name, display_name: k.displayName ?? prefix + k.name }), raw ?? renderValue(r.value));
      for (const m of r.errors) report.error(prefix + k.name, m);
    }
  }
}

function validateSinkTopics(config: Readonly<Record<string, string>>, report: Report): void {
  const hasTopics = (config.topics ?? '').trim() !== '';
  const hasRegex = (config['topics.regex'] ?? '').trim() !== '';
  const both = (msg: string) => {
    report.error('topics', msg);
    report.error('topics.regex', msg);
  };
  if (hasTopics && hasRegex) both('topics and topics.regex are mutually exclusive options, but both are set.');
  else if (!hasTopics && !hasRegex) both('Must configure one of topics or topics.regex');
  const dlq = (config['errors.deadletterqueue.topic.name'] ?? '').trim();
  if (dlq && (config.topics ?? '').split(',').map((t) => t.trim()).includes(dlq)) {
    report.error('errors.deadletterqueue.topic.name', `The DLQ topic '${dlq}' may not be included in the list of topics ('topics=${config.topics}') consumed by the connector`);
  }
  if (dlq && hasRegex) {
    try {
      if (new RegExp(`^(?:${config['topics.regex']})$`).test(dlq)) {
        report.error('errors.deadletterqueue.topic.name', `The DLQ topic '${dlq}' may not be included in the regex matching the topics ('topics.regex=${config['topics.regex']}') consumed by the connector`);
      }
    } catch {
      // an invalid regex is reported on topics.regex itself
    }
  }
}

/**
 * One group per transform and predicate alias, as Connect's validate answer has them
 * (`Transforms: x`, `Predicates: p`): the `type` key first, then the alias's other keys by name.
 */
function defineTransformSections(registry: PluginRegistry, config: Readonly<Record<string, string>>, report: Report, secrets: ReadonlySet<string>): void {
  const sections = [
    { list: 'transforms', label: 'Transforms', type: 'transformation' as const },
    { list: 'predicates', label: 'Predicates', type: 'predicate' as const },
  ];
  for (const s of sections) {
    const classes = registry.list([s.type]).map((d) => d.className);
    for (const alias of aliasList(config[s.list])) {
      const prefix = `${s.list}.${alias}.`;
      const group = `${s.label}: ${alias}`;
      const typeName = `${s.type === 'predicate' ? 'Predicate' : 'Transformation'} type for ${alias}`;
      report.define(
        { ...plainKey(`${prefix}type`, group, 0), type: 'CLASS', required: true, documentation: `Class for the '${alias}' ${s.type}.`, display_name: typeName },
        config[`${prefix}type`] ?? null,
        classes,
      );
      const keys: { info: ConfigKeyInfo; value: string | null }[] = [];
      if (s.type === 'transformation') {
        keys.push({ info: { ...plainKey(`${prefix}negate`, group), type: 'BOOLEAN', default_value: 'false', importance: 'MEDIUM', documentation: 'Whether the configured predicate should be negated.', display_name: 'negate' }, value: config[`${prefix}negate`] ?? 'false' });
        keys.push({ info: { ...plainKey(`${prefix}predicate`, group), importance: 'MEDIUM', documentation: 'The alias of a predicate used to determine whether to apply this transformation.', display_name: 'predicate' }, value: config[`${prefix}predicate`] ?? null });
      }
      const def = pluginDef(registry, config[`${prefix}type`], [s.type]) as ReturnType<(Transformation | Predicate)['config']> | undefined;
      for (const k of def?.configKeys() ?? []) {
        const raw = config[prefix + k.name];
        const value = raw ?? (k.defaultValue === NO_DEFAULT ? null : renderValue(k.defaultValue));
        keys.push({ info: keyInfo(k, { name: prefix + k.name, group }), value: shownValue(secrets, prefix + k.name, value) });
      }
      keys.sort((a, b) => a.info.name.localeCompare(b.info.name));
      keys.forEach((k, i) => report.define({ ...k.info, order: i + 1 }, k.value));
    }
  }
}

/** Connect's 400 message for an invalid config: every error on its own line. */
export function validationMessage(infos: ConfigInfos): string {
  return invalidConfigMessage(infos.configs.flatMap((c) => c.value.errors));
}

export function invalidConfigMessage(errors: readonly string[]): string {
  return [`Connector configuration is invalid and contains the following ${errors.length} error(s):`, ...errors, VALIDATE_HINT].join('\n');
}
