/**
 * A second Kafka broker for the authentication tests: besides PLAINTEXT (for setup), an SSL
 * listener and a SASL_SSL listener (SCRAM-SHA-256/512 and OAUTHBEARER with unsecured tokens),
 * both with a certificate generated for this run by the JDK's keytool.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureKafka } from '../../../host/kafka-launcher.ts';
import { isPortOpen } from '../../../host/net-probe.ts';
import { freePort } from '../local-host-process.ts';

const run = promisify(execFile);

export interface SecureKafka {
  /** Unauthenticated listener, for setting the broker up (users, topics). */
  readonly plaintext: string;
  /** TLS listener. */
  readonly ssl: string;
  /** TLS listener with SASL (SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER). */
  readonly saslSsl: string;
  /** The broker's self-signed certificate (PEM): the CA a client must trust. */
  readonly caPem: string;
  stop(): Promise<void>;
}

/** Ports p and p+1 free (Kafka's controller listens on the successor). */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 65535 && !(await isPortOpen(port + 1))) return port;
  }
}

export async function startSecureKafka(dataDir: string, log?: (line: string) => void): Promise<SecureKafka> {
  const keystore = join(dataDir, 'broker.p12');
  const password = randomBytes(12).toString('hex');
  await run('keytool', [
    '-genkeypair', '-alias', 'broker', '-keyalg', 'RSA', '-keysize', '2048', '-validity', '2',
    '-dname', 'CN=127.0.0.1', '-ext', 'SAN=IP:127.0.0.1,DNS:localhost',
    '-keystore', keystore, '-storetype', 'PKCS12', '-storepass', password, '-keypass', password,
  ]);
  const { stdout: caPem } = await run('keytool', ['-exportcert', '-rfc', '-alias', 'broker', '-keystore', keystore, '-storepass', password]);
  const port = await freePortPair();
  const [sslPort, saslPort] = [await freePort(), await freePort()];
  const kafka = await ensureKafka({
    dataDir,
    port,
    log,
    env: {},
    extraListeners: [
      { name: 'SSL', port: sslPort, protocol: 'SSL' },
      { name: 'SASL_SSL', port: saslPort, protocol: 'SASL_SSL' },
    ],
    extraProperties: {
      'ssl.keystore.type': 'PKCS12',
      'ssl.keystore.location': keystore,
      'ssl.keystore.password': password,
      'ssl.key.password': password,
      'sasl.enabled.mechanisms': 'SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER',
      'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'listener.name.sasl_ssl.oauthbearer.sasl.jaas.config': 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="broker";',
    },
  });
  return { plaintext: kafka.bootstrapServers, ssl: `127.0.0.1:${sslPort}`, saslSsl: `127.0.0.1:${saslPort}`, caPem, stop: () => kafka.stop() };
}
