/**
 * The one rule for secrets in connector configs, used wherever a config leaves the service
 * (REST responses, validate answers, error messages) or comes back with `[hidden]` in it.
 *
 * A key is secret when
 * - it is of type PASSWORD in the definition of the connector, or of a transform, predicate
 *   or converter the config names (under that plugin's prefix), or
 * - it is a Kafka client secret (`ssl.*.password`, `sasl.jaas.config`, ...) under any prefix, or
 * - the connector's own definition is unknown (no or an unknown `connector.class`) and its
 *   name says it holds a secret (`password`, `secret`, `token`, `credential`), since nothing
 *   then says otherwise.
 * A secret value is shown as `[hidden]`, unless it is a config-provider placeholder, which is
 * shown as written (it holds no secret itself).
 */
import type { ConfigDef } from '../config/config-def.ts';
import { hasPlaceholder } from '../config/config-providers.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import type { Connector } from '../plugins/plugin-types.ts';
import { aliasList, connectorDefinition, CONVERTERS, pluginDef } from './plugin-definitions.ts';

export const HIDDEN = '[hidden]';

/** Kafka client settings of PASSWORD type, under any prefix (`producer.override.`, a converter's, ...). */
const CLIENT_SECRET = /(^|\.)(ssl\.(key|keystore|truststore)\.password|ssl\.keystore\.key|ssl\.keystore\.certificate\.chain|ssl\.truststore\.certificates|sasl\.jaas\.config|sasl\.oauthbearer\.client\.credentials\.client\.secret|basic\.auth\.user\.info)$/;
/** Names that hold secrets, for keys no known definition describes. */
const SECRET_NAME = /password|secret|token|credential/i;

/** The keys of `config` whose values are secret, by the rule above. */
export function secretKeys(registry: PluginRegistry, config: Readonly<Record<string, string>>): Set<string> {
  const out = new Set<string>();
  const addFrom = (def: ConfigDef | undefined, prefix: string) => {
    for (const k of def?.configKeys() ?? []) if (k.type === 'PASSWORD') out.add(prefix + k.name);
  };
  const cls = config['connector.class'];
  const connector = cls ? registry.find(cls, ['source', 'sink']) : undefined;
  if (connector) addFrom(connectorDefinition(connector, connector.create() as Connector), '');
  for (const alias of aliasList(config.transforms)) addFrom(pluginDef(registry, config[`transforms.${alias}.type`], ['transformation']), `transforms.${alias}.`);
  for (const alias of aliasList(config.predicates)) addFrom(pluginDef(registry, config[`predicates.${alias}.type`], ['predicate']), `predicates.${alias}.`);
  for (const [key, type] of CONVERTERS) addFrom(pluginDef(registry, config[key], [type]), `${key}.`);
  for (const k of Object.keys(config)) if (CLIENT_SECRET.test(k) || (!connector && SECRET_NAME.test(k))) out.add(k);
  return out;
}

/** Whether a key is secret by its name alone: a Kafka client secret, or a name that says so (no definition needed). */
export function namedAsSecret(key: string): boolean {
  return CLIENT_SECRET.test(key) || SECRET_NAME.test(key);
}

/** A value as it may be shown: `[hidden]` for a secret that is not a placeholder. */
export function shownValue<V extends string | null>(secrets: ReadonlySet<string>, key: string, value: V): V | typeof HIDDEN {
  return value !== null && secrets.has(key) && !hasPlaceholder(value) ? HIDDEN : value;
}

/** A copy of `config` with secrets hidden; `definedBy` is the connector config whose plugins define the keys. */
export function hideSecrets(registry: PluginRegistry, config: Readonly<Record<string, string>>, definedBy: Readonly<Record<string, string>> = config): Record<string, string> {
  const secrets = secretKeys(registry, definedBy);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) out[k] = shownValue(secrets, k, v);
  return out;
}

/** `[hidden]` is what a GET showed for a secret: sending it back means "keep the stored secret". */
export function keepStoredSecrets(registry: PluginRegistry, config: Readonly<Record<string, string>>, stored: Readonly<Record<string, string>> | undefined): Record<string, string> {
  if (!stored || !Object.values(config).includes(HIDDEN)) return config as Record<string, string>;
  const secrets = secretKeys(registry, config);
  const out = { ...config };
  for (const [k, v] of Object.entries(config)) {
    const kept = stored[k];
    if (v === HIDDEN && secrets.has(k) && kept !== undefined) out[k] = kept;
  }
  return out;
}

/** The config as Connect prints it in error messages (`{k=v, ...}`), secrets hidden. */
export function renderConfig(registry: PluginRegistry, config: Readonly<Record<string, string>>): string {
  const shown = hideSecrets(registry, config);
  return `{${Object.entries(shown)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}}`;
}
