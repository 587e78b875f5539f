/**
 * The S3 side of the sink: uploads one object (one PutObject, or a multipart upload in parts
 * of `s3.part.size` when larger), and checks the bucket for validation. Every failure is
 * mapped to a connector error that says whether a retry can help.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { awsClientOptions } from '../aws/aws-client-config.ts';
import { awsErrorCode, awsHttpStatus, classifyAwsError } from '../aws/aws-errors.ts';
import { lazyDriver } from '../lazy-driver.ts';
import type { S3SinkSettings } from './s3-sink-config.ts';

/** The SDK's S3 client and commands, loaded when a task starts or a config is validated (see lazy-driver.ts). */
const s3Sdk = lazyDriver(() => import('@aws-sdk/client-s3'));
type S3Sdk = typeof import('@aws-sdk/client-s3');
type StorageSettings = Pick<S3SinkSettings, 'aws' | 'bucket' | 'pathStyle' | 'partSize'> & Partial<Pick<S3SinkSettings, 'sseAlgorithm' | 'sseKmsKeyId'>>;

export class S3Storage {
  readonly client: S3Client;

  /** `s3.ssea.name` and `s3.sse.kms.key.id` as the request parameters of PutObject and CreateMultipartUpload. */
  private readonly sse: { ServerSideEncryption?: 'AES256' | 'aws:kms'; SSEKMSKeyId?: string };

  /** A client for the bucket of these settings. */
  static async open(s: StorageSettings): Promise<S3Storage> {
    return new S3Storage(await s3Sdk.load(), s);
  }

  private constructor(
    private readonly sdk: S3Sdk,
    private readonly s: StorageSettings,
  ) {
    this.client = new sdk.S3Client({ ...awsClientOptions(s.aws), forcePathStyle: s.pathStyle });
    this.sse = s.sseAlgorithm ? { ServerSideEncryption: s.sseAlgorithm, ...(s.sseAlgorithm === 'aws:kms' && s.sseKmsKeyId ? { SSEKMSKeyId: s.sseKmsKeyId } : {}) } : {};
  }

  /** Writes the object whole; a later write of the same key replaces it, which makes redelivery idempotent. */
  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    const what = `S3 object s3://${this.s.bucket}/${key}`;
    try {
      if (body.length <= this.s.partSize) {
        await this.client.send(new this.sdk.PutObjectCommand({ Bucket: this.s.bucket, Key: key, Body: body, ContentType: contentType, ...this.sse }));
        return;
      }
      await this.multipart(key, body, contentType);
    } catch (e) {
      throw classifyAwsError(e, what);
    }
  }

  private async multipart(key: string, body: Buffer, contentType: string): Promise<void> {
    const { UploadId } = await this.client.send(new this.sdk.CreateMultipartUploadCommand({ Bucket: this.s.bucket, Key: key, ContentType: contentType, ...this.sse }));
    try {
      const parts: { ETag: string; PartNumber: number }[] = [];
      for (let offset = 0, n = 1; offset < body.length; offset += this.s.partSize, n++) {
        const chunk = body.subarray(offset, Math.min(body.length, offset + this.s.partSize));
        const { ETag } = await this.client.send(new this.sdk.UploadPartCommand({ Bucket: this.s.bucket, Key: key, UploadId, PartNumber: n, Body: chunk }));
        parts.push({ ETag: ETag ?? '', PartNumber: n });
      }
      await this.client.send(new this.sdk.CompleteMultipartUploadCommand({ Bucket: this.s.bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
    } catch (e) {
      // An unfinished upload is invisible but billed; drop it, and let the retry start over.
      await this.client.send(new this.sdk.AbortMultipartUploadCommand({ Bucket: this.s.bucket, Key: key, UploadId })).catch(() => undefined);
      throw e;
    }
  }

  /**
   * Checks that the bucket exists in the configured region and that these credentials may
   * use it; returns error messages per config key.
   */
  async check(region: string): Promise<Record<string, string[]>> {
    try {
      const head = await this.client.send(new this.sdk.HeadBucketCommand({ Bucket: this.s.bucket }));
      if (head.BucketRegion && head.BucketRegion !== region) {
        return { 's3.region': [`Bucket ${this.s.bucket} is in region ${head.BucketRegion}, not ${region}`] };
      }
      return {};
    } catch (e) {
      const status = awsHttpStatus(e);
      const code = awsErrorCode(e);
      const regionHeader = (e as { $response?: { headers?: Record<string, string> } }).$response?.headers?.['x-amz-bucket-region'];
      if (status === 301 || code === 'PermanentRedirect' || (regionHeader && regionHeader !== region)) {
        return { 's3.region': [`Bucket ${this.s.bucket} is in region ${regionHeader ?? 'another region'}, not ${region}`] };
      }
      if (status === 404 || code === 'NotFound' || code === 'NoSuchBucket') return { 's3.bucket.name': [`Bucket ${this.s.bucket} does not exist`] };
      if (status === 403 || code === 'Forbidden' || code === 'AccessDenied') {
        return { 's3.bucket.name': [`Access to bucket ${this.s.bucket} was denied: the credentials need s3:ListBucket on it and s3:PutObject on its objects`] };
      }
      const mapped = classifyAwsError(e, `bucket ${this.s.bucket}`);
      const key = /credential/i.test(mapped.message) ? 'aws.access.key.id' : this.s.aws.endpoint ? 'store.url' : 's3.bucket.name';
      return { [key]: [`Could not reach bucket ${this.s.bucket}: ${mapped.message}`] };
    }
  }

  close(): void {
    this.client.destroy();
  }
}
