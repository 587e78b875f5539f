/** Reads new lines from a file, remembering the byte position after the last line it emitted. */
import { open, type FileHandle } from 'node:fs/promises';
import { Schemas } from '../../plugins/connect-schema.ts';
import type { SourceRecord } from '../../plugins/connect-record.ts';
import type { Props, SourceTask, SourceTaskContext } from '../../plugins/plugin-types.ts';
import { ConnectorError } from '../connector-errors.ts';
import { FILE_STREAM_VERSION } from './file-stream-source-connector.ts';

const CHUNK = 1 << 20;

export class FileStreamSourceTask implements SourceTask {
  private filename = '';
  private partition: { filename: string } = { filename: '' };
  private topic = '';
  private batchSize = 2000;
  private handle: FileHandle | undefined;
  /** Byte position of the next unread byte that starts a line. */
  private position = 0;
  private pending = Buffer.alloc(0);
  private readPosition = 0;

  version(): string {
    return FILE_STREAM_VERSION;
  }

  async start(props: Props, context: SourceTaskContext): Promise<void> {
    if (!props.file) throw new ConnectorError('FileStreamSource needs the `file` option: reading standard input is not possible in a Tributary runner');
    this.filename = props.file;
    this.partition = { filename: props.file };
    this.topic = props.topic ?? '';
    this.batchSize = Number(props['batch.size'] ?? 2000);
    const offset = await context.offsetStorageReader().offset({ filename: this.filename });
    const position = offset?.position;
    this.position = typeof position === 'number' ? position : Number(position ?? 0);
    this.readPosition = this.position;
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (!this.handle) {
      try {
        this.handle = await open(this.filename, 'r');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null; // Connect waits for the file to appear
        throw new ConnectorError(`Couldn't open file ${this.filename}: ${(e as Error).message}`, { cause: e });
      }
    }
    const records: SourceRecord[] = [];
    while (records.length < this.batchSize) {
      let nl = this.pending.indexOf(10);
      if (nl < 0) {
        const chunk = Buffer.allocUnsafe(CHUNK);
        const { bytesRead } = await this.handle.read(chunk, 0, CHUNK, this.readPosition);
        if (bytesRead === 0) break;
        this.readPosition += bytesRead;
        this.pending = this.pending.length ? Buffer.concat([this.pending, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
        nl = this.pending.indexOf(10);
        if (nl < 0) continue;
      }
      let line = this.pending.subarray(0, nl);
      const consumed = nl + 1;
      if (line.length > 0 && line[line.length - 1] === 13) line = line.subarray(0, line.length - 1);
      this.position += consumed;
      this.pending = this.pending.subarray(consumed);
      records.push({
        sourcePartition: this.partition,
        sourceOffset: { position: this.position },
        topic: this.topic,
        kafkaPartition: null,
        valueSchema: Schemas.STRING,
        value: line.toString('utf8'),
      });
    }
    return records.length ? records : null;
  }

  async stop(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }
}
