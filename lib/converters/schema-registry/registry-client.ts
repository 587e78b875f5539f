/**
 * A client for the Confluent Schema Registry REST API, with lookups cached per schema id and
 * per subject. Written here rather than taken from npm: the maintained JavaScript clients take
 * one URL (Confluent's takes a list and fails over), answer only through promises (a converter
 * needs cache hits synchronously to stay off the event loop per record), and bundle codecs of
 * their own where the converters need Connect's mapping.
 */
import { SchemaRegistryResponseError, SchemaRegistryUnreachableError } from './errors.ts';
import type { MaybePromise } from './maybe-async.ts';

export type SchemaType = 'AVRO' | 'PROTOBUF' | 'JSON';

export interface SchemaReference {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

/** A schema as the registry stores it. */
export interface RegisteredSchema {
  readonly id: number;
  readonly schemaType: SchemaType;
  readonly schema: string;
  readonly references: readonly SchemaReference[];
  readonly version?: number;
}

export interface RegistryClientOptions {
  /** One or more base URLs; a request fails over to the next URL when one does not answer. */
  readonly urls: readonly string[];
  /** `user:password` for HTTP basic auth, if any. */
  readonly userInfo?: string | undefined;
  readonly requestTimeoutMs?: number;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

interface Endpoint {
  readonly base: string;
  readonly authorization?: string;
}

/** Confluent Schema Registry client; one per converter instance. */
export class SchemaRegistryClient {
  private readonly endpoints: Endpoint[];
  private current = 0;
  private readonly timeoutMs: number;
  private readonly byId = new Map<number, MaybePromise<RegisteredSchema>>();
  private readonly idBySubjectAndSchema = new Map<string, MaybePromise<number>>();
  private readonly latestBySubject = new Map<string, MaybePromise<RegisteredSchema>>();

  constructor(options: RegistryClientOptions) {
    this.timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.endpoints = options.urls.map((u) => endpoint(u, options.userInfo));
  }

  /** The schema with this id (GET /schemas/ids/{id}); cached for good, ids never change. */
  schemaById(id: number): MaybePromise<RegisteredSchema> {
    return this.cached(this.byId, id, async () => {
      const body = (await this.request('GET', `/schemas/ids/${id}`)) as { schema: string; schemaType?: SchemaType; references?: SchemaReference[] };
      return { id, schema: body.schema, schemaType: body.schemaType ?? 'AVRO', references: body.references ?? [] };
    });
  }

  /** Registers the schema under the subject (POST /subjects/{s}/versions) and returns its id; 409 when incompatible. */
  register(subject: string, schema: string, schemaType: SchemaType, references: readonly SchemaReference[] = []): MaybePromise<number> {
    return this.cached(this.idBySubjectAndSchema, `${subject}\0${schemaType}\0${schema}`, async () => {
      const body = (await this.request('POST', `/subjects/${encodeURIComponent(subject)}/versions`, payload(schema, schemaType, references))) as { id: number };
      this.byId.set(body.id, { id: body.id, schema, schemaType, references });
      return body.id;
    });
  }

  /** The id of a schema already registered under the subject (POST /subjects/{s}); 404 when it is not. */
  lookup(subject: string, schema: string, schemaType: SchemaType, references: readonly SchemaReference[] = []): MaybePromise<number> {
    return this.cached(this.idBySubjectAndSchema, `${subject}\0${schemaType}\0${schema}`, async () => {
      const body = (await this.request('POST', `/subjects/${encodeURIComponent(subject)}`, payload(schema, schemaType, references))) as { id: number };
      return body.id;
    });
  }

  /** The subject's latest version (GET /subjects/{s}/versions/latest), looked up once per converter. */
  latest(subject: string): MaybePromise<RegisteredSchema> {
    return this.cached(this.latestBySubject, subject, async () => {
      const body = (await this.request('GET', `/subjects/${encodeURIComponent(subject)}/versions/latest`)) as {
        id: number;
        version: number;
        schema: string;
        schemaType?: SchemaType;
        references?: SchemaReference[];
      };
      const s: RegisteredSchema = { id: body.id, version: body.version, schema: body.schema, schemaType: body.schemaType ?? 'AVRO', references: body.references ?? [] };
      this.byId.set(s.id, s);
      return s;
    });
  }

  /** A cache entry: the value once known, the pending promise meanwhile; failures are not kept. */
  private cached<K, V>(cache: Map<K, MaybePromise<V>>, key: K, load: () => Promise<V>): MaybePromise<V> {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const pending = load().then(
      (v) => {
        cache.set(key, v);
        return v;
      },
      (e: unknown) => {
        cache.delete(key);
        throw e;
      },
    );
    cache.set(key, pending);
    return pending;
  }

  /** One request, failing over across the URLs when a registry does not answer at all. */
  private async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    let lastError: unknown;
    for (let i = 0; i < this.endpoints.length; i++) {
      const index = (this.current + i) % this.endpoints.length;
      const ep = this.endpoints[index] as Endpoint;
      const url = ep.base + path;
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: {
            Accept: `${CONTENT_TYPE}, application/json`,
            ...(body === undefined ? {} : { 'Content-Type': CONTENT_TYPE }),
            ...(ep.authorization ? { Authorization: ep.authorization } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (e) {
        lastError = e;
        continue;
      }
      this.current = index;
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text === '' ? {} : JSON.parse(text);
      } catch {
        parsed = { message: text };
      }
      if (res.ok) return parsed;
      const err = parsed as { error_code?: number; message?: string };
      const code = typeof err.error_code === 'number' ? err.error_code : res.status;
      throw new SchemaRegistryResponseError(describe(res.status, code, err.message ?? text, method, url), res.status, code, url);
    }
    const urls = this.endpoints.map((e) => e.base);
    const cause = lastError as Error | undefined;
    const reason = (cause?.cause as Error | undefined)?.message ?? cause?.message ?? 'no answer';
    throw new SchemaRegistryUnreachableError(`Schema Registry unreachable at ${urls.join(', ')} (${method} ${path}): ${reason}`, urls, { cause });
  }
}

function payload(schema: string, schemaType: SchemaType, references: readonly SchemaReference[]): Record<string, unknown> {
  return { schema, ...(schemaType === 'AVRO' ? {} : { schemaType }), ...(references.length ? { references } : {}) };
}

function describe(status: number, code: number, message: string, method: string, url: string): string {
  const what = status === 409 ? 'Schema being registered is incompatible with an earlier schema' : 'Schema Registry request failed';
  return `${what}; error code: ${code}; ${message} (${method} ${url}, HTTP ${status})`;
}

/** A base URL without credentials (fetch refuses them) and its basic auth header. */
function endpoint(raw: string, userInfo: string | undefined): Endpoint {
  const u = new URL(raw.trim());
  const fromUrl = u.username ? `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}` : undefined;
  u.username = '';
  u.password = '';
  const base = u.toString().replace(/\/+$/, '');
  const creds = userInfo ?? fromUrl;
  return creds ? { base, authorization: `Basic ${Buffer.from(creds).toString('base64')}` } : { base };
}
