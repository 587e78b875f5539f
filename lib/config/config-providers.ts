/**
 * Config providers: `${env:NAME}`, `${file:/path/file.properties:key}`,
 * `${secretsmanager:secret-id:json-key}` and `${ssm:/parameter/name}`. Placeholders are
 * stored and returned as written; only runners (and transient planning) resolve them.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from './config-def.ts';

const PLACEHOLDER = /\$\{([a-zA-Z][\w.-]*):([^}]*)\}/g;

/** Loads a provider's value (a secret, a file, a parameter) at most once for the resolver it belongs to. */
export type FetchOnce = (id: string, load: () => Promise<string>) => Promise<string>;

/** Resolves one placeholder; `fetchOnce` lets it share what it loads with the other placeholders of the same request. */
export type ProviderResolver = (path: string, key: string | undefined, fetchOnce: FetchOnce) => Promise<string>;

export class ConfigProviderError extends ConfigError {
  override readonly name = 'ConfigProviderError';
}

const builtin: Record<string, ProviderResolver> = {
  env: async (name) => {
    const v = process.env[name];
    if (v === undefined) throw new ConfigProviderError(`Environment variable ${name} is not set`);
    return v;
  },
  file: async (path, key, fetchOnce) => {
    const text = await fetchOnce(`file:${path}`, () => readFile(path, 'utf8'));
    if (key === undefined) return text.trim();
    for (const line of text.split(/\r?\n/)) {
      const m = /^\s*([^#!=:\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(line);
      if (m && m[1] === key) return m[2] ?? '';
    }
    throw new ConfigProviderError(`Key ${key} not found in ${path}`);
  },
  secretsmanager: async (secretId, key, fetchOnce) => {
    // One GetSecretValue per secret and request, whichever and however many keys are read from it.
    const s = await fetchOnce(`secretsmanager:${secretId}`, async () => {
      const sdk = (await import('@aws-sdk/client-secrets-manager' as string)) as {
        SecretsManagerClient: new () => { send(c: unknown): Promise<{ SecretString?: string }> };
        GetSecretValueCommand: new (i: unknown) => unknown;
      };
      const out = await new sdk.SecretsManagerClient().send(new sdk.GetSecretValueCommand({ SecretId: secretId }));
      return out.SecretString ?? '';
    });
    if (key === undefined) return s;
    const v = (JSON.parse(s) as Record<string, unknown>)[key];
    if (v === undefined) throw new ConfigProviderError(`Key ${key} not found in secret ${secretId}`);
    return String(v);
  },
  ssm: async (name, _key, fetchOnce) =>
    fetchOnce(`ssm:${name}`, async () => {
      const sdk = (await import('@aws-sdk/client-ssm' as string)) as {
        SSMClient: new () => { send(c: unknown): Promise<{ Parameter?: { Value?: string } }> };
        GetParameterCommand: new (i: unknown) => unknown;
      };
      const out = await new sdk.SSMClient().send(new sdk.GetParameterCommand({ Name: name, WithDecryption: true }));
      return out.Parameter?.Value ?? '';
    }),
};

/** Whether a value holds a provider placeholder. */
export function hasPlaceholder(value: string): boolean {
  PLACEHOLDER.lastIndex = 0;
  return PLACEHOLDER.test(value);
}

/** Splits `path:key` for providers that take a key; env and ssm take the whole path. */
function split(provider: string, spec: string): [string, string | undefined] {
  if (provider === 'env' || provider === 'ssm') return [spec, undefined];
  const idx = spec.lastIndexOf(':');
  return idx > 0 ? [spec.slice(0, idx), spec.slice(idx + 1)] : [spec, undefined];
}

/**
 * Resolves placeholders for one request: validation and task planning share it, so each
 * secret, file or parameter is fetched once per request (a cache of what it loaded), not once
 * per placeholder and step. A failed load is not kept, so a retry fetches again.
 */
export class ConfigResolver {
  private readonly loaded = new Map<string, Promise<string>>();

  constructor(private readonly providers: Readonly<Record<string, ProviderResolver>> = builtin) {}

  resolve(config: Readonly<Record<string, string>>): Promise<Record<string, string>> {
    return resolveConfig(config, this.providers, this.fetchOnce);
  }

  readonly fetchOnce: FetchOnce = (id, load) => {
    let value = this.loaded.get(id);
    if (!value) {
      value = load();
      this.loaded.set(id, value);
      value.catch(() => this.loaded.delete(id));
    }
    return value;
  };
}

/** Resolves every placeholder in a config. Unknown providers are left as written, as Connect does. */
export async function resolveConfig(
  config: Readonly<Record<string, string>>,
  providers: Readonly<Record<string, ProviderResolver>> = builtin,
  fetchOnce: FetchOnce = new ConfigResolver(providers).fetchOnce,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) {
    if (!hasPlaceholder(v)) {
      out[k] = v;
      continue;
    }
    let result = '';
    let last = 0;
    PLACEHOLDER.lastIndex = 0;
    for (let m = PLACEHOLDER.exec(v); m; m = PLACEHOLDER.exec(v)) {
      const [whole, provider = '', spec = ''] = m;
      const resolver = providers[provider];
      result += v.slice(last, m.index) + (resolver ? await resolver(...split(provider, spec), fetchOnce) : whole);
      last = m.index + whole.length;
    }
    out[k] = result + v.slice(last);
  }
  return out;
}

/**
 * Puts placeholders back into configs derived from a resolved one (task configs), so a
 * secret resolved for planning is never stored or returned in clear.
 */
export function unresolve(derived: Readonly<Record<string, string>>, raw: Readonly<Record<string, string>>, resolved: Readonly<Record<string, string>>): Record<string, string> {
  const back = new Map<string, string>();
  for (const [k, v] of Object.entries(raw)) if (hasPlaceholder(v) && resolved[k] !== undefined && resolved[k] !== '') back.set(resolved[k] as string, v);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(derived)) out[k] = back.get(v) ?? v;
  return out;
}
