/**
 * The PostgreSQL change data capture task: a consistent snapshot (when the snapshot mode asks for
 * one), then the pgoutput stream of the slot. The slot's confirmed position only moves in
 * `commit()`, which the runtime calls after Kafka committed the records and their offsets, so a
 * crash at any moment loses nothing; what was sent but not committed is sent again.
 */
import type pg from 'pg';
import type { SourceOffset, SourceRecord } from '../../plugins/connect-record.ts';
import type { Props, RecordMetadata, SourceTask, SourceTaskContext } from '../../plugins/plugin-types.ts';
import { heartbeatRecord } from '../debezium-common/debezium-envelope.ts';
import { CdcError, CdcSetupError } from '../debezium-common/cdc-errors.ts';
import { capturedTables, connect, ensurePublication } from './pg-catalog.ts';
import { PgChangeDecoder, type PgStreamPosition } from './pg-change-decoder.ts';
import { parsePgSettings, type PgSettings } from './pg-config.ts';
import { PG_CONNECTOR_VERSION } from './pg-version.ts';
import { PgReplicationStream } from './pg-replication-stream.ts';
import { createSlotWithSnapshot, ensureSlot, PgSnapshotReader, slotExists } from './pg-snapshot.ts';

const RECONNECT_ATTEMPTS = 10;

export class PgSourceTask implements SourceTask {
  private s!: PgSettings;
  private partition!: { server: string };
  private catalog: pg.Client | null = null;
  private snapshot: PgSnapshotReader | null = null;
  private stream: PgReplicationStream | null = null;
  private decoder: PgChangeDecoder | null = null;
  private queue: SourceRecord[] = [];
  private wake: (() => void) | null = null;
  private drained: (() => void) | null = null;
  private failure: Error | null = null;
  private failures = 0;
  private lastEmitted: SourceOffset | null = null;
  private acked: SourceOffset | null = null;
  private walEnd = 0;
  private lastHeartbeat = Date.now();
  private stopped = false;
  private idle = true;

  version(): string {
    return PG_CONNECTOR_VERSION;
  }

  async start(props: Props, context: SourceTaskContext): Promise<void> {
    this.s = parsePgSettings(props);
    this.partition = { server: this.s.topicPrefix };
    const offset = await context.offsetStorageReader().offset(this.partition);
    this.catalog = await connect(this.s);
    const tables = await capturedTables(this.catalog, this.s);
    await ensurePublication(this.catalog, this.s, tables);
    const mode = this.s.snapshotMode;
    const snapshotUnfinished = offset !== null && offset['snapshot'] !== undefined && offset['last_snapshot_record'] !== true && offset['snapshot_completed'] !== true;
    const hasSlot = await slotExists(this.catalog, this.s);
    const wantsSnapshot =
      mode === 'always' ||
      (offset === null && (mode === 'initial' || mode === 'initial_only' || mode === 'when_needed')) ||
      (snapshotUnfinished && mode !== 'no_data' && mode !== 'never') ||
      (mode === 'when_needed' && !hasSlot);
    if (offset !== null && !snapshotUnfinished && !hasSlot && !wantsSnapshot) {
      throw new CdcSetupError(
        `Replication slot ${this.s.slotName} does not exist, but the connector has a committed position (${JSON.stringify(offset)}): the changes since then cannot be read. Reset the connector's offsets (DELETE /connectors/<name>/offsets while stopped) to take a new snapshot, or set snapshot.mode=when_needed.`,
      );
    }
    if (wantsSnapshot) {
      const { replication, snapshotName, consistentPoint } = await createSlotWithSnapshot(this.catalog, this.s);
      try {
        this.snapshot = await PgSnapshotReader.open(this.s, snapshotName, tables, consistentPoint, this.partition);
      } finally {
        // Once imported, the snapshot outlives the exporting connection.
        await replication.end().catch(() => undefined);
      }
      this.decoder = new PgChangeDecoder(this.s, this.catalog, this.partition, null);
    } else {
      await ensureSlot(this.catalog, this.s);
      this.decoder = new PgChangeDecoder(this.s, this.catalog, this.partition, resumePosition(offset));
      if (mode !== 'initial_only') await this.startStream();
    }
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.snapshot) {
      const batch = await this.snapshot.next(this.s.maxBatchSize);
      if (batch) return this.emitted(batch);
      this.snapshot = null;
      if (this.s.snapshotMode === 'initial_only') return null;
      await this.startStream();
    }
    if (this.s.snapshotMode === 'initial_only' && !this.stream) return null;
    if (this.failure) await this.recover();
    // Right after handing out records, return at once so the runtime sends them; only an idle
    // task waits (briefly, woken by the next change) instead of making the runtime sleep.
    if (this.queue.length === 0 && this.idle) await this.waitForData(Math.min(this.s.pollIntervalMs, 200));
    const batch = this.queue.splice(0, this.s.maxBatchSize);
    this.drained?.();
    this.idle = batch.length === 0;
    if (batch.length === 0) return this.heartbeat();
    return this.emitted(batch);
  }

  commitRecord(record: SourceRecord, _metadata: RecordMetadata | null): void {
    this.acked = record.sourceOffset;
  }

  /** Kafka holds everything up to `acked`: let the slot forget what precedes its transaction. */
  async commit(): Promise<void> {
    const o = this.acked;
    if (!o || !this.stream || o['snapshot'] !== undefined) return;
    const commitLsn = Number(o['lsn_commit'] ?? 0);
    // The transaction holding `acked` is replayed from here if we restart; the decoder skips what was sent.
    if (commitLsn > 0) await this.stream.confirm(commitLsn);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.drained?.();
    await this.snapshot?.close();
    await this.stream?.stop();
    await this.catalog?.end().catch(() => undefined);
    this.snapshot = null;
    this.stream = null;
    this.catalog = null;
  }

  private emitted(batch: SourceRecord[]): SourceRecord[] {
    const last = batch[batch.length - 1];
    if (last) this.lastEmitted = last.sourceOffset;
    return batch;
  }

  private async startStream(): Promise<void> {
    const catalog = this.catalog;
    if (!catalog) return;
    const confirmed = await catalog.query<{ lsn: string | null }>('SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1', [this.s.slotName]);
    const text = confirmed.rows[0]?.lsn ?? '0/0';
    const [hi, lo] = text.split('/');
    const confirmedLsn = parseInt(hi ?? '0', 16) * 2 ** 32 + parseInt(lo ?? '0', 16);
    const stream = new PgReplicationStream(this.s, {
      onMessage: async (lsn, message) => {
        const records = await this.decoder!.decode(lsn, message);
        if (records.length) {
          this.queue.push(...records);
          this.wake?.();
        }
        // Backpressure: hold the stream while the task has plenty to hand out.
        while (this.queue.length >= this.s.maxBatchSize * 4 && !this.stopped) await new Promise<void>((r) => (this.drained = r));
      },
      onKeepalive: (walEnd) => {
        this.walEnd = Math.max(this.walEnd, walEnd);
      },
      onError: (e) => {
        this.failure = e;
        this.wake?.();
      },
    });
    this.stream = stream;
    await stream.start(confirmedLsn);
    this.failures = 0;
  }

  /** Reconnects after a lost stream; gives up (failing the task with the reason) when it is not retriable or keeps failing. */
  private async recover(): Promise<void> {
    const e = this.failure;
    this.failure = null;
    await this.stream?.stop();
    this.stream = null;
    const retriable = (e as CdcError | null)?.retriable ?? false;
    if (!retriable || ++this.failures > RECONNECT_ATTEMPTS) throw e ?? new CdcError('replication stream failed');
    await new Promise((r) => setTimeout(r, Math.min(10_000, 250 * 2 ** this.failures)));
    // Everything queued is still handed out; the decoder resumes after the last event it queued.
    const last = this.queue[this.queue.length - 1]?.sourceOffset ?? this.lastEmitted;
    this.decoder = new PgChangeDecoder(this.s, this.catalog!, this.partition, resumePosition(last));
    await this.startStream();
  }

  private waitForData(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  /** With heartbeats on, an idle connector still moves its committed position (and the slot) forward. */
  private async heartbeat(): Promise<SourceRecord[] | null> {
    const every = this.s.heartbeatIntervalMs;
    if (every <= 0 || Date.now() - this.lastHeartbeat < every || !this.decoder) return null;
    this.lastHeartbeat = Date.now();
    await this.stream?.ping();
    const lastCommit = Number(this.lastEmitted?.['lsn_commit'] ?? 0);
    const offset = !this.decoder.busy && this.queue.length === 0 && this.walEnd > lastCommit ? this.decoder.idleOffset(this.walEnd) : this.lastEmitted;
    if (!offset) return null;
    return this.emitted([heartbeatRecord({ topicPrefix: this.s.topicPrefix, heartbeatPrefix: this.s.heartbeatTopicsPrefix, partition: this.partition, offset })]);
  }
}

function resumePosition(offset: Readonly<Record<string, unknown>> | null): PgStreamPosition | null {
  if (!offset || offset['snapshot'] !== undefined) return null;
  const lsnCommit = Number(offset['lsn_commit'] ?? offset['lsn'] ?? 0);
  const lsn = Number(offset['lsn'] ?? 0);
  return lsnCommit > 0 ? { lsnCommit, lsn } : null;
}
