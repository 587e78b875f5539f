/**
 * The environment of every Tributary function, one zod schema each. Handlers validate it
 * once at cold start; the CDK constructs type their `environment` from the same schemas,
 * so a missing variable fails at compile time rather than in production.
 */
import { z } from 'zod';

export const kafkaEnvSchema = z.object({
  KAFKA_BOOTSTRAP_SERVERS: z.string().min(1),
  /** How runners and the control plane authenticate to Kafka. */
  KAFKA_AUTH: z.enum(['plaintext', 'tls', 'sasl-scram-256', 'sasl-scram-512', 'msk-iam']).default('plaintext'),
  /** Secrets Manager ARN of `{"username","password"}` for SASL/SCRAM. */
  KAFKA_SASL_SECRET_ARN: z.string().optional(),
  AWS_REGION: z.string().optional(),
});

export const storeEnvSchema = z.object({
  TABLE_NAME: z.string().min(1),
  /** Set locally (DynamoDB Local); unset on AWS. */
  DYNAMODB_ENDPOINT: z.string().url().optional(),
});

const logEnvSchema = z.object({
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
});

export const apiEnvSchema = storeEnvSchema.merge(kafkaEnvSchema).merge(logEnvSchema).extend({
  STATE_MACHINE_ARN: z.string().min(1),
  /** Identifies this control plane in connector statuses (Connect's worker_id). */
  WORKER_ID: z.string().default('tributary-api'),
  /** The web console's files (the console layer's folder); `/ui` is served from it when set. */
  CONSOLE_DIR: z.string().min(1).optional(),
});

export const lifecycleEnvSchema = storeEnvSchema.merge(logEnvSchema).extend({
  /** Upper bound of one runner slice on Lambda, well inside the runner's timeout. */
  SLICE_BUDGET_MS: z.coerce.number().int().positive().default(240_000),
  /** Default upper bound of the idle backoff; a connector may set `tributary.idle.backoff.max.ms`. */
  IDLE_BACKOFF_MAX_MS: z.coerce.number().int().positive().default(60_000),
  /** Slices per execution before it continues as a new one (keeps history far below 25,000 events). */
  SLICES_PER_EXECUTION: z.coerce.number().int().positive().default(500),
  /** A slice ends as idle after this long without data. */
  IDLE_SLICE_END_MS: z.coerce.number().int().positive().default(5000),
});

export const runnerEnvSchema = storeEnvSchema.merge(kafkaEnvSchema).merge(logEnvSchema).extend({
  WORKER_ID: z.string().optional(),
});

export const restarterEnvSchema = storeEnvSchema.merge(logEnvSchema).extend({
  STATE_MACHINE_ARN: z.string().min(1),
  /** A RUNNING task whose heartbeat is older than this is restarted. */
  STALE_AFTER_MS: z.coerce.number().int().positive().default(900_000),
});

export const connectorResourceEnvSchema = logEnvSchema.extend({
  /** The API function that connectors declared in CDK are applied through. */
  API_FUNCTION_NAME: z.string().min(1),
});

export type ApiEnv = z.infer<typeof apiEnvSchema>;
export type LifecycleEnv = z.infer<typeof lifecycleEnvSchema>;
export type RunnerEnv = z.infer<typeof runnerEnvSchema>;
export type RestarterEnv = z.infer<typeof restarterEnvSchema>;

/** The variables a construct must set: the schema's input type, strings only. */
export type EnvInput<S extends z.ZodTypeAny> = { [K in keyof z.input<S>]-?: undefined extends z.input<S>[K] ? string | undefined : string };

export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
}

/** Validates an environment once, failing with every missing or malformed variable named. */
export function readEnv<S extends z.ZodTypeAny>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new EnvironmentError(`Invalid environment: ${problems}`);
  }
  return result.data;
}
