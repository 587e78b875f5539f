/** Appends each record's value as a line; flush makes the lines durable with fsync. */
import { open, type FileHandle } from 'node:fs/promises';
import type { SinkRecord } from '../../plugins/connect-record.ts';
import type { Props, SinkTask } from '../../plugins/plugin-types.ts';
import { ConnectorError } from '../connector-errors.ts';
import { FILE_STREAM_VERSION } from './file-stream-source-connector.ts';

export class FileStreamSinkTask implements SinkTask {
  private handle: FileHandle | undefined;
  private buffered: string[] = [];
  private dirty = false;

  version(): string {
    return FILE_STREAM_VERSION;
  }

  async start(props: Props): Promise<void> {
    if (!props.file) throw new ConnectorError('FileStreamSink needs the `file` option: writing to standard output is not possible in a Tributary runner');
    try {
      this.handle = await open(props.file, 'a');
    } catch (e) {
      throw new ConnectorError(`Couldn't find or create file '${props.file}' for FileStreamSinkTask: ${(e as Error).message}`, { cause: e });
    }
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    for (const r of records) this.buffered.push(`${formatValue(r.value)}\n`);
    if (this.buffered.length >= 10_000) await this.write();
  }

  async flush(): Promise<void> {
    await this.write();
    if (this.dirty) await this.handle?.datasync();
    this.dirty = false;
  }

  async stop(): Promise<void> {
    await this.write();
    await this.handle?.close();
    this.handle = undefined;
  }

  private async write(): Promise<void> {
    if (!this.handle || this.buffered.length === 0) return;
    const data = this.buffered.join('');
    this.buffered = [];
    await this.handle.write(data);
    this.dirty = true;
  }
}

/** How Java's PrintStream would print the value: strings as is, others in a readable form. */
function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'object') return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}
