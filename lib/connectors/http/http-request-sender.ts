/**
 * Sends one request with the connector's headers and authentication, retrying connection
 * errors and the configured status codes with exponential backoff and jitter. A 429 or 503
 * response's Retry-After sets the wait instead, as the server asked.
 */
import { HttpRequestFailedError, OAuth2TokenError } from './errors.ts';
import type { HttpSinkSettings } from './http-sink-config.ts';
import { OAuth2TokenSource } from './oauth2-token-source.ts';

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/** The longest wait between retries, whatever the backoff or Retry-After says. */
const MAX_WAIT_MS = 60_000;

export class HttpRequestSender {
  private readonly oauth: OAuth2TokenSource | undefined;
  private readonly baseHeaders: Record<string, string>;

  constructor(
    private readonly settings: HttpSinkSettings,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    const a = settings.auth;
    this.oauth = a.type === 'OAUTH2' ? new OAuth2TokenSource(a, settings.requestTimeoutMs) : undefined;
    this.baseHeaders = {};
    for (const [k, v] of settings.headers) this.baseHeaders[k] = v;
    if (a.type === 'BASIC') this.baseHeaders.Authorization = `Basic ${Buffer.from(`${a.user}:${a.password}`).toString('base64')}`;
    if (a.type === 'BEARER') this.baseHeaders.Authorization = `Bearer ${a.token}`;
    if (!Object.keys(this.baseHeaders).some((k) => k.toLowerCase() === 'content-type')) {
      this.baseHeaders['Content-Type'] = settings.bodyFormat === 'json' ? 'application/json' : 'text/plain; charset=utf-8';
    }
  }

  /** Resolves with a 2xx response; throws HttpRequestFailedError once retries are spent. */
  async send(method: string, url: string, body: string | undefined): Promise<HttpResponse> {
    const s = this.settings;
    let refreshedToken = false;
    for (let attempt = 0; ; attempt++) {
      let wait: number | undefined;
      let failure: HttpRequestFailedError;
      try {
        const headers = { ...this.baseHeaders };
        if (this.oauth) headers.Authorization = `Bearer ${await this.oauth.accessToken()}`;
        const res = await fetch(url, { method, headers, body: method === 'DELETE' && body === undefined ? undefined : body, signal: AbortSignal.timeout(s.requestTimeoutMs) });
        const text = await res.text();
        if (res.ok) return { status: res.status, body: text };
        if (res.status === 401 && this.oauth && !refreshedToken) {
          // An expired or revoked token: fetch a new one once, without spending a retry.
          this.oauth.invalidate();
          refreshedToken = true;
          attempt--;
          continue;
        }
        failure = new HttpRequestFailedError(`${method} ${redact(url)} answered ${res.status} ${res.statusText}: ${text.slice(0, 1000)}`, res.status, text);
        if (!s.retryCodes.has(res.status)) throw failure;
        if (res.status === 429 || res.status === 503) wait = retryAfterMs(res.headers.get('retry-after'));
      } catch (e) {
        if (e instanceof HttpRequestFailedError) throw e;
        if (e instanceof OAuth2TokenError) throw e;
        failure = new HttpRequestFailedError(`${method} ${redact(url)} failed: ${describe(e)}`, undefined, '', { cause: e });
      }
      if (attempt >= s.maxRetries) {
        throw new HttpRequestFailedError(`${failure.message} (after ${attempt} retries)`, failure.status, failure.responseBody, { cause: failure.cause });
      }
      await this.sleep(Math.min(wait ?? this.backoff(attempt), MAX_WAIT_MS));
    }
  }

  /** Exponential with "equal jitter": half the step is fixed, half random, so waits never collapse to zero. */
  backoff(attempt: number): number {
    const s = this.settings;
    if (!s.exponentialBackoff) return s.backoffMs;
    const step = Math.min(s.backoffMs * 2 ** attempt, MAX_WAIT_MS);
    return step / 2 + Math.random() * (step / 2);
  }
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** A URL without user info, which may carry credentials. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

function describe(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  const cause = err.cause?.code ?? err.cause?.message;
  return cause ? `${err.message} (${cause})` : err.message;
}
