/**
 * The HTTP sink's options, with the keys and defaults of Confluent's HttpSinkConnector, and
 * their parsing into typed settings the task uses.
 */
import { ConfigDef, ConfigError, Validators, type ConfigValueType } from '../../config/config-def.ts';
import type { Props } from '../../plugins/plugin-types.ts';
import { parseStatusCodes, type StatusCodeSet } from './status-codes.ts';

export type AuthType = 'NONE' | 'BASIC' | 'OAUTH2' | 'BEARER';
export type BehaviorOnError = 'fail' | 'log' | 'ignore';

const upper = (...values: string[]) => (name: string, value: ConfigValueType) => Validators.in(...values)(name, typeof value === 'string' ? value.toUpperCase() : value);
const lower = (...values: string[]) => (name: string, value: ConfigValueType) => Validators.in(...values)(name, typeof value === 'string' ? value.toLowerCase() : value);

const statusCodes = (name: string, value: ConfigValueType) => {
  if (typeof value !== 'string') return;
  try {
    parseStatusCodes(value);
  } catch (e) {
    throw new ConfigError(`Invalid value ${value} for configuration ${name}: ${(e as Error).message}`, name);
  }
};

const url = (name: string, value: ConfigValueType) => {
  if (typeof value !== 'string' || value === '') return;
  // ${topic} and ${key} are filled per record; any value must still make a valid http(s) URL.
  const sample = value.replaceAll('${topic}', 'topic').replaceAll('${key}', 'key');
  let parsed: URL;
  try {
    parsed = new URL(sample);
  } catch {
    throw new ConfigError(`Invalid value ${value} for configuration ${name}: not a valid URL`, name);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigError(`Invalid value ${value} for configuration ${name}: the URL must be http or https`, name);
};

/** The options of io.confluent.connect.http.HttpSinkConnector that Tributary implements. */
export function httpSinkConfigDef(): ConfigDef {
  return new ConfigDef()
    .define({ name: 'http.api.url', type: 'STRING', importance: 'HIGH', validator: url, documentation: 'HTTP API URL. `${topic}` and `${key}` are replaced by the record\'s topic and (URL-encoded) key; records go in one batch only if they share the resulting URL.' })
    .define({ name: 'request.method', type: 'STRING', defaultValue: 'POST', importance: 'HIGH', validator: upper('POST', 'PUT', 'PATCH', 'DELETE'), validValues: '[POST, PUT, PATCH, DELETE]', documentation: 'HTTP request method.' })
    .define({ name: 'headers', type: 'STRING', defaultValue: '', importance: 'MEDIUM', documentation: 'HTTP headers sent with every request, `name:value` pairs separated by `header.separator`, e.g. `Content-Type:application/json|X-Env:prod`.' })
    .define({ name: 'header.separator', type: 'STRING', defaultValue: '|', importance: 'LOW', documentation: 'Separator of the pairs in `headers`.' })
    .define({ name: 'request.body.format', type: 'STRING', defaultValue: 'string', importance: 'MEDIUM', validator: lower('string', 'json'), validValues: '[string, json]', documentation: 'How a record value becomes the body: `string` sends strings and bytes as they are and other values as JSON text; `json` sends every value as JSON (a string value is taken to be JSON text already).' })
    .define({ name: 'batch.max.size', type: 'INT', defaultValue: 1, importance: 'MEDIUM', validator: Validators.between(1, 1_000_000), validValues: '[1,...,1000000]', documentation: 'The most records sent in one request.' })
    .define({ name: 'batch.prefix', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'Text before the records of a batch.' })
    .define({ name: 'batch.suffix', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'Text after the records of a batch.' })
    .define({ name: 'batch.separator', type: 'STRING', defaultValue: ',', importance: 'LOW', documentation: 'Text between the records of a batch.' })
    .define({ name: 'batch.json.as.array', type: 'BOOLEAN', defaultValue: false, importance: 'LOW', documentation: 'Send a batch as a JSON array of the records (ignores prefix, suffix and separator).' })
    .define({ name: 'behavior.on.null.values', type: 'STRING', defaultValue: 'ignore', importance: 'LOW', validator: lower('ignore', 'delete', 'fail'), validValues: '[ignore, delete, fail]', documentation: 'What to do with a record whose value is null (a tombstone): skip it, send a DELETE request to its URL, or fail the task.' })
    .define({ name: 'behavior.on.error', type: 'STRING', defaultValue: 'fail', importance: 'MEDIUM', validator: lower('fail', 'log', 'ignore'), validValues: '[fail, log, ignore]', documentation: 'When a request still fails after its retries: fail the task, log the error and go on, or go on silently. Failed records are reported to `reporter.error.topic.name` either way.' })
    .define({ name: 'auth.type', type: 'STRING', defaultValue: 'NONE', importance: 'HIGH', validator: upper('NONE', 'BASIC', 'OAUTH2', 'BEARER'), validValues: '[NONE, BASIC, OAUTH2, BEARER]', documentation: 'Authentication: none, HTTP Basic with `connection.user`/`connection.password`, OAuth2 client credentials, or a static bearer token (`bearer.token`).' })
    .define({ name: 'connection.user', type: 'STRING', defaultValue: null, importance: 'HIGH', documentation: 'The user for BASIC authentication.' })
    .define({ name: 'connection.password', type: 'PASSWORD', defaultValue: null, importance: 'HIGH', documentation: 'The password for BASIC authentication.' })
    .define({ name: 'bearer.token', type: 'PASSWORD', defaultValue: null, importance: 'HIGH', documentation: 'The token sent as `Authorization: Bearer <token>` when `auth.type=BEARER`.' })
    .define({ name: 'oauth2.token.url', type: 'STRING', defaultValue: null, importance: 'HIGH', documentation: 'OAUTH2: the token endpoint (client credentials grant).' })
    .define({ name: 'oauth2.client.id', type: 'STRING', defaultValue: null, importance: 'HIGH', documentation: 'OAUTH2: the client id.' })
    .define({ name: 'oauth2.client.secret', type: 'PASSWORD', defaultValue: null, importance: 'HIGH', documentation: 'OAUTH2: the client secret.' })
    .define({ name: 'oauth2.client.auth.mode', type: 'STRING', defaultValue: 'header', importance: 'LOW', validator: lower('header', 'url'), validValues: '[header, url]', documentation: 'OAUTH2: send the client credentials as a Basic Authorization header, or in the form body.' })
    .define({ name: 'oauth2.client.scope', type: 'STRING', defaultValue: 'any', importance: 'LOW', documentation: 'OAUTH2: the scope asked for.' })
    .define({ name: 'oauth2.token.property', type: 'STRING', defaultValue: 'access_token', importance: 'LOW', documentation: 'OAUTH2: the property of the token response that holds the token.' })
    .define({ name: 'retry.on.status.codes', type: 'STRING', defaultValue: '400-', importance: 'MEDIUM', validator: statusCodes, documentation: 'Status codes to retry: codes and inclusive ranges, comma-separated; `400-` is every code from 400 up, `500-599` a range. Connection errors and timeouts are always retried.' })
    .define({ name: 'max.retries', type: 'INT', defaultValue: 10, importance: 'MEDIUM', validator: Validators.atLeast(0), validValues: '[0,...]', documentation: 'The most retries of one request before `behavior.on.error` applies.' })
    .define({ name: 'retry.backoff.ms', type: 'INT', defaultValue: 3000, importance: 'MEDIUM', validator: Validators.atLeast(0), validValues: '[0,...]', documentation: 'The first wait before a retry; it doubles with every retry (up to a minute), with jitter. A 429 or 503 response\'s `Retry-After` header sets the wait instead.' })
    .define({ name: 'retry.backoff.policy', type: 'STRING', defaultValue: 'EXPONENTIAL_WITH_JITTER', importance: 'LOW', validator: upper('CONSTANT_VALUE', 'EXPONENTIAL_WITH_JITTER'), validValues: '[CONSTANT_VALUE, EXPONENTIAL_WITH_JITTER]', documentation: 'Constant waits of `retry.backoff.ms`, or exponential with jitter.' })
    .define({ name: 'http.connect.timeout.ms', type: 'INT', defaultValue: 30_000, importance: 'LOW', validator: Validators.atLeast(1), documentation: 'Time allowed to open the connection (Tributary: counts toward `http.request.timeout.ms`).' })
    .define({ name: 'http.request.timeout.ms', type: 'INT', defaultValue: 30_000, importance: 'LOW', validator: Validators.atLeast(1), documentation: 'Time allowed for one request and its response.' })
    .define({ name: 'reporter.result.topic.name', type: 'STRING', defaultValue: '${connector}-success', importance: 'MEDIUM', documentation: 'Topic for the responses of successful requests, one record per sent record (`${connector}` is the connector\'s name). Reporting is on when `reporter.bootstrap.servers` is set or this key is given.' })
    .define({ name: 'reporter.error.topic.name', type: 'STRING', defaultValue: '${connector}-error', importance: 'MEDIUM', documentation: 'Topic for the records whose request failed, with the error. Reporting is on when `reporter.bootstrap.servers` is set or this key is given.' })
    .define({ name: 'reporter.bootstrap.servers', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'Accepted for compatibility and turns reporting on; Tributary always writes reports to the connector\'s own Kafka cluster.' })
    .define({ name: 'report.errors.as', type: 'STRING', defaultValue: 'error_string', importance: 'LOW', validator: lower('error_string', 'http_response'), validValues: '[error_string, http_response]', documentation: 'The value of an error report: the error message, or the response body.' });
}

export interface HttpSinkSettings {
  readonly url: string;
  readonly method: string;
  readonly headers: readonly [string, string][];
  readonly bodyFormat: 'string' | 'json';
  readonly batchMaxSize: number;
  readonly batchPrefix: string;
  readonly batchSuffix: string;
  readonly batchSeparator: string;
  readonly batchJsonAsArray: boolean;
  readonly onNull: 'ignore' | 'delete' | 'fail';
  readonly onError: BehaviorOnError;
  readonly auth:
    | { readonly type: 'NONE' }
    | { readonly type: 'BASIC'; readonly user: string; readonly password: string }
    | { readonly type: 'BEARER'; readonly token: string }
    | { readonly type: 'OAUTH2'; readonly tokenUrl: string; readonly clientId: string; readonly clientSecret: string; readonly mode: 'header' | 'url'; readonly scope: string; readonly tokenProperty: string };
  readonly retryCodes: StatusCodeSet;
  readonly maxRetries: number;
  readonly backoffMs: number;
  readonly exponentialBackoff: boolean;
  readonly requestTimeoutMs: number;
  /** Topics for reports, or undefined when reporting is off. */
  readonly resultTopic: string | undefined;
  readonly errorTopic: string | undefined;
  readonly errorsAsResponse: boolean;
}

/** Parses and checks the options; throws ConfigError naming the key at fault. */
export function parseHttpSinkSettings(props: Props): HttpSinkSettings {
  const p = httpSinkConfigDef().parse(props);
  const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '');
  const required = (k: string, why: string) => {
    const v = str(k);
    if (!v) throw new ConfigError(`Missing required configuration "${k}" ${why}`, k);
    return v;
  };
  const authType = str('auth.type').toUpperCase() as AuthType;
  const auth: HttpSinkSettings['auth'] =
    authType === 'BASIC'
      ? { type: 'BASIC', user: required('connection.user', 'with auth.type=BASIC'), password: str('connection.password') }
      : authType === 'BEARER'
        ? { type: 'BEARER', token: required('bearer.token', 'with auth.type=BEARER') }
        : authType === 'OAUTH2'
          ? {
              type: 'OAUTH2',
              tokenUrl: required('oauth2.token.url', 'with auth.type=OAUTH2'),
              clientId: required('oauth2.client.id', 'with auth.type=OAUTH2'),
              clientSecret: required('oauth2.client.secret', 'with auth.type=OAUTH2'),
              mode: str('oauth2.client.auth.mode').toLowerCase() === 'url' ? 'url' : 'header',
              scope: str('oauth2.client.scope'),
              tokenProperty: str('oauth2.token.property') || 'access_token',
            }
          : { type: 'NONE' };
  const separator = str('header.separator') || '|';
  const headers: [string, string][] = [];
  for (const pair of str('headers').split(separator).map((h) => h.trim()).filter(Boolean)) {
    const colon = pair.indexOf(':');
    if (colon <= 0) throw new ConfigError(`Invalid value ${str('headers')} for configuration headers: "${pair}" is not a name:value pair`, 'headers');
    headers.push([pair.slice(0, colon).trim(), pair.slice(colon + 1).trim()]);
  }
  const connector = props.name ?? 'http-sink';
  const reporting = Boolean(str('reporter.bootstrap.servers')) || props['reporter.result.topic.name'] !== undefined || props['reporter.error.topic.name'] !== undefined;
  const topic = (k: string) => (reporting ? str(k).replaceAll('${connector}', connector) || undefined : undefined);
  return {
    url: str('http.api.url'),
    method: str('request.method').toUpperCase(),
    headers,
    bodyFormat: str('request.body.format').toLowerCase() === 'json' ? 'json' : 'string',
    batchMaxSize: p['batch.max.size'] as number,
    batchPrefix: str('batch.prefix'),
    batchSuffix: str('batch.suffix'),
    batchSeparator: str('batch.separator'),
    batchJsonAsArray: p['batch.json.as.array'] === true,
    onNull: str('behavior.on.null.values').toLowerCase() as HttpSinkSettings['onNull'],
    onError: str('behavior.on.error').toLowerCase() as BehaviorOnError,
    auth,
    retryCodes: parseStatusCodes(str('retry.on.status.codes')),
    maxRetries: p['max.retries'] as number,
    backoffMs: p['retry.backoff.ms'] as number,
    exponentialBackoff: str('retry.backoff.policy').toUpperCase() !== 'CONSTANT_VALUE',
    requestTimeoutMs: p['http.request.timeout.ms'] as number,
    resultTopic: topic('reporter.result.topic.name'),
    errorTopic: topic('reporter.error.topic.name'),
    errorsAsResponse: str('report.errors.as').toLowerCase() === 'http_response',
  };
}
