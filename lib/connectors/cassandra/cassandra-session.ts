/**
 * A driver session from the connector's keys (contact points, local data center, PLAIN auth,
 * TLS, timeouts, pool size), and the driver's failures sorted into errors that name the key at
 * fault and say whether a retry can help.
 */
import { readFileSync } from 'node:fs';
import type { Client, ClientOptions } from 'cassandra-driver';
import type { Props } from '../../plugins/plugin-types.ts';
import { lazyDriver } from '../lazy-driver.ts';
import { CassandraAuthenticationError, CassandraConnectionError, CassandraError, CassandraWriteError } from './errors.ts';

/** The DataStax Node driver, loaded by the first session (see lazy-driver.ts). */
export const cassandraDriver = lazyDriver(() => import('cassandra-driver'));
/** The driver's module: its client, error classes and value types. */
export type CassandraDriver = typeof import('cassandra-driver');

/** Contact points as the driver takes them, with the `port` key applied to those given without one. */
export function contactPoints(props: Props): string[] {
  const port = props.port || '9042';
  const hosts = (props.contactPoints ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  return (hosts.length ? hosts : ['127.0.0.1']).map((h) => (/:\d+$/.test(h) && !h.startsWith('[') ? h : h.startsWith('[') && /\]:\d+$/.test(h) ? h : `${h}:${port}`));
}

export function clientOptions({ auth, types }: CassandraDriver, props: Props, overrides: { connectTimeoutMs?: number } = {}): ClientOptions {
  const plainAuth = props['auth.provider'] === 'PLAIN';
  const tls = props['ssl.provider'] === 'JDK' || props['ssl.provider'] === 'OpenSSL';
  const file = (key: string) => (props[key] ? readFileSync(props[key] as string) : undefined);
  const timeoutMs = Number(props.queryExecutionTimeout || 30) * 1000;
  return {
    contactPoints: contactPoints(props),
    localDataCenter: props['loadBalancing.localDc'] || 'datacenter1',
    ...(plainAuth ? { authProvider: new auth.PlainTextAuthProvider(props['auth.username'] ?? '', props['auth.password'] ?? '') } : {}),
    ...(tls
      ? {
          sslOptions: {
            rejectUnauthorized: true,
            ca: file('ssl.cafile'),
            cert: file('ssl.openssl.keyCertChain'),
            key: file('ssl.openssl.privateKey'),
            ...(props['ssl.hostnameValidation'] === 'false' ? { checkServerIdentity: () => undefined } : {}),
          },
        }
      : {}),
    socketOptions: { connectTimeout: overrides.connectTimeoutMs ?? 5000, readTimeout: timeoutMs },
    pooling: { coreConnectionsPerHost: { [types.distance.local]: Number(props.connectionPoolLocalSize || 4), [types.distance.remote]: 1 } },
    // Records carry int64 as bigint; maps are bound as Maps so their keys keep their types.
    encoding: { useBigIntAsLong: true, useBigIntAsVarint: true, map: Map },
  };
}

/** Opens a session; failures become errors naming the key at fault. */
export async function openSession(props: Props, overrides: { connectTimeoutMs?: number } = {}): Promise<Client> {
  const driver = await cassandraDriver.load();
  let client: Client;
  try {
    client = new driver.Client(clientOptions(driver, props, overrides));
  } catch (e) {
    throw classify(e, props);
  }
  try {
    await client.connect();
    return client;
  } catch (e) {
    await client.shutdown().catch(() => undefined);
    throw classify(e, props);
  }
}

/** The response codes (by the driver's names) a later attempt can get through. */
const RETRIABLE_CODES = ['unavailableException', 'overloaded', 'isBootstrapping', 'writeTimeout', 'readTimeout', 'truncateError', 'serverError'] as const;

function innerErrors(e: unknown): Error[] {
  const inner = (e as { innerErrors?: Record<string, Error> }).innerErrors;
  return inner ? Object.values(inner) : [];
}

/** The driver's message without the stack traces it appends to "no host available". */
function describe(e: unknown): string {
  const inner = (e as { innerErrors?: Record<string, Error> }).innerErrors;
  if (inner && Object.keys(inner).length > 0) return Object.entries(inner).map(([host, x]) => `${host}: ${x.message}`).join('; ');
  return ((e as Error)?.message ?? String(e)).split('\n')[0] ?? '';
}

/** Sorts a driver failure: credentials, data center, unreachable or overloaded nodes, or a rejected write. */
export function classify(e: unknown, props: Props): CassandraError {
  if (e instanceof CassandraError) return e;
  const where = contactPoints(props).join(', ');
  const all = [e, ...innerErrors(e)];
  const message = describe(e);
  const driver = cassandraDriver.loaded;
  // Before the driver loaded, no error can be one of its own.
  if (!driver) return new CassandraWriteError(message, { cause: e });
  const { errors, types } = driver;
  const authFailure = all.find((x): x is Error => x instanceof errors.AuthenticationError || (x instanceof errors.ResponseError && x.code === types.responseErrorCodes.badCredentials));
  if (authFailure) {
    return props['auth.provider'] !== 'PLAIN'
      ? new CassandraAuthenticationError(`Cassandra at ${where} requires authentication: set auth.provider=PLAIN with auth.username and auth.password (${authFailure.message})`, { cause: e, key: 'auth.provider' })
      : new CassandraAuthenticationError(`Cassandra at ${where} refused the credentials of user "${props['auth.username'] ?? ''}": ${authFailure.message}`, { cause: e, key: 'auth.password' });
  }
  if (all.some((x) => x instanceof errors.ArgumentError && /localDataCenter/.test(x.message))) {
    return new CassandraConnectionError(`Cassandra at ${where}: ${message}`, { cause: e, key: 'loadBalancing.localDc' });
  }
  if (e instanceof errors.NoHostAvailableError || e instanceof errors.OperationTimedOutError || e instanceof errors.BusyConnectionError) {
    return new CassandraConnectionError(`Cannot reach Cassandra at ${where}: ${message}`, { cause: e, retriable: true, key: 'contactPoints' });
  }
  if (e instanceof errors.ResponseError && RETRIABLE_CODES.some((name) => types.responseErrorCodes[name] === e.code)) {
    return new CassandraConnectionError(`Cassandra could not complete the write: ${message}`, { cause: e, retriable: true });
  }
  if (e instanceof errors.ArgumentError) return new CassandraConnectionError(`Cassandra at ${where}: ${message}`, { cause: e, key: 'contactPoints' });
  return new CassandraWriteError(message, { cause: e });
}

/** Whether the driver (not the mapping) rejected the write: what `ignoreErrors=Driver` skips. */
export function isDriverError(e: unknown): boolean {
  const driver = cassandraDriver.loaded;
  return driver !== undefined && e instanceof driver.errors.DriverError;
}
