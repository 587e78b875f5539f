/**
 * Appends each record's value as a line. Flush hands every line to the operating system, as
 * Apache's FileStreamSinkTask flushes its stream: the lines then outlive the runner (a crash, a
 * SIGKILL) before the offsets are committed. They are not synced to the disk, as Apache's are
 * not: a file on a runner's own disk does not outlive its machine anyway, and a sync per commit
 * cost more than the rest of the commit together.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { SinkRecord } from '../../plugins/connect-record.ts';
import { Struct } from '../../plugins/connect-schema.ts';
import type { Props, SinkTask, SinkTaskContext } from '../../plugins/plugin-types.ts';
import { ConnectorError } from '../connector-errors.ts';
import { CsvLineWriter } from './csv-line-writer.ts';
import { FILE_STREAM_VERSION } from './file-stream-source-connector.ts';

export class FileStreamSinkTask implements SinkTask {
  private handle: FileHandle | undefined;
  /**
   * The lines put since the last write, as one string: appending builds a rope that the write
   * flattens once, cheaper than an array of lines joined (a sink's put is most of its CPU).
   */
  private buffered = '';
  private csv: CsvLineWriter | undefined;
  private needsHeader = false;

  version(): string {
    return FILE_STREAM_VERSION;
  }

  async start(props: Props, _context?: SinkTaskContext): Promise<void> {
    if (!props.file) throw new ConnectorError('FileStreamSink needs the `file` option: writing to standard output is not possible in a Tributary runner');
    try {
      this.handle = await open(props.file, 'a');
      if (props.format === 'csv') {
        const fields = (props['csv.fields'] ?? '').split(',').map((f) => f.trim()).filter(Boolean);
        this.csv = new CsvLineWriter(fields);
        this.needsHeader = props['csv.header'] !== 'false' && (await this.handle.stat()).size === 0;
      }
    } catch (e) {
      throw new ConnectorError(`Couldn't find or create file '${props.file}' for FileStreamSinkTask: ${(e as Error).message}`, { cause: e });
    }
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    for (const r of records) {
      if (!this.csv) {
        this.buffered += formatValue(r.value) + '\n';
        continue;
      }
      this.csv.learn(r.value);
      const header = this.needsHeader ? this.csv.header() : undefined;
      if (header) this.buffered += header;
      this.needsHeader = false;
      this.buffered += this.csv.line(r.value);
    }
    // One write per batch: lines reach the file as soon as they are put.
    await this.write();
  }

  async flush(): Promise<void> {
    await this.write();
  }

  async stop(): Promise<void> {
    await this.write();
    await this.handle?.close();
    this.handle = undefined;
  }

  private async write(): Promise<void> {
    if (!this.handle || this.buffered === '') return;
    const data = this.buffered;
    this.buffered = '';
    await this.handle.write(data);
  }
}

/** How Apache's sink prints a value: Java's toString of Connect data (Struct{a=1}, {k=v}, [a, b]). */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Struct) {
    const fields = (value.schema.fields ?? []).map((f) => [f.name, value.get(f.name)] as const).filter(([, v]) => v !== null && v !== undefined);
    return `Struct{${fields.map(([k, v]) => `${k}=${formatValue(v)}`).join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (value instanceof Map) return `{${[...value].map(([k, v]) => `${formatValue(k)}=${formatValue(v)}`).join(', ')}}`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${k}=${formatValue(v)}`).join(', ')}}`;
  return String(value);
}
