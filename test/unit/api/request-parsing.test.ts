import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api/api-errors.ts';
import type { ApiRequest } from '../../../lib/api/http-types.ts';
import { offsetsBody } from '../../../lib/api/offsets-routes.ts';
import { boolParam, checkName, configMap, createRequest, expandParam, fullConfig, jsonBody, MAX_BODY_BYTES, taskIdParam } from '../../../lib/api/request-parsing.ts';

const req = (parts: Partial<ApiRequest> = {}): ApiRequest => ({ method: 'POST', path: '/connectors', query: {}, headers: {}, body: null, ...parts });

function statusOf(f: () => unknown): number | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (e instanceof ApiError) return e.status;
    throw e;
  }
}

describe('jsonBody', () => {
  it('parses JSON with or without a JSON content type', () => {
    expect(jsonBody(req({ body: '{"a":1}', headers: { 'content-type': 'application/json; charset=utf-8' } }))).toEqual({ a: 1 });
    expect(jsonBody(req({ body: '[1]' }))).toEqual([1]);
  });

  it('answers 415 for another media type, 400 for empty or malformed bodies, 413 above 1 MiB', () => {
    expect(statusOf(() => jsonBody(req({ body: '{}', headers: { 'content-type': 'text/plain' } })))).toBe(415);
    expect(statusOf(() => jsonBody(req({ body: '{}', headers: { 'content-type': 'application/x-www-form-urlencoded' } })))).toBe(415);
    expect(statusOf(() => jsonBody(req({ body: null })))).toBe(400);
    expect(statusOf(() => jsonBody(req({ body: '   ' })))).toBe(400);
    expect(statusOf(() => jsonBody(req({ body: '{"a":' })))).toBe(400);
    expect(statusOf(() => jsonBody(req({ body: `"${'x'.repeat(MAX_BODY_BYTES)}"` })))).toBe(413);
  });
});

describe('config maps', () => {
  it('keeps strings, turns numbers and booleans into strings as Connect does, and keeps nulls for PATCH', () => {
    expect(configMap({ a: 'x', b: 3, c: true, d: null })).toEqual({ a: 'x', b: '3', c: 'true', d: null });
  });

  it('rejects nested objects, arrays and non-objects with 400', () => {
    for (const bad of [[], 'x', 42, null, { a: { b: 1 } }, { a: [1] }]) expect(statusOf(() => configMap(bad))).toBe(400);
  });

  it('answers a null value in a full config with Connect\'s invalid-config message', () => {
    try {
      fullConfig({ 'connector.class': 'FileStreamSource', x: null });
      expect.fail('no error');
    } catch (e) {
      expect((e as ApiError).status).toBe(400);
      expect((e as ApiError).message).toBe(
        'Connector configuration is invalid and contains the following 1 error(s):\nNull value can not be supplied as the configuration value.\nYou can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`',
      );
    }
  });
});

describe('createRequest', () => {
  it('trims the name, defaults config and initial state, accepts any case of the state', () => {
    expect(createRequest({ name: ' a ', config: { x: 'y' } })).toEqual({ name: 'a', config: { x: 'y' }, initialState: 'RUNNING' });
    expect(createRequest({ name: 'a', initial_state: 'paused' }).initialState).toBe('PAUSED');
    expect(createRequest({ name: 'a', initial_state: null }).initialState).toBe('RUNNING');
    expect(createRequest({}).name).toBe('');
  });

  it('rejects unknown fields, bad states and wrong types', () => {
    expect(statusOf(() => createRequest({ name: 'a', extra: 1 }))).toBe(400);
    expect(statusOf(() => createRequest({ name: 'a', initial_state: 'FOO' }))).toBe(400);
    expect(statusOf(() => createRequest({ name: 7 }))).toBe(400);
    expect(statusOf(() => createRequest({ name: 'a', config: [] }))).toBe(400);
    expect(statusOf(() => createRequest([]))).toBe(400);
  });

  it('never fails with anything but a 4xx ApiError, whatever JSON it gets (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const status = statusOf(() => createRequest(value));
        expect(status === undefined || (status >= 400 && status < 500)).toBe(true);
        const s2 = statusOf(() => configMap(value));
        expect(s2 === undefined || (s2 >= 400 && s2 < 500)).toBe(true);
        const s3 = statusOf(() => offsetsBody(value));
        expect(s3 === undefined || (s3 >= 400 && s3 < 500)).toBe(true);
      }),
    );
  });
});

describe('checkName', () => {
  it('accepts ordinary names, dots, spaces and unicode', () => {
    for (const ok of ['a', 'my-connector.v2', 'with space', 'ünïcödé', 'x'.repeat(249), '...']) expect(checkName(ok)).toBe(ok);
  });

  it('rejects empty, whitespace, control characters, slashes, dot segments and long names in Connect\'s format', () => {
    for (const bad of ['', '   ', 'a\u0001b', 'tab\there', 'a/b', 'a\\b', '.', '..', 'x'.repeat(250)]) {
      try {
        checkName(bad);
        expect.fail(`accepted ${JSON.stringify(bad)}`);
      } catch (e) {
        expect((e as ApiError).status).toBe(400);
        expect((e as ApiError).message).toMatch(/^Connector configuration is invalid and contains the following 1 error\(s\):\nInvalid value .* for configuration name: /);
      }
    }
  });
});

describe('query parameters', () => {
  it('reads booleans in any case and rejects other values', () => {
    expect(boolParam(req({ query: { includeTasks: ['TRUE'] } }), 'includeTasks')).toBe(true);
    expect(boolParam(req({ query: {} }), 'includeTasks')).toBe(false);
    expect(boolParam(req({ query: { connectorsOnly: [''] } }), 'connectorsOnly', true)).toBe(true);
    expect(statusOf(() => boolParam(req({ query: { includeTasks: ['maybe'] } }), 'includeTasks'))).toBe(400);
  });

  it('reads expand=status&expand=info, ignores an empty value and rejects unknown ones', () => {
    expect(expandParam(req())).toBeUndefined();
    expect([...(expandParam(req({ query: { expand: ['status', 'info'] } })) ?? [])]).toEqual(['status', 'info']);
    expect(expandParam(req({ query: { expand: [''] } }))?.size).toBe(0);
    expect(statusOf(() => expandParam(req({ query: { expand: ['foo'] } })))).toBe(400);
  });

  it('treats a task id that is not a 32-bit integer as an unknown route (404)', () => {
    expect(taskIdParam('0')).toBe(0);
    expect(taskIdParam('-1')).toBe(-1);
    for (const bad of ['x', '1.5', '', '99999999999', '1e3']) expect(statusOf(() => taskIdParam(bad))).toBe(404);
  });
});

describe('offsetsBody', () => {
  it('reads Connect\'s ConnectorOffsets and treats a missing offset as a reset', () => {
    expect(offsetsBody({ offsets: [{ partition: { a: 1 }, offset: { b: 2 } }, { partition: { a: 2 } }] })).toEqual([
      { partition: { a: 1 }, offset: { b: 2 } },
      { partition: { a: 2 }, offset: null },
    ]);
  });

  it('rejects a missing list, non-objects and unknown fields with 400', () => {
    for (const bad of [{}, { offsets: null }, { offsets: {} }, { offsets: [1] }, { offsets: [{ partition: 'x' }] }, { offsets: [{ partition: {}, offset: 3 }] }, { offsets: [{ x: 1 }] }, []]) {
      expect(statusOf(() => offsetsBody(bad))).toBe(400);
    }
  });
});
