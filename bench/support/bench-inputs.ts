/** The data the workloads share, made once per run: the source file and the sink's input topic. */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { BenchKafka } from './kafka-tools.ts';

export class BenchInputs {
  private sourceFile: Promise<string> | undefined;
  private readonly sinkTopics = new Map<number, Promise<string>>();

  constructor(
    readonly dir: string,
    private readonly recordSize: number,
    private readonly kafka: BenchKafka,
  ) {}

  /** Line `i`: distinct, exactly `recordSize` bytes before its newline. */
  line(i: number): string {
    const head = `record-${i}-`;
    return head.length >= this.recordSize ? head.slice(0, this.recordSize) : head.padEnd(this.recordSize, 'x');
  }

  /** A file of `count` lines; every system's FileStreamSource reads the same one. */
  source(count: number): Promise<string> {
    this.sourceFile ??= this.writeLines(join(this.dir, `source-${count}.txt`), 0, count);
    return this.sourceFile;
  }

  /** A topic of `partitions` partitions holding `count` records as Connect's JsonConverter writes strings (schemas enabled). */
  sink(count: number, partitions = 1): Promise<string> {
    let topic = this.sinkTopics.get(partitions);
    if (!topic) {
      topic = (async () => {
        const name = await this.kafka.createTopic('bench-sink-input', partitions);
        await this.kafka.produce(name, count, (i) => JSON.stringify({ schema: { type: 'string', optional: false }, payload: this.line(i) }));
        return name;
      })();
      this.sinkTopics.set(partitions, topic);
    }
    return topic;
  }

  /** Writes lines `from` (inclusive) to `to` (exclusive) to a new file. */
  async writeLines(file: string, from: number, to: number): Promise<string> {
    const out = createWriteStream(file);
    let chunk = '';
    for (let i = from; i < to; i++) {
      chunk += `${this.line(i)}\n`;
      if (chunk.length >= 1 << 20) {
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
    out.end(chunk);
    await once(out, 'finish');
    return file;
  }
}
