import { afterEach, describe, expect, it } from 'vitest';
import { hideSecrets } from '../../../lib/control/config-secrets.ts';
import { statusBody } from '../../../lib/api/status-format.ts';
import { HIDDEN, secretKeys, validateConnectorConfig, validationMessage } from '../../../lib/control/connector-validator.ts';
import type { ConnectorState } from '../../../lib/store/store-model.ts';
import { SECRET_CONNECTOR, testRegistry } from './secret-plugin.ts';

const registry = testRegistry();
const secretSource = registry.find(SECRET_CONNECTOR) ?? (() => { throw new Error('test plugin missing'); })();
const sink = registry.find('FileStreamSink') ?? (() => { throw new Error('FileStreamSink missing'); })();

describe('validate: ConfigInfos as Connect answers them', () => {
  afterEach(() => {
    delete process.env.TRIBUTARY_TEST_DB_PASSWORD;
  });

  it('names the result after connector.class and shows password values as [hidden]', async () => {
    const infos = await validateConnectorConfig(registry, secretSource, { 'connector.class': SECRET_CONNECTOR, name: 'x', 'db.user': 'u', 'db.password': 'sup3r-s3cret' });
    expect(infos.name).toBe(SECRET_CONNECTOR);
    expect(infos.error_count).toBe(0);
    const pw = infos.configs.find((c) => c.definition.name === 'db.password');
    expect(pw?.definition.type).toBe('PASSWORD');
    expect(pw?.value.value).toBe(HIDDEN);
    expect(JSON.stringify(infos)).not.toContain('sup3r-s3cret');
  });

  it('keeps a secret out of error messages, in the body and in the 400 message', async () => {
    const infos = await validateConnectorConfig(registry, secretSource, { 'connector.class': SECRET_CONNECTOR, name: 'x', 'db.user': 'u', 'db.password': 'short-and-secret' });
    expect(infos.error_count).toBe(1);
    expect(JSON.stringify(infos)).not.toContain('short-and-secret');
    expect(validationMessage(infos)).toBe(
      'Connector configuration is invalid and contains the following 1 error(s):\nInvalid value [hidden] for configuration db.password: too weak\nYou can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`',
    );
  });

  it('checks placeholders with their resolved value but shows them as written', async () => {
    process.env.TRIBUTARY_TEST_DB_PASSWORD = 'short-resolved-secret';
    const infos = await validateConnectorConfig(registry, secretSource, { 'connector.class': SECRET_CONNECTOR, name: 'x', 'db.user': 'u', 'db.password': '${env:TRIBUTARY_TEST_DB_PASSWORD}' });
    expect(infos.error_count).toBe(1);
    const pw = infos.configs.find((c) => c.definition.name === 'db.password');
    expect(pw?.value.value).toBe('${env:TRIBUTARY_TEST_DB_PASSWORD}');
    expect(JSON.stringify(infos)).not.toContain('short-resolved-secret');
  });

  it('reports a placeholder that does not resolve as an error on its key', async () => {
    const infos = await validateConnectorConfig(registry, secretSource, { 'connector.class': SECRET_CONNECTOR, name: 'x', 'db.user': '${env:TRIBUTARY_TEST_NOT_SET_ANYWHERE}', 'db.password': 'p4ssword-long' });
    expect(infos.configs.find((c) => c.definition.name === 'db.user')?.value.errors[0]).toMatch(/TRIBUTARY_TEST_NOT_SET_ANYWHERE/);
  });

  it('lists each transform and predicate alias in its own group, with recommended classes', async () => {
    const infos = await validateConnectorConfig(registry, sink, {
      'connector.class': 'FileStreamSink',
      name: 's',
      topics: 't',
      transforms: 'mask',
      'transforms.mask.type': 'org.apache.kafka.connect.transforms.MaskField$Value',
      'transforms.mask.fields': 'card',
      'transforms.mask.predicate': 'onlyT',
      predicates: 'onlyT',
      'predicates.onlyT.type': 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
      'predicates.onlyT.pattern': 't.*',
    });
    expect(infos.error_count).toBe(0);
    expect(infos.groups).toEqual(expect.arrayContaining(['Common', 'Transforms: mask', 'Predicates: onlyT']));
    const type = infos.configs.find((c) => c.definition.name === 'transforms.mask.type');
    expect(type?.definition).toMatchObject({ type: 'CLASS', required: true, group: 'Transforms: mask', order: 0 });
    expect(type?.value.recommended_values).toContain('org.apache.kafka.connect.transforms.MaskField$Value');
    expect(infos.configs.find((c) => c.definition.name === 'transforms.mask.fields')?.value.value).toBe('card');
    expect(infos.configs.find((c) => c.definition.name === 'predicates.onlyT.pattern')?.definition.group).toBe('Predicates: onlyT');
  });

  it('reports undefined aliases, unknown classes, converters and both topics settings', async () => {
    const infos = await validateConnectorConfig(registry, sink, {
      'connector.class': 'FileStreamSink',
      name: 's',
      topics: 't',
      'topics.regex': 't.*',
      transforms: 'a',
      'transforms.a.type': 'org.apache.kafka.connect.transforms.Filter',
      'transforms.a.predicate': 'missing',
      'value.converter': 'com.example.NoSuchConverter',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'maybe',
    });
    const errors = Object.fromEntries(infos.configs.filter((c) => c.value.errors.length).map((c) => [c.definition.name, c.value.errors]));
    expect(Object.keys(errors).sort()).toEqual(['key.converter.schemas.enable', 'topics', 'topics.regex', 'transforms.a.predicate', 'value.converter']);
    expect(errors['value.converter']).toEqual(['Invalid value com.example.NoSuchConverter for configuration value.converter: Class com.example.NoSuchConverter could not be found.']);
    expect(infos.configs.find((c) => c.definition.name === 'value.converter')?.value.recommended_values).toContain('org.apache.kafka.connect.json.JsonConverter');
  });
});

describe('secrets in responses', () => {
  const config = {
    'connector.class': SECRET_CONNECTOR,
    'db.user': 'u',
    'db.password': 'sup3r-s3cret',
    'producer.override.sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required password="p";',
    'producer.override.ssl.truststore.password': '${file:/secrets/kafka.properties:truststore}',
  };

  it('finds the connector\'s PASSWORD keys and Kafka client secrets', () => {
    expect([...secretKeys(registry, config)].sort()).toEqual(['db.password', 'producer.override.sasl.jaas.config', 'producer.override.ssl.truststore.password']);
  });

  it('hides secret values but returns placeholders as written', () => {
    expect(hideSecrets(registry, config)).toEqual({
      ...config,
      'db.password': HIDDEN,
      'producer.override.sasl.jaas.config': HIDDEN,
    });
  });

  it('hides secrets in task configs by the connector\'s definition', () => {
    expect(hideSecrets(registry, { 'db.password': 'x', other: 'y' }, config)).toEqual({ 'db.password': HIDDEN, other: 'y' });
  });
});

describe('statusBody', () => {
  const state = (taskState: 'RUNNING' | 'FAILED'): ConnectorState => ({
    connector: { name: 'c', config: {}, type: 'source', targetState: 'RUNNING', generation: 1, version: 1, createdAt: 0, updatedAt: 0 },
    tasks: { generation: 1, configs: [{}, {}] },
    status: { state: 'RUNNING', workerId: 'api', generation: 1, updatedAt: 0 },
    taskStatuses: [{ id: 0, state: taskState, workerId: 'runner-1', trace: 'boom', generation: 1, updatedAt: 0 }],
    leases: new Map(),
    topics: [],
  });

  it('shows trace only on FAILED instances and UNASSIGNED for tasks without a status', () => {
    expect(statusBody(state('RUNNING'), 'api', '1.0').tasks).toEqual([
      { id: 0, state: 'RUNNING', worker_id: 'runner-1', version: '1.0' },
      { id: 1, state: 'UNASSIGNED', worker_id: 'api', version: '1.0' },
    ]);
    expect(statusBody(state('FAILED'), 'api', '1.0').tasks[0]).toEqual({ id: 0, state: 'FAILED', worker_id: 'runner-1', version: '1.0', trace: 'boom' });
  });
});
