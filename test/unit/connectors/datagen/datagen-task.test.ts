import { describe, expect, it } from 'vitest';
import { DatagenConnector } from '../../../../lib/connectors/datagen/datagen-connector.ts';
import { DatagenTask } from '../../../../lib/connectors/datagen/datagen-task.ts';
import { datagenPlugins } from '../../../../lib/connectors/datagen/index.ts';
import type { SourceOffset, SourcePartition, SourceRecord } from '../../../../lib/plugins/connect-record.ts';
import { Struct } from '../../../../lib/plugins/connect-schema.ts';
import { PluginRegistry } from '../../../../lib/plugins/plugin-registry.ts';
import type { Props, SourceTaskContext } from '../../../../lib/plugins/plugin-types.ts';

function context(props: Props, stored: Map<string, SourceOffset> = new Map()): SourceTaskContext {
  return {
    configs: props,
    offsetStorageReader: () => ({
      offset: async (p: SourcePartition) => stored.get(JSON.stringify(p)) ?? null,
      offsets: async (ps: readonly SourcePartition[]) => new Map(ps.map((p) => [p, stored.get(JSON.stringify(p)) ?? null])),
    }),
  };
}

async function take(task: DatagenTask, n: number): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  while (out.length < n) out.push(...((await task.poll()) ?? []));
  return out.slice(0, n);
}

const plain = (r: SourceRecord) => ({ key: r.key, value: toPlain(r.value), offset: r.sourceOffset });
function toPlain(v: unknown): unknown {
  if (v instanceof Struct) return Object.fromEntries((v.schema.fields ?? []).map((f) => [f.name, toPlain(v.get(f.name))]));
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(toPlain);
  return v;
}

const base = { 'kafka.topic': 'orders', quickstart: 'orders', 'max.interval': '0', 'random.seed': '42', 'task.id': '0' };

describe('Datagen task', () => {
  it('with a seed, produces the same records on every run; other tasks and seeds differ', async () => {
    const run = async (props: Props) => {
      const t = new DatagenTask();
      await t.start(props, context(props));
      return (await take(t, 50)).map(plain);
    };
    const a = await run(base);
    expect(await run(base)).toEqual(a);
    expect(await run({ ...base, 'task.id': '1' })).not.toEqual(a);
    expect(await run({ ...base, 'random.seed': '43' })).not.toEqual(a);
  });

  it('a restart from the last committed offset continues the same sequence', async () => {
    const full = new DatagenTask();
    await full.start(base, context(base));
    const expected = (await take(full, 30)).map(plain);

    const first = new DatagenTask();
    await first.start(base, context(base));
    const before = await take(first, 12);
    const last = before.at(-1) as SourceRecord;
    const stored = new Map([[JSON.stringify(last.sourcePartition), last.sourceOffset]]);
    const second = new DatagenTask();
    await second.start(base, context(base, stored));
    const after = await take(second, 18);
    // Values and keys repeat; the offsets' generation counts restarts.
    expect([...before, ...after].map((r) => ({ ...plain(r), offset: undefined }))).toEqual(expected.map((r) => ({ ...r, offset: undefined })));
    expect(after[0]?.sourceOffset).toEqual({ 'task.generation': 2, 'random.seed': 42, 'current.iteration': 13 });
  });

  it('keeps Confluent\'s offset shape, key and headers; orders count orderid from 0', async () => {
    const t = new DatagenTask();
    await t.start(base, context(base));
    const [r0, r1] = await take(t, 2);
    expect(r0?.sourcePartition).toEqual({ 'task.id': 0 });
    expect(JSON.stringify(r0?.sourceOffset)).toBe('{"task.generation":1,"random.seed":42,"current.iteration":1}');
    expect(r0?.valueSchema?.name).toBe('ksql.orders');
    expect([r0?.key, r1?.key]).toEqual(['0', '1']);
    expect(r1?.headers?.map((h) => [h.key, h.value])).toEqual([
      ['task.generation', 0],
      ['task.id', 0],
      ['current.iteration', 1],
    ]);
    const v = r0?.value as Struct;
    expect(v.get('itemid')).toMatch(/^Item_[1-9][0-9]{0,2}$/);
    expect(v.get('orderunits')).toBeGreaterThanOrEqual(0.1);
    expect((v.get('address') as Struct).get('zipcode')).toBeGreaterThanOrEqual(10000);
  });

  it('users and pageviews quickstarts have Confluent\'s fields', async () => {
    for (const [quickstart, fields, key] of [
      ['users', ['registertime', 'userid', 'regionid', 'gender'], /^User_[1-9]$/],
      ['pageviews', ['viewtime', 'userid', 'pageid'], /^(1|11|21)$/],
    ] as const) {
      const props = { ...base, quickstart };
      const t = new DatagenTask();
      await t.start(props, context(props));
      const records = await take(t, 3);
      expect(records[0]?.valueSchema?.fields?.map((f) => f.name)).toEqual(fields);
      for (const r of records) expect(r.key).toMatch(key);
    }
  });

  it('stops after `iterations` records per task', async () => {
    const props = { ...base, iterations: '7' };
    const t = new DatagenTask(async () => undefined);
    await t.start(props, context(props));
    expect(await take(t, 7)).toHaveLength(7);
    expect(await t.poll()).toBeNull();
  });

  it('paces records by max.interval without blocking poll for long', async () => {
    let now = 1_000_000;
    const slept: number[] = [];
    const t = new DatagenTask(async (ms) => {
      slept.push(ms);
      now += ms;
    }, () => now);
    const props = { ...base, 'max.interval': '1000' };
    await t.start(props, context(props));
    let produced = 0;
    const started = now;
    while (produced < 20) produced += (await t.poll())?.length ?? 0;
    expect(Math.max(...slept)).toBeLessThanOrEqual(100);
    // 20 records at a mean gap of 500 ms: roughly ten seconds of (fake) time.
    expect(now - started).toBeGreaterThan(3_000);
    expect(now - started).toBeLessThan(20_000);
  });
});

describe('Datagen connector', () => {
  it('is registered as Confluent\'s class with the Datagen alias', () => {
    const registry = new PluginRegistry().register(...datagenPlugins);
    expect(registry.find('Datagen', ['source'])?.className).toBe('io.confluent.kafka.connect.datagen.DatagenConnector');
    expect(registry.find('DatagenConnector')?.type).toBe('source');
  });

  it('gives each task its own task.id and validates the schema settings', () => {
    const c = new DatagenConnector();
    c.start(base);
    expect(c.taskConfigs(3).map((p) => p['task.id'])).toEqual(['0', '1', '2']);
    expect(c.validate({ 'kafka.topic': 't' })).toEqual({ quickstart: ['Set either quickstart, schema.string or schema.filename'] });
    expect(c.validate({ 'kafka.topic': 't', 'schema.string': '{"type":"object","properties":{"a":{"type":"date"}}}' })['schema.string']?.[0]).toMatch(
      /\$\.properties\.a: unsupported or missing "type"/,
    );
    expect(c.validate({ 'kafka.topic': 't', quickstart: 'users', 'schema.keyfield': 'nope' })).toEqual({
      'schema.keyfield': ['schema.keyfield nope is not a top-level field of the schema'],
    });
  });
});
