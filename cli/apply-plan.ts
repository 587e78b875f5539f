/**
 * What `tributary apply` would change: each declared connector compared with what runs, as a
 * plan of creates, in-place updates, state changes and (with --prune) deletes. Secrets are
 * never printed, and cannot be compared: the API answers them as `[hidden]`.
 */
import type { ConnectorConfig, ExpandedConnector } from './connect-client.ts';
import { HIDDEN } from '../lib/control/config-secrets.ts';
import type { ConnectorManifest, TargetState } from './connector-manifests.ts';

export type ConfigChange =
  | { readonly kind: 'add'; readonly key: string; readonly to: string }
  | { readonly kind: 'remove'; readonly key: string; readonly from: string }
  | { readonly kind: 'change'; readonly key: string; readonly from: string; readonly to: string };

export type PlanStep =
  | { readonly action: 'create'; readonly manifest: ConnectorManifest }
  | { readonly action: 'update'; readonly manifest: ConnectorManifest; readonly changes: readonly ConfigChange[]; readonly state?: TargetState | undefined }
  | { readonly action: 'state'; readonly manifest: ConnectorManifest; readonly from: string; readonly state: TargetState }
  | { readonly action: 'unchanged'; readonly manifest: ConnectorManifest }
  | { readonly action: 'delete'; readonly name: string };

/** Keys whose values are secrets, by the plugin's config definition (type PASSWORD). */
export type SecretKeys = (connectorClass: string) => ReadonlySet<string>;

export function planApply(manifests: readonly ConnectorManifest[], running: Readonly<Record<string, ExpandedConnector>>, secretKeys: SecretKeys, prune: boolean): PlanStep[] {
  const steps: PlanStep[] = [];
  for (const m of manifests) {
    const current = running[m.name];
    if (!current?.info) {
      steps.push({ action: 'create', manifest: m });
      continue;
    }
    const secrets = secretKeys(m.config['connector.class'] ?? '');
    const changes = diffConfig(current.info.config, m.config, secrets);
    const now = current.status?.connector.state ?? 'UNASSIGNED';
    const state = m.state && !sameTarget(now, m.state) ? m.state : undefined;
    if (changes.length) steps.push({ action: 'update', manifest: m, changes, state });
    else if (state) steps.push({ action: 'state', manifest: m, from: now, state });
    else steps.push({ action: 'unchanged', manifest: m });
  }
  if (prune) {
    const declared = new Set(manifests.map((m) => m.name));
    for (const name of Object.keys(running).sort()) if (!declared.has(name)) steps.push({ action: 'delete', name });
  }
  return steps;
}

/** Key by key, ignoring `name` (the path names the connector) and secrets the API hides. */
export function diffConfig(from: ConnectorConfig, to: ConnectorConfig, secrets: ReadonlySet<string>): ConfigChange[] {
  const changes: ConfigChange[] = [];
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].filter((k) => k !== 'name').sort();
  for (const key of keys) {
    const a = from[key];
    const b = to[key];
    // A value hidden on the declared side (a token a template cannot resolve) cannot be compared.
    if (a === b || b === HIDDEN) continue;
    if (a === undefined && b !== undefined) changes.push({ kind: 'add', key, to: b });
    else if (b === undefined && a !== undefined) changes.push({ kind: 'remove', key, from: a });
    // A secret the API masks cannot be compared either.
    else if (a !== undefined && b !== undefined && !(secrets.has(key) && a === HIDDEN)) changes.push({ kind: 'change', key, from: a, to: b });
  }
  return changes;
}

/** A FAILED or RESTARTING connector still has RUNNING as its target. */
function sameTarget(now: string, target: TargetState): boolean {
  return now === target || (target === 'RUNNING' && (now === 'FAILED' || now === 'RESTARTING' || now === 'UNASSIGNED'));
}

/** The plan as a diff for people: `+` create, `~` update, `-` delete; secret values masked. */
export function renderPlan(steps: readonly PlanStep[], secretKeys: SecretKeys): string {
  const lines: string[] = [];
  for (const s of steps) {
    if (s.action === 'create') {
      const secrets = secretKeys(s.manifest.config['connector.class'] ?? '');
      lines.push(`+ ${s.manifest.name} (create${s.manifest.state ? `, ${s.manifest.state}` : ''})`);
      for (const [k, v] of Object.entries(s.manifest.config).sort(([a], [b]) => a.localeCompare(b))) if (k !== 'name') lines.push(`    + ${k}: ${mask(k, v, secrets)}`);
    } else if (s.action === 'update') {
      const secrets = secretKeys(s.manifest.config['connector.class'] ?? '');
      lines.push(`~ ${s.manifest.name} (update in place${s.state ? `, then ${s.state}` : ''})`);
      for (const c of s.changes) {
        if (c.kind === 'add') lines.push(`    + ${c.key}: ${mask(c.key, c.to, secrets)}`);
        else if (c.kind === 'remove') lines.push(`    - ${c.key}: ${mask(c.key, c.from, secrets)}`);
        else lines.push(`    ~ ${c.key}: ${mask(c.key, c.from, secrets)} -> ${mask(c.key, c.to, secrets)}`);
      }
    } else if (s.action === 'state') lines.push(`~ ${s.manifest.name} (${s.from} -> ${s.state})`);
    else if (s.action === 'delete') lines.push(`- ${s.name} (delete)`);
    else lines.push(`  ${s.manifest.name} (unchanged)`);
  }
  return lines.length ? `${lines.join('\n')}\n` : 'Nothing declared.\n';
}

/** A config provider reference (`${secretsmanager:…}`) is no secret itself and is shown as written. */
function mask(key: string, value: string, secrets: ReadonlySet<string>): string {
  if (value.startsWith('${')) return value;
  return secrets.has(key) ? HIDDEN : JSON.stringify(value);
}
