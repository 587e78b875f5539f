/**
 * Named contexts, as kubectl and kcctl keep them: where each Tributary is and how to reach it.
 * The file is YAML, at `$TRIBUTARY_CONFIG` or `~/.tributary/config.yaml`:
 *
 *   current-context: local
 *   contexts:
 *     local: { url: http://127.0.0.1:8083 }
 *     prod:  { url: https://abc.execute-api.eu-west-1.amazonaws.com/prod, aws: { region: eu-west-1, profile: prod } }
 *
 * A context with `aws` is signed with SigV4 from the standard AWS credential chain.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { UsageError } from './cli-errors.ts';

const awsSchema = z.strictObject({ region: z.string().min(1), profile: z.string().min(1).optional(), service: z.string().min(1).optional() });
const contextSchema = z.strictObject({ url: z.url(), aws: awsSchema.optional(), token: z.string().min(1).optional() });
const configSchema = z.strictObject({
  'current-context': z.string().optional(),
  contexts: z.record(z.string(), contextSchema).default({}),
});

export type AwsSettings = z.infer<typeof awsSchema>;
export type CliContext = z.infer<typeof contextSchema> & { readonly name: string };
export type CliConfig = z.infer<typeof configSchema>;

export const DEFAULT_URL = 'http://127.0.0.1:8083';

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.TRIBUTARY_CONFIG ?? join(homedir(), '.tributary', 'config.yaml');
}

export function readConfig(path = configPath()): CliConfig {
  if (!existsSync(path)) return { contexts: {} };
  const parsed = configSchema.safeParse(parse(readFileSync(path, 'utf8')) ?? {});
  if (!parsed.success) throw new UsageError(`${path} is not a valid Tributary config: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function writeConfig(config: CliConfig, path = configPath()): void {
  const checked = configSchema.safeParse(config);
  if (!checked.success) throw new UsageError(`Not saved: ${z.prettifyError(checked.error)}`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, stringify(checked.data), { mode: 0o600 });
}

/**
 * The context a command runs against: `--url` wins (an ad-hoc, unsigned context, or signed
 * when `--aws-region` is given), then `--context`, then `$TRIBUTARY_CONTEXT`, then the file's
 * current context, then the local stack's default URL.
 */
export function resolveContext(o: { url?: string; context?: string; awsRegion?: string }, env: NodeJS.ProcessEnv = process.env): CliContext {
  const token = env.TRIBUTARY_API_TOKEN || undefined;
  if (o.url) {
    const url = z.url().safeParse(o.url);
    if (!url.success) throw new UsageError(`--url ${o.url} is not a URL`);
    return { name: 'url', url: url.data, ...(o.awsRegion ? { aws: { region: o.awsRegion } } : {}), ...(token ? { token } : {}) };
  }
  const config = readConfig(configPath(env));
  const name = o.context ?? env.TRIBUTARY_CONTEXT ?? config['current-context'];
  if (!name) return { name: 'default', url: env.TRIBUTARY_URL ?? DEFAULT_URL, ...(token ? { token } : {}) };
  const found = config.contexts[name];
  if (!found) throw new UsageError(`No context named ${name} in ${configPath(env)} (known: ${Object.keys(config.contexts).join(', ') || 'none'})`);
  return { name, ...found, ...(token && !found.token ? { token } : {}) };
}
