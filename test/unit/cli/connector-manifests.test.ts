import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../cli/cli-errors.ts';
import { readManifests } from '../../../cli/connector-manifests.ts';

const dir = mkdtempSync(join(tmpdir(), 'manifests-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('connector manifests', () => {
  it("reads Connect's create body, a flat config, YAML documents and lists, with values as strings", () => {
    const sub = mkdtempSync(join(dir, 'all-'));
    writeFileSync(join(sub, 'a.json'), JSON.stringify({ name: 'a', config: { 'connector.class': 'X', 'tasks.max': 2 }, initial_state: 'paused' }));
    writeFileSync(join(sub, 'b.yaml'), 'name: b\nconnector.class: Y\nbatch.size: 10\n---\n- name: c\n  config: {connector.class: Z, flag: true}\n');
    writeFileSync(join(sub, 'notes.txt'), 'ignored');
    expect(readManifests(sub).map(({ source: _s, ...m }) => m)).toEqual([
      { name: 'a', config: { 'connector.class': 'X', 'tasks.max': '2' }, state: 'PAUSED' },
      { name: 'b', config: { name: 'b', 'connector.class': 'Y', 'batch.size': '10' }, state: undefined },
      { name: 'c', config: { 'connector.class': 'Z', flag: 'true' }, state: undefined },
    ]);
  });

  it('rejects duplicates, missing names, nested values, unknown states and unparsable files with a usage error', () => {
    expect(() => readManifests(file('dup.yaml', 'name: a\nx: 1\n---\nname: a\nx: 2\n'))).toThrow(/declared twice/);
    expect(() => readManifests(file('noname.json', '{"config":{"x":"1"}}'))).toThrow(/no connector name/);
    expect(() => readManifests(file('nested.json', '{"name":"n","config":{"x":{"y":1}}}'))).toThrow(/must be a string/);
    expect(() => readManifests(file('state.json', '{"name":"n","config":{},"state":"SLEEPING"}'))).toThrow(/not one of/);
    expect(() => readManifests(file('broken.yaml', 'name: [unclosed\n'))).toThrow(UsageError);
    expect(() => readManifests(join(dir, 'absent.json'))).toThrow(UsageError);
  });
});
