/**
 * Keeps secrets out of responses: values of secret keys (PASSWORD-type keys of the connector,
 * its transforms, predicates and converters, and Kafka client secrets) are shown as
 * `[hidden]`, unless they are config-provider placeholders, which are returned as written.
 */
import { hasPlaceholder } from '../config/config-providers.ts';
import { HIDDEN, secretKeys } from '../control/connector-validator.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';

/** A copy of `config` with secrets hidden; `definedBy` is the connector config whose plugins define the keys. */
export function hideSecrets(registry: PluginRegistry, config: Readonly<Record<string, string>>, definedBy: Readonly<Record<string, string>> = config): Record<string, string> {
  const secret = secretKeys(registry, definedBy);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) out[k] = secret.has(k) && !hasPlaceholder(v) ? HIDDEN : v;
  return out;
}
