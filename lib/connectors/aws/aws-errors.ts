/**
 * Errors of the AWS connectors (S3, SQS, DynamoDB). Each says whether retrying can help, so
 * the runtime retries throttling and 5xx answers with backoff but fails fast on a missing
 * bucket, table or queue, or a denied permission.
 */
import { ConnectorError, type ConnectorErrorOptions } from '../connector-errors.ts';

export type AwsConnectorErrorOptions = Pick<ConnectorErrorOptions, 'cause' | 'retriable'>;

/** Base class of every AWS connector error. */
export class AwsConnectorError extends ConnectorError {
  override readonly name: string = 'AwsConnectorError';
}

/** The bucket, table or queue a connector names does not exist. */
export class AwsResourceNotFoundError extends AwsConnectorError {
  override readonly name = 'AwsResourceNotFoundError';
}

/** The credentials in use may not do what the connector needs. */
export class AwsAccessDeniedError extends AwsConnectorError {
  override readonly name = 'AwsAccessDeniedError';
}

/** Throttling, a 5xx answer or a network failure: worth retrying after a pause. */
export class AwsTransientError extends AwsConnectorError {
  override readonly name = 'AwsTransientError';
  constructor(message: string, options: AwsConnectorErrorOptions = {}) {
    super(message, { ...options, retriable: true });
  }
}

/** A record that cannot be written as configured (e.g. a null value with behavior.on.null.values=fail). */
export class AwsDataError extends AwsConnectorError {
  override readonly name = 'AwsDataError';
}

interface SdkErrorShape {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
  'RequestThrottled',
  'LimitExceededException',
  'ServiceUnavailable',
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const NOT_FOUND = new Set(['NoSuchBucket', 'NotFound', 'ResourceNotFoundException', 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'NonExistentQueue']);
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'Forbidden', 'UnauthorizedOperation', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'ExpiredTokenException', 'UnrecognizedClientException', 'InvalidClientTokenId', 'AuthFailure', 'MissingAuthenticationToken']);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'TimeoutError', 'AbortError']);

/** The error code of an AWS SDK v3 error (its name), or of a Node network error. */
export function awsErrorCode(e: unknown): string {
  const x = (e ?? {}) as SdkErrorShape;
  // JSON-protocol services send `com.amazonaws.sqs#QueueDoesNotExist`; the part after '#' is the code.
  return (x.Code ?? x.code ?? x.name ?? 'Error').split('#').pop() as string;
}

/** The HTTP status of an AWS SDK v3 service error, if it got that far. */
export function awsHttpStatus(e: unknown): number | undefined {
  return ((e ?? {}) as SdkErrorShape).$metadata?.httpStatusCode;
}

/** Whether an error from {@link classifyAwsError} may go away after a pause (throttling, a 5xx answer, the network). */
export function isTransientAwsError(e: Error): e is AwsConnectorError {
  return e instanceof AwsConnectorError && e.retriable;
}

/**
 * Maps an AWS SDK error to a connector error that says what failed, naming `what` (e.g.
 * `bucket "logs"`), and whether a retry may help. Programming errors pass through unchanged.
 */
export function classifyAwsError(e: unknown, what: string): Error {
  if (e instanceof AwsConnectorError) return e;
  if (e instanceof TypeError || e instanceof ReferenceError || e instanceof SyntaxError) return e;
  const code = awsErrorCode(e);
  const status = awsHttpStatus(e);
  const detail = `${code}${status ? ` (HTTP ${status})` : ''}: ${(e as Error | undefined)?.message ?? String(e)}`;
  if (NOT_FOUND.has(code) || (status === 404 && !THROTTLING.has(code))) return new AwsResourceNotFoundError(`${what} does not exist: ${detail}`, { cause: e });
  if (DENIED.has(code) || status === 403) return new AwsAccessDeniedError(`Access to ${what} was denied: ${detail}`, { cause: e });
  if (THROTTLING.has(code) || (status !== undefined && status >= 500) || status === 429 || NETWORK.has(code) || Boolean((e as SdkErrorShape | null)?.$retryable)) {
    return new AwsTransientError(`${what} is unavailable for now: ${detail}`, { cause: e });
  }
  if (status === undefined && /credential/i.test(`${code} ${(e as Error | undefined)?.message ?? ''}`)) {
    return new AwsAccessDeniedError(`No AWS credentials for ${what}: ${detail}`, { cause: e });
  }
  return new AwsConnectorError(`${what} failed: ${detail}`, { cause: e });
}
