/**
 * Builds the Kafka client from the environment: PLAINTEXT, TLS, SASL/SCRAM with credentials
 * from Secrets Manager, or MSK IAM (OAUTHBEARER tokens signed with the function's role).
 */
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { KafkaPort } from './kafka-port.ts';
import { PlatformaticKafka, type KafkaClientOptions } from './platformatic-adapter.ts';

export interface KafkaSettings {
  readonly KAFKA_BOOTSTRAP_SERVERS: string;
  readonly KAFKA_AUTH?: 'plaintext' | 'tls' | 'sasl-scram-256' | 'sasl-scram-512' | 'msk-iam' | undefined;
  readonly KAFKA_SASL_SECRET_ARN?: string | undefined;
  readonly AWS_REGION?: string | undefined;
}

/** Where credentials come from; replaceable so the paths can be tested without AWS. */
export interface CredentialSources {
  /** Reads `{"username","password"}` from a secret (default: Secrets Manager). */
  readonly scramSecret?: (secretArn: string) => Promise<{ username: string; password: string }>;
  /** Signs an MSK IAM token for the region (default: aws-msk-iam-sasl-signer-js with the ambient credentials). */
  readonly mskIamToken?: (region: string) => Promise<string>;
  /** Extra TLS options, e.g. a private CA (production brokers use the system's CAs). */
  readonly tls?: TlsOptions;
}

export async function kafkaClientOptions(s: KafkaSettings, clientId = 'tributary', sources: CredentialSources = {}): Promise<KafkaClientOptions> {
  const bootstrapBrokers = s.KAFKA_BOOTSTRAP_SERVERS.split(',').map((b) => b.trim()).filter(Boolean);
  const base: KafkaClientOptions = { clientId, bootstrapBrokers };
  const tls: TlsOptions = { ...sources.tls };
  switch (s.KAFKA_AUTH ?? 'plaintext') {
    case 'plaintext':
      return base;
    case 'tls':
      return { ...base, tls };
    case 'sasl-scram-256':
    case 'sasl-scram-512': {
      if (!s.KAFKA_SASL_SECRET_ARN) throw new Error('KAFKA_SASL_SECRET_ARN is required for SASL/SCRAM');
      const { username, password } = await (sources.scramSecret ?? secretsManagerScram)(s.KAFKA_SASL_SECRET_ARN);
      const mechanism = s.KAFKA_AUTH === 'sasl-scram-256' ? 'SCRAM-SHA-256' : 'SCRAM-SHA-512';
      return { ...base, tls, sasl: { mechanism, username, password } };
    }
    case 'msk-iam': {
      const region = s.AWS_REGION ?? 'us-east-1';
      const sign = sources.mskIamToken ?? mskIamSigner;
      // A provider, not a value: the client asks again whenever it (re)authenticates, and tokens expire.
      return { ...base, tls, sasl: { mechanism: 'OAUTHBEARER', token: () => sign(region) } };
    }
  }
}

async function secretsManagerScram(secretArn: string): Promise<{ username: string; password: string }> {
  const sdk = (await import('@aws-sdk/client-secrets-manager' as string)) as {
    SecretsManagerClient: new () => { send(c: unknown): Promise<{ SecretString?: string }> };
    GetSecretValueCommand: new (i: unknown) => unknown;
  };
  const out = await new sdk.SecretsManagerClient().send(new sdk.GetSecretValueCommand({ SecretId: secretArn }));
  const parsed = JSON.parse(out.SecretString ?? '{}') as { username?: string; password?: string };
  if (!parsed.username || !parsed.password) throw new Error(`Secret ${secretArn} must hold {"username","password"}`);
  return { username: parsed.username, password: parsed.password };
}

async function mskIamSigner(region: string): Promise<string> {
  const signer = (await import('aws-msk-iam-sasl-signer-js' as string)) as { generateAuthToken: (o: { region: string }) => Promise<{ token: string }> };
  return (await signer.generateAuthToken({ region })).token;
}

export async function createKafka(s: KafkaSettings, clientId?: string, sources?: CredentialSources): Promise<KafkaPort> {
  return new PlatformaticKafka(await kafkaClientOptions(s, clientId, sources));
}
