/** Root, `/health` and `/admin/loggers` routes. */
import { ApiError, BadInputError } from './api-errors.ts';
import type { ApiRouter } from './api-router.ts';
import { jsonBody } from './request-parsing.ts';
import type { LoggerLevelStore } from '../store/store-ports.ts';

export const TRIBUTARY_VERSION = '0.1.0';
/** The Kafka Connect REST API version Tributary implements; clients gate features on `version`. */
export const CONNECT_API_VERSION = '4.1.1';

const LEVELS = ['OFF', 'FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE', 'ALL'];
const ROOT = 'root';


export interface AdminDeps {
  readonly clusterId: () => Promise<string>;
  /** Whether the store answers; `/health` reports unhealthy otherwise. */
  readonly healthy: () => Promise<boolean>;
  /** Where logger levels live, shared by every API instance (the connector store). */
  readonly loggers: LoggerLevelStore;
  /** The level of loggers nobody set (LOG_LEVEL). */
  readonly defaultLevel?: string;
}

export function registerAdminRoutes(router: ApiRouter, deps: AdminDeps): void {
  const rootLevel = (deps.defaultLevel ?? 'INFO').toUpperCase();

  router.on('GET', '/', async () => ({
    status: 200,
    body: { version: CONNECT_API_VERSION, commit: `tributary-${TRIBUTARY_VERSION}`, kafka_cluster_id: await deps.clusterId().catch(() => null) },
  }));

  router.on('GET', '/health', async () =>
    (await deps.healthy())
      ? { status: 200, body: { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' } }
      : { status: 500, body: { status: 'unhealthy', message: 'The connector store cannot be reached.' } },
  );

  const all = async () => {
    const out: Record<string, { level: string; last_modified: number | null }> = { [ROOT]: { level: rootLevel, last_modified: null } };
    for (const [name, l] of [...(await deps.loggers.listLoggers())].sort(([a], [b]) => a.localeCompare(b))) out[name] = { level: l.level, last_modified: l.lastModified };
    return out;
  };

  router.on('GET', '/admin/loggers', async () => ({ status: 200, body: await all() }));

  router.on('GET', '/admin/loggers/{logger}', async (_req, p) => {
    const l = (await all())[p.logger as string];
    if (!l) throw new ApiError(404, `Logger ${p.logger} not found.`);
    return { status: 200, body: l };
  });

  // As Connect: the named logger and its known descendants change; scope=cluster answers 204.
  router.on('PUT', '/admin/loggers/{logger}', async (req, p) => {
    const name = p.logger as string;
    const body = jsonBody(req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadInputError('The request body must be a JSON object: {"level": "DEBUG"}');
    const level = (body as Record<string, unknown>).level;
    if (level === undefined || level === null) throw new BadInputError("Desired 'level' parameter was not specified in request.");
    if (typeof level !== 'string' || !LEVELS.includes(level.toUpperCase())) throw new ApiError(404, `invalid log level '${String(level)}'.`);
    const known = [...(await deps.loggers.listLoggers()).keys()];
    const affected = [...new Set([name, ...known.filter((k) => name === ROOT || k.startsWith(`${name}.`))])].sort();
    for (const logger of affected) await deps.loggers.putLogger(logger, level.toUpperCase());
    const scope = req.query.scope?.[0];
    return scope?.toLowerCase() === 'cluster' ? { status: 204 } : { status: 200, body: affected };
  });
}
