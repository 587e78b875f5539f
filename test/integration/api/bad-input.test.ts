/**
 * A corpus of bad requests against a real local host: every one is answered with a 4xx in
 * Connect's `{error_code, message}` format, never a 5xx, and nothing is stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startHostProcess, uniqueName, type HostProcess } from '../../support/local-host-process.ts';
import { rest } from '../../support/rest-client.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');

interface BadRequest {
  readonly what: string;
  readonly method: string;
  readonly path: string;
  /** A JSON value to send, or `raw` text. */
  readonly body?: unknown;
  readonly raw?: string;
  readonly headers?: Record<string, string>;
  readonly status: number;
  /** A part of the expected message, when it matters. */
  readonly message?: string | RegExp;
}

const SEED = 'seed';
const source = (extra: Record<string, unknown> = {}) => ({ 'connector.class': 'FileStreamSource', topic: 'bad-input-topic', file: '/tmp/tributary-bad-input.txt', ...extra });
const sink = (extra: Record<string, unknown> = {}) => ({ 'connector.class': 'FileStreamSink', topics: 'bad-input-topic', file: '/tmp/tributary-bad-input-out.txt', ...extra });
const create = (name: unknown, config: unknown, extra: Record<string, unknown> = {}) => ({ name, config, ...extra });
const INVALID = /^Connector configuration is invalid and contains the following \d+ error\(s\):\n/;

const corpus: BadRequest[] = [
  // Bodies that are not a create request.
  { what: 'no body', method: 'POST', path: '/connectors', status: 400 },
  { what: 'malformed JSON', method: 'POST', path: '/connectors', raw: '{"name": "x", ', status: 400, message: /not valid JSON/ },
  { what: 'JSON array', method: 'POST', path: '/connectors', body: [], status: 400 },
  { what: 'JSON string', method: 'POST', path: '/connectors', body: 'x', status: 400 },
  { what: 'JSON number', method: 'POST', path: '/connectors', body: 42, status: 400 },
  { what: 'JSON null', method: 'POST', path: '/connectors', raw: 'null', status: 400 },
  { what: 'whitespace body', method: 'POST', path: '/connectors', raw: '   \n ', status: 400 },
  { what: 'deeply nested JSON', method: 'POST', path: '/connectors', raw: `${'['.repeat(100_000)}${']'.repeat(100_000)}`, status: 400 },
  { what: 'body over 1 MiB', method: 'POST', path: '/connectors', body: create('big', source({ padding: 'x'.repeat(1_100_000) })), status: 413 },
  { what: 'text/plain body', method: 'POST', path: '/connectors', raw: JSON.stringify(create('ct', source())), headers: { 'Content-Type': 'text/plain' }, status: 415 },
  { what: 'unknown field', method: 'POST', path: '/connectors', body: create('x', source(), { extra: 1 }), status: 400, message: 'Unrecognized field "extra"' },
  { what: 'unknown initial_state', method: 'POST', path: '/connectors', body: create('x', source(), { initial_state: 'SLEEPING' }), status: 400 },
  { what: 'config as an array', method: 'POST', path: '/connectors', body: create('x', []), status: 400 },
  { what: 'nested object as a config value', method: 'POST', path: '/connectors', body: create('x', source({ topic: { nested: true } })), status: 400 },
  { what: 'array as a config value', method: 'POST', path: '/connectors', body: create('x', source({ topic: ['a'] })), status: 400 },
  { what: 'null config value', method: 'POST', path: '/connectors', body: create('x', source({ file: null })), status: 400, message: 'Null value can not be supplied' },
  // Names.
  { what: 'missing name', method: 'POST', path: '/connectors', body: { config: source() }, status: 400, message: INVALID },
  { what: 'empty name', method: 'POST', path: '/connectors', body: create('', source()), status: 400, message: 'String may not be empty' },
  { what: 'whitespace name', method: 'POST', path: '/connectors', body: create(' \t ', source()), status: 400 },
  { what: 'name of 300 characters', method: 'POST', path: '/connectors', body: create('n'.repeat(300), source()), status: 400 },
  { what: 'name with a slash', method: 'POST', path: '/connectors', body: create('a/b', source()), status: 400 },
  { what: 'name with a backslash', method: 'POST', path: '/connectors', body: create('a\\b', source()), status: 400 },
  { what: 'name with a control character', method: 'POST', path: '/connectors', body: create('a\u0007b', source()), status: 400, message: 'control sequences' },
  { what: 'name with a newline', method: 'POST', path: '/connectors', body: create('a\nb', source()), status: 400 },
  { what: 'name ..', method: 'POST', path: '/connectors', body: create('..', source()), status: 400 },
  { what: 'name .', method: 'POST', path: '/connectors', body: create('.', source()), status: 400 },
  { what: 'name as a number', method: 'POST', path: '/connectors', body: create(7, source()), status: 400 },
  { what: 'config name differs from name', method: 'POST', path: '/connectors', body: create('x', source({ name: 'y' })), status: 400, message: "doesn't match connector name" },
  { what: 'existing name', method: 'POST', path: '/connectors', body: create(SEED, source()), status: 409, message: `Connector ${SEED} already exists` },
  // Invalid connector configs.
  { what: 'no connector.class', method: 'POST', path: '/connectors', body: create('x', { topic: 't' }), status: 400, message: 'contains no connector type' },
  { what: 'empty connector.class', method: 'POST', path: '/connectors', body: create('x', source({ 'connector.class': '' })), status: 400 },
  { what: 'unknown connector class', method: 'POST', path: '/connectors', body: create('x', source({ 'connector.class': 'com.example.Nope' })), status: 400, message: /available connectors are: .*FileStreamSourceConnector/ },
  { what: 'missing required key', method: 'POST', path: '/connectors', body: create('x', { 'connector.class': 'FileStreamSource' }), status: 400, message: 'Missing required configuration "topic"' },
  { what: 'tasks.max not a number', method: 'POST', path: '/connectors', body: create('x', source({ 'tasks.max': 'many' })), status: 400, message: INVALID },
  { what: 'tasks.max zero', method: 'POST', path: '/connectors', body: create('x', source({ 'tasks.max': '0' })), status: 400, message: INVALID },
  { what: 'errors.tolerance unknown', method: 'POST', path: '/connectors', body: create('x', source({ 'errors.tolerance': 'some' })), status: 400, message: INVALID },
  { what: 'topics and topics.regex', method: 'POST', path: '/connectors', body: create('x', sink({ 'topics.regex': 'bad-.*' })), status: 400, message: 'mutually exclusive' },
  { what: 'neither topics nor topics.regex', method: 'POST', path: '/connectors', body: create('x', sink({ topics: '' })), status: 400, message: 'Must configure one of topics or topics.regex' },
  { what: 'invalid topics.regex', method: 'POST', path: '/connectors', body: create('x', { 'connector.class': 'FileStreamSink', 'topics.regex': '((' }), status: 400, message: 'topics.regex' },
  { what: 'transform alias without type', method: 'POST', path: '/connectors', body: create('x', sink({ transforms: 'a' })), status: 400, message: 'transforms.a.type' },
  { what: 'unknown transform class', method: 'POST', path: '/connectors', body: create('x', sink({ transforms: 'a', 'transforms.a.type': 'com.example.Nope' })), status: 400 },
  { what: 'undefined predicate alias', method: 'POST', path: '/connectors', body: create('x', sink({ transforms: 'a', 'transforms.a.type': 'org.apache.kafka.connect.transforms.Filter', 'transforms.a.predicate': 'p' })), status: 400, message: "Predicate alias 'p'" },
  { what: 'unknown value converter', method: 'POST', path: '/connectors', body: create('x', source({ 'value.converter': 'com.example.NoConverter' })), status: 400, message: 'Class com.example.NoConverter could not be found' },
  { what: 'unknown header converter', method: 'POST', path: '/connectors', body: create('x', source({ 'header.converter': 'com.example.NoConverter' })), status: 400 },
  // PUT and PATCH config.
  { what: 'PUT config array', method: 'PUT', path: `/connectors/${SEED}/config`, body: [], status: 400 },
  { what: 'PUT config unknown class', method: 'PUT', path: `/connectors/${SEED}/config`, body: source({ 'connector.class': 'Nope' }), status: 400 },
  { what: 'PUT config missing required key', method: 'PUT', path: `/connectors/${SEED}/config`, body: { 'connector.class': 'FileStreamSource' }, status: 400 },
  { what: 'PUT config null value', method: 'PUT', path: `/connectors/${SEED}/config`, body: source({ file: null }), status: 400 },
  { what: 'PUT config name mismatch', method: 'PUT', path: `/connectors/${SEED}/config`, body: source({ name: 'other' }), status: 400 },
  { what: 'PUT config empty body', method: 'PUT', path: `/connectors/${SEED}/config`, raw: '', status: 400 },
  { what: 'PUT config, name with encoded slash', method: 'PUT', path: '/connectors/a%2Fb/config', body: source(), status: 400 },
  // URL parsing (in the client and the server) turns `%2E%2E` into `..` and drops the segment.
  { what: 'PUT config, name encoded ..', method: 'PUT', path: '/connectors/%2E%2E/config', body: source(), status: 404 },
  { what: 'PUT config, name encoded control character', method: 'PUT', path: '/connectors/a%07b/config', body: source(), status: 400 },
  { what: 'PUT config, name of 300 characters', method: 'PUT', path: `/connectors/${'n'.repeat(300)}/config`, body: source(), status: 400 },
  { what: 'PATCH config to an unknown class', method: 'PATCH', path: `/connectors/${SEED}/config`, body: { 'connector.class': 'Nope' }, status: 400 },
  { what: 'PATCH config renaming', method: 'PATCH', path: `/connectors/${SEED}/config`, body: { name: 'other' }, status: 400 },
  { what: 'PATCH config removing a required key', method: 'PATCH', path: `/connectors/${SEED}/config`, body: { topic: null }, status: 400 },
  { what: 'PATCH config string body', method: 'PATCH', path: `/connectors/${SEED}/config`, body: 'x', status: 400 },
  { what: 'PATCH config of an unknown connector', method: 'PATCH', path: '/connectors/nope/config', body: { 'tasks.max': '2' }, status: 404 },
  // Query values.
  { what: 'expand=foo', method: 'GET', path: '/connectors?expand=foo', status: 400 },
  { what: 'includeTasks=maybe', method: 'POST', path: `/connectors/${SEED}/restart?includeTasks=maybe`, status: 400 },
  { what: 'onlyFailed=1', method: 'POST', path: `/connectors/${SEED}/restart?onlyFailed=1`, status: 400 },
  { what: 'connectorsOnly=maybe', method: 'GET', path: '/connector-plugins?connectorsOnly=maybe', status: 400 },
  // Paths and methods.
  { what: 'task id not a number', method: 'GET', path: `/connectors/${SEED}/tasks/x/status`, status: 404 },
  { what: 'task id too large', method: 'POST', path: `/connectors/${SEED}/tasks/99999999999/restart`, status: 404 },
  { what: 'malformed percent-encoding', method: 'GET', path: '/connectors/%zz', status: 400 },
  { what: 'encoded NUL in a name', method: 'GET', path: '/connectors/a%00b', status: 400 },
  { what: 'encoded path traversal (an encoded slash is ambiguous, as in Connect)', method: 'GET', path: '/connectors/..%2F..%2Fadmin%2Floggers', status: 400 },
  { what: 'DELETE /connectors', method: 'DELETE', path: '/connectors', status: 405 },
  { what: 'POST /connectors/{name}', method: 'POST', path: `/connectors/${SEED}`, status: 405 },
  { what: 'GET restart', method: 'GET', path: `/connectors/${SEED}/restart`, status: 405 },
  { what: 'unknown path', method: 'GET', path: '/nope', status: 404 },
  { what: 'unknown sub-resource', method: 'GET', path: `/connectors/${SEED}/nope`, status: 404 },
  { what: 'Accept text/html', method: 'GET', path: '/connectors', headers: { Accept: 'text/html' }, status: 406 },
  { what: 'unknown connector', method: 'DELETE', path: '/connectors/nope', status: 404, message: 'Connector nope not found' },
  { what: 'pause an unknown connector', method: 'PUT', path: '/connectors/nope/pause', status: 404, message: 'Unknown connector nope' },
  // Validate, offsets, loggers.
  { what: 'validate with an array', method: 'PUT', path: '/connector-plugins/FileStreamSink/config/validate', body: [], status: 400 },
  { what: 'validate for another plugin', method: 'PUT', path: '/connector-plugins/FileStreamSink/config/validate', body: source(), status: 400, message: 'does not match request type' },
  { what: 'config of an unknown plugin', method: 'GET', path: '/connector-plugins/com.example.Nope/config', status: 404, message: 'Unknown plugin com.example.Nope.' },
  { what: 'offsets without a list', method: 'PATCH', path: `/connectors/${SEED}/offsets`, body: {}, status: 400 },
  { what: 'offsets as a string', method: 'PATCH', path: `/connectors/${SEED}/offsets`, body: { offsets: 'x' }, status: 400 },
  { what: 'offsets while not stopped', method: 'PATCH', path: `/connectors/${SEED}/offsets`, body: { offsets: [{ partition: { filename: 'x' }, offset: { position: 1 } }] }, status: 400, message: `/connectors/${SEED}/stop` },
  { what: 'logger without level', method: 'PUT', path: '/admin/loggers/org.example', body: {}, status: 400 },
  { what: 'logger with an unknown level', method: 'PUT', path: '/admin/loggers/org.example', body: { level: 'LOUD' }, status: 404 },
];

describe('bad input never stores anything and never answers 5xx', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-bad-input-'));
  let host: HostProcess;
  let seedConfig: unknown;

  beforeAll(async () => {
    host = await startHostProcess({ kafkaBootstrap, dynamoEndpoint, dataDir: join(dir, 'data'), tableName: uniqueName('bad-input') });
    const created = await rest(host.restUrl, 'POST', '/connectors', create(SEED, source(), { initial_state: 'PAUSED' }));
    expect(created.status).toBe(201);
    seedConfig = (await rest(host.restUrl, 'GET', `/connectors/${SEED}/config`)).body;
  });

  afterAll(async () => {
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`has a corpus of at least 40 bad requests (${corpus.length})`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
  });

  it.each(corpus)('$what: $method $path → $status', async (c) => {
    const res = await fetch(`${host.restUrl}${c.path}`, {
      method: c.method,
      headers: { ...(c.body !== undefined || c.raw !== undefined ? { 'Content-Type': 'application/json' } : {}), ...c.headers },
      body: c.raw ?? (c.body === undefined ? undefined : JSON.stringify(c.body)),
    });
    const text = await res.text();
    expect(res.status, text).toBe(c.status);
    const body = JSON.parse(text) as { error_code: number; message: string };
    expect(Object.keys(body).sort()).toEqual(['error_code', 'message']);
    expect(body.error_code).toBe(c.status);
    expect(body.message).toMatch(/\S/);
    if (typeof c.message === 'string') expect(body.message).toContain(c.message);
    else if (c.message) expect(body.message).toMatch(c.message);
  });

  it('left the connectors and the stored config as they were', async () => {
    expect((await rest(host.restUrl, 'GET', '/connectors')).body).toEqual([SEED]);
    expect((await rest(host.restUrl, 'GET', `/connectors/${SEED}/config`)).body).toEqual(seedConfig);
    expect((await rest(host.restUrl, 'GET', `/connectors/${SEED}/status`)).body).toMatchObject({ connector: { state: 'PAUSED' }, tasks: [] });
  });
});
