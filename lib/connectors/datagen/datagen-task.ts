/**
 * The Datagen source task. Record n of task t is a pure function of (seed, t, n), and the
 * offsets keep Confluent's datagen shape — partition `{"task.id": t}`, offset
 * `{"task.generation", "random.seed", "current.iteration"}` — so a restart resumes the sequence
 * where the last committed record left it, and with a seed repeats the same records.
 */
import type { ConnectHeader, SourceRecord } from '../../plugins/connect-record.ts';
import { Schemas, type Struct } from '../../plugins/connect-schema.ts';
import type { Props, SourceTask, SourceTaskContext } from '../../plugins/plugin-types.ts';
import { parseDatagenSettings, type DatagenSettings } from './datagen-config.ts';
import { DATAGEN_VERSION } from './datagen-version.ts';
import { SeededRandom } from './seeded-random.ts';

/** At most this many records per poll when several are due (or max.interval is 0). */
const MAX_BATCH = 500;
const MAX_SLEEP_MS = 100;

export class DatagenTask implements SourceTask {
  private settings: DatagenSettings | null = null;
  private partition: Record<string, unknown> = {};
  private seed = 0;
  private generation = 0;
  private iteration = 0;
  private nextDueAt = 0;
  private stopped = false;

  constructor(
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly now: () => number = Date.now,
  ) {}

  version(): string {
    return DATAGEN_VERSION;
  }

  async start(props: Props, context: SourceTaskContext): Promise<void> {
    const s = parseDatagenSettings(props);
    this.settings = s;
    this.stopped = false;
    this.partition = { 'task.id': s.taskId };
    const stored = await context.offsetStorageReader().offset(this.partition);
    this.iteration = toNumber(stored?.['current.iteration']) ?? 0;
    this.generation = toNumber(stored?.['task.generation']) ?? 0;
    // A configured seed wins, so configs stay repeatable; otherwise the stored one continues the sequence.
    this.seed = s.randomSeed ?? toNumber(stored?.['random.seed']) ?? Math.floor(Math.random() * Number.MAX_SAFE_INTEGER);
    this.nextDueAt = this.now();
  }

  async poll(): Promise<SourceRecord[] | null> {
    const s = this.settings;
    if (!s || this.stopped) return null;
    if (s.iterations > 0 && this.iteration >= s.iterations) {
      // Done: Confluent's task fails here; idling keeps the connector healthy.
      await this.sleep(MAX_SLEEP_MS);
      return null;
    }
    const wait = this.nextDueAt - this.now();
    if (wait > MAX_SLEEP_MS) {
      await this.sleep(MAX_SLEEP_MS);
      return null;
    }
    if (wait > 0) await this.sleep(wait);
    const records: SourceRecord[] = [];
    while (records.length < MAX_BATCH && (s.iterations < 1 || this.iteration < s.iterations) && this.nextDueAt <= this.now()) {
      records.push(this.recordAt(s, this.iteration));
      this.iteration++;
      if (s.maxIntervalMs > 0) this.nextDueAt += Math.random() * s.maxIntervalMs;
    }
    // After a long pause, do not burst to catch up.
    if (this.nextDueAt < this.now() - s.maxIntervalMs) this.nextDueAt = this.now();
    return records.length > 0 ? records : null;
  }

  stop(): void {
    this.stopped = true;
  }

  /** The record of one iteration; a pure function of the seed, task id and iteration. */
  recordAt(s: DatagenSettings, iteration: number): SourceRecord {
    const value: Struct = s.generator.generate(SeededRandom.forRecord(this.seed, s.taskId, iteration), iteration);
    const key = s.keyField === '' ? '' : String(value.get(s.keyField));
    const headers: ConnectHeader[] = [
      { key: 'task.generation', schema: Schemas.INT64, value: this.generation },
      { key: 'task.id', schema: Schemas.INT64, value: s.taskId },
      { key: 'current.iteration', schema: Schemas.INT64, value: iteration },
    ];
    return {
      sourcePartition: this.partition,
      // Key order as Java's HashMap writes Confluent's offsets.
      sourceOffset: { 'task.generation': this.generation + 1, 'random.seed': this.seed, 'current.iteration': iteration + 1 },
      topic: s.topic,
      keySchema: Schemas.STRING,
      key,
      valueSchema: s.generator.schema,
      value,
      headers,
    };
  }
}

function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return null;
}
