/**
 * Connectors as CDK code: the custom resource handler's create, update and delete, applied
 * through the REST API of the real local host (Kafka, DynamoDB Local, runners).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { onConnectorEvent, type ConnectorResourceProperties } from '../../../functions/connector-resource-handler.ts';
import type { RestCall } from '../../../lib/control/declared-connector.ts';
import { startHostProcess, uniqueName, type HostProcess } from '../../support/local-host-process.ts';
import { eventually, rest } from '../../support/rest-client.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');

function event(type: 'Create' | 'Update' | 'Delete', props: ConnectorResourceProperties, physicalId?: string, old?: ConnectorResourceProperties): CloudFormationCustomResourceEvent {
  const base = { ServiceToken: 'arn', ResponseURL: 'https://example.com', StackId: 'stack', RequestId: 'r', LogicalResourceId: 'Connector', ResourceType: 'Custom::TributaryConnector', ResourceProperties: { ServiceToken: 'arn', ...props } };
  if (type === 'Create') return { ...base, RequestType: 'Create' };
  if (type === 'Update') return { ...base, RequestType: 'Update', PhysicalResourceId: physicalId ?? props.Name, OldResourceProperties: { ServiceToken: 'arn', ...(old ?? props) } };
  return { ...base, RequestType: 'Delete', PhysicalResourceId: physicalId ?? props.Name };
}

describe('TributaryConnector custom resource on the local stack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-declared-'));
  const input = join(dir, 'in.txt');
  const topic = uniqueName('declared');
  const name = uniqueName('declared-source');
  let host: HostProcess;
  let call: RestCall;

  beforeAll(async () => {
    writeFileSync(input, 'a\nb\nc\nd\n');
    host = await startHostProcess({ kafkaBootstrap, dynamoEndpoint, dataDir: join(dir, 'data'), tableName: uniqueName('declared'), env: { IDLE_BACKOFF_MAX_MS: '2000' } });
    call = async (method, path, body) => {
      const r = await rest(host.restUrl, method, path, body);
      return { status: r.status, body: r.body };
    };
  });

  afterAll(async () => {
    await host?.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  const props = (extra: Partial<ConnectorResourceProperties> = {}): ConnectorResourceProperties => ({
    Name: name,
    Config: { 'connector.class': 'FileStreamSource', file: input, topic },
    State: 'RUNNING',
    ...extra,
  });

  it('Create writes the initial offsets before the first task runs, then reaches the declared state', async () => {
    const out = await onConnectorEvent(event('Create', props({ State: 'PAUSED', InitialOffsets: JSON.stringify([{ partition: { filename: input }, offset: { position: 4 } }]) })), call);
    expect(out.PhysicalResourceId).toBe(name);
    expect((await rest(host.restUrl, 'GET', `/connectors/${name}/offsets`)).body).toEqual({ offsets: [{ partition: { filename: input }, offset: { position: 4 } }] });
    await eventually(async () => (await rest<{ connector: { state: string } }>(host.restUrl, 'GET', `/connectors/${name}/status`)).body.connector.state === 'PAUSED', { what: 'PAUSED' });
  });

  it('Update changes the config in place: same connector, offsets kept, new value live', async () => {
    await onConnectorEvent(event('Update', props({ Config: { 'connector.class': 'FileStreamSource', file: input, topic, 'batch.size': '7' } })), call);
    expect((await rest<Record<string, string>>(host.restUrl, 'GET', `/connectors/${name}/config`)).body['batch.size']).toBe('7');
    await eventually(async () => (await rest<{ tasks: { state: string }[] }>(host.restUrl, 'GET', `/connectors/${name}/status`)).body.tasks[0]?.state === 'RUNNING', { what: 'RUNNING' });
    // Offsets were not reset by the update: the source resumes at position 4 and does not re-read "a".
    await eventually(async () => JSON.stringify((await rest(host.restUrl, 'GET', `/connectors/${name}/offsets`)).body).includes('"position":8'), { what: 'offset 8' });
  });

  it('a refused config fails the deployment with the API message, and changes nothing', async () => {
    await expect(onConnectorEvent(event('Update', props({ Config: { 'connector.class': 'FileStreamSource', file: input, topic, 'tasks.max': 'many' } })), call)).rejects.toThrow(/tasks\.max/);
    expect((await rest<Record<string, string>>(host.restUrl, 'GET', `/connectors/${name}/config`)).body['tasks.max']).toBeUndefined();
  });

  it('Delete removes the connector, and a second Delete is not an error', async () => {
    await onConnectorEvent(event('Delete', props()), call);
    expect((await rest(host.restUrl, 'GET', `/connectors/${name}`)).status).toBe(404);
    await expect(onConnectorEvent(event('Delete', props()), call)).resolves.toEqual({ PhysicalResourceId: name });
  });
});
