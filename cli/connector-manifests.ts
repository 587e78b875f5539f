/**
 * Connector manifests read from files: JSON or YAML, one connector or many. Each document may be
 * Connect's create body (`{name, config, initial_state?}`), a flat config map holding `name`
 * (as `PUT /connectors/{name}/config` or kcctl take it), or a list of either. A folder means
 * every .json/.yaml/.yml file in it, in name order.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ConnectorConfig } from './connect-client.ts';
import { UsageError } from './cli-errors.ts';

export const TARGET_STATES = ['RUNNING', 'PAUSED', 'STOPPED'] as const;
export type TargetState = (typeof TARGET_STATES)[number];

export interface ConnectorManifest {
  readonly name: string;
  readonly config: ConnectorConfig;
  readonly state?: TargetState | undefined;
  /** Where it was read from, for messages. */
  readonly source: string;
}

const EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

export function readManifests(path: string): ConnectorManifest[] {
  let files: string[];
  try {
    files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => EXTENSIONS.has(extname(f)))
          .sort()
          .map((f) => join(path, f))
      : [path];
  } catch (e) {
    throw new UsageError(`Cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  const manifests = files.flatMap((f) => parseFile(f));
  const seen = new Set<string>();
  for (const m of manifests) {
    if (seen.has(m.name)) throw new UsageError(`Connector ${m.name} is declared twice (again in ${m.source})`);
    seen.add(m.name);
  }
  return manifests;
}

function parseFile(file: string): ConnectorManifest[] {
  const text = readFileSync(file, 'utf8');
  const docs = parseAllDocuments(text);
  const values: unknown[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length) throw new UsageError(`${file}: ${doc.errors[0]?.message ?? 'not JSON or YAML'}`);
    const v: unknown = doc.toJS();
    if (v !== null && v !== undefined) values.push(v);
  }
  return values.flatMap((v) => (Array.isArray(v) ? v : [v])).map((v, i) => toManifest(v, `${file}#${i + 1}`));
}

function toManifest(doc: unknown, source: string): ConnectorManifest {
  if (typeof doc !== 'object' || doc === null) throw new UsageError(`${source}: a connector must be an object`);
  const d = doc as Record<string, unknown>;
  const nested = typeof d.config === 'object' && d.config !== null && !Array.isArray(d.config);
  const rawConfig = (nested ? d.config : d) as Record<string, unknown>;
  const config: ConnectorConfig = {};
  for (const [k, v] of Object.entries(rawConfig)) {
    if (!nested && (k === 'state' || k === 'initial_state')) continue;
    if (v === null || typeof v === 'object') throw new UsageError(`${source}: config key ${k} must be a string, number or boolean`);
    config[k] = String(v);
  }
  const name = typeof d.name === 'string' ? d.name : config.name;
  if (!name) throw new UsageError(`${source}: no connector name (give "name")`);
  if (config.name !== undefined && config.name !== name) throw new UsageError(`${source}: config name ${config.name} differs from ${name}`);
  const rawState = d.state ?? d.initial_state;
  let state: TargetState | undefined;
  if (rawState !== undefined) {
    const upper = String(rawState).toUpperCase();
    if (!(TARGET_STATES as readonly string[]).includes(upper)) throw new UsageError(`${source}: state ${String(rawState)} is not one of ${TARGET_STATES.join(', ')}`);
    state = upper as TargetState;
  }
  return { name, config, state, source };
}
