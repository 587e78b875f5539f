/**
 * Independent AWS SDK clients for the AWS connectors' tests, pointed at the servers the
 * global setup started (S3Mock, ElasticMQ, DynamoDB Local), with dummy credentials: those
 * servers accept any. `AWS_TEST_ENV` is what a local host needs to reach them the same way.
 */
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { EMULATOR_AWS_ENV } from '../../host/aws-emulator-launcher.ts';

export { emulatorS3Client as testS3, emulatorSqsClient as testSqs } from '../../host/aws-emulator-launcher.ts';

export const AWS_TEST_ENV = EMULATOR_AWS_ENV;

/** Makes the AWS SDK's default credentials chain of this process find the dummy keys. */
export function useTestCredentials(): void {
  for (const [k, v] of Object.entries(AWS_TEST_ENV)) process.env[k] = v;
}

export async function createBucket(s3: S3Client, bucket: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
}

/** Every object key under a prefix, sorted. */
export async function listKeys(s3: S3Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

export async function getObject(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await (r.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}
