/**
 * Configuration of the S3 sink: the keys of Confluent's S3SinkConnector (storage, format,
 * partitioner and rotation), with the same names and defaults, parsed into typed settings.
 */
import { ConfigDef, ConfigError, Validators, type ConfigKeyInput, type ConfigValueType } from '../../config/config-def.ts';
import type { Props } from '../../plugins/plugin-types.ts';
import { regionError, type AwsClientSettings } from '../aws/aws-client-config.ts';

export const FORMAT_CLASSES = {
  json: 'io.confluent.connect.s3.format.json.JsonFormat',
  bytearray: 'io.confluent.connect.s3.format.bytearray.ByteArrayFormat',
  parquet: 'io.confluent.connect.s3.format.parquet.ParquetFormat',
  avro: 'io.confluent.connect.s3.format.avro.AvroFormat',
} as const;
export type FormatKind = keyof typeof FORMAT_CLASSES;

const PARTITIONER_PACKAGE = 'io.confluent.connect.storage.partitioner.';
export const PARTITIONER_CLASSES = {
  default: `${PARTITIONER_PACKAGE}DefaultPartitioner`,
  field: `${PARTITIONER_PACKAGE}FieldPartitioner`,
  time: `${PARTITIONER_PACKAGE}TimeBasedPartitioner`,
  hourly: `${PARTITIONER_PACKAGE}HourlyPartitioner`,
  daily: `${PARTITIONER_PACKAGE}DailyPartitioner`,
} as const;
export type PartitionerKind = keyof typeof PARTITIONER_CLASSES;

export type TimestampExtractorKind = 'Wallclock' | 'Record' | 'RecordField';

export interface S3SinkSettings {
  readonly aws: AwsClientSettings;
  readonly bucket: string;
  readonly pathStyle: boolean;
  readonly partSize: number;
  readonly compression: 'none' | 'gzip';
  readonly compressionLevel: number;
  readonly topicsDir: string;
  readonly directoryDelim: string;
  readonly fileDelim: string;
  readonly flushSize: number;
  readonly rotateIntervalMs: number;
  readonly rotateScheduleIntervalMs: number;
  readonly format: FormatKind;
  readonly partitioner: PartitionerKind;
  readonly partitionFields: readonly string[];
  readonly pathFormat: string;
  readonly partitionDurationMs: number;
  readonly locale: string;
  readonly timezone: string;
  readonly timestampExtractor: TimestampExtractorKind;
  readonly timestampField: string;
  readonly nullValues: 'fail' | 'ignore';
  readonly offsetPadWidth: number;
  readonly byteArrayExtension: string;
  readonly byteArraySeparator: string;
  readonly parquetCodec: 'none' | 'snappy' | 'gzip';
  readonly avroCodec: 'null' | 'deflate' | 'snappy';
  readonly sseAlgorithm: '' | 'AES256' | 'aws:kms';
  readonly sseKmsKeyId: string;
  readonly retryBackoffMs: number;
  readonly partRetries: number;
}

function group(name: string, list: Omit<ConfigKeyInput, 'group' | 'orderInGroup'>[]): ConfigKeyInput[] {
  return list.map((k, i) => ({ width: 'MEDIUM', ...k, group: name, orderInGroup: i + 1 }));
}

/** Accepts a full class name or its simple name, as Connect's class loading does for aliases. */
function classIn(allowed: readonly string[]): (name: string, value: ConfigValueType) => void {
  return (name, value) => {
    if (value === null) return;
    const v = String(value);
    if (!allowed.some((c) => c === v || c.endsWith(`.${v}`))) {
      throw new ConfigError(`Invalid value ${v} for configuration ${name}: Class ${v} could not be found; supported: ${allowed.map((c) => c.split('.').pop()).join(', ')}`, name);
    }
  };
}

const KEYS: ConfigKeyInput[] = [
  ...group('S3', [
    { name: 's3.bucket.name', type: 'STRING', importance: 'HIGH', documentation: 'The S3 bucket to write into.', validator: Validators.nonEmptyString(), displayName: 'S3 Bucket' },
    { name: 's3.region', type: 'STRING', defaultValue: 'us-west-2', importance: 'MEDIUM', documentation: 'The AWS region of the bucket.', displayName: 'S3 Region' },
    { name: 'store.url', type: 'STRING', defaultValue: null, importance: 'HIGH', documentation: 'A custom S3 endpoint URL (an S3-compatible store, or a VPC endpoint); empty for AWS S3 itself.', displayName: 'Store URL' },
    { name: 's3.path.style.access.enabled', type: 'BOOLEAN', defaultValue: true, importance: 'LOW', documentation: 'Whether to address the bucket in the path (`https://endpoint/bucket/key`) rather than in the host name.', displayName: 'Path style access' },
    { name: 'aws.access.key.id', type: 'STRING', defaultValue: '', importance: 'HIGH', documentation: 'An AWS access key ID. Empty (the default) uses the default AWS credentials chain: environment, profile, container or instance role.', displayName: 'AWS Access Key ID' },
    { name: 'aws.secret.access.key', type: 'PASSWORD', defaultValue: null, importance: 'HIGH', documentation: 'The secret key of `aws.access.key.id`. Never logged.', displayName: 'AWS Secret Access Key' },
    { name: 's3.part.size', type: 'INT', defaultValue: 26_214_400, importance: 'HIGH', documentation: 'The part size of S3 multipart uploads: an object larger than this is uploaded in parts of this size.', validator: Validators.between(5_242_880, 2_147_483_647), validValues: '[5242880,...,2147483647]', displayName: 'S3 Part Size' },
    { name: 's3.compression.type', type: 'STRING', defaultValue: 'none', importance: 'LOW', documentation: 'Compression of JSON and ByteArray objects: `none` or `gzip` (adds `.gz` to the extension).', validator: Validators.in('none', 'gzip'), validValues: '[none, gzip]', displayName: 'Compression type' },
    { name: 's3.compression.level', type: 'INT', defaultValue: -1, importance: 'LOW', documentation: 'The gzip level, 0 to 9; -1 for zlib\'s default.', validator: Validators.between(-1, 9), validValues: '[-1,...,9]', displayName: 'Compression Level' },
    { name: 's3.part.retries', type: 'INT', defaultValue: 3, importance: 'MEDIUM', documentation: 'How many times an S3 request is attempted before the failure is reported; a transient failure (throttling, 5xx) then redelivers the batch after `s3.retry.backoff.ms`.', validator: Validators.atLeast(1), validValues: '[1,...]', displayName: 'S3 Part Upload Retries' },
    { name: 's3.retry.backoff.ms', type: 'LONG', defaultValue: 200, importance: 'LOW', documentation: 'How long to wait before a failed batch is retried.', validator: Validators.atLeast(0), validValues: '[0,...]', displayName: 'Retry Backoff (ms)' },
    { name: 's3.ssea.name', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'Server-side encryption of the objects: empty for the bucket\'s default, `AES256` (SSE-S3) or `aws:kms` (SSE-KMS).', validator: Validators.in('', 'AES256', 'aws:kms'), validValues: '[, AES256, aws:kms]', displayName: 'S3 Server Side Encryption Algorithm' },
    { name: 's3.sse.kms.key.id', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'With `s3.ssea.name=aws:kms`: the KMS key (id or ARN) that encrypts the objects; empty for the AWS-managed `aws/s3` key.', displayName: 'S3 Server Side Encryption Key' },
    { name: 'storage.class', type: 'CLASS', defaultValue: 'io.confluent.connect.s3.storage.S3Storage', importance: 'HIGH', documentation: 'The storage class; only S3Storage.', validator: classIn(['io.confluent.connect.s3.storage.S3Storage']), displayName: 'Storage Class' },
  ]),
  ...group('Storage', [
    { name: 'topics.dir', type: 'STRING', defaultValue: 'topics', importance: 'HIGH', documentation: 'The top-level folder of the objects.', displayName: 'Topics directory' },
    { name: 'directory.delim', type: 'STRING', defaultValue: '/', importance: 'MEDIUM', documentation: 'The delimiter between folders of an object key.', displayName: 'Directory Delimiter' },
    { name: 'file.delim', type: 'STRING', defaultValue: '+', importance: 'MEDIUM', documentation: 'The delimiter between topic, partition and start offset in an object name.', displayName: 'File Delimiter' },
    { name: 'filename.offset.zero.pad.width', type: 'INT', defaultValue: 10, importance: 'LOW', documentation: 'The width to which the start offset in an object name is padded with zeros.', validator: Validators.atLeast(0), validValues: '[0,...]', displayName: 'Filename Offset Zero Pad Width' },
  ]),
  ...group('Connector', [
    { name: 'format.class', type: 'CLASS', importance: 'HIGH', documentation: 'The object format: `io.confluent.connect.s3.format.json.JsonFormat`, `...bytearray.ByteArrayFormat`, `...parquet.ParquetFormat` or `...avro.AvroFormat`.', validator: classIn(Object.values(FORMAT_CLASSES)), displayName: 'Format class' },
    { name: 'flush.size', type: 'INT', importance: 'HIGH', documentation: 'The number of records written to one object before it is uploaded.', validator: Validators.atLeast(1), validValues: '[1,...]', displayName: 'Flush Size' },
    { name: 'rotate.interval.ms', type: 'LONG', defaultValue: -1, importance: 'HIGH', documentation: 'Upload the open objects when a record\'s timestamp (from `timestamp.extractor`) is this far past the first one\'s, or when its encoded partition changes. -1 disables it. Deterministic with the Record and RecordField extractors.', validator: Validators.atLeast(-1), validValues: '[-1,...]', displayName: 'Rotate Interval (ms)' },
    { name: 'rotate.schedule.interval.ms', type: 'LONG', defaultValue: -1, importance: 'MEDIUM', documentation: 'Upload the open objects on this wall-clock schedule (aligned to the interval in `timezone`), even without new records. -1 disables it. Not deterministic: a redelivery after a crash may cut objects differently.', validator: Validators.atLeast(-1), validValues: '[-1,...]', displayName: 'Rotate Schedule Interval (ms)' },
    { name: 'behavior.on.null.values', type: 'STRING', defaultValue: 'fail', importance: 'LOW', documentation: 'What to do with a record whose value is null (a tombstone): `fail` the task, or `ignore` it.', validator: Validators.in('fail', 'ignore'), validValues: '[fail, ignore]', displayName: 'Behavior for null-valued records' },
    { name: 'schema.compatibility', type: 'STRING', defaultValue: 'NONE', importance: 'LOW', documentation: 'Schema evolution: a Parquet or Avro object is closed when the value schema changes (`NONE`); other modes are accepted and behave as `NONE`.', validator: Validators.in('NONE', 'BACKWARD', 'FORWARD', 'FULL'), validValues: '[NONE, BACKWARD, FORWARD, FULL]', displayName: 'Schema Compatibility' },
    { name: 'format.bytearray.extension', type: 'STRING', defaultValue: '.bin', importance: 'LOW', documentation: 'The extension of ByteArrayFormat objects.', displayName: 'Output file extension for ByteArrayFormat' },
    { name: 'format.bytearray.separator', type: 'STRING', defaultValue: null, importance: 'LOW', documentation: 'The bytes written after each ByteArrayFormat record; null for a line separator (`\\n`).', displayName: 'Line separator ByteArrayFormat' },
    { name: 'parquet.codec', type: 'STRING', defaultValue: 'snappy', importance: 'LOW', documentation: 'The compression codec of Parquet objects: `none`, `snappy` or `gzip`. It prefixes the extension, e.g. `.snappy.parquet`.', validator: Validators.in('none', 'snappy', 'gzip'), validValues: '[none, snappy, gzip]', displayName: 'Parquet Compression Codec' },
    { name: 'avro.codec', type: 'STRING', defaultValue: 'null', importance: 'LOW', documentation: 'The compression codec of Avro objects (their `avro.codec` header): `null`, `deflate` or `snappy`.', validator: Validators.in('null', 'deflate', 'snappy'), validValues: '[null, deflate, snappy]', displayName: 'Avro Compression Codec' },
  ]),
  ...group('Partitioner', [
    { name: 'partitioner.class', type: 'CLASS', defaultValue: PARTITIONER_CLASSES.default, importance: 'HIGH', documentation: 'How records map to folders: `DefaultPartitioner` (`partition=<kafka partition>`), `FieldPartitioner` (`<field>=<value>` of `partition.field.name`), `TimeBasedPartitioner` (`path.format` of the record\'s time), `HourlyPartitioner`, `DailyPartitioner` (all in `io.confluent.connect.storage.partitioner`).', validator: classIn(Object.values(PARTITIONER_CLASSES)), displayName: 'Partitioner Class' },
    { name: 'partition.field.name', type: 'LIST', defaultValue: [], importance: 'MEDIUM', documentation: 'FieldPartitioner: the value fields whose values name the folders, in order (a dotted name reaches into nested structs).', displayName: 'Partition Field Name' },
    { name: 'path.format', type: 'STRING', defaultValue: '', importance: 'MEDIUM', documentation: "TimeBasedPartitioner: a Joda-Time pattern of the folders, e.g. `'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH`.", displayName: 'Path Format' },
    { name: 'partition.duration.ms', type: 'LONG', defaultValue: -1, importance: 'MEDIUM', documentation: 'TimeBasedPartitioner: the length of one time partition; a record\'s time is rounded down to it (in `timezone`).', validator: Validators.atLeast(-1), validValues: '[-1,...]', displayName: 'Partition Duration (ms)' },
    { name: 'locale', type: 'STRING', defaultValue: '', importance: 'MEDIUM', documentation: 'TimeBasedPartitioner: the locale of month and day names in `path.format`, e.g. `en-US` (or `en_US`).', displayName: 'Locale' },
    { name: 'timezone', type: 'STRING', defaultValue: '', importance: 'MEDIUM', documentation: 'TimeBasedPartitioner: the IANA time zone of `path.format`, e.g. `UTC` or `Europe/Paris`.', displayName: 'Timezone' },
    { name: 'timestamp.extractor', type: 'STRING', defaultValue: 'Wallclock', importance: 'MEDIUM', documentation: 'Where a record\'s time comes from: `Wallclock` (now), `Record` (the Kafka timestamp) or `RecordField` (`timestamp.field` of the value).', validator: Validators.in('Wallclock', 'Record', 'RecordField'), validValues: '[Wallclock, Record, RecordField]', displayName: 'Timestamp Extractor' },
    { name: 'timestamp.field', type: 'STRING', defaultValue: 'timestamp', importance: 'MEDIUM', documentation: 'RecordField: the value field holding the time, as epoch milliseconds, a Timestamp or ISO-8601 text (a dotted name reaches into nested structs).', displayName: 'Record Field for Timestamp Extractor' },
  ]),
];

/** The S3 sink's ConfigDef. */
export function s3SinkConfigDef(): ConfigDef {
  const def = new ConfigDef();
  for (const k of KEYS) def.define(k);
  return def;
}

const simple = (cls: string) => cls.split('.').pop() ?? cls;

function kindOf<K extends string>(classes: Record<K, string>, value: string): K {
  const hit = (Object.entries(classes) as [K, string][]).find(([, c]) => c === value || simple(c) === simple(value));
  if (!hit) throw new ConfigError(`Unknown class ${value}`);
  return hit[0];
}

/** Cross-key checks (partitioner settings, time zone, locale, region); messages per key. */
export function s3CrossKeyErrors(p: Readonly<Record<string, ConfigValueType>>): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const add = (k: string, m: string) => (errors[k] ??= []).push(m);
  const region = String(p['s3.region'] ?? '');
  const bad = regionError('s3.region', region);
  if (bad) add('s3.region', bad);
  if (String(p['s3.sse.kms.key.id'] ?? '').trim() && p['s3.ssea.name'] !== 'aws:kms') add('s3.sse.kms.key.id', 's3.sse.kms.key.id needs s3.ssea.name=aws:kms');
  const url = p['store.url'];
  if (typeof url === 'string' && url.trim() && !/^https?:\/\/[^/]+/.test(url.trim())) add('store.url', `Invalid value ${url} for configuration store.url: not an http(s) URL`);
  const cls = p['partitioner.class'];
  if (typeof cls === 'string') {
    let kind: PartitionerKind | undefined;
    try {
      kind = kindOf(PARTITIONER_CLASSES, cls);
    } catch {
      kind = undefined;
    }
    if (kind === 'field' && ((p['partition.field.name'] as string[] | null) ?? []).length === 0) add('partition.field.name', 'FieldPartitioner needs partition.field.name');
    if (kind === 'time' || kind === 'hourly' || kind === 'daily') {
      if (kind === 'time' && !String(p['path.format'] ?? '').trim()) add('path.format', 'TimeBasedPartitioner needs path.format, e.g. \'year\'=YYYY/\'month\'=MM/\'day\'=dd');
      if (kind === 'time' && Number(p['partition.duration.ms']) <= 0) add('partition.duration.ms', 'TimeBasedPartitioner needs partition.duration.ms greater than 0');
      const locale = String(p['locale'] ?? '').trim();
      if (!locale) add('locale', 'Time-based partitioners need a locale, e.g. en-US');
      else if (localeError(locale)) add('locale', `Invalid value ${locale} for configuration locale: ${localeError(locale)}`);
      const tz = String(p['timezone'] ?? '').trim();
      if (!tz) add('timezone', 'Time-based partitioners need a timezone, e.g. UTC');
      else if (!isTimeZone(tz)) add('timezone', `Invalid value ${tz} for configuration timezone: unknown time zone`);
    }
  }
  if (Number(p['rotate.schedule.interval.ms']) > 0 && !String(p['timezone'] ?? '').trim()) {
    add('timezone', 'rotate.schedule.interval.ms needs a timezone, e.g. UTC');
  }
  return errors;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function localeError(locale: string): string | null {
  try {
    Intl.getCanonicalLocales(locale.replace(/_/g, '-'));
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Parses and cross-checks props; throws ConfigError naming the first bad key. */
export function parseS3SinkSettings(props: Props): S3SinkSettings {
  const p = s3SinkConfigDef().parse(props);
  const first = Object.entries(s3CrossKeyErrors(p))[0];
  if (first) throw new ConfigError(first[1][0] ?? 'invalid', first[0]);
  const str = (k: string) => (p[k] === null ? '' : String(p[k]));
  const partitioner = kindOf(PARTITIONER_CLASSES, str('partitioner.class'));
  const preset = partitioner === 'hourly' ? { path: "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH", ms: 3_600_000 } : partitioner === 'daily' ? { path: "'year'=YYYY/'month'=MM/'day'=dd", ms: 86_400_000 } : null;
  return {
    aws: { region: str('s3.region'), endpoint: str('store.url'), accessKeyId: str('aws.access.key.id'), secretAccessKey: str('aws.secret.access.key'), maxAttempts: p['s3.part.retries'] as number },
    bucket: str('s3.bucket.name'),
    pathStyle: p['s3.path.style.access.enabled'] as boolean,
    partSize: p['s3.part.size'] as number,
    compression: str('s3.compression.type') as 'none' | 'gzip',
    compressionLevel: p['s3.compression.level'] as number,
    topicsDir: str('topics.dir'),
    directoryDelim: str('directory.delim'),
    fileDelim: str('file.delim'),
    flushSize: p['flush.size'] as number,
    rotateIntervalMs: p['rotate.interval.ms'] as number,
    rotateScheduleIntervalMs: p['rotate.schedule.interval.ms'] as number,
    format: kindOf(FORMAT_CLASSES, str('format.class')),
    partitioner: partitioner === 'hourly' || partitioner === 'daily' ? 'time' : partitioner,
    partitionFields: (p['partition.field.name'] as string[] | null) ?? [],
    pathFormat: preset?.path ?? str('path.format'),
    partitionDurationMs: preset?.ms ?? (p['partition.duration.ms'] as number),
    locale: str('locale').replace(/_/g, '-'),
    timezone: str('timezone'),
    timestampExtractor: str('timestamp.extractor') as TimestampExtractorKind,
    timestampField: str('timestamp.field'),
    nullValues: str('behavior.on.null.values') as 'fail' | 'ignore',
    offsetPadWidth: p['filename.offset.zero.pad.width'] as number,
    byteArrayExtension: str('format.bytearray.extension'),
    byteArraySeparator: p['format.bytearray.separator'] === null ? '\n' : str('format.bytearray.separator'),
    parquetCodec: str('parquet.codec') as 'none' | 'snappy' | 'gzip',
    avroCodec: str('avro.codec') as 'null' | 'deflate' | 'snappy',
    sseAlgorithm: str('s3.ssea.name') as '' | 'AES256' | 'aws:kms',
    sseKmsKeyId: str('s3.sse.kms.key.id').trim(),
    retryBackoffMs: p['s3.retry.backoff.ms'] as number,
    partRetries: p['s3.part.retries'] as number,
  };
}
