/** The `/connectors` routes that list, create, read, configure and delete connectors. */
import type { ConnectorInfo, ConnectorService } from '../control/connector-service.ts';
import type { ConnectorState } from '../store/store-model.ts';
import { ApiError } from './api-errors.ts';
import type { ApiRouter } from './api-router.ts';
import type { ApiResponse } from './http-types.ts';
import { checkName, configMap, createRequest, expandParam, fullConfig, jsonBody } from './request-parsing.ts';
import { hideSecrets } from '../control/config-secrets.ts';
import { statusBody } from './status-format.ts';

/** How many connectors `?expand=` reads from the store at once. */
const EXPAND_BATCH = 16;

function nameMismatch(included: string, name: string): ApiError {
  return new ApiError(400, `Connector name configuration (${included}) doesn't match connector name in the URL (${name})`);
}

export function registerConnectorRoutes(router: ApiRouter, control: ConnectorService, workerId: string): void {
  const shown = (info: ConnectorInfo) => ({ ...info, config: hideSecrets(control.registry, info.config) });
  const created = (info: ConnectorInfo): ApiResponse => ({ status: 201, headers: { Location: `/connectors/${encodeURIComponent(info.name)}` }, body: shown(info) });
  const infoOf = (s: ConnectorState) => shown(control.info(s));

  router.on('GET', '/connectors', async (req) => {
    const expand = expandParam(req);
    const names = (await control.list()).sort();
    if (expand === undefined) return { status: 200, body: names };
    const out: Record<string, Record<string, unknown>> = {};
    for (let i = 0; i < names.length; i += EXPAND_BATCH) {
      const states = await Promise.all(names.slice(i, i + EXPAND_BATCH).map((name) => control.find(name)));
      for (const s of states) {
        // A connector deleted while we list is left out, as Connect does.
        if (!s) continue;
        const entry: Record<string, unknown> = {};
        if (expand.has('status')) entry.status = statusBody(s, workerId, control.pluginVersion(s));
        if (expand.has('info')) entry.info = infoOf(s);
        out[s.connector.name] = entry;
      }
    }
    return { status: 200, body: out };
  });

  router.on('POST', '/connectors', async (req) => {
    const { name, config, initialState } = createRequest(jsonBody(req, { numbersAsText: true }));
    checkName(name);
    const included = config.name;
    // Connect trims the request's name, never the config's: ` x ` against `x` is a 400.
    if (included !== undefined && included !== name) throw nameMismatch(included, name);
    return created(await control.create(name, { ...config, name }, initialState));
  });

  router.on('GET', '/connectors/{name}', async (_req, p) => ({ status: 200, body: infoOf(await control.state(p.name as string)) }));

  router.on('GET', '/connectors/{name}/config', async (_req, p) => {
    const s = await control.state(p.name as string);
    return { status: 200, body: hideSecrets(control.registry, s.connector.config) };
  });

  router.on('PUT', '/connectors/{name}/config', async (req, p) => {
    const name = p.name as string;
    const config = fullConfig(jsonBody(req, { numbersAsText: true }));
    checkName(name);
    const included = config.name;
    if (included !== undefined && included !== name) throw nameMismatch(included, name);
    const result = await control.putConfig(name, { ...config, name });
    return result.created ? created(result.info) : { status: 200, body: shown(result.info) };
  });

  // Connect 4.1 stores a PATCHed `name` that differs from the URL; Tributary keeps name and URL in step (400).
  router.on('PATCH', '/connectors/{name}/config', async (req, p) => {
    const name = p.name as string;
    const patch = configMap(jsonBody(req, { numbersAsText: true }));
    const included = patch.name;
    if (typeof included === 'string' && included !== name) throw nameMismatch(included, name);
    return { status: 200, body: shown(await control.patchConfig(name, patch)) };
  });

  // A connector stored under an ill-formed name before names were checked can still be deleted.
  router.on(
    'DELETE',
    '/connectors/{name}',
    async (_req, p) => {
      await control.delete(p.name as string);
      return { status: 204 };
    },
    { illFormedNames: true },
  );
}
