/**
 * OAuth2 client credentials: fetches a token from the token endpoint and keeps it until
 * shortly before it expires, or until the API answers 401 and the sender asks for a new one.
 */
import { OAuth2TokenError } from './errors.ts';

export interface OAuth2Settings {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly mode: 'header' | 'url';
  readonly scope: string;
  readonly tokenProperty: string;
}

export class OAuth2TokenSource {
  private token: { value: string; expiresAt: number } | undefined;

  constructor(
    private readonly settings: OAuth2Settings,
    private readonly timeoutMs: number,
  ) {}

  /** A valid access token, fetching one when none is cached or it is about to expire. */
  async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.expiresAt) return this.token.value;
    const s = this.settings;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (s.scope) form.set('scope', s.scope);
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
    if (s.mode === 'url') {
      form.set('client_id', s.clientId);
      form.set('client_secret', s.clientSecret);
    } else {
      headers.Authorization = `Basic ${Buffer.from(`${encodeURIComponent(s.clientId)}:${encodeURIComponent(s.clientSecret)}`).toString('base64')}`;
    }
    let res: Response;
    try {
      res = await fetch(s.tokenUrl, { method: 'POST', headers, body: form.toString(), signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      throw new OAuth2TokenError(`Cannot reach the OAuth2 token endpoint ${s.tokenUrl}: ${(e as Error).message}`, { cause: e });
    }
    const text = await res.text();
    if (!res.ok) throw new OAuth2TokenError(`The OAuth2 token endpoint ${s.tokenUrl} answered ${res.status}: ${text.slice(0, 500)}`);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new OAuth2TokenError(`The OAuth2 token endpoint ${s.tokenUrl} did not answer JSON`);
    }
    const value = body[s.tokenProperty];
    if (typeof value !== 'string' || !value) throw new OAuth2TokenError(`The OAuth2 token response has no "${s.tokenProperty}" property`);
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    // Renew a little early so a request never leaves with a token that expires on the way.
    this.token = { value, expiresAt: Date.now() + Math.max(0, expiresIn - 30) * 1000 };
    return value;
  }

  invalidate(): void {
    this.token = undefined;
  }
}
