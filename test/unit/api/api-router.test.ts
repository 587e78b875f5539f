import { describe, expect, it } from 'vitest';
import { ApiError, MethodNotAllowedError } from '../../../lib/api/api-errors.ts';
import { acceptsJson, ApiRouter } from '../../../lib/api/api-router.ts';
import type { ApiRequest } from '../../../lib/api/http-types.ts';

const req = (method: string, path: string, headers: Record<string, string> = {}): ApiRequest => ({ method, path, query: {}, headers, body: null });

function router(): ApiRouter {
  return new ApiRouter()
    .on('GET', '/connectors', async () => ({ status: 200, body: ['a'] }))
    .on('POST', '/connectors', async () => ({ status: 201, body: {} }))
    .on('GET', '/connectors/{name}', async (_r, p) => ({ status: 200, body: { name: p.name } }));
}

async function errorOf(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('no error');
}

describe('ApiRouter', () => {
  it('decodes path parameters and ignores a trailing slash', async () => {
    expect((await router().dispatch(req('GET', '/connectors/a%20b/'))).body).toEqual({ name: 'a b' });
  });

  it('answers 404 for unknown paths and 405 with Allow for known paths', async () => {
    expect((await errorOf(router().dispatch(req('GET', '/nope')))).status).toBe(404);
    const e = await errorOf(router().dispatch(req('DELETE', '/connectors')));
    expect(e).toBeInstanceOf(MethodNotAllowedError);
    expect((e as MethodNotAllowedError).allowed).toEqual(['GET', 'POST', 'HEAD', 'OPTIONS']);
  });

  it('answers HEAD as GET without a body and OPTIONS with the allowed methods', async () => {
    const head = await router().dispatch(req('HEAD', '/connectors'));
    expect(head.status).toBe(200);
    expect(head.body).toBeUndefined();
    const options = await router().dispatch(req('OPTIONS', '/connectors'));
    expect(options.headers?.Allow).toBe('GET, POST, HEAD, OPTIONS');
  });

  it('rejects malformed percent-encoding and control characters in path parameters with 400', async () => {
    expect((await errorOf(router().dispatch(req('GET', '/connectors/%zz')))).status).toBe(400);
    expect((await errorOf(router().dispatch(req('GET', '/connectors/a%00b')))).status).toBe(400);
  });

  it('answers 406 when the client does not accept JSON', async () => {
    expect((await errorOf(router().dispatch(req('GET', '/connectors', { accept: 'text/html' })))).status).toBe(406);
    expect(acceptsJson('text/html, application/json;q=0.9')).toBe(true);
    expect(acceptsJson('application/json;q=0')).toBe(false);
    expect(acceptsJson('*/*')).toBe(true);
    expect(acceptsJson(undefined)).toBe(true);
  });
});
