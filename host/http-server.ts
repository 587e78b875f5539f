/**
 * The local REST front: a node:http server on 127.0.0.1 that turns each request into an API
 * Gateway REST proxy event and calls the same middy API handler the API Lambda runs.
 * An optional bearer token stands in for API Gateway's IAM authorization.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { MAX_BODY_BYTES } from '../lib/api/request-parsing.ts';
import { errorBody } from '../lib/api/http-types.ts';
import { lambdaContext } from './lambda-context.ts';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: ReturnType<typeof lambdaContext>) => Promise<APIGatewayProxyResult>;

export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly handler: ProxyHandler;
  readonly token?: string | undefined;
  /** Routes of the local host itself, outside the Connect API (e.g. `/tributary/runners`). */
  readonly extraRoutes?: Readonly<Record<string, () => unknown>>;
}

export function toProxyEvent(req: IncomingMessage, body: string): APIGatewayProxyEvent {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const multi: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) (multi[k] ??= []).push(v);
  const single = Object.fromEntries(Object.entries(multi).map(([k, v]) => [k, v[v.length - 1] as string]));
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
  return {
    httpMethod: req.method ?? 'GET',
    path: url.pathname,
    resource: '/{proxy+}',
    headers,
    multiValueHeaders: {},
    queryStringParameters: Object.keys(single).length ? single : null,
    multiValueQueryStringParameters: Object.keys(multi).length ? multi : null,
    pathParameters: null,
    stageVariables: null,
    body: body === '' ? null : body,
    isBase64Encoded: false,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
  };
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, ...(body ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) });
  res.end(body);
}

export function startHttpServer(o: HttpServerOptions): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      const json = { 'Content-Type': 'application/json' };
      if (tooLarge) return send(res, 413, JSON.stringify(errorBody(413, `Request body is larger than ${MAX_BODY_BYTES} bytes`)), json);
      if (o.token && req.headers.authorization !== `Bearer ${o.token}`) {
        return send(res, 401, JSON.stringify(errorBody(401, 'Missing or wrong bearer token (set by TRIBUTARY_API_TOKEN)')), json);
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const extra = req.method === 'GET' ? o.extraRoutes?.[path] : undefined;
      if (extra) return send(res, 200, JSON.stringify(extra()), json);
      o.handler(toProxyEvent(req, Buffer.concat(chunks).toString('utf8')), lambdaContext('tributary-api', 29_000))
        .then((r) => send(res, r.statusCode, r.body, Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k, String(v)]))))
        .catch((e: unknown) => send(res, 500, JSON.stringify(errorBody(500, `Internal server error: ${(e as Error).name}`)), json));
    });
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve(server));
  });
}
