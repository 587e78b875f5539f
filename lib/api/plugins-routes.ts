/** `/connector-plugins` routes: listing plugins, their config definitions and config validation. */
import type { ConfigDef } from '../config/config-def.ts';
import type { ConnectorService } from '../control/connector-service.ts';
import { connectorDefinition, keyInfo } from '../control/connector-validator.ts';
import type { Connector, PluginType } from '../plugins/plugin-types.ts';
import { ApiError } from './api-errors.ts';
import type { ApiRouter } from './api-router.ts';
import { boolParam, fullConfig, jsonBody } from './request-parsing.ts';

const CONNECTOR_TYPES: PluginType[] = ['source', 'sink'];
const ALL_TYPES: PluginType[] = ['source', 'sink', 'converter', 'header_converter', 'transformation', 'predicate'];

/** Connect's alias rule: a plugin name with its `Connector` suffix removed. */
function normalized(name: string): string {
  return name.endsWith('Connector') && name.length > 'Connector'.length ? name.slice(0, -'Connector'.length) : name;
}

export function registerPluginRoutes(router: ApiRouter, control: ConnectorService): void {
  router.on('GET', '/connector-plugins', async (req) => {
    const types = boolParam(req, 'connectorsOnly', true) ? CONNECTOR_TYPES : ALL_TYPES;
    const plugins = control.registry
      .list(types)
      .map((d) => ({ class: d.className, type: d.type, version: d.version }))
      .sort((a, b) => a.class.localeCompare(b.class) || a.type.localeCompare(b.type));
    return { status: 200, body: plugins };
  });

  // A connector's own keys only, as Connect lists them; transforms, converters and predicates list theirs.
  router.on('GET', '/connector-plugins/{plugin}/config', async (_req, p) => {
    const plugin = p.plugin as string;
    const d = control.registry.find(plugin);
    if (!d) throw new ApiError(404, `Unknown plugin ${plugin}.`);
    let def: ConfigDef | undefined;
    if (d.type === 'source' || d.type === 'sink') {
      const connector = d.create() as Connector;
      const own = connector.config();
      def = connectorDefinition(d, connector);
      return { status: 200, body: def.configKeys().filter((k) => own.get(k.name)).map((k) => keyInfo(k)) };
    }
    def = (d.create() as { config?: () => ConfigDef }).config?.();
    return { status: 200, body: (def?.configKeys() ?? []).map((k) => keyInfo(k)) };
  });

  // 200 even when the config is invalid: the errors are in the body, per key.
  router.on('PUT', '/connector-plugins/{plugin}/config/validate', async (req, p) => {
    const plugin = p.plugin as string;
    const config = fullConfig(jsonBody(req, { numbersAsText: true }));
    const included = config['connector.class'];
    if (included !== undefined && !normalized(included).endsWith(normalized(plugin))) {
      throw new ApiError(400, `Included connector type ${included} does not match request type ${plugin}`);
    }
    // Connect requires connector.class in the body; Tributary takes it from the path when it is missing.
    return { status: 200, body: await control.validate({ ...config, 'connector.class': included ?? plugin }) };
  });
}
