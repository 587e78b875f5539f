import { describe, expect, it } from 'vitest';
import { diffConfig, planApply, renderPlan } from '../../../cli/apply-plan.ts';
import type { ExpandedConnector } from '../../../cli/connect-client.ts';
import type { ConnectorManifest } from '../../../cli/connector-manifests.ts';

const cls = 'io.example.JdbcSink';
const secrets = () => new Set(['connection.password']);
const manifest = (name: string, config: Record<string, string>, state?: 'RUNNING' | 'PAUSED' | 'STOPPED'): ConnectorManifest => ({ name, config: { 'connector.class': cls, ...config }, state, source: 'test' });
const running = (name: string, config: Record<string, string>, state = 'RUNNING'): ExpandedConnector => ({
  info: { name, config: { 'connector.class': cls, name, ...config }, tasks: [], type: 'sink' },
  status: { name, connector: { state, worker_id: 'w' }, tasks: [], type: 'sink' },
});

describe('apply plan', () => {
  it('creates what is missing, updates what differs, leaves the rest, prunes only when asked', () => {
    const declared = [manifest('new', { a: '1' }), manifest('changed', { a: '2' }), manifest('same', { a: '1' })];
    const now = { changed: running('changed', { a: '1' }), same: running('same', { a: '1' }), extra: running('extra', {}) };
    expect(planApply(declared, now, secrets, false).map((s) => s.action)).toEqual(['create', 'update', 'unchanged']);
    expect(planApply(declared, now, secrets, true).map((s) => s.action)).toEqual(['create', 'update', 'unchanged', 'delete']);
  });

  it('does not count a hidden secret as a change, but does count a removed or added one', () => {
    expect(diffConfig({ 'connection.password': '[hidden]' }, { 'connection.password': 's3cret' }, new Set(['connection.password']))).toEqual([]);
    expect(diffConfig({ 'connection.password': '[hidden]' }, {}, new Set(['connection.password']))).toEqual([{ kind: 'remove', key: 'connection.password', from: '[hidden]' }]);
  });

  it('plans a state change alone when only the desired state differs; FAILED still targets RUNNING', () => {
    expect(planApply([manifest('c', { a: '1' }, 'PAUSED')], { c: running('c', { a: '1' }) }, secrets, false)[0]).toMatchObject({ action: 'state', from: 'RUNNING', state: 'PAUSED' });
    expect(planApply([manifest('c', { a: '1' }, 'RUNNING')], { c: running('c', { a: '1' }, 'FAILED') }, secrets, false)[0]?.action).toBe('unchanged');
  });

  it('never prints a secret value, but prints config provider references as written', () => {
    const text = renderPlan(planApply([manifest('n', { 'connection.password': 'hunter2', 'connection.user': '${secretsmanager:db:user}' })], {}, secrets, false), secrets);
    expect(text).not.toContain('hunter2');
    expect(text).toContain('connection.password: [hidden]');
    expect(text).toContain('connection.user: ${secretsmanager:db:user}');
  });
});
