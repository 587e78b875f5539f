/**
 * The Kafka port over TLS and SASL against a broker of its own whose listeners this test
 * configures: a certificate generated for the run, SCRAM users created through the admin API,
 * and OAUTHBEARER (the MSK IAM path, with an unsecured token since there is no IAM here).
 */
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Admin, alterUserScramCredentialsV0 } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka, kafkaClientOptions, type CredentialSources, type KafkaSettings } from '../../../lib/kafka/kafka-factory.ts';
import type { KafkaPort } from '../../../lib/kafka/kafka-port.ts';
import { uniqueName } from '../../support/local-host-process.ts';
import { eventually } from '../../support/rest-client.ts';
import { startSecureKafka, type SecureKafka } from '../../support/servers/secure-kafka-server.ts';

const SCRAM = { 'SCRAM-SHA-256': { id: 1, digest: 'sha256', bytes: 32 }, 'SCRAM-SHA-512': { id: 2, digest: 'sha512', bytes: 64 } } as const;

/** A SCRAM user, as `kafka-configs --alter --add-config 'SCRAM-SHA-…=[password=…]'` creates it. */
async function createScramUser(bootstrap: string, user: string, password: string): Promise<void> {
  const admin = new Admin({ clientId: 'tributary-test-setup', bootstrapBrokers: [bootstrap] });
  try {
    const [connection] = (await admin.connectToBrokers()).values();
    // One mechanism per request: the broker refuses a request naming a user twice.
    for (const { id, digest, bytes } of Object.values(SCRAM)) {
      const salt = randomBytes(24);
      const upsertion = { name: user, mechanism: id, iterations: 4096, salt, saltedPassword: pbkdf2Sync(password, salt, 4096, bytes, digest) };
      const res = await alterUserScramCredentialsV0.api.async(connection!, [], [upsertion]);
      expect(res.results.every((r) => r.errorCode === 0)).toBe(true);
    }
  } finally {
    await admin.close();
  }
}

/** An unsecured JWT (alg "none"), which the broker's default OAUTHBEARER validator accepts. */
function unsecuredJwt(sub: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none' })}.${part({ sub, iat: now, exp: now + 3600 })}.`;
}

/** Creates a topic, produces three records and reads them back, all through the port. */
async function roundTrip(kafka: KafkaPort): Promise<string[]> {
  const topic = uniqueName('secure');
  const admin = await kafka.admin();
  await admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1 }]);
  const producer = await kafka.producer();
  try {
    await producer.send(['a', 'b', 'c'].map((v) => ({ topic, key: null, value: Buffer.from(v) })));
  } finally {
    await producer.close();
  }
  const reader = await kafka.reader({ isolation: 'read_committed' });
  try {
    const { records } = await reader.fetch([{ topic, partition: 0, offset: 0 }], { maxWaitMs: 1000 });
    return records.map((r) => String(r.value));
  } finally {
    await reader.close();
  }
}

/** Whether the factory's options reach the broker: one metadata request, no retries. */
async function canConnect(settings: KafkaSettings, sources: CredentialSources): Promise<boolean> {
  const admin = new Admin({ ...(await kafkaClientOptions(settings, 'tributary-test', sources)), retries: 0, connectTimeout: 5000 });
  try {
    await admin.listTopics();
    return true;
  } catch {
    return false;
  } finally {
    await admin.close().catch(() => {});
  }
}

describe('TLS and SASL listeners', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-secure-kafka-'));
  const user = uniqueName('user');
  const password = randomBytes(16).toString('hex');
  let broker: SecureKafka;
  let tls: CredentialSources['tls'];

  beforeAll(async () => {
    broker = await startSecureKafka(dir, (line) => console.log(`[secure kafka] ${line}`));
    tls = { ca: broker.caPem };
    await createScramUser(broker.plaintext, user, password);
  }, 180_000);

  afterAll(async () => {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tls: produces and reads through the port, trusting the broker\'s certificate', async () => {
    const kafka = await createKafka({ KAFKA_BOOTSTRAP_SERVERS: broker.ssl, KAFKA_AUTH: 'tls' }, 'tributary-test', { tls });
    try {
      expect(await roundTrip(kafka)).toEqual(['a', 'b', 'c']);
    } finally {
      await kafka.close();
    }
  });

  it('tls: refuses a broker whose certificate it does not trust', async () => {
    expect(await canConnect({ KAFKA_BOOTSTRAP_SERVERS: broker.ssl, KAFKA_AUTH: 'tls' }, {})).toBe(false);
    expect(await canConnect({ KAFKA_BOOTSTRAP_SERVERS: broker.ssl, KAFKA_AUTH: 'tls' }, { tls })).toBe(true);
  });

  for (const auth of ['sasl-scram-256', 'sasl-scram-512'] as const) {
    it(`${auth}: authenticates with the secret's credentials and moves records`, async () => {
      const settings = { KAFKA_BOOTSTRAP_SERVERS: broker.saslSsl, KAFKA_AUTH: auth, KAFKA_SASL_SECRET_ARN: 'arn:aws:secretsmanager:test' };
      const sources: CredentialSources = { tls, scramSecret: async () => ({ username: user, password }) };
      // The controller publishes a new credential to the broker within moments.
      await eventually(async () => canConnect(settings, sources), { what: `${auth} login of ${user}` });
      const kafka = await createKafka(settings, 'tributary-test', sources);
      try {
        expect(await roundTrip(kafka)).toEqual(['a', 'b', 'c']);
      } finally {
        await kafka.close();
      }
      expect(await canConnect(settings, { tls, scramSecret: async () => ({ username: user, password: `${password}x` }) })).toBe(false);
    });
  }

  it('msk-iam path: OAUTHBEARER with the token provider\'s tokens', async () => {
    const settings = { KAFKA_BOOTSTRAP_SERVERS: broker.saslSsl, KAFKA_AUTH: 'msk-iam', AWS_REGION: 'eu-west-1' } as const;
    const asked: string[] = [];
    const sources: CredentialSources = {
      tls,
      mskIamToken: async (region) => {
        asked.push(region);
        return unsecuredJwt('tributary');
      },
    };
    const kafka = await createKafka(settings, 'tributary-test', sources);
    try {
      expect(await roundTrip(kafka)).toEqual(['a', 'b', 'c']);
    } finally {
      await kafka.close();
    }
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((r) => r === 'eu-west-1')).toBe(true);
    expect(await canConnect(settings, { tls, mskIamToken: async () => 'not-a-token' })).toBe(false);
  });
});
