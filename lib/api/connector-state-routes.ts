/** The `/connectors/{name}/...` routes about running state: status, restart, pause/resume/stop, tasks and topics. */
import type { ConnectorService } from '../control/connector-service.ts';
import { ApiError } from './api-errors.ts';
import type { ApiRouter } from './api-router.ts';
import type { ApiResponse } from './http-types.ts';
import { boolParam, taskIdParam } from './request-parsing.ts';
import { hideSecrets } from '../control/config-secrets.ts';
import { instanceBody, statusBody } from './status-format.ts';

export function registerConnectorStateRoutes(router: ApiRouter, control: ConnectorService, workerId: string): void {
  router.on('GET', '/connectors/{name}/status', async (_req, p) => {
    const s = await control.cachedState(p.name as string, `No status found for connector ${p.name}`);
    return { status: 200, body: statusBody(s, workerId, control.pluginVersion(s)) };
  });

  // Both flags false: Connect's old behaviour, restart the connector only and answer 204.
  // Otherwise 202 with the status, every instance the restart covers shown RESTARTING.
  router.on('POST', '/connectors/{name}/restart', async (req, p): Promise<ApiResponse> => {
    const name = p.name as string;
    const includeTasks = boolParam(req, 'includeTasks');
    const onlyFailed = boolParam(req, 'onlyFailed');
    const before = await control.state(name, `Unknown connector: ${name}`);
    const plan = await control.restart(name, { includeTasks, onlyFailed });
    if (!includeTasks && !onlyFailed) return { status: 204 };
    const body = statusBody(before, workerId, control.pluginVersion(before));
    if (plan.connector) body.connector = { ...body.connector, state: 'RESTARTING' };
    body.tasks = body.tasks.map((t) => (plan.tasks.includes(t.id) ? { id: t.id, state: 'RESTARTING', worker_id: t.worker_id, version: t.version } : t));
    if (plan.connector) delete body.connector.trace;
    return { status: 202, body };
  });

  router.on('PUT', '/connectors/{name}/pause', async (_req, p) => {
    await control.pause(p.name as string);
    return { status: 202 };
  });
  router.on('PUT', '/connectors/{name}/resume', async (_req, p) => {
    await control.resume(p.name as string);
    return { status: 202 };
  });
  router.on('PUT', '/connectors/{name}/stop', async (_req, p) => {
    await control.stop(p.name as string);
    return { status: 204 };
  });

  router.on('GET', '/connectors/{name}/tasks', async (_req, p) => {
    const s = await control.state(p.name as string);
    const configs = s.tasks?.configs ?? [];
    return {
      status: 200,
      body: configs.map((config, task) => ({ id: { connector: s.connector.name, task }, config: hideSecrets(control.registry, config, { ...s.connector.config, ...config }) })),
    };
  });

  router.on('GET', '/connectors/{name}/tasks/{task}/status', async (_req, p) => {
    const name = p.name as string;
    const id = taskIdParam(p.task as string);
    const s = await control.find(name);
    if (!s || id < 0 || id >= (s.tasks?.configs.length ?? 0)) throw new ApiError(404, `No status found for task ${name}-${id}`);
    return { status: 200, body: { id, ...instanceBody(s.taskStatuses.find((t) => t.id === id), workerId, control.pluginVersion(s)) } };
  });

  router.on('POST', '/connectors/{name}/tasks/{task}/restart', async (_req, p) => {
    await control.restartTask(p.name as string, taskIdParam(p.task as string));
    return { status: 204 };
  });

  // Like Connect, an unknown connector has used no topics (200), and resetting them is accepted (202).
  router.on('GET', '/connectors/{name}/topics', async (_req, p) => {
    const name = p.name as string;
    const s = await control.find(name);
    return { status: 200, body: { [name]: { topics: [...(s?.topics ?? [])] } } };
  });

  router.on('PUT', '/connectors/{name}/topics/reset', async (_req, p) => {
    await control.resetTopics(p.name as string);
    return { status: 202 };
  });
}
