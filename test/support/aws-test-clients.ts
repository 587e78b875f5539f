/**
 * What the AWS connectors' tests do with the servers the global setup started (S3Mock,
 * ElasticMQ, DynamoDB Local): dummy credentials for this process (those servers accept any),
 * and bucket reads. The clients themselves, and the environment a local host needs to reach the
 * servers, are in host/aws-emulator-launcher.ts.
 */
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { EMULATOR_AWS_ENV } from '../../host/aws-emulator-launcher.ts';

/** Makes the AWS SDK's default credentials chain of this process find the dummy keys. */
export function useTestCredentials(): void {
  for (const [k, v] of Object.entries(EMULATOR_AWS_ENV)) process.env[k] = v;
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
