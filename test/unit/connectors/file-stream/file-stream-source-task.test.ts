import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStreamSourceConnector } from '../../../../lib/connectors/file-stream/file-stream-source-connector.ts';
import { FileStreamSourceTask } from '../../../../lib/connectors/file-stream/file-stream-source-task.ts';
import type { SourceOffset } from '../../../../lib/plugins/connect-record.ts';
import type { SourceTaskContext } from '../../../../lib/plugins/plugin-types.ts';

function context(offset: SourceOffset | null): SourceTaskContext {
  return { configs: {}, offsetStorageReader: () => ({ offset: async () => offset, offsets: async () => new Map() }) };
}

describe('FileStreamSourceTask', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fss-'));

  it('emits complete lines with their byte position as offset, and waits for the rest of a partial line', async () => {
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'héllo\r\nworld\npart');
    const task = new FileStreamSourceTask();
    await task.start({ file, topic: 't' }, context(null));
    const first = await task.poll();
    expect(first?.map((r) => r.value)).toEqual(['héllo', 'world']);
    expect(first?.map((r) => r.sourceOffset)).toEqual([{ position: 8 }, { position: 14 }]);
    expect(first?.[0]?.sourcePartition).toEqual({ filename: file });
    expect(await task.poll()).toBeNull();
    appendFileSync(file, 'ial\n');
    expect((await task.poll())?.map((r) => [r.value, r.sourceOffset])).toEqual([['partial', { position: 22 }]]);
    await task.stop();
  });

  it('resumes from a committed position', async () => {
    const file = join(dir, 'b.txt');
    writeFileSync(file, 'one\ntwo\nthree\n');
    const task = new FileStreamSourceTask();
    await task.start({ file, topic: 't' }, context({ position: 4 }));
    expect((await task.poll())?.map((r) => r.value)).toEqual(['two', 'three']);
    await task.stop();
  });

  it('respects batch.size and returns null while the file does not exist', async () => {
    const file = join(dir, 'later.txt');
    const task = new FileStreamSourceTask();
    await task.start({ file, topic: 't', 'batch.size': '2' }, context(null));
    expect(await task.poll()).toBeNull();
    writeFileSync(file, 'a\nb\nc\n');
    expect((await task.poll())?.length).toBe(2);
    expect((await task.poll())?.map((r) => r.value)).toEqual(['c']);
    await task.stop();
  });

  it('gives its task the connector config and rejects more than one topic', () => {
    const c = new FileStreamSourceConnector();
    c.start({ name: 'x', 'connector.class': 'FileStreamSource', file: '/f', topic: 't' });
    expect(c.taskConfigs()).toEqual([{ name: 'x', 'connector.class': 'FileStreamSource', file: '/f', topic: 't' }]);
    expect(() => new FileStreamSourceConnector().start({ file: '/f', topic: 'a,b' })).toThrow(/single topic/);
  });
});
