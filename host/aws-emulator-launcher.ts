/**
 * S3- and SQS-compatible servers, from Maven Central: Adobe's S3Mock (Spring Boot, Java 17)
 * and ElasticMQ, each on a free port with a capped heap; and AWS SDK clients for them with
 * dummy credentials (they accept any). The tests' global setup and the benchmark both start
 * them from here.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startJavaProcess } from './java-process.ts';
import { ELASTICMQ, resolveJars, S3MOCK } from './maven-resolver.ts';
import { freePort } from './net-probe.ts';

export interface EmulatorServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** The dummy credentials and region the emulators are reached with (as environment variables for a host). */
export const EMULATOR_AWS_ENV = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' } as const;

const credentials = { accessKeyId: EMULATOR_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: EMULATOR_AWS_ENV.AWS_SECRET_ACCESS_KEY };

export function emulatorS3Client(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: EMULATOR_AWS_ENV.AWS_REGION, forcePathStyle: true, credentials });
}

export function emulatorSqsClient(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: EMULATOR_AWS_ENV.AWS_REGION, credentials });
}

/** S3Mock with its objects under `dataDir`; region us-east-1. */
export async function startS3Mock(dataDir: string, log: (line: string) => void): Promise<EmulatorServer> {
  const jars = await resolveJars(S3MOCK, log);
  const [port, httpsPort] = [await freePort(), await freePort()];
  const root = join(dataDir, 's3mock');
  mkdirSync(root, { recursive: true });
  const proc = await startJavaProcess({
    name: 'S3Mock',
    classpath: `${jars}/*`,
    mainClass: 'com.adobe.testing.s3mock.S3MockApplication',
    args: [`--server.port=${httpsPort}`, `--com.adobe.testing.s3mock.http-port=${port}`, `--com.adobe.testing.s3mock.store.root=${root}`, '--server.address=127.0.0.1'],
    jvmOptions: ['-Xms64m', '-Xmx384m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'],
    logFile: join(dataDir, 's3mock.out'),
    // Spring Boot starts slowly on a busy 2-core machine.
    startTimeoutMs: 180_000,
    port,
  });
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => proc.stop() };
}

/** ElasticMQ in memory; queue URLs name 127.0.0.1 and the port. */
export async function startElasticMq(dataDir: string, log: (line: string) => void): Promise<EmulatorServer> {
  const jars = await resolveJars(ELASTICMQ, log);
  const port = await freePort();
  const proc = await startJavaProcess({
    name: 'ElasticMQ',
    classpath: `${jars}/*`,
    mainClass: 'org.elasticmq.server.Main',
    args: [],
    jvmOptions: [
      '-Xms32m',
      '-Xmx192m',
      '-XX:+UseSerialGC',
      `-Drest-sqs.bind-port=${port}`,
      '-Drest-sqs.bind-hostname=127.0.0.1',
      `-Dnode-address.port=${port}`,
      '-Dnode-address.host=127.0.0.1',
      '-Daws.region=us-east-1',
    ],
    logFile: join(dataDir, 'elasticmq.out'),
    port,
  });
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => proc.stop() };
}
