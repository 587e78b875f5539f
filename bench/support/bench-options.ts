/**
 * The benchmark's knobs, from `--flag=value` arguments or `BENCH_*` environment variables
 * (flags win). Unknown flags are an error, so a misspelled knob never runs with a default.
 */
import { z } from 'zod';

export const SYSTEMS = ['tributary', 'connect'] as const;
export type System = (typeof SYSTEMS)[number];

const count = z.coerce.number().int().positive();
const list = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));

export const WORKLOAD_IDS = ['source', 'sink', 'scaling', 'smt-chain', 'eos', 'avro-source', 'avro-sink', 'control-plane', 'recovery', 'rest-latency', 'ceiling', 'http-sink', 'mqtt-source', 's3-sink', 'sqs-source', 'cassandra-sink'] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

export const benchOptionsSchema = z
  .object({
    /** Records for the throughput workloads and the ceiling. */
    records: count.default(1_000_000),
    /** Bytes per record value (a file line without its newline). */
    recordSize: count.default(100),
    /** Records for the sink workload; default the same as `records`. */
    sinkRecords: count.optional(),
    /** Records for the S3 sink workload (each format), and messages for the SQS source workload. */
    s3Records: count.default(200_000),
    sqsMessages: count.default(20_000),
    /** Records for the Cassandra sink workload. */
    cassandraRecords: count.default(20_000),
    /** Connectors created one after another for the control-plane latency workload. */
    latencyConnectors: count.default(20),
    /** Requests per second and seconds of GET /connectors/{name}/status. */
    restRate: count.default(200),
    restSeconds: count.default(10),
    /** Which systems and workloads to run. Memory is measured during `source`. */
    systems: list(SYSTEMS).default([...SYSTEMS]),
    workloads: list(WORKLOAD_IDS).default([...WORKLOAD_IDS]),
    /** Heap limit of the Connect worker JVM; connect-distributed.sh uses 2G. */
    connectXmx: z.string().regex(/^\d+[kmgKMG]?$/).default('2g'),
    /** Connect's offset.flush.interval.ms (its sample worker config uses 10000). */
    connectOffsetFlushMs: count.default(10_000),
    /** Ports used when the benchmark starts its own broker and DynamoDB Local. */
    kafkaPort: count.default(29092),
    dynamoPort: count.default(28000),
    /** Upper bound for any single wait (a throughput run, a recovery). */
    timeoutSeconds: count.default(600),
    /** Where inputs, logs and the stores' data go; default a fresh temporary folder, removed at the end. */
    dataDir: z.string().optional(),
    /** Where latest.json and latest.svg are written. */
    resultsDir: z.string().optional(),
  })
  .strict();

export type BenchOptions = z.infer<typeof benchOptionsSchema>;

/** Thrown for a bad flag or environment value; the message says which and why. */
export class BenchOptionsError extends Error {
  override readonly name = 'BenchOptionsError';
}

const camel = (s: string) => s.toLowerCase().replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());

/** Reads `--records=1000` style flags and `BENCH_RECORDS=1000` style variables. */
export function readBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith('BENCH_') && v !== undefined) raw[camel(k.slice('BENCH_'.length))] = v;
  for (const arg of argv) {
    const m = /^--([a-z][a-z0-9-]*)=(.*)$/.exec(arg);
    if (!m) throw new BenchOptionsError(`Unexpected argument ${arg}: use --name=value`);
    raw[camel(m[1]!)] = m[2]!;
  }
  const parsed = benchOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ');
    throw new BenchOptionsError(`Bad benchmark options (${issues}). See bench/README.md for the knobs.`);
  }
  return parsed.data;
}
