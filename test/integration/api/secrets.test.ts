/**
 * Secrets through the REST API, in process against DynamoDB Local, with a test connector
 * whose `db.password` is a PASSWORD key: never returned in clear anywhere, `[hidden]` sent
 * back keeps the stored secret, placeholders are stored and returned as written.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ConnectorStore } from '../../../lib/store/store-ports.ts';
import { uniqueName } from '../../support/local-host-process.ts';
import { SECRET_CONNECTOR, testRegistry } from '../../unit/api/secret-plugin.ts';
import { inProcessApi, type InProcessApi } from './in-process-api.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');

const SECRET = 'hunter2-is-my-password';
const ENV = 'TRIBUTARY_SECRETS_TEST_PASSWORD';

describe('secrets through the REST API', () => {
  let store: ConnectorStore;
  let api: InProcessApi;
  const started = () => api.started;
  const call = (method: string, target: string, body?: unknown) => api.call(method, target, body);
  const config = (name: string, extra: Record<string, string> = {}) => ({ 'connector.class': SECRET_CONNECTOR, 'db.user': 'app', 'db.password': SECRET, 'tasks.max': '2', name, ...extra });

  beforeAll(async () => {
    process.env[ENV] = 'resolved-from-the-environment';
    api = await inProcessApi({ kafkaBootstrap, dynamoEndpoint, registry: testRegistry() });
    store = api.store;
  });

  afterAll(async () => {
    delete process.env[ENV];
    await api?.close();
  });

  it('never returns a PASSWORD value in clear, though runners get it in their task configs', async () => {
    const name = uniqueName('secret');
    const created = await call('POST', '/connectors', { name, config: config(name) });
    expect(created.status).toBe(201);
    expect((created.body.config as Record<string, string>)['db.password']).toBe('[hidden]');
    expect(started().length).toBeGreaterThan(0);

    const reads = [
      await call('GET', `/connectors/${name}`),
      await call('GET', `/connectors/${name}/config`),
      await call('GET', `/connectors/${name}/tasks`),
      await call('GET', '/connectors?expand=info&expand=status'),
      await call('PUT', `/connector-plugins/${SECRET_CONNECTOR}/config/validate`, config(name)),
    ];
    for (const r of reads) {
      expect(r.status).toBe(200);
      expect(r.text).not.toContain(SECRET);
      expect(r.text).toContain('[hidden]');
    }
    const tasks = (await call('GET', `/connectors/${name}/tasks`)).body as unknown as { config: Record<string, string> }[];
    expect(tasks.map((t) => t.config['db.password'])).toEqual(['[hidden]', '[hidden]']);

    const stored = await store.getState(name);
    expect(stored?.connector.config['db.password']).toBe(SECRET);
    expect(stored?.tasks?.configs.map((c) => c['db.password'])).toEqual([SECRET, SECRET]);
  });

  it('PUT or PATCH with [hidden] keeps the stored secret; a new value replaces it', async () => {
    const name = uniqueName('secret-put');
    expect((await call('POST', '/connectors', { name, config: config(name) })).status).toBe(201);
    const shown = (await call('GET', `/connectors/${name}/config`)).body as Record<string, string>;
    expect(shown['db.password']).toBe('[hidden]');

    // A read-modify-write client sends back what it read.
    const put = await call('PUT', `/connectors/${name}/config`, { ...shown, 'db.user': 'other' });
    expect(put.status).toBe(200);
    expect((await store.getConnector(name))?.config).toMatchObject({ 'db.user': 'other', 'db.password': SECRET });
    expect((await store.getState(name))?.tasks?.configs[0]).toMatchObject({ 'db.user': 'other', 'db.password': SECRET });

    expect((await call('PATCH', `/connectors/${name}/config`, { 'db.password': '[hidden]', 'tasks.max': '1' })).status).toBe(200);
    expect((await store.getConnector(name))?.config['db.password']).toBe(SECRET);

    expect((await call('PATCH', `/connectors/${name}/config`, { 'db.password': 'a-brand-new-secret' })).status).toBe(200);
    expect((await store.getConnector(name))?.config['db.password']).toBe('a-brand-new-secret');
    expect((await call('GET', `/connectors/${name}/config`)).text).not.toContain('a-brand-new-secret');
  });

  it('stores and returns ${env:..} and ${file:..} placeholders as written, never their values', async () => {
    const name = uniqueName('secret-placeholder');
    const placeholders = { 'db.password': `\${env:${ENV}}`, 'db.user': '${file:/etc/tributary/db.properties:user}' };
    // The file does not exist here, so only the password is a placeholder for the connector that is stored.
    const created = await call('POST', '/connectors', { name, config: config(name, { 'db.password': placeholders['db.password'] }) });
    expect(created.status).toBe(201);
    expect((created.body.config as Record<string, string>)['db.password']).toBe(placeholders['db.password']);
    const all = [await call('GET', `/connectors/${name}/config`), await call('GET', `/connectors/${name}/tasks`), await call('GET', `/connectors/${name}`)];
    for (const r of all) {
      expect(r.text).toContain(`\${env:${ENV}}`);
      expect(r.text).not.toContain('resolved-from-the-environment');
    }
    const stored = await store.getState(name);
    expect(stored?.connector.config['db.password']).toBe(placeholders['db.password']);
    expect(stored?.tasks?.configs[0]?.['db.password']).toBe(placeholders['db.password']);
    // A placeholder that cannot be resolved is a validation error, not a stored connector.
    const unresolvable = await call('POST', '/connectors', { name: `${name}-x`, config: config(`${name}-x`, { 'db.user': placeholders['db.user'] }) });
    expect(unresolvable.status).toBe(400);
    expect((await call('GET', `/connectors/${name}-x`)).status).toBe(404);
  });

  it('keeps a rejected secret out of the 400 message', async () => {
    const name = uniqueName('secret-invalid');
    const r = await call('POST', '/connectors', { name, config: config(name, { 'db.password': 'short-but-secret' }) });
    expect(r.status).toBe(400);
    expect(r.text).not.toContain('short-but-secret');
    expect(r.body.message).toContain('Invalid value [hidden] for configuration db.password');
    const noClass = await call('POST', '/connectors', { name, config: { 'some.password': 'plain-secret-value' } });
    expect(noClass.status).toBe(400);
    expect(noClass.text).not.toContain('plain-secret-value');
  });
});
