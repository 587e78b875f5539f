/** The `/connectors` routes of the Kafka Connect REST API. */
import type { ConnectorService } from '../control/connector-service.ts';
import type { ConnectorState, InstanceStatus } from '../store/store-model.ts';
import type { ApiRouter } from './api-router.ts';
import { ApiError, type ApiResponse } from './http-types.ts';
import { boolParam, checkName, configMapSchema, createBodySchema, jsonBody, patchMapSchema, taskIdParam } from './request-parsing.ts';
import { hideSecrets } from './secret-masking.ts';

function instance(s: InstanceStatus | undefined, fallbackWorker: string): { state: string; worker_id: string; trace?: string } {
  const out: { state: string; worker_id: string; trace?: string } = { state: s?.state ?? 'UNASSIGNED', worker_id: s?.workerId ?? fallbackWorker };
  if (s?.state === 'FAILED' && s.trace) out.trace = s.trace;
  return out;
}

/** Connect's ConnectorStateInfo. */
export function statusBody(s: ConnectorState, workerId: string) {
  const taskCount = s.tasks?.configs.length ?? 0;
  const tasks = [];
  for (let id = 0; id < taskCount; id++) {
    const st = s.taskStatuses.find((t) => t.id === id);
    tasks.push({ id, ...instance(st, workerId) });
  }
  return { name: s.connector.name, connector: instance(s.status, workerId), tasks, type: s.connector.type };
}

export function registerConnectorRoutes(router: ApiRouter, control: ConnectorService, workerId: string): void {
  const infoBody = (s: ConnectorState) => {
    const info = control.info(s);
    return { ...info, config: hideSecrets(control.registry, info.config) };
  };

  router.on('GET', '/connectors', async (req) => {
    const expand = req.query.expand ?? [];
    const names = (await control.list()).sort();
    if (expand.length === 0) return { status: 200, body: names };
    for (const e of expand) if (e !== 'status' && e !== 'info') throw new ApiError(400, `Unknown expand value ${e}: use status or info`);
    const out: Record<string, Record<string, unknown>> = {};
    for (const name of names) {
      const s = await control.state(name).catch(() => undefined);
      if (!s) continue;
      out[name] = {};
      if (expand.includes('info')) out[name].info = infoBody(s);
      if (expand.includes('status')) out[name].status = statusBody(s, workerId);
    }
    return { status: 200, body: out };
  });

  router.on('POST', '/connectors', async (req) => {
    const body = jsonBody(req, createBodySchema);
    const name = checkName(body.name);
    const config = { ...(body.config ?? {}) };
    if (config.name !== undefined && config.name.trim() !== name) {
      throw new ApiError(400, 'Connector name configuration (' + config.name + ') doesn\'t match connector name in the URL (' + name + ')');
    }
    config.name = name;
    const info = await control.create(name, config, body.initial_state ?? 'RUNNING');
    return { status: 201, headers: { Location: `/connectors/${encodeURIComponent(name)}` }, body: { ...info, config: hideSecrets(control.registry, info.config) } };
  });

  router.on('GET', '/connectors/{name}', async (_req, p) => ({ status: 200, body: infoBody(await control.state(p.name as string)) }));

  router.on('GET', '/connectors/{name}/config', async (_req, p) => {
    const s = await control.state(p.name as string);
    return { status: 200, body: hideSecrets(control.registry, s.connector.config) };
  });

  router.on('PUT', '/connectors/{name}/config', async (req, p) => {
    const name = checkName(p.name as string);
    const config = { ...jsonBody(req, configMapSchema) };
    if (config.name !== undefined && config.name.trim() !== name) {
      throw new ApiError(400, 'Connector name configuration (' + config.name + ') doesn\'t match connector name in the URL (' + name + ')');
    }
    config.name = name;
    const { created, info } = await control.putConfig(name, config);
    const body = { ...info, config: hideSecrets(control.registry, info.config) };
    return created ? { status: 201, headers: { Location: `/connectors/${encodeURIComponent(name)}` }, body } : { status: 200, body };
  });

  router.on('PATCH', '/connectors/{name}/config', async (req, p) => {
    const name = p.name as string;
    const patch = jsonBody(req, patchMapSchema);
    if (patch.name !== undefined && patch.name !== null && patch.name !== name) {
      throw new ApiError(400, 'Connector name configuration (' + patch.name + ') doesn\'t match connector name in the URL (' + name + ')');
    }
    if (patch.name === null) throw new ApiError(400, 'Connector name configuration may not be removed');
    const info = await control.patchConfig(name, patch);
    return { status: 200, body: { ...info, config: hideSecrets(control.registry, info.config) } };
  });

  router.on('GET', '/connectors/{name}/status', async (_req, p) => {
    const s = await control.state(p.name as string).catch((e: unknown) => {
      if ((e as { status?: number }).status === 404) throw new ApiError(404, `No status found for connector ${p.name}`);
      throw e;
    });
    return { status: 200, body: statusBody(s, workerId) };
  });

  router.on('POST', '/connectors/{name}/restart', async (req, p): Promise<ApiResponse> => {
    const includeTasks = boolParam(req, 'includeTasks');
    const onlyFailed = boolParam(req, 'onlyFailed');
    const result = await control.restart(p.name as string, { includeTasks, onlyFailed });
    if (!includeTasks && !onlyFailed) return { status: 204 };
    const s = await control.state(p.name as string);
    const body = statusBody(s, workerId);
    if (result.connectorRestarted) body.connector.state = 'RESTARTING';
    for (const t of body.tasks) if (result.tasks.includes(t.id)) t.state = 'RESTARTING';
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
    return {
      status: 200,
      body: (s.tasks?.configs ?? []).map((config, task) => ({ id: { connector: s.connector.name, task }, config: hideSecrets(control.registry, config, s.connector.config) })),
    };
  });

  router.on('GET', '/connectors/{name}/tasks/{task}/status', async (_req, p) => {
    const s = await control.state(p.name as string);
    const id = taskIdParam(p.task as string);
    if (id >= (s.tasks?.configs.length ?? 0)) throw new ApiError(404, `Unknown task ${p.name}-${id}`);
    return { status: 200, body: { id, ...instance(s.taskStatuses.find((t) => t.id === id), workerId) } };
  });

  router.on('POST', '/connectors/{name}/tasks/{task}/restart', async (_req, p) => {
    await control.restartTask(p.name as string, taskIdParam(p.task as string));
    return { status: 204 };
  });

  router.on('DELETE', '/connectors/{name}', async (_req, p) => {
    await control.delete(p.name as string);
    return { status: 204 };
  });

  router.on('GET', '/connectors/{name}/topics', async (_req, p) => {
    const s = await control.state(p.name as string);
    return { status: 200, body: { [s.connector.name]: { topics: [...s.topics] } } };
  });

  router.on('PUT', '/connectors/{name}/topics/reset', async (_req, p) => {
    await control.resetTopics(p.name as string);
    return { status: 202 };
  });
}
