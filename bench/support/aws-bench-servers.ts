/**
 * S3Mock and ElasticMQ for the AWS workloads, started on first use only (a run without those
 * workloads never starts them) and stopped with everything else at the end.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startElasticMq, startS3Mock, type EmulatorServer } from '../../host/aws-emulator-launcher.ts';

let s3: Promise<EmulatorServer> | undefined;
let sqs: Promise<EmulatorServer> | undefined;

export function benchS3(dataDir: string, log: (line: string) => void): Promise<EmulatorServer> {
  mkdirSync(join(dataDir, 'aws'), { recursive: true });
  s3 ??= startS3Mock(join(dataDir, 'aws'), log);
  return s3;
}

export function benchSqs(dataDir: string, log: (line: string) => void): Promise<EmulatorServer> {
  mkdirSync(join(dataDir, 'aws'), { recursive: true });
  sqs ??= startElasticMq(join(dataDir, 'aws'), log);
  return sqs;
}

export async function stopAwsBenchServers(): Promise<void> {
  const started = [s3, sqs].filter((p): p is Promise<EmulatorServer> => p !== undefined);
  s3 = sqs = undefined;
  await Promise.all(started.map(async (p) => (await p.catch(() => undefined))?.stop()));
}
