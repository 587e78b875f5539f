/**
 * Config providers: `${env:NAME}`, `${file:/path/file.properties:key}`,
 * `${secretsmanager:secret-id:json-key}` and `${ssm:/parameter/name}`. Placeholders are
 * stored and returned as written; only runners (and transient planning) resolve them.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from './config-def.ts';

const PLACEHOLDER = /\$\{([a-zA-Z][\w.-]*):([^}]*)\}/g;

export type ProviderResolver = (path: string, key: string | undefined) => Promise<string>;

export class ConfigProviderError extends ConfigError {
  override readonly name = 'ConfigProviderError';
}

const builtin: Record<string, ProviderResolver> = {
  env: async (name) => {
    const v = process.env[name];
    if (v === undefined) throw new ConfigProviderError(`Environment variable ${name} is not set`);
    return v;
  },
  file: async (path, key) => {
    const text = await readFile(path, 'utf8');
    if (key === undefined) return text.trim();
    for (const line of text.split(/\r?\n/)) {
      const m = /^\s*([^#!=:\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(line);
      if (m && m[1] === key) return m[2] ?? '';
    }
    throw new ConfigProviderError(`Key ${key} not found in ${path}`);
  },
  secretsmanager: async (secretId, key) => {
    const sdk = (await import('@aws-sdk/client-secrets-manager' as string)) as {
      SecretsManagerClient: new () => { send(c: unknown): Promise<{ SecretString?: string }> };
      GetSecretValueCommand: new (i: unknown) => unknown;
    };
    const out = await new sdk.SecretsManagerClient().send(new sdk.GetSecretValueCommand({ SecretId: secretId }));
    const s = out.SecretString ?? '';
    if (key === undefined) return s;
    const v = (JSON.parse(s) as Record<string, unknown>)[key];
    if (v === undefined) throw new ConfigProviderError(`Key ${key} not found in secret ${secretId}`);
    return String(v);
  },
  ssm: async (name) => {
    const sdk = (await import('@aws-sdk/client-ssm' as string)) as {
      SSMClient: new () => { send(c: unknown): Promise<{ Parameter?: { Value?: string } }> };
      GetParameterCommand: new (i: unknown) => unknown;
    };
    const out = await new sdk.SSMClient().send(new sdk.GetParameterCommand({ Name: name, WithDecryption: true }));
    return out.Parameter?.Value ?? '';
  },
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

/** Resolves every placeholder in a config. Unknown providers are left as written, as Connect does. */
export async function resolveConfig(config: Readonly<Record<string, string>>, providers: Record<string, ProviderResolver> = builtin): Promise<Record<string, string>> {
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
      result += v.slice(last, m.index) + (resolver ? await resolver(...split(provider, spec)) : whole);
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
