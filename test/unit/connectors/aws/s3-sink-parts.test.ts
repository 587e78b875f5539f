/** Unit tests of the S3 sink's pure parts: path.format rendering, time partitions, config checks, AWS error mapping. */
import { describe, expect, it } from 'vitest';
import { AwsAccessDeniedError, AwsResourceNotFoundError, AwsTransientError, classifyAwsError } from '../../../../lib/connectors/aws/aws-errors.ts';
import { floorToPartition, formatJoda, parseJodaPattern } from '../../../../lib/connectors/s3/joda-path-format.ts';
import { parseS3SinkSettings, s3CrossKeyErrors, s3SinkConfigDef } from '../../../../lib/connectors/s3/s3-sink-config.ts';
import { isRetriable } from '../../../../lib/runtime/runtime-errors.ts';

const base = { 's3.bucket.name': 'b', 'flush.size': '10', 'format.class': 'JsonFormat' };

describe('path.format (Joda-Time patterns)', () => {
  it('renders quoted literals and fields in the time zone', () => {
    const t = parseJodaPattern("'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH");
    expect(formatJoda(t, Date.UTC(2024, 11, 31, 20, 15), 'Asia/Kolkata', 'en-US')).toBe('year=2025/month=01/day=01/hour=01');
    expect(formatJoda(parseJodaPattern("YYYY-MM-dd'T'HH:mm:ss.SSS"), Date.UTC(2024, 1, 29, 3, 4, 5, 67), 'UTC', 'en-US')).toBe('2024-02-29T03:04:05.067');
    expect(formatJoda(parseJodaPattern('MMM/EEEE'), Date.UTC(2024, 0, 1), 'UTC', 'en-US')).toBe('Jan/Monday');
    expect(formatJoda(parseJodaPattern("'it''s' yy"), Date.UTC(2024, 0, 1), 'UTC', 'en-US')).toBe("it's 24");
  });

  it('rejects unknown letters and unclosed quotes', () => {
    expect(() => parseJodaPattern('YYYY/qq')).toThrow(/Illegal pattern component: q/);
    expect(() => parseJodaPattern("'year=YYYY")).toThrow(/Unterminated quote/);
  });

  it('rounds down to the partition duration in local time, across a DST change', () => {
    const hour = 3_600_000;
    // 2024-03-31 in Paris: 02:00 CET jumps to 03:00 CEST (01:00Z).
    const t = Date.UTC(2024, 2, 31, 1, 30); // 03:30 CEST
    expect(floorToPartition(t, hour, 'Europe/Paris')).toBe(Date.UTC(2024, 2, 31, 1, 0));
    const day = floorToPartition(t, 24 * hour, 'Europe/Paris');
    expect(formatJoda(parseJodaPattern('YYYY-MM-dd HH:mm'), day, 'Europe/Paris', 'en-US')).toBe('2024-03-31 00:00');
    expect(floorToPartition(Date.UTC(2024, 0, 1, 5, 59), 15 * 60_000, 'Asia/Kolkata')).toBe(Date.UTC(2024, 0, 1, 5, 45));
  });
});

describe('S3 sink config', () => {
  const cross = (props: Record<string, string>) => {
    const parsed: Record<string, unknown> = {};
    for (const r of s3SinkConfigDef().validate({ ...base, ...props })) parsed[r.name] = r.value;
    return s3CrossKeyErrors(parsed as never);
  };

  it('takes Confluent defaults and simple class names', () => {
    const s = parseS3SinkSettings(base);
    expect(s).toMatchObject({ topicsDir: 'topics', partSize: 26_214_400, offsetPadWidth: 10, format: 'json', partitioner: 'default', nullValues: 'fail', parquetCodec: 'snappy', aws: { region: 'us-west-2' } });
    expect(parseS3SinkSettings({ ...base, 'partitioner.class': 'io.confluent.connect.storage.partitioner.HourlyPartitioner', locale: 'en_US', timezone: 'UTC' })).toMatchObject({ partitioner: 'time', partitionDurationMs: 3_600_000, locale: 'en-US' });
  });

  it('names the key of each cross-key error', () => {
    expect(Object.keys(cross({ 'partitioner.class': 'FieldPartitioner' }))).toEqual(['partition.field.name']);
    expect(Object.keys(cross({ 'partitioner.class': 'TimeBasedPartitioner' })).sort()).toEqual(['locale', 'partition.duration.ms', 'path.format', 'timezone']);
    expect(cross({ 's3.region': 'US East' })['s3.region']?.[0]).toMatch(/not an AWS region name/);
    expect(cross({ 'store.url': 'localhost:9000' })['store.url']?.[0]).toMatch(/not an http\(s\) URL/);
    expect(s3SinkConfigDef().validate({ ...base, 's3.part.size': '1000' }).find((r) => r.name === 's3.part.size')?.errors).toHaveLength(1);
    expect(s3SinkConfigDef().validate({ ...base, 'format.class': 'OrcFormat' }).find((r) => r.name === 'format.class')?.errors[0]).toMatch(/could not be found/);
  });
});

describe('AWS error mapping', () => {
  const sdkError = (name: string, status?: number) => Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });

  it('retries throttling, 5xx and network failures; not missing resources or denied access', () => {
    expect(classifyAwsError(sdkError('SlowDown', 503), 'bucket b')).toBeInstanceOf(AwsTransientError);
    expect(classifyAwsError(sdkError('ProvisionedThroughputExceededException', 400), 'table t')).toBeInstanceOf(AwsTransientError);
    expect(classifyAwsError(sdkError('InternalError', 500), 'x')).toBeInstanceOf(AwsTransientError);
    expect(classifyAwsError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), 'x')).toBeInstanceOf(AwsTransientError);
    expect(isRetriable(classifyAwsError(sdkError('SlowDown', 503), 'x'))).toBe(true);
    const missing = classifyAwsError(sdkError('NoSuchBucket', 404), 'bucket b');
    expect(missing).toBeInstanceOf(AwsResourceNotFoundError);
    expect(missing.message).toMatch(/bucket b does not exist/);
    expect(isRetriable(missing)).toBe(false);
    const denied = classifyAwsError(sdkError('AccessDenied', 403), 'bucket b');
    expect(denied).toBeInstanceOf(AwsAccessDeniedError);
    expect(isRetriable(denied)).toBe(false);
    expect(classifyAwsError(sdkError('QueueDoesNotExist', 400), 'queue q')).toBeInstanceOf(AwsResourceNotFoundError);
    // Regression: JSON-protocol errors carry `com.amazonaws.sqs#QueueDoesNotExist` as their Code.
    expect(classifyAwsError(Object.assign(sdkError('QueueDoesNotExist', 400), { Code: 'com.amazonaws.sqs#QueueDoesNotExist' }), 'queue q')).toBeInstanceOf(AwsResourceNotFoundError);
    const typeError = new TypeError('bug');
    expect(classifyAwsError(typeError, 'x')).toBe(typeError);
  });
});
