/**
 * A real HTTP server for HTTP sink tests, on a free port: records every request it accepts,
 * and can be told to answer some requests with an error status first (429 with Retry-After,
 * 503), to refuse bad credentials, and to issue OAuth2 client-credentials tokens.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface CapturedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface CaptureOptions {
  /** Basic or Bearer credential the API requires, as the whole Authorization header value. */
  requireAuthorization?: string;
  /** OAuth2 client allowed at POST /token, and the token it gets. */
  oauthClient?: { id: string; secret: string; token: string };
}

export class CaptureHttpServer {
  readonly requests: CapturedRequest[] = [];
  /** Statuses to answer next, in order, before accepting again (e.g. [429, 503]). */
  readonly failNext: { status: number; retryAfter?: string }[] = [];
  /** When > 0, every n-th API request is answered with this status first (429 then 503 alternately). */
  failEvery = 0;
  failures = 0;
  tokensIssued = 0;
  private server: Server | undefined;
  private seen = 0;
  port = 0;

  constructor(private readonly options: CaptureOptions = {}) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    if (path === '/token' && this.options.oauthClient) return this.token(req, body, res);
    if (this.options.requireAuthorization && req.headers.authorization !== this.options.requireAuthorization) {
      res.writeHead(401).end('unauthorized');
      return;
    }
    const scripted = this.failNext.shift();
    if (scripted) return this.fail(res, scripted.status, scripted.retryAfter);
    this.seen++;
    if (this.failEvery > 0 && this.seen % this.failEvery === 0) return this.fail(res, this.failures % 2 === 0 ? 429 : 503, '0');
    this.requests.push({ method: req.method ?? '', path, headers: req.headers, body });
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: true, n: this.requests.length }));
  }

  private fail(res: ServerResponse, status: number, retryAfter?: string): void {
    this.failures++;
    res.writeHead(status, retryAfter === undefined ? {} : { 'Retry-After': retryAfter }).end(`status ${status}`);
  }

  private token(req: IncomingMessage, body: string, res: ServerResponse): void {
    const client = this.options.oauthClient;
    const form = new URLSearchParams(body);
    const basic = req.headers.authorization?.startsWith('Basic ') ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString() : undefined;
    const [id, secret] = basic ? basic.split(':').map(decodeURIComponent) : [form.get('client_id'), form.get('client_secret')];
    if (form.get('grant_type') !== 'client_credentials' || id !== client?.id || secret !== client?.secret) {
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"invalid_client"}');
      return;
    }
    this.tokensIssued++;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: client.token, token_type: 'Bearer', expires_in: 3600 }));
  }
}
