/**
 * Sends records to an HTTP API in batches of up to `batch.max.size` records sharing one URL,
 * in record order per URL. Every request has completed (or been given up under
 * `behavior.on.error`) when `put` returns, so a commit never covers an unsent record.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { SinkRecord } from '../../plugins/connect-record.ts';
import type { KafkaRecordWriter, Props, RawKafkaRecord, SinkTask, SinkTaskContext } from '../../plugins/plugin-types.ts';
import { HttpRecordError, HttpRequestFailedError } from './errors.ts';
import { parseHttpSinkSettings, type HttpSinkSettings } from './http-sink-config.ts';
import { HttpRequestSender, type HttpResponse } from './http-request-sender.ts';
import { HTTP_SINK_VERSION } from './http-version.ts';
import { keyText, recordUrl, RequestBodyBuilder } from './request-body.ts';

const log = new Logger({ serviceName: 'tributary', persistentKeys: { component: 'http-sink' } });

interface Batch {
  readonly url: string;
  readonly records: SinkRecord[];
  readonly texts: string[];
}

export class HttpSinkTask implements SinkTask {
  private settings!: HttpSinkSettings;
  private sender!: HttpRequestSender;
  private bodies!: RequestBodyBuilder;
  private writer: KafkaRecordWriter | undefined;
  private reports: RawKafkaRecord[] = [];

  version(): string {
    return HTTP_SINK_VERSION;
  }

  start(props: Props, context?: SinkTaskContext): void {
    this.settings = parseHttpSinkSettings(props);
    this.sender = new HttpRequestSender(this.settings);
    this.bodies = new RequestBodyBuilder(this.settings);
    if (this.settings.resultTopic || this.settings.errorTopic) this.writer = context?.recordWriter?.();
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    const s = this.settings;
    const open = new Map<string, Batch>();
    try {
      for (const r of records) {
        const url = recordUrl(s.url, r);
        if (r.value === null || r.value === undefined) {
          if (s.onNull === 'ignore') continue;
          if (s.onNull === 'fail') throw new HttpRecordError(`Record ${r.topic}-${r.kafkaPartition}@${r.kafkaOffset} has a null value and behavior.on.null.values=fail`);
          // A delete must not overtake the records before it on the same URL.
          const pending = open.get(url);
          if (pending) await this.sendBatch(pending);
          open.delete(url);
          await this.sendBatch({ url, records: [r], texts: [] }, 'DELETE');
          continue;
        }
        let batch = open.get(url);
        if (!batch) open.set(url, (batch = { url, records: [], texts: [] }));
        batch.records.push(r);
        batch.texts.push(this.bodies.recordText(r));
        if (batch.records.length >= s.batchMaxSize) {
          open.delete(url);
          await this.sendBatch(batch);
        }
      }
      for (const batch of open.values()) await this.sendBatch(batch);
    } finally {
      await this.writeReports();
    }
  }

  stop(): void {}

  private async sendBatch(batch: Batch, method = this.settings.method): Promise<void> {
    const body = method === 'DELETE' && batch.texts.length === 0 ? undefined : this.bodies.batchBody(batch.texts);
    let response: HttpResponse;
    try {
      response = await this.sender.send(method, batch.url, body);
    } catch (e) {
      this.report(batch.records, e as Error);
      if (this.settings.onError === 'fail' || !(e instanceof HttpRequestFailedError)) throw e;
      if (this.settings.onError === 'log') {
        log.warn('Request failed; going on as behavior.on.error=log', { url: redactQuery(batch.url), records: batch.records.length, error: (e as Error).message });
      }
      return;
    }
    const topic = this.settings.resultTopic;
    if (topic && this.writer) {
      for (const r of batch.records) this.reports.push({ topic, key: reportKey(r), value: Buffer.from(response.body), headers: reportHeaders(r, response.status) });
    }
  }

  private report(records: readonly SinkRecord[], e: Error): void {
    const topic = this.settings.errorTopic;
    if (!topic || !this.writer) return;
    const status = e instanceof HttpRequestFailedError ? e.status : undefined;
    const value = this.settings.errorsAsResponse && e instanceof HttpRequestFailedError ? e.responseBody : e.message;
    for (const r of records) {
      this.reports.push({ topic, key: reportKey(r), value: Buffer.from(value), headers: [...reportHeaders(r, status), { key: 'error_message', value: Buffer.from(e.message) }] });
    }
  }

  private async writeReports(): Promise<void> {
    if (!this.writer || this.reports.length === 0) return;
    const out = this.reports;
    this.reports = [];
    await this.writer.write(out);
  }
}

function reportKey(r: SinkRecord): Buffer | null {
  return r.key === null || r.key === undefined ? null : Buffer.from(keyText(r));
}

function reportHeaders(r: SinkRecord, status: number | undefined): { key: string; value: Buffer }[] {
  const h = [
    { key: 'input_record_topic', value: Buffer.from(r.originalTopic ?? r.topic) },
    { key: 'input_record_partition', value: Buffer.from(String(r.originalKafkaPartition ?? r.kafkaPartition)) },
    { key: 'input_record_offset', value: Buffer.from(String(r.originalKafkaOffset ?? r.kafkaOffset)) },
  ];
  if (r.timestamp !== null && r.timestamp !== undefined) h.push({ key: 'input_record_timestamp', value: Buffer.from(String(r.timestamp)) });
  if (status !== undefined) h.push({ key: 'status_code', value: Buffer.from(String(status)) });
  return h;
}

/** Query strings may carry API keys: logs get the URL without them. */
function redactQuery(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : `${url.slice(0, q)}?…`;
}
