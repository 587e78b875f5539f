/**
 * The local REST front: a node:http server on 127.0.0.1 that turns each request into an API
 * Gateway REST proxy event and calls the same middy API handler the API Lambda runs.
 * An optional bearer token stands in for API Gateway's IAM authorization.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { MAX_BODY_BYTES } from '../lib/api/request-parsing.ts';
import { errorBody } from '../lib/api/http-types.ts';
import { parseQuery, splitTarget } from '../lib/api/request-target.ts';
import { consoleAsset, isConsolePath, type AssetSource } from '../lib/console/console-assets.ts';
import { lambdaContext } from './lambda-context.ts';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: ReturnType<typeof lambdaContext>) => Promise<APIGatewayProxyResult>;

export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly handler: ProxyHandler;
  readonly token?: string | undefined;
  /** Routes of the local host itself, outside the Connect API (e.g. `/tributary/runners`). */
  readonly extraRoutes?: Readonly<Record<string, () => unknown>>;
  /**
   * `GET /metrics` in Prometheus' text format. Connect's REST API has no such path, and the
   * API's own routes live under `/connectors`, `/connector-plugins`, `/admin` and `/tributary`.
   */
  readonly prometheus?: { readonly contentType: string; render(): Promise<string> };
  /** The web console's files, served under `/ui` without the token (they hold no data; the API calls need it). */
  readonly console?: AssetSource;
}

/**
 * The request as API Gateway's REST proxy would hand it over. The target is split, never
 * resolved (the API's request-target parser judges it); a body that is not well-formed
 * UTF-8 travels base64-encoded so the API can refuse it instead of storing U+FFFD.
 */
export function toProxyEvent(req: IncomingMessage, body: Buffer): APIGatewayProxyEvent {
  const { path, query } = splitTarget(req.url ?? '/');
  const multi = parseQuery(query);
  const text = wellFormedUtf8(body);
  const single = Object.fromEntries(Object.entries(multi).map(([k, v]) => [k, v[v.length - 1] as string]));
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
  return {
    httpMethod: req.method ?? 'GET',
    path,
    resource: '/{proxy+}',
    headers,
    multiValueHeaders: {},
    queryStringParameters: Object.keys(single).length ? single : null,
    multiValueQueryStringParameters: Object.keys(multi).length ? multi : null,
    pathParameters: null,
    stageVariables: null,
    body: body.length === 0 ? null : (text ?? body.toString('base64')),
    isBase64Encoded: body.length > 0 && text === undefined,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
  };
}

function wellFormedUtf8(body: Buffer): string | undefined {
  try {
    return utf8.decode(body);
  } catch {
    return undefined;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function send(res: ServerResponse, status: number, body: string | Uint8Array, headers: Record<string, string> = {}): void {
  try {
    res.writeHead(status, { ...headers, ...(body.length ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) });
    res.end(body);
  } catch {
    // A header Node refuses to write (or a closed socket): drop the connection, never the host.
    res.destroy();
  }
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
    req.on('error', () => res.destroy());
    req.on('end', () => {
      try {
        answer();
      } catch (e) {
        // Nothing a client sends may take the host down.
        send(res, 500, JSON.stringify(errorBody(500, `Internal server error: ${(e as Error).name}`)), { 'Content-Type': 'application/json' });
      }
    });
    const answer = () => {
      const json = { 'Content-Type': 'application/json' };
      if (tooLarge) return send(res, 413, JSON.stringify(errorBody(413, `Request body is larger than ${MAX_BODY_BYTES} bytes`)), json);
      if (o.console && isConsolePath(splitTarget(req.url ?? '/').path)) {
        void consoleAsset(req.method ?? 'GET', req.url ?? '/', o.console).then(
          (r) => send(res, r.status, r.body, r.headers),
          (e: unknown) => send(res, 500, JSON.stringify(errorBody(500, `Internal server error: ${(e as Error).name}`)), json),
        );
        return;
      }
      if (o.token && req.headers.authorization !== `Bearer ${o.token}`) {
        return send(res, 401, JSON.stringify(errorBody(401, 'Missing or wrong bearer token (set by TRIBUTARY_API_TOKEN)')), json);
      }
      const { path } = splitTarget(req.url ?? '/');
      const extra = req.method === 'GET' && Object.hasOwn(o.extraRoutes ?? {}, path) ? o.extraRoutes?.[path] : undefined;
      if (extra) return send(res, 200, JSON.stringify(extra()), json);
      if (path === '/metrics' && o.prometheus) return scrape(o.prometheus);
      o.handler(toProxyEvent(req, Buffer.concat(chunks)), lambdaContext('tributary-api', 29_000))
        .then((r) => send(res, r.statusCode, r.body, Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k, String(v)]))))
        .catch((e: unknown) => send(res, 500, JSON.stringify(errorBody(500, `Internal server error: ${(e as Error).name}`)), json));
    };
    const scrape = (p: NonNullable<HttpServerOptions['prometheus']>) => {
      const json = { 'Content-Type': 'application/json' };
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, JSON.stringify(errorBody(405, 'HTTP 405 Method Not Allowed')), { ...json, Allow: 'GET, HEAD' });
      p.render()
        .then((text) => send(res, 200, req.method === 'HEAD' ? '' : text, { 'Content-Type': p.contentType }))
        .catch((e: unknown) => send(res, 500, JSON.stringify(errorBody(500, `Internal server error: ${(e as Error).name}`)), json));
    };
  });
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve(server));
  });
}
