/**
 * Keeps secrets out of responses: values of PASSWORD-type keys are shown as `[hidden]`,
 * unless they are config-provider placeholders, which are returned as written.
 */
import { hasPlaceholder } from '../config/config-providers.ts';
import { connectorDefinition, HIDDEN } from '../control/connector-validator.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import type { Connector } from '../plugins/plugin-types.ts';

const cache = new Map<string, Set<string>>();

function passwordKeys(registry: PluginRegistry, connectorClass: string | undefined): Set<string> {
  if (!connectorClass) return new Set();
  const cached = cache.get(connectorClass);
  if (cached) return cached;
  const d = registry.find(connectorClass, ['source', 'sink']);
  const keys = new Set<string>();
  if (d) for (const k of connectorDefinition(d, d.create() as Connector).configKeys()) if (k.type === 'PASSWORD') keys.add(k.name);
  cache.set(connectorClass, keys);
  return keys;
}

/** A copy of `config` with secrets hidden; `definedBy` names the connector whose definition applies. */
export function hideSecrets(registry: PluginRegistry, config: Readonly<Record<string, string>>, definedBy: Readonly<Record<string, string>> = config): Record<string, string> {
  const secret = passwordKeys(registry, definedBy['connector.class']);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) out[k] = secret.has(k) && !hasPlaceholder(v) ? HIDDEN : v;
  return out;
}
