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
  /** Bytes read but not yet emitted start at `lineStart` in `pending`. */
  private pending = Buffer.alloc(0);
  private lineStart = 0;
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
      const nl = this.pending.indexOf(10, this.lineStart);
      if (nl < 0) {
        if (!(await this.readMore(this.handle))) break;
        continue;
      }
      // Lines are decoded straight from the chunk: no Buffer object per line.
      const end = nl > this.lineStart && this.pending[nl - 1] === 13 ? nl - 1 : nl;
      const value = this.pending.toString('utf8', this.lineStart, end);
      this.position += nl + 1 - this.lineStart;
      this.lineStart = nl + 1;
      records.push({
        sourcePartition: this.partition,
        sourceOffset: { position: this.position },
        topic: this.topic,
        kafkaPartition: null,
        valueSchema: Schemas.STRING,
        value,
      });
    }
    return records.length ? records : null;
  }

  /** Appends the next chunk of the file to what is left of a partial line; false at the end of the file. */
  private async readMore(handle: FileHandle): Promise<boolean> {
    const chunk = Buffer.allocUnsafe(CHUNK);
    const { bytesRead } = await handle.read(chunk, 0, CHUNK, this.readPosition);
    if (bytesRead === 0) return false;
    this.readPosition += bytesRead;
    const read = chunk.subarray(0, bytesRead);
    this.pending = this.lineStart < this.pending.length ? Buffer.concat([this.pending.subarray(this.lineStart), read]) : read;
    this.lineStart = 0;
    return true;
  }

  async stop(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }
}
