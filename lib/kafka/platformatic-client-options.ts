/**
 * What every @platformatic/kafka client of the adapter shares: connection settings, the retry
 * policy, and how the library's errors become the port's.
 */
import { findErrorBy, type BaseOptions } from '@platformatic/kafka';
import { KafkaPortError } from './kafka-port.ts';

/** Connection settings from the factory: brokers, client id, TLS and SASL. */
export type KafkaClientOptions = Pick<BaseOptions, 'clientId' | 'bootstrapBrokers' | 'tls' | 'sasl'>;

/**
 * Delay before the next attempt of a failed call. The library's default (1 s flat) makes a
 * transactional producer crawl: after every EndTxn the coordinator answers the next
 * AddPartitionsToTxn with CONCURRENT_TRANSACTIONS until it has written the markers, a few
 * milliseconds. A source task starts its next transaction right away (the batch was converted
 * while the last one committed), so that wait is short first (2, 4, 8, 16 ms), then 20 ms as
 * Java's client waits, then longer. Everything else backs off exponentially.
 */
export function retryDelay(_client: unknown, _operation: string, attempt: number, _retries: number, error: Error): number {
  if (findErrorBy(error, 'apiId', 'CONCURRENT_TRANSACTIONS')) return attempt <= 10 ? Math.min(2 ** attempt, 20) : Math.min(20 * 2 ** (attempt - 10), 500);
  return Math.min(100 * 2 ** (attempt - 1), 2000);
}

/** Options every client gets; `retries` covers about 30 s of backoff for retriable errors. */
export function baseClientOptions(o: KafkaClientOptions): BaseOptions {
  return {
    ...o,
    connectTimeout: 10_000,
    requestTimeout: 30_000,
    timeout: 30_000,
    retries: 20,
    retryDelay,
    // Metadata is refreshed on any leadership error; a long age saves a round trip per call.
    metadataMaxAge: 60_000,
  };
}

/** What a client answers about the versions of each API its broker speaks (its ApiVersions). */
interface SpokenApis {
  listApis(): Promise<readonly { apiKey: number; minVersion: number; maxVersion: number }[]>;
}

/** The newest of `candidates` (oldest first) that the broker speaks for the API; undefined when none. */
export async function newestSpoken<T extends { readonly version: number }>(client: SpokenApis, apiKey: number, candidates: readonly T[]): Promise<T | undefined> {
  const range = (await client.listApis()).find((a) => a.apiKey === apiKey);
  return range && candidates.findLast((c) => c.version >= range.minVersion && c.version <= range.maxVersion);
}

/** The library's error chain as the port's error, retriable when every error in it may be retried. */
export function portError(what: string, e: unknown): KafkaPortError {
  if (e instanceof KafkaPortError) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  const retriable = !findErrorBy(err, 'canRetry', false) && !findErrorBy(err, 'producerFenced', true) && !/closed/i.test(err.message);
  return new KafkaPortError(`${what}: ${describe(err)}`, retriable, { cause: e });
}

/** The innermost messages of an error chain (the library nests the broker's errors). */
function describe(e: Error): string {
  const nested = (e as { errors?: unknown }).errors;
  if (Array.isArray(nested) && nested.length > 0) {
    const last = nested[nested.length - 1] as Error;
    return `${e.message} ${describe(last)}`;
  }
  return e.message;
}

/** True when the chain holds the broker error with this name (e.g. TOPIC_ALREADY_EXISTS). */
export function hasKafkaError(e: unknown, apiId: string): boolean {
  return e instanceof Error && findErrorBy(e, 'apiId', apiId) !== null;
}
