/** `/connector-plugins` routes: listing plugins, their config definitions and config validation. */
import type { ConnectorService } from '../control/connector-service.ts';
import { connectorDefinition, keyInfo } from '../control/connector-validator.ts';
import type { Connector, PluginDescriptor, PluginType } from '../plugins/plugin-types.ts';
import type { ApiRouter } from './api-router.ts';
import { ApiError } from './http-types.ts';
import { boolParam, configMapSchema, jsonBody } from './request-parsing.ts';

const ALL_TYPES: PluginType[] = ['source', 'sink', 'converter', 'header_converter', 'transformation', 'predicate'];

export function registerPluginRoutes(router: ApiRouter, control: ConnectorService): void {
  const find = (plugin: string): PluginDescriptor => {
    const d = control.registry.find(plugin);
    if (!d) throw new ApiError(404, `Unknown plugin ${plugin}.`);
    return d;
  };

  router.on('GET', '/connector-plugins', async (req) => {
    const connectorsOnly = boolParam(req, 'connectorsOnly', true);
    const types = connectorsOnly ? (['source', 'sink'] as PluginType[]) : ALL_TYPES;
    const plugins = control.registry
      .list(types)
      .map((d) => ({ class: d.className, type: d.type, version: d.version }))
      .sort((a, b) => a.class.localeCompare(b.class) || a.type.localeCompare(b.type));
    return { status: 200, body: plugins };
  });

  router.on('GET', '/connector-plugins/{plugin}/config', async (_req, p) => {
    const d = find(p.plugin as string);
    const instance = d.create() as { config?: () => ReturnType<Connector['config']> };
    const def = d.type === 'source' || d.type === 'sink' ? connectorDefinition(d, instance as Connector).configKeys().filter((k) => (instance as Connector).config().get(k.name)) : (instance.config?.().configKeys() ?? []);
    return { status: 200, body: def.map(keyInfo) };
  });

  router.on('PUT', '/connector-plugins/{plugin}/config/validate', async (req, p) => {
    const config = jsonBody(req, configMapSchema);
    const plugin = p.plugin as string;
    const byPath = control.registry.find(plugin, ['source', 'sink']);
    if (!byPath) throw new ApiError(404, `Unknown plugin ${plugin}.`);
    const cls = config['connector.class'];
    if (cls !== undefined && control.registry.find(cls, ['source', 'sink']) !== byPath) {
      throw new ApiError(400, 'Connector class in the URL does not match the connector.class in the configuration');
    }
    return { status: 200, body: await control.validate({ ...config, 'connector.class': cls ?? byPath.className }) };
  });
}
