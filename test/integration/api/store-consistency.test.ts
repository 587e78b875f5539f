/**
 * What the API's writes leave in the store (DynamoDB Local, in process): generations, task
 * configs and statuses written together, more than one transaction's worth of tasks, and
 * lease epochs that never go back.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueName } from '../../support/local-host-process.ts';
import { testRegistry } from '../../unit/api/secret-plugin.ts';
import { inProcessApi, type InProcessApi } from './in-process-api.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');

describe('the store after API calls', () => {
  let api: InProcessApi;
  const sink = (name: string, tasks: number) => ({ 'connector.class': 'FileStreamSink', topics: 'store-consistency', file: '/tmp/tributary-store-consistency.txt', 'tasks.max': String(tasks), name });

  beforeAll(async () => {
    api = await inProcessApi({ kafkaBootstrap, dynamoEndpoint, registry: testRegistry() });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('a restart without changes keeps the generation (task configs compare equal whatever their key order)', async () => {
    const name = uniqueName('restart-generation');
    expect((await api.call('POST', '/connectors', { name, config: sink(name, 2) })).status).toBe(201);
    const before = await api.store.getState(name);
    expect((await api.call('POST', `/connectors/${name}/restart`)).status).toBe(204);
    const after = await api.store.getState(name);
    expect(after?.connector.generation).toBe(before?.connector.generation);
    expect(after?.tasks?.configs).toEqual(before?.tasks?.configs);
    expect(after?.tasks?.configs[0]?.['task.class']).toBe('org.apache.kafka.connect.file.FileStreamSinkTask');
  });

  it('pause, stop and resume of a connector with 130 tasks: more than one transaction, every status consistent', async () => {
    const name = uniqueName('many-tasks');
    expect((await api.call('POST', '/connectors', { name, config: sink(name, 130) })).status).toBe(201);
    expect((await api.call('PUT', `/connectors/${name}/pause`)).status).toBe(202);
    let s = await api.store.getState(name);
    expect(s?.taskStatuses).toHaveLength(130);
    expect(new Set(s?.taskStatuses.map((t) => t.state))).toEqual(new Set(['PAUSED']));

    expect((await api.call('PUT', `/connectors/${name}/stop`)).status).toBe(204);
    s = await api.store.getState(name);
    expect(s?.tasks?.configs).toEqual([]);
    expect(s?.taskStatuses).toEqual([]);
    expect(s?.status?.state).toBe('STOPPED');

    const generation = s?.connector.generation ?? 0;
    expect((await api.call('PUT', `/connectors/${name}/resume`)).status).toBe(202);
    s = await api.store.getState(name);
    expect(s?.connector.generation).toBe(generation + 1);
    expect(s?.tasks?.generation).toBe(generation + 1);
    expect(s?.tasks?.configs).toHaveLength(130);
    expect(s?.taskStatuses.filter((t) => t.state === 'UNASSIGNED')).toHaveLength(130);
    expect(s?.status?.state).toBe('RUNNING');
  });

  it('fewer tasks after a config change: the extra statuses go, the leases stay', async () => {
    const name = uniqueName('shrink');
    expect((await api.call('POST', '/connectors', { name, config: sink(name, 3) })).status).toBe(201);
    for (const id of [0, 1, 2]) await api.store.putTaskStatus(name, id, { state: 'RUNNING', workerId: 'runner', generation: 1 });
    expect((await api.call('PUT', `/connectors/${name}/config`, sink(name, 1))).status).toBe(200);
    const s = await api.store.getState(name);
    expect(s?.tasks?.configs).toHaveLength(1);
    expect(s?.taskStatuses.map((t) => t.id)).toEqual([0]);
    expect([...(s?.leases.keys() ?? [])].sort()).toEqual([0, 1, 2]);
  });

  it('a connector deleted and created again continues its task epochs, so a zombie of the old one stays fenced', async () => {
    const name = uniqueName('recreated');
    expect((await api.call('POST', '/connectors', { name, config: sink(name, 1) })).status).toBe(201);
    const old = (await api.store.getLease(name, 0))?.epoch ?? 0;
    expect(old).toBeGreaterThan(0);
    expect((await api.call('DELETE', `/connectors/${name}`)).status).toBe(204);
    expect(await api.store.getState(name)).toBeUndefined();
    expect((await api.call('POST', '/connectors', { name, config: sink(name, 1) })).status).toBe(201);
    expect((await api.store.getLease(name, 0))?.epoch).toBeGreaterThan(old);
  });

  it('offset changes fence the runners of a stopped connector (on an offsets topic created just then)', async () => {
    const name = uniqueName('fenced');
    const config = { 'connector.class': 'FileStreamSource', topic: uniqueName('fenced'), file: '/tmp/tributary-fenced.txt', 'offsets.storage.topic': uniqueName('fenced-offsets'), name };
    expect((await api.call('POST', '/connectors', { name, config })).status).toBe(201);
    const before = await api.store.getLease(name, 0);
    expect((await api.call('PUT', `/connectors/${name}/stop`)).status).toBe(204);
    expect((await api.call('DELETE', `/connectors/${name}/offsets`)).status).toBe(200);
    const after = await api.store.getLease(name, 0);
    expect(after?.epoch).toBeGreaterThan(before?.epoch ?? 0);
    expect(after?.owner).toBeNull();
  });
});
