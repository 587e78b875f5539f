/**
 * Writes one Kafka partition's records into objects, as Confluent's TopicPartitionWriter:
 * one open file per encoded partition, all uploaded together when `flush.size` records were
 * written, when a record's time is `rotate.interval.ms` past the first one's (or its encoded
 * partition changes), or on the `rotate.schedule.interval.ms` wall-clock schedule. Each object
 * is named after the offset of its first record, and offsets are committed only up to the
 * first record not yet uploaded, so a redelivered run of records rewrites the same objects.
 */
import type { SinkRecord } from '../../plugins/connect-record.ts';
import { AwsDataError } from '../aws/aws-errors.ts';
import { floorToPartition } from './joda-path-format.ts';
import type { Partitioner } from './s3-partitioner.ts';
import type { RecordFileWriter, S3Format } from './s3-formats.ts';
import type { S3SinkSettings } from './s3-sink-config.ts';

interface OpenFile {
  readonly encodedPartition: string;
  readonly startOffset: number;
  readonly writer: RecordFileWriter;
}

export interface PendingObject {
  readonly key: string;
  readonly body: Buffer;
}

export type Upload = (objects: readonly PendingObject[]) => Promise<void>;

export class TopicPartitionWriter {
  private files = new Map<string, OpenFile>();
  private recordCount = 0;
  private baseTimestamp: number | null = null;
  private currentEncoded: string | null = null;
  private nextScheduledRotation: number | null = null;
  /** Objects cut but not yet uploaded (the upload failed): uploaded before anything else. */
  private pending: PendingObject[] = [];
  /** First offsets of the objects in `pending`. */
  private pendingStarts: number[] = [];
  /** Offset after the last record taken; a redelivered record below it is skipped. */
  private nextOffset: number | null = null;

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly s: S3SinkSettings,
    private readonly format: S3Format,
    private readonly partitioner: Partitioner,
    private readonly upload: Upload,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes records (this partition's, in offset order), uploading whatever rotation completes. */
  async write(records: readonly SinkRecord[]): Promise<void> {
    await this.uploadPending();
    for (const r of records) {
      if (this.nextOffset !== null && r.kafkaOffset < this.nextOffset) continue; // a retried put
      const now = this.now();
      if (r.value === null || r.value === undefined) {
        if (this.s.nullValues === 'fail') {
          throw new AwsDataError(
            `Null valued record at topic '${r.topic}', partition ${r.kafkaPartition}, offset ${r.kafkaOffset} cannot be written with behavior.on.null.values=fail; set it to ignore to skip tombstones`,
          );
        }
        this.nextOffset = r.kafkaOffset + 1;
        continue;
      }
      const encoded = this.partitioner.encodePartition(r, now);
      const ts = this.partitioner.timestampOf(r, now);
      if (this.rotateOnTime(encoded, ts, now)) this.cut();
      await this.uploadPending();
      let file = this.files.get(encoded);
      if (file && !file.writer.accepts(r)) {
        // A new value schema closes the files, as Confluent's schema.compatibility=NONE.
        this.cut();
        await this.uploadPending();
        file = undefined;
      }
      if (!file) {
        file = { encodedPartition: encoded, startOffset: r.kafkaOffset, writer: this.format.newWriter(r) };
        this.files.set(encoded, file);
      }
      file.writer.write(r);
      this.recordCount++;
      this.nextOffset = r.kafkaOffset + 1;
      if (this.baseTimestamp === null && ts !== null) this.baseTimestamp = ts;
      this.currentEncoded = encoded;
      if (this.recordCount >= this.s.flushSize) {
        this.cut();
        await this.uploadPending();
      }
    }
  }

  /** Uploads on the wall-clock schedule even without new records (called before each commit). */
  async onCommit(): Promise<void> {
    await this.uploadPending();
    if (this.recordCount > 0 && this.scheduledRotationDue(this.now())) {
      this.cut();
      await this.uploadPending();
    }
  }

  /**
   * The offset a commit may cover: the first record of the oldest open file, else everything
   * taken so far (`consumed`, from the runtime).
   */
  safeOffset(consumed: number): number {
    let min = Number.POSITIVE_INFINITY;
    for (const o of this.pendingStarts) min = Math.min(min, o);
    for (const f of this.files.values()) min = Math.min(min, f.startOffset);
    return Number.isFinite(min) ? min : consumed;
  }

  /** Open files and not-uploaded objects are dropped: their records are delivered again after the last commit. */
  close(): void {
    this.files.clear();
    this.pending = [];
    this.pendingStarts = [];
  }

  private rotateOnTime(encoded: string, ts: number | null, now: number): boolean {
    if (this.recordCount <= 0) return false;
    const periodic = this.s.rotateIntervalMs > 0 && ts !== null && this.baseTimestamp !== null && (ts - this.baseTimestamp >= this.s.rotateIntervalMs || encoded !== this.currentEncoded);
    return periodic || this.scheduledRotationDue(now);
  }

  private scheduledRotationDue(now: number): boolean {
    if (this.s.rotateScheduleIntervalMs <= 0) return false;
    if (this.nextScheduledRotation === null) this.nextScheduledRotation = this.nextRotation(now);
    return now >= this.nextScheduledRotation;
  }

  private nextRotation(now: number): number {
    const iv = this.s.rotateScheduleIntervalMs;
    return floorToPartition(now, iv, this.s.timezone || 'UTC') + iv;
  }

  /** Turns the open files into objects to upload, in a fixed order, and starts new ones. */
  private cut(): void {
    const files = [...this.files.values()].sort((a, b) => a.startOffset - b.startOffset || a.encodedPartition.localeCompare(b.encodedPartition));
    for (const f of files) {
      this.pending.push({ key: this.objectKey(f.encodedPartition, f.startOffset), body: f.writer.finish() });
      this.pendingStarts.push(f.startOffset);
    }
    this.files = new Map();
    this.recordCount = 0;
    this.baseTimestamp = null;
    if (this.s.rotateScheduleIntervalMs > 0) this.nextScheduledRotation = this.nextRotation(this.now());
  }

  private async uploadPending(): Promise<void> {
    if (this.pending.length === 0) return;
    await this.upload(this.pending);
    this.pending = [];
    this.pendingStarts = [];
  }

  /** `<topics.dir>/<topic>/<encoded partition>/<topic>+<partition>+<start offset>.<ext>`, as Confluent names objects. */
  objectKey(encodedPartition: string, startOffset: number): string {
    const d = this.s.directoryDelim;
    const name = `${this.topic}${this.s.fileDelim}${this.partition}${this.s.fileDelim}${String(startOffset).padStart(this.s.offsetPadWidth, '0')}${this.format.extension}`;
    return [this.s.topicsDir, this.topic, encodedPartition, name].filter((p) => p !== '').join(d);
  }
}
