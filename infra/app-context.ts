/**
 * The CDK app's settings, read from context keys prefixed `tributary:` (cdk.json or
 * `cdk synth -c tributary:key=value`). Every key is validated; an unknown `tributary:` key
 * is an error, so a misspelled setting never silently falls back to a default.
 */
import { z } from 'zod';
import { InfraConfigError } from './errors.ts';

export const CONTEXT_PREFIX = 'tributary:';

/** Used when no bootstrap servers are given, so `cdk synth` works out of the box. */
export const PLACEHOLDER_BOOTSTRAP_SERVERS = 'kafka.example.invalid:9092';

/** Accepts `a,b,c` (CLI) or a JSON array (cdk.json). */
const list = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0));

/** Accepts a boolean (cdk.json) or `true`/`false` (CLI). */
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

const arn = (service: string) => z.string().regex(new RegExp(`^arn:[\\w-]+:${service}:`), `must be an ${service} ARN`);

export const appContextSchema = z
  .object({
    stackName: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/).default('Tributary'),
    kafkaBootstrapServers: z.string().min(1).optional(),
    kafkaAuth: z.enum(['plaintext', 'tls', 'sasl-scram-256', 'sasl-scram-512', 'msk-iam']).default('plaintext'),
    /** Complete ARN (with the 6-character suffix) of `{"username","password"}`. */
    kafkaSaslSecretArn: arn('secretsmanager').optional(),
    /** The customer managed key of that secret (MSK requires one for SCRAM secrets). */
    kafkaSaslSecretKmsKeyArn: arn('kms').optional(),
    mskClusterArn: arn('kafka').optional(),
    /** Topic name patterns runners may use under MSK IAM. Default `*`. */
    mskTopics: list.optional(),
    vpcId: z.string().regex(/^vpc-[0-9a-f]+$/).optional(),
    subnetIds: list.pipe(z.array(z.string().regex(/^subnet-[0-9a-f]+$/)).min(1)).optional(),
    /** One per subnet, in the same order; only needed by constructs that ask for a subnet's AZ. */
    availabilityZones: list.optional(),
    securityGroupIds: list.pipe(z.array(z.string().regex(/^sg-[0-9a-f]+$/)).min(1)).optional(),
    removalPolicy: z.enum(['retain', 'destroy', 'snapshot']).default('retain'),
    deletionProtection: flag.optional(),
    tableKmsKeyArn: arn('kms').optional(),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    runnerMemoryMb: z.coerce.number().int().min(128).max(10_240).optional(),
    runnerTimeoutSeconds: z.coerce.number().int().min(60).max(900).optional(),
    /** Create the account-wide API Gateway logging role. Default true. */
    apiGatewayCloudWatchRole: flag.default(true),
    apiThrottleRateLimit: z.coerce.number().positive().optional(),
    apiThrottleBurstLimit: z.coerce.number().int().positive().optional(),
    webAclArn: arn('wafv2').optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const need = (ok: boolean, path: string, message: string) => {
      if (!ok) ctx.addIssue({ code: 'custom', path: [path], message });
    };
    const sasl = c.kafkaAuth === 'sasl-scram-256' || c.kafkaAuth === 'sasl-scram-512';
    need(!sasl || c.kafkaSaslSecretArn !== undefined, 'kafkaSaslSecretArn', `is required when kafkaAuth is ${c.kafkaAuth}`);
    need(sasl || c.kafkaSaslSecretArn === undefined, 'kafkaSaslSecretArn', 'is only used with kafkaAuth sasl-scram-256 or sasl-scram-512');
    need(c.kafkaAuth !== 'msk-iam' || c.mskClusterArn !== undefined, 'mskClusterArn', 'is required when kafkaAuth is msk-iam');
    need(c.kafkaAuth === 'msk-iam' || c.mskClusterArn === undefined, 'mskClusterArn', 'is only used with kafkaAuth msk-iam');
    need(c.vpcId === undefined || c.subnetIds !== undefined, 'subnetIds', 'is required with vpcId');
    need(c.subnetIds === undefined || c.vpcId !== undefined, 'vpcId', 'is required with subnetIds');
    need(c.securityGroupIds === undefined || c.vpcId !== undefined, 'vpcId', 'is required with securityGroupIds');
    need(
      c.availabilityZones === undefined || c.availabilityZones.length === c.subnetIds?.length,
      'availabilityZones',
      'must list one zone per subnet',
    );
  });

export type AppContext = z.infer<typeof appContextSchema>;

/** Anything with CDK's context lookup (an App or any construct node). */
export interface ContextSource {
  tryGetContext(key: string): unknown;
}

/**
 * Reads and validates the `tributary:` context keys.
 * @param keys every context key present (App node's `getAllContext()` keys).
 */
export function readAppContext(source: ContextSource, keys: readonly string[]): AppContext {
  const raw: Record<string, unknown> = {};
  for (const key of keys) {
    if (!key.startsWith(CONTEXT_PREFIX)) continue;
    const value = source.tryGetContext(key);
    if (value !== undefined) raw[key.slice(CONTEXT_PREFIX.length)] = value;
  }
  const result = appContextSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues
      .map((i) => (i.code === 'unrecognized_keys' ? `unknown key(s) ${i.keys.map((k) => CONTEXT_PREFIX + k).join(', ')}` : `${CONTEXT_PREFIX}${i.path.join('.')}: ${i.message}`))
      .join('; ');
    throw new InfraConfigError(`Invalid CDK context: ${problems}`);
  }
  return result.data;
}
