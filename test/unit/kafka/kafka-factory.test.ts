/**
 * How the factory turns KAFKA_AUTH into client options: TLS, SCRAM credentials from a secret,
 * and MSK IAM tokens signed with the ambient AWS credentials (no network: SigV4 presigning is local).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kafkaClientOptions } from '../../../lib/kafka/kafka-factory.ts';

const BOOTSTRAP = 'b-1.example:9098, b-2.example:9098';

describe('kafkaClientOptions', () => {
  it('plaintext: brokers and client id only', async () => {
    const o = await kafkaClientOptions({ KAFKA_BOOTSTRAP_SERVERS: BOOTSTRAP }, 'runner');
    expect(o).toEqual({ clientId: 'runner', bootstrapBrokers: ['b-1.example:9098', 'b-2.example:9098'] });
  });

  it('tls: TLS with the system CAs, or the extra options given', async () => {
    expect((await kafkaClientOptions({ KAFKA_BOOTSTRAP_SERVERS: BOOTSTRAP, KAFKA_AUTH: 'tls' })).tls).toEqual({});
    const ca = '-----BEGIN CERTIFICATE-----\n...';
    expect((await kafkaClientOptions({ KAFKA_BOOTSTRAP_SERVERS: BOOTSTRAP, KAFKA_AUTH: 'tls' }, 'x', { tls: { ca } })).tls).toEqual({ ca });
  });

  it('sasl-scram-256/512: TLS and the mechanism, with the credentials read from the secret', async () => {
    const asked: string[] = [];
    const scramSecret = async (arn: string) => {
      asked.push(arn);
      return { username: 'alice', password: 's3cret' };
    };
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_alice';
    const o256 = await kafkaClientOptions({ KAFKA_BOOTSTRAP_SERVERS: BOOTSTRAP, KAFKA_AUTH: 'sasl-scram-256', KAFKA_SASL_SECRET_ARN: arn }, 'x', { scramSecret });
    expect(o256.sasl).toEqual({ mechanism: 'SCRAM-SHA-256', username: 'alice', password: 's3cret' });
    expect(o256.tls).toEqual({});
    const o512 = await kafkaClientOptions({ KAFKA_BOOTSTRAP_SERVERS: BOOTSTRAP, KAFKA_AUTH: 'sasl-scram-512', KAFKA_SASL_SECRET_ARN: arn }, 'x', { scramSecret });
    expect(o512.sasl?.mechanism).toBe('SCRAM-SHA-512');
    expect(asked).toEqual([arn, arn]);
  });

  it('sasl-scram without a secret ARN is a configuration error', async () => {
    await expect(kafkaClientOptions({ KAFKA_BOOTSTRAP_SERVERS: BOOTSTRAP, KAFKA_AUTH: 'sasl-scram-512' })).rejects.toThrow(/KAFKA_SASL_SECRET_ARN is required/);
  });

  it('msk-iam: OAUTHBEARER over TLS with a token provider asked at every authentication', async () => {
    const regions: string[] = [];
    let n = 0;
    const o = await kafkaClientOptions({ KAFKA_BOOTSTRAP_SERVERS: BOOTSTRAP, KAFKA_AUTH: 'msk-iam', AWS_REGION: 'eu-central-1' }, 'x', {
      mskIamToken: async (region) => {
        regions.push(region);
        return `token-${++n}`;
      },
    });
    expect(o.tls).toEqual({});
    expect(o.sasl?.mechanism).toBe('OAUTHBEARER');
    const token = o.sasl?.token;
    expect(typeof token).toBe('function');
    // A fresh token each time: tokens expire, and the client re-authenticates with a new one.
    expect(await (token as () => Promise<string>)()).toBe('token-1');
    expect(await (token as () => Promise<string>)()).toBe('token-2');
    expect(regions).toEqual(['eu-central-1', 'eu-central-1']);
  });

  describe('msk-iam with the real signer', () => {
    const saved = { ...process.env };
    beforeEach(() => {
      process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLETRIBUTARY';
      process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
      process.env.AWS_SESSION_TOKEN = 'session-token-example';
      delete process.env.AWS_PROFILE;
    });
    afterEach(() => {
      process.env = { ...saved };
    });

    it('signs a kafka-cluster:Connect request for the region with the ambient credentials', async () => {
      const o = await kafkaClientOptions({ KAFKA_BOOTSTRAP_SERVERS: BOOTSTRAP, KAFKA_AUTH: 'msk-iam', AWS_REGION: 'eu-west-3' });
      const token = await (o.sasl?.token as () => Promise<string>)();
      const url = new URL(Buffer.from(token, 'base64url').toString('utf8'));
      expect(url.hostname).toBe('kafka.eu-west-3.amazonaws.com');
      expect(url.searchParams.get('Action')).toBe('kafka-cluster:Connect');
      expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
      expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIDEXAMPLETRIBUTARY\/\d{8}\/eu-west-3\/kafka-cluster\/aws4_request$/);
      expect(url.searchParams.get('X-Amz-Security-Token')).toBe('session-token-example');
      expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    });
  });
});
