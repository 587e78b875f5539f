/**
 * Client settings shared by the AWS connectors: region, an optional custom endpoint (S3Mock,
 * ElasticMQ, DynamoDB Local, a VPC endpoint), and credentials. Without explicit keys the
 * AWS SDK's default provider chain applies (environment, profile, container or instance
 * role), which is what a runner on AWS uses.
 */

export interface AwsClientSettings {
  readonly region: string;
  /** A custom endpoint URL; empty for the service's public endpoint. */
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Attempts per call inside the SDK before the connector's own retry takes over. */
  readonly maxAttempts?: number;
}

/** Constructor options for an AWS SDK v3 client. */
export interface AwsClientOptions {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
}

/** AWS SDK client options for these settings; credentials only when both keys are given. */
export function awsClientOptions(s: AwsClientSettings): AwsClientOptions {
  const o: AwsClientOptions = { region: s.region, maxAttempts: s.maxAttempts ?? 3 };
  if (s.endpoint.trim()) o.endpoint = s.endpoint.trim();
  if (s.accessKeyId && s.secretAccessKey) o.credentials = { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey };
  return o;
}

/** Region names as AWS spells them (us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-5). */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** An error message when `region` is not a region name, else null. */
export function regionError(key: string, region: string): string | null {
  if (REGION.test(region)) return null;
  return `Invalid value ${region} for configuration ${key}: not an AWS region name (e.g. us-east-1)`;
}
