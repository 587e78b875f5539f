/**
 * Builds the Kafka client from the environment: PLAINTEXT, TLS, SASL/SCRAM with credentials
 * from Secrets Manager, or MSK IAM.
 */
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { KafkajsAdapter } from './kafkajs-adapter.ts';
import type { KafkaPort } from './kafka-port.ts';

export interface KafkaSettings {
  readonly KAFKA_BOOTSTRAP_SERVERS: string;
  readonly KAFKA_AUTH?: 'plaintext' | 'tls' | 'sasl-scram-256' | 'sasl-scram-512' | 'msk-iam' | undefined;
  readonly KAFKA_SASL_SECRET_ARN?: string | undefined;
  readonly AWS_REGION?: string | undefined;
}

export async function kafkaConfig(s: KafkaSettings, clientId = 'tributary'): Promise<KafkaConfig> {
  const brokers = s.KAFKA_BOOTSTRAP_SERVERS.split(',').map((b) => b.trim()).filter(Boolean);
  const base: KafkaConfig = { clientId, brokers, connectionTimeout: 5000, requestTimeout: 30000 };
  switch (s.KAFKA_AUTH ?? 'plaintext') {
    case 'plaintext':
      return base;
    case 'tls':
      return { ...base, ssl: true };
    case 'sasl-scram-256':
    case 'sasl-scram-512': {
      const { username, password } = await scramCredentials(s.KAFKA_SASL_SECRET_ARN);
      const mechanism = s.KAFKA_AUTH === 'sasl-scram-256' ? 'scram-sha-256' : 'scram-sha-512';
      return { ...base, ssl: true, sasl: { mechanism, username, password } as SASLOptions };
    }
    case 'msk-iam': {
      const region = s.AWS_REGION ?? 'us-east-1';
      const signer = (await import('aws-msk-iam-sasl-signer-js' as string)) as { generateAuthToken: (o: { region: string }) => Promise<{ token: string }> };
      return {
        ...base,
        ssl: true,
        sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: (await signer.generateAuthToken({ region })).token }) },
      };
    }
  }
}

async function scramCredentials(secretArn: string | undefined): Promise<{ username: string; password: string }> {
  if (!secretArn) throw new Error('KAFKA_SASL_SECRET_ARN is required for SASL/SCRAM');
  const sdk = (await import('@aws-sdk/client-secrets-manager' as string)) as {
    SecretsManagerClient: new () => { send(c: unknown): Promise<{ SecretString?: string }> };
    GetSecretValueCommand: new (i: unknown) => unknown;
  };
  const out = await new sdk.SecretsManagerClient().send(new sdk.GetSecretValueCommand({ SecretId: secretArn }));
  const parsed = JSON.parse(out.SecretString ?? '{}') as { username?: string; password?: string };
  if (!parsed.username || !parsed.password) throw new Error(`Secret ${secretArn} must hold {"username","password"}`);
  return { username: parsed.username, password: parsed.password };
}

export async function createKafka(s: KafkaSettings, clientId?: string): Promise<KafkaPort> {
  return new KafkajsAdapter(await kafkaConfig(s, clientId));
}
