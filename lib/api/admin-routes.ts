/** Root, health, offsets and `/admin/loggers` routes. */
import { z } from 'zod';
import type { OffsetsService } from '../control/offsets-service.ts';
import type { ApiRouter } from './api-router.ts';
import { ApiError } from './http-types.ts';
import { jsonBody } from './request-parsing.ts';

export const TRIBUTARY_VERSION = '0.1.0';

const offsetsBodySchema = z.object({
  offsets: z.array(z.object({ partition: z.record(z.string(), z.unknown()), offset: z.record(z.string(), z.unknown()).nullable() })),
});
const LEVELS = ['OFF', 'FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'] as const;
const levelSchema = z.object({ level: z.string() });

export interface AdminDeps {
  readonly offsets: OffsetsService;
  readonly clusterId: () => Promise<string>;
  /** Whether the store answers; `/health` reports unhealthy otherwise. */
  readonly healthy: () => Promise<boolean>;
}

export function registerAdminRoutes(router: ApiRouter, deps: AdminDeps): void {
  const loggers = new Map<string, { level: string; last_modified: number | null }>([['root', { level: 'INFO', last_modified: null }]]);

  router.on('GET', '/', async () => ({
    status: 200,
    body: { version: TRIBUTARY_VERSION, commit: 'tributary', kafka_cluster_id: await deps.clusterId().catch(() => null) },
  }));

  router.on('GET', '/health', async () =>
    (await deps.healthy())
      ? { status: 200, body: { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' } }
      : { status: 500, body: { status: 'unhealthy', message: 'The connector store cannot be reached.' } },
  );

  router.on('GET', '/connectors/{name}/offsets', async (_req, p) => ({ status: 200, body: await deps.offsets.get(p.name as string) }));
  router.on('PATCH', '/connectors/{name}/offsets', async (req, p) => {
    const body = jsonBody(req, offsetsBodySchema);
    if (body.offsets.length === 0) throw new ApiError(400, 'The offsets to alter must not be empty');
    return { status: 200, body: await deps.offsets.alter(p.name as string, body.offsets) };
  });
  router.on('DELETE', '/connectors/{name}/offsets', async (_req, p) => ({ status: 200, body: await deps.offsets.reset(p.name as string) }));

  router.on('GET', '/admin/loggers', async () => ({ status: 200, body: Object.fromEntries(loggers) }));
  router.on('GET', '/admin/loggers/{logger}', async (_req, p) => {
    const l = loggers.get(p.logger as string);
    if (!l) throw new ApiError(404, `Logger ${p.logger} not found.`);
    return { status: 200, body: { level: l.level } };
  });
  router.on('PUT', '/admin/loggers/{logger}', async (req, p) => {
    const { level } = jsonBody(req, levelSchema);
    const upper = level.toUpperCase();
    if (!(LEVELS as readonly string[]).includes(upper)) throw new ApiError(400, `Invalid log level '${level}'.`);
    const name = p.logger as string;
    loggers.set(name, { level: upper, last_modified: Date.now() });
    return { status: 200, body: [name] };
  });
}
