/**
 * Where a connector config's keys are defined: the connector's definition (common keys for
 * its type, then its own) and the definitions of the transforms, predicates and converters
 * the config names. Validation and secret detection both read definitions from here.
 */
import type { ConfigDef } from '../config/config-def.ts';
import { sinkConnectorConfigDef, sourceConnectorConfigDef } from '../config/connector-config-def.ts';
import type { ConverterType } from '../converters/converter-config.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import type { Connector, PluginDescriptor, PluginType } from '../plugins/plugin-types.ts';

/** The converter keys of a connector config, their plugin type and converter type. */
export const CONVERTERS: readonly [string, PluginType, ConverterType][] = [
  ['key.converter', 'converter', 'key'],
  ['value.converter', 'converter', 'value'],
  ['header.converter', 'header_converter', 'header'],
];

/** The full definition of a connector: common keys for its type, then its own. */
export function connectorDefinition(descriptor: PluginDescriptor, connector: Connector): ConfigDef {
  const base = descriptor.type === 'sink' ? sinkConnectorConfigDef() : sourceConnectorConfigDef();
  return base.merge(connector.config());
}

/** The aliases of a `transforms` / `predicates` list, trimmed and without duplicates. */
export function aliasList(raw: string | undefined): string[] {
  return [...new Set((raw ?? '').split(',').map((s) => s.trim()).filter(Boolean))];
}

/** A plugin's own definition (transform, predicate, converter), or undefined when it has none. */
export function pluginDef(registry: PluginRegistry, className: string | undefined, types: readonly PluginType[]): ConfigDef | undefined {
  if (!className) return undefined;
  const d = registry.find(className, types);
  if (!d) return undefined;
  try {
    return (d.create() as { config?: () => ConfigDef }).config?.();
  } catch {
    return undefined;
  }
}
