/**
 * The request-target parser: never throws, never resolves a path into another resource, and
 * answers ambiguous targets as Apache Connect's Jetty does (statuses checked against the real
 * thing in test/integration/differential/bad-request-conformance.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api/api-errors.ts';
import { ApiRouter } from '../../../lib/api/api-router.ts';
import { decodeSegment, isWellFormed, parseRequestTarget } from '../../../lib/api/request-target.ts';

const verdict = (t: string) => {
  const r = parseRequestTarget(t);
  return r.kind === 'path' ? r.segments : r.kind;
};

describe('parseRequestTarget', () => {
  it.each([
    // Regression: `GET //` and friends threw in the local front and took the whole stack down.
    ['//', 'bad-request'],
    ['///', 'bad-request'],
    ['/\\', 'bad-request'],
    ['//:8083/connectors', 'bad-request'],
    ['/connectors//x', 'bad-request'],
    // Regression: encoded dot segments reached another connector (`.%2e/victim` deleted victim).
    ['/connectors/nothere/.%2e/victim', 'bad-request'],
    ['/connectors/x/%2e%2e/victim/config', 'bad-request'],
    ['/connectors/%2e%2e/connectors', 'bad-request'],
    ['/connectors/%2E', 'bad-request'],
    ['/connectors/a%2Fb', 'bad-request'],
    ['/connectors/a%5cb', 'bad-request'],
    ['/connectors/%zz', 'bad-request'],
    ['/connectors/c%ED%A0%80', ['connectors', 'c\ud800']],
    ['*', 'bad-request'],
    ['http://localhost/connectors', 'bad-request'],
    ['', 'bad-request'],
    // Plain dot segments are kept, never resolved: they name no route.
    ['/connectors/nothere/../victim', 'not-found'],
    ['/connectors/.', 'not-found'],
    ['/', []],
    ['/connectors/', ['connectors']],
    ['/connectors;x=1', ['connectors']],
    ['/connectors/a%20b?expand=status', ['connectors', 'a b']],
    ['/connectors/%C3%BC', ['connectors', 'ü']],
  ] as const)('%j → %j', (target, expected) => {
    expect(verdict(target)).toEqual(expected);
  });

  it('reads the query without throwing, even when malformed', () => {
    const r = parseRequestTarget('/connectors?expand=status&expand=%zz&a+b=c%20d');
    expect(r).toEqual({ kind: 'path', segments: ['connectors'], query: { expand: ['status', '%zz'], 'a b': ['c d'] } });
  });

  it('decodes WTF-8 surrogates only for the router to refuse them (and admit them on delete)', () => {
    expect(decodeSegment('c%ED%A0%80')).toBe('c\ud800');
    expect(isWellFormed('c\ud800')).toBe(false);
    expect(isWellFormed('😀')).toBe(true);
    expect(decodeSegment('%C0%AF')).toBeUndefined();
    expect(decodeSegment('%FF')).toBeUndefined();
  });
});

const pathPiece = fc.constantFrom('/', '//', '.', '..', '%2e', '%2E', '.%2e', '%2f', '%2F', '%5c', '\\', ';', ';x=1', '?', '&', '=', '#', '%', '%z', '%00', '%C2%85', '%ED%A0%80', '%F0%9F%98%80', 'connectors', 'tasks', '0', '-1', 'x', ' ', '+', ':8083', 'config');
const targets = fc.oneof(fc.array(pathPiece, { maxLength: 12 }).map((p) => p.join('')), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));

describe('parseRequestTarget properties', () => {
  it('never throws, and a path it accepts has no empty, dot or slash-bearing segment', () => {
    fc.assert(
      fc.property(targets, (t) => {
        const r = parseRequestTarget(t);
        if (r.kind !== 'path') return;
        for (const s of r.segments) {
          expect(s).not.toBe('');
          expect(s).not.toBe('.');
          expect(s).not.toBe('..');
          expect(s.includes('/')).toBe(false);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('re-encoding the segments it accepts reads back the same segments (nothing is resolved away)', () => {
    fc.assert(
      fc.property(targets, (t) => {
        const r = parseRequestTarget(t);
        if (r.kind !== 'path' || !r.segments.every(isWellFormed)) return;
        const again = parseRequestTarget(`/${r.segments.map(encodeURIComponent).join('/')}`);
        expect(again.kind === 'path' ? again.segments : again).toEqual(r.segments);
      }),
      { numRuns: 3000 },
    );
  });

  it('the router answers every target with a route, or an ApiError of 400/404/405, never anything else', async () => {
    const router = new ApiRouter()
      .on('GET', '/connectors', async () => ({ status: 200 }))
      .on('GET', '/connectors/{name}', async () => ({ status: 200 }))
      .on('DELETE', '/connectors/{name}', async () => ({ status: 204 }), { illFormedNames: true })
      .on('POST', '/connectors/{name}/tasks/{task}/restart', async () => ({ status: 204 }));
    await fc.assert(
      fc.asyncProperty(targets, fc.constantFrom('GET', 'DELETE', 'POST', 'PUT', 'HEAD', 'OPTIONS'), async (t, method) => {
        try {
          const res = await router.dispatch({ method, path: t, query: {}, headers: {}, body: null });
          expect(res.status).toBeLessThan(300);
        } catch (e) {
          expect(e).toBeInstanceOf(ApiError);
          expect([400, 404, 405]).toContain((e as ApiError).status);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the local front and the API Gateway adapter', () => {
  it('regression (GET // killed the local stack): building the proxy event never throws, whatever the target', async () => {
    const { toProxyEvent } = await import('../../../host/http-server.ts');
    const { fromProxyEvent } = await import('../../../lib/api/apigw-adapter.ts');
    fc.assert(
      fc.property(targets, fc.uint8Array({ maxLength: 16 }), (url, body) => {
        const event = toProxyEvent({ url, method: 'GET', headers: { accept: 'application/json' } } as never, Buffer.from(body));
        const req = fromProxyEvent(event);
        expect(url.startsWith(req.path)).toBe(true);
        if (req.body === null && body.length > 0) expect(req.bodyError).toMatch(/UTF-8/);
      }),
      { numRuns: 2000 },
    );
  });
});
