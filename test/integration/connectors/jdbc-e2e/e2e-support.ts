/**
 * Helpers for the JDBC end-to-end tests through the local host (REST → state machine →
 * runner processes → Kafka): sizes from the environment, a host per test file, an
 * independent Kafka reader that takes a snapshot of a whole topic, and the JsonConverter
 * envelope's Decimal encoding.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostProcess, uniqueName, type HostProcess } from '../../../support/local-host-process.ts';
import { testKafka, type TestKafka } from '../../../support/kafka-helpers.ts';
import { eventually, rest } from '../../../support/rest-client.ts';

/** A positive integer from the environment, or the default; a bad value fails loudly. */
export function envSize(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

export interface ConnectorStatus {
  connector: { state: string; worker_id: string; trace?: string };
  tasks: { id: number; state: string; worker_id: string; trace?: string }[];
  type: string;
}

/**
 * One local host in a temporary folder; `restart()` stops it with SIGTERM and starts it
 * again on the same data folder and DynamoDB table, as `npm start` after Ctrl-C.
 */
export class E2eHost {
  readonly dir = mkdtempSync(join(tmpdir(), 'tributary-jdbc-e2e-'));
  readonly tableName = uniqueName('jdbc-e2e');
  private current: HostProcess | undefined;

  constructor(
    private readonly kafkaBootstrap: string,
    private readonly dynamoEndpoint: string,
  ) {}

  get url(): string {
    if (!this.current) throw new Error('the host is not running');
    return this.current.restUrl;
  }

  /** Deletes connectors, if the host is up; for afterAll, so it never hides the test's own failure. */
  async deleteConnectors(...names: string[]): Promise<void> {
    if (!this.current) return;
    for (const name of names) await rest(this.current.restUrl, 'DELETE', `/connectors/${name}`).catch(() => undefined);
  }

  async start(): Promise<void> {
    this.current = await startHostProcess({
      kafkaBootstrap: this.kafkaBootstrap,
      dynamoEndpoint: this.dynamoEndpoint,
      dataDir: join(this.dir, 'data'),
      tableName: this.tableName,
      // An idle source wakes within 2 s, so rows inserted later show up quickly.
      env: { IDLE_BACKOFF_MAX_MS: '2000' },
    });
  }

  /** SIGTERM; resolves with the exit code once the host (and its runners) exited. */
  async stop(): Promise<number | null> {
    const host = this.current;
    this.current = undefined;
    return host ? host.stop('SIGTERM') : null;
  }

  output(): string {
    return this.current?.output() ?? '';
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Waits until the connector and `tasks` tasks report RUNNING; fails early on FAILED with its trace. */
  async running(name: string, tasks = 1): Promise<ConnectorStatus> {
    return eventually(
      async () => {
        const r = await rest<ConnectorStatus>(this.url, 'GET', `/connectors/${name}/status`);
        const failed = r.body.tasks?.find((t) => t.state === 'FAILED');
        if (failed) throw new Error(`task ${failed.id} FAILED:\n${failed.trace ?? ''}`);
        return r.body.connector?.state === 'RUNNING' && r.body.tasks.length === tasks && r.body.tasks.every((t) => t.state === 'RUNNING') ? r.body : undefined;
      },
      { what: `${name} and ${tasks} task(s) RUNNING`, timeoutMs: 60_000 },
    );
  }

  /** Waits until task 0 of the connector is FAILED; resolves with the status that says so (its trace). */
  async failed(name: string, timeoutMs = 90_000): Promise<ConnectorStatus> {
    return eventually(
      async () => {
        const r = await rest<ConnectorStatus>(this.url, 'GET', `/connectors/${name}/status`);
        return r.body.tasks?.[0]?.state === 'FAILED' ? r.body : undefined;
      },
      { what: `${name} to fail`, timeoutMs },
    );
  }

  /** Waits until no task execution of the connector is left (its runners committed and let go). */
  async executionsGone(name: string): Promise<void> {
    await eventually(async () => !(await rest<string[]>(this.url, 'GET', '/tributary/executions')).body.some((e) => e.startsWith(`${name}-`)), {
      what: `the executions of ${name} to end`,
      timeoutMs: 60_000,
    });
  }
}

export interface TopicMessage {
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

/** Reads Kafka with its own client, independently of Tributary's own client code. */
export class TopicReader {
  readonly kafka: TestKafka;

  constructor(bootstrap: string) {
    this.kafka = testKafka(bootstrap);
  }

  /** Messages in the topic now (sum of high watermarks minus low ones). */
  async count(topic: string): Promise<number> {
    return this.kafka.count(topic);
  }

  /** Waits until the topic holds at least `n` messages; returns how many it holds. */
  async atLeast(topic: string, n: number, timeoutMs = 120_000): Promise<number> {
    return eventually(
      async () => {
        const c = await this.count(topic);
        return c >= n ? c : undefined;
      },
      { what: `${n} messages in ${topic}`, timeoutMs, intervalMs: 100 },
    );
  }

  /** Waits until the topic's size stops changing for `quietMs`; returns that size. */
  async settled(topic: string, quietMs = 3000): Promise<number> {
    let last = await this.count(topic);
    let since = Date.now();
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      const c = await this.count(topic);
      if (c !== last) {
        last = c;
        since = Date.now();
      } else if (Date.now() - since >= quietMs) {
        return c;
      }
    }
  }

  /** Every message in the topic up to its high watermarks when called, in offset order per partition. */
  async snapshot(topic: string): Promise<TopicMessage[]> {
    return (await this.kafka.snapshot(topic)).map((m) => ({ partition: m.partition, offset: m.offset, key: m.key, value: m.value }));
  }

  async close(): Promise<void> {
    await this.kafka.close();
  }
}

/** A JsonConverter message with schemas.enable=true. */
export interface Envelope<T = Record<string, unknown>> {
  readonly schema: Record<string, unknown> & { fields?: Record<string, unknown>[] };
  readonly payload: T;
}

export function envelope<T = Record<string, unknown>>(bytes: Buffer | null): Envelope<T> {
  if (!bytes) throw new Error('expected a JSON envelope, got a null value');
  return JSON.parse(bytes.toString('utf8')) as Envelope<T>;
}

/** Connect's Decimal in JSON (decimal.format=BASE64): the unscaled value as big-endian two's complement. */
export function decodeDecimal(base64: string, scale: number): string {
  const bytes = Buffer.from(base64, 'base64');
  let unscaled = 0n;
  for (const b of bytes) unscaled = (unscaled << 8n) | BigInt(b);
  if (bytes.length > 0 && ((bytes[0] ?? 0) & 0x80) !== 0) unscaled -= 1n << BigInt(bytes.length * 8);
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}

/** The inverse of decodeDecimal: `"-42.50"` with scale 2 → base64 of -4250 in the fewest bytes. */
export function encodeDecimal(text: string, scale: number): string {
  const [int = '0', frac = ''] = text.replace('-', '').split('.');
  let unscaled = BigInt(int + frac.padEnd(scale, '0').slice(0, scale));
  if (text.startsWith('-')) unscaled = -unscaled;
  const bytes: number[] = [];
  let v = unscaled;
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (!((v === 0n && ((bytes[0] ?? 0) & 0x80) === 0) || (v === -1n && ((bytes[0] ?? 0) & 0x80) !== 0)));
  return Buffer.from(bytes).toString('base64');
}
