/**
 * The web console's static files under `/ui`, wherever they are kept (console/dist on the
 * laptop, an S3 bucket on AWS): content types, caching, the single-page fallback to
 * index.html, and no way out of the console's folder. The target is read by the API's own
 * request-target rules (lib/api/request-target.ts): encoded dots and slashes are a 400, plain
 * dot segments name nothing (404), so a file name is always a plain relative key.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { errorBody } from '../api/http-types.ts';
import { parseRequestTarget } from '../api/request-target.ts';

/** Where the built files are: a key such as `assets/index-1a2b.js` → its bytes, or undefined. */
export interface AssetSource {
  read(key: string): Promise<Uint8Array | undefined>;
}

export interface AssetResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array | string;
}

export const CONSOLE_PREFIX = 'ui';

const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  json: 'application/json',
  txt: 'text/plain; charset=utf-8',
  png: 'image/png',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
};

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // The console only talks to its own origin; no inline script.
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
};

/** Whether a request path belongs to the console (`/ui` or below), before any decoding. */
export function isConsolePath(path: string): boolean {
  return path === `/${CONSOLE_PREFIX}` || path.startsWith(`/${CONSOLE_PREFIX}/`);
}

function json(status: number, message: string): AssetResponse {
  return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(errorBody(status, message)) };
}

/** Answers a console request from `source`; never throws for any target. */
export async function consoleAsset(method: string, target: string, source: AssetSource): Promise<AssetResponse> {
  if (method !== 'GET' && method !== 'HEAD') return { ...json(405, `HTTP method ${method} is not supported`), headers: { 'Content-Type': 'application/json', Allow: 'GET, HEAD' } };
  const t = parseRequestTarget(target);
  if (t.kind === 'bad-request') return json(400, t.message);
  if (t.kind === 'not-found' || t.segments[0] !== CONSOLE_PREFIX) return json(404, 'Not found');
  const rest = t.segments.slice(1);
  // Defence in depth: a key is made of plain names only, whatever the parser let through.
  if (rest.some((s) => s.startsWith('.') || s.includes('/') || s.includes('\\') || s.includes('\0'))) return json(404, 'Not found');
  const key = rest.join('/');
  const ext = /\.([a-z0-9]+)$/i.exec(rest[rest.length - 1] ?? '')?.[1]?.toLowerCase();
  const file = key === '' || ext === undefined ? undefined : await source.read(key);
  if (file) {
    const immutable = rest[0] === 'assets';
    return {
      status: 200,
      headers: { 'Content-Type': TYPES[ext as string] ?? 'application/octet-stream', 'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache', ...SECURITY_HEADERS },
      body: file,
    };
  }
  // A missing file is a 404; any other path is a page of the single-page app.
  if (ext !== undefined) return json(404, `No console file ${key}`);
  const index = await source.read('index.html');
  if (!index) return json(503, 'The console is not built: run `npm run build:console` (npm ci builds it)');
  return { status: 200, headers: { 'Content-Type': TYPES.html as string, 'Cache-Control': 'no-cache', ...SECURITY_HEADERS }, body: index };
}

/** As the API function answers API Gateway: text as UTF-8, anything else base64 (it needs the API's binary media types). */
export function assetProxyResult(r: AssetResponse): APIGatewayProxyResult {
  if (typeof r.body === 'string') return { statusCode: r.status, headers: r.headers, body: r.body };
  const type = r.headers['Content-Type'] ?? '';
  const text = type.startsWith('text/') || type.includes('json') || type.includes('svg');
  return { statusCode: r.status, headers: r.headers, body: Buffer.from(r.body).toString(text ? 'utf8' : 'base64'), isBase64Encoded: !text };
}
