/**
 * The body parser and the request shapes built on it: whatever bytes or JSON arrive, the
 * answer is a value or an ApiError of 4xx, never another exception (which would be a 500).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api/api-errors.ts';
import { fromProxyEvent } from '../../../lib/api/apigw-adapter.ts';
import type { ApiRequest } from '../../../lib/api/http-types.ts';
import { offsetsBody } from '../../../lib/api/offsets-routes.ts';
import { checkName, configMap, createRequest, fullConfig, jsonBody } from '../../../lib/api/request-parsing.ts';
import type { APIGatewayProxyEvent } from 'aws-lambda';

const req = (body: string | null, extra: Partial<ApiRequest> = {}): ApiRequest => ({ method: 'POST', path: '/connectors', query: {}, headers: { 'content-type': 'application/json' }, body, ...extra });

function outcome(work: () => unknown): 'ok' | number {
  try {
    work();
    return 'ok';
  } catch (e) {
    if (!(e instanceof ApiError)) throw new Error(`not an ApiError: ${String(e)}`, { cause: e });
    return e.status;
  }
}

const loneSurrogates = fc.constantFrom('\ud800', '\udfff', 'a\udc00b', '\ud83d');
const jsonish = fc.oneof(
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.record({ name: fc.oneof(fc.string(), loneSurrogates, fc.integer()), config: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue())) }).map((v) => JSON.stringify(v)),
  fc.tuple(fc.constantFrom('{"name":"', '{"config":{"tasks.max":', '{"offsets":[{"partition":{"filename":"f"},"offset":{"position":'), fc.constantFrom('1.0', '1e0', '1e30', '-0', '"\\ud800"', '0x1', 'NaN', '9007199254740993')).map(([a, b]) => `${a}${b}}}`),
);

describe('body parsing properties', () => {
  it('jsonBody and every request shape answer a value or a 4xx ApiError', () => {
    fc.assert(
      fc.property(jsonish, (text) => {
        for (const numbersAsText of [false, true]) {
          const parsed = outcome(() => jsonBody(req(text), { numbersAsText }));
          if (parsed !== 'ok') {
            expect(parsed).toBeGreaterThanOrEqual(400);
            expect(parsed).toBeLessThan(500);
            continue;
          }
          const value = jsonBody(req(text), { numbersAsText });
          for (const shape of [() => checkName(createRequest(value).name), () => configMap(value), () => fullConfig(value), () => offsetsBody(value)]) {
            const r = outcome(shape);
            if (r !== 'ok') expect([400, 404, 413]).toContain(r);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('no string with a lone surrogate gets past jsonBody (keys or values, any depth)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), loneSurrogates, fc.boolean(), (v, bad, asKey) => {
        const body = JSON.stringify({ wrapper: [v, asKey ? { [bad]: 1 } : { k: bad }] });
        expect(outcome(() => jsonBody(req(body)))).toBe(400);
      }),
      { numRuns: 500 },
    );
  });

  it('regression: "tasks.max": 1.0 and 1e0 stay as written (Connect answers 400 for them), 1 is "1"', () => {
    const cfg = (n: string) => configMap(jsonBody(req(`{"tasks.max": ${n}}`), { numbersAsText: true }))['tasks.max'];
    expect(cfg('1.0')).toBe('1.0');
    expect(cfg('1e0')).toBe('1e0');
    expect(cfg('1')).toBe('1');
    expect(cfg('-2')).toBe('-2');
  });

  it('regression: invalid UTF-8 in a body is a 400, never U+FFFD (base64 events from the local front and API Gateway)', () => {
    const bytes = Buffer.concat([Buffer.from('{"name":"u'), Buffer.from([0xc3, 0x28]), Buffer.from('","config":{}}')]);
    const event = { httpMethod: 'POST', path: '/connectors', headers: { 'Content-Type': 'application/json' }, body: bytes.toString('base64'), isBase64Encoded: true } as unknown as APIGatewayProxyEvent;
    const request = fromProxyEvent(event);
    expect(outcome(() => jsonBody(request))).toBe(400);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (raw) => {
        const e = { ...event, body: Buffer.from(raw).toString('base64') } as APIGatewayProxyEvent;
        const r = outcome(() => jsonBody(fromProxyEvent(e)));
        if (r !== 'ok') expect(r).toBe(400);
        else expect(JSON.stringify(jsonBody(fromProxyEvent(e)))).not.toContain('\ufffd');
      }),
      { numRuns: 1000 },
    );
  });

  it('regression: a lone-surrogate name ("c\\ud800") is refused before anything is stored', () => {
    expect(outcome(() => jsonBody(req('{"name":"c\\ud800","config":{}}')))).toBe(400);
    expect(outcome(() => checkName('c\ud800'))).toBe(400);
    expect(outcome(() => checkName('d\u0085'))).toBe(400);
  });

  it('regression: an unknown top-level field in an offsets body is refused', () => {
    expect(outcome(() => offsetsBody({ offsets: [], extra: 1 }))).toBe(400);
  });
});
