/**
 * The SQS side of both connectors: a client for the queue, the queue check used by
 * validation, and batched deletes.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { awsClientOptions } from '../aws/aws-client-config.ts';
import { AwsAccessDeniedError, AwsResourceNotFoundError, classifyAwsError, isTransientAwsError } from '../aws/aws-errors.ts';
import { lazyDriver } from '../lazy-driver.ts';
import type { SqsSettings } from './sqs-config.ts';

/** The SDK's SQS client and commands, loaded when a task starts or a config is validated (see lazy-driver.ts). */
export const sqsSdk = lazyDriver(() => import('@aws-sdk/client-sqs'));
/** The SDK's SQS module: the client and the command classes. */
export type SqsSdk = typeof import('@aws-sdk/client-sqs');

export function sqsClient(sdk: SqsSdk, s: SqsSettings, maxAttempts = 3): SQSClient {
  return new sdk.SQSClient({ ...awsClientOptions({ ...s.aws, maxAttempts }), useQueueUrlAsEndpoint: !s.aws.endpoint });
}

/** Checks that the queue exists and may be used; returns error messages per config key. */
export async function checkQueue(s: SqsSettings): Promise<Record<string, string[]>> {
  const sdk = await sqsSdk.load();
  const client = sqsClient(sdk, s, 1);
  try {
    await client.send(new sdk.GetQueueAttributesCommand({ QueueUrl: s.queueUrl, AttributeNames: ['QueueArn'] }));
    return {};
  } catch (e) {
    const mapped = classifyAwsError(e, `queue ${s.queueUrl}`);
    if (mapped instanceof AwsResourceNotFoundError) return { 'sqs.queue.url': [`Queue ${s.queueUrl} does not exist`] };
    if (mapped instanceof AwsAccessDeniedError) {
      const key = /credential/i.test(mapped.message) ? 'sqs.credentials.provider.class' : 'sqs.queue.url';
      return { [key]: [`${mapped.message}`] };
    }
    return { [s.aws.endpoint ? 'sqs.endpoint.url' : 'sqs.queue.url']: [`Could not reach queue ${s.queueUrl}: ${mapped.message}`] };
  } finally {
    client.destroy();
  }
}

/** DeleteMessageBatch calls in flight at once: a commit deletes thousands of messages, 10 per call. */
const DELETE_CONCURRENCY = 8;

/** What a batched delete left: entries SQS refused, and receipts to try again (the call failed transiently). */
export interface DeleteOutcome {
  readonly failed: { id: string; code: string; message: string }[];
  readonly retry: string[];
}

/**
 * Deletes received messages, 10 per call. A call that fails for good (access denied, no such
 * queue) throws; one that failed transiently (throttling, 5xx after the SDK's retries) leaves
 * its receipts in `retry`, for the next commit to delete (or, once their visibility timeout
 * passed, for SQS to deliver again).
 */
export async function deleteMessages(sdk: SqsSdk, client: SQSClient, queueUrl: string, receipts: readonly string[]): Promise<DeleteOutcome> {
  const failed: { id: string; code: string; message: string }[] = [];
  const retry: string[] = [];
  const chunks: string[][] = [];
  for (let i = 0; i < receipts.length; i += 10) chunks.push(receipts.slice(i, i + 10));
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++] as string[];
      try {
        const r = await client.send(new sdk.DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((ReceiptHandle, j) => ({ Id: String(j), ReceiptHandle })) }));
        for (const f of r.Failed ?? []) failed.push({ id: chunk[Number(f.Id)] ?? '', code: f.Code ?? '', message: f.Message ?? '' });
      } catch (e) {
        const err = classifyAwsError(e, `deleting messages from queue ${queueUrl}`);
        if (!isTransientAwsError(err)) throw err;
        retry.push(...chunk);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, chunks.length) }, worker));
  return { failed, retry };
}
