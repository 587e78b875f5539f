import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvLineWriter } from '../../../../lib/connectors/file-stream/csv-line-writer.ts';
import { FileStreamSinkTask, formatValue } from '../../../../lib/connectors/file-stream/file-stream-sink-task.ts';
import type { SinkRecord } from '../../../../lib/plugins/connect-record.ts';
import { SchemaBuilder, Schemas, Struct } from '../../../../lib/plugins/connect-schema.ts';
import type { SinkTaskContext } from '../../../../lib/plugins/plugin-types.ts';

const ctx: SinkTaskContext = { configs: {}, assignment: () => [], offset: () => {}, requestCommit: () => {} };
const rec = (value: unknown, offset = 0): SinkRecord => ({ topic: 't', kafkaPartition: 0, kafkaOffset: offset, value });

/** A minimal RFC 4180 parser, to check the writer's quoting. */
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

describe('FileStreamSinkTask', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fsk-'));

  it('appends one line per value and prints Connect data as Java would', async () => {
    const file = join(dir, 'out.txt');
    const task = new FileStreamSinkTask();
    await task.start({ file }, ctx);
    const schema = SchemaBuilder.struct().field('id', Schemas.INT32).field('name', Schemas.STRING).build();
    await task.put([rec('plain'), rec(new Struct(schema).put('id', 7).put('name', 'x')), rec({ a: 1 }), rec([1, 2]), rec(null)]);
    await task.flush();
    await task.stop();
    expect(readFileSync(file, 'utf8')).toBe('plain\nStruct{id=7,name=x}\n{a=1}\n[1, 2]\nnull\n');
  });

  it('writes CSV with a header from the first struct and quotes where needed', async () => {
    const file = join(dir, 'product-events.csv');
    const task = new FileStreamSinkTask();
    await task.start({ file, format: 'csv' }, ctx);
    const schema = SchemaBuilder.struct().field('sku', Schemas.STRING).field('qty', Schemas.INT32).field('note', Schemas.OPTIONAL_STRING).build();
    await task.put([rec(new Struct(schema).put('sku', 'A-1').put('qty', 2).put('note', 'say "hi", ok'), 0), rec(new Struct(schema).put('sku', 'B').put('qty', 5), 1)]);
    await task.flush();
    await task.stop();
    expect(readFileSync(file, 'utf8')).toBe('sku,qty,note\nA-1,2,"say ""hi"", ok"\nB,5,\n');
  });

  it('does not repeat the CSV header when appending to a file that has one', async () => {
    const file = join(dir, 'again.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    const task = new FileStreamSinkTask();
    await task.start({ file, format: 'csv', 'csv.fields': 'a,b' }, ctx);
    await task.put([rec({ a: 3, b: 4, c: 9 })]);
    await task.stop();
    expect(readFileSync(file, 'utf8')).toBe('a,b\n1,2\n3,4\n');
  });

  it('CSV quoting round-trips any text (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 6 }), (values) => {
        const fields = values.map((_, i) => `f${i}`);
        const w = new CsvLineWriter(fields);
        const line = w.line(Object.fromEntries(fields.map((f, i) => [f, values[i]])));
        expect(line.endsWith('\n')).toBe(true);
        if (!values.some((v) => /[\r\n]/.test(v))) expect(parseCsvLine(line.slice(0, -1))).toEqual(values);
      }),
    );
  });

  it('formats nested maps and nulls like Java toString', () => {
    expect(formatValue(new Map([['k', [1, null]]]))).toBe('{k=[1, null]}');
  });
});
