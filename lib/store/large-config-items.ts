/**
 * Connector configs and task configs larger than a DynamoDB item (400 KB). Connect keeps a
 * config as one record of its config topic, so its practical limit is the broker's 1 MB
 * message size; Tributary keeps configs up to MAX_CONFIG_BYTES of JSON the same way:
 * - up to INLINE_BYTES, inline in the CONFIG / TASKS item as before;
 * - beyond, as UTF-8 JSON split into binary part items (`CONFIG#PART#nn`, `TASKS#PART#nn`)
 *   written in the same transaction as the conditional CONFIG write, so they race no more
 *   than it does; task configs are then kept as differences from the connector config.
 * Anything larger is refused with ConfigTooLargeError (413) before anything is written.
 */
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ConfigTooLargeError } from './store-errors.ts';
import type { ConnectorConfig } from './store-model.ts';

/** The largest connector config kept, as JSON text: Connect's practical limit (1 MiB, the broker's default message size). */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** The largest set of task configs kept (as differences from the connector config). */
export const MAX_TASK_CONFIGS_BYTES = 2 * 1024 * 1024;
/** Up to this size a config stays a map inside its item (JSON is larger than DynamoDB's own encoding of it). */
export const INLINE_BYTES = 200 * 1024;
const PART_BYTES = 350 * 1024;

export const PART_SK = {
  config: (i: number) => `CONFIG#PART#${String(i).padStart(2, '0')}`,
  tasks: (i: number) => `TASKS#PART#${String(i).padStart(2, '0')}`,
};
export const isConfigPart = (sk: string) => sk.startsWith('CONFIG#PART#');
export const isTasksPart = (sk: string) => sk.startsWith('TASKS#PART#');

/** The attributes to put into an item, and the part items to write (and stale ones to delete) beside it. */
export interface Encoded {
  readonly attrs: Record<string, unknown>;
  readonly writes: TransactWriteItem[];
}

/** Part items for `json` (none when undefined), and deletes of the previous write's parts beyond them. */
function parts(tableName: string, pk: string, skOf: (i: number) => string, json: Buffer | undefined, previousParts: number): TransactWriteItem[] {
  const writes: TransactWriteItem[] = [];
  const count = json ? Math.ceil(json.length / PART_BYTES) : 0;
  for (let i = 0; i < count; i++) {
    writes.push({ Put: { TableName: tableName, Item: marshall({ pk, sk: skOf(i), data: (json as Buffer).subarray(i * PART_BYTES, (i + 1) * PART_BYTES) }) } });
  }
  for (let i = count; i < previousParts; i++) writes.push({ Delete: { TableName: tableName, Key: marshall({ pk, sk: skOf(i) }) } });
  return writes;
}

/** The CONFIG item's config attributes (`configParts` says how many parts it has); ConfigTooLargeError beyond MAX_CONFIG_BYTES. */
export function encodeConfig(tableName: string, pk: string, config: ConnectorConfig, previousParts = 0): Encoded & { parts: number } {
  const json = Buffer.from(JSON.stringify(config), 'utf8');
  if (json.length > MAX_CONFIG_BYTES) {
    throw new ConfigTooLargeError(`The connector config is ${json.length} bytes as JSON; Tributary keeps connector configs of up to ${MAX_CONFIG_BYTES} bytes`, MAX_CONFIG_BYTES);
  }
  if (json.length <= INLINE_BYTES) return { attrs: { config }, writes: parts(tableName, pk, PART_SK.config, undefined, previousParts), parts: 0 };
  const count = Math.ceil(json.length / PART_BYTES);
  return { attrs: { config: {}, configParts: count }, writes: parts(tableName, pk, PART_SK.config, json, previousParts), parts: count };
}

interface TaskDelta {
  readonly set: Record<string, string>;
  readonly unset: readonly string[];
}

/**
 * The TASKS item's attributes for `configs`: inline when small, else differences from
 * `base` (the connector config stored beside them) in part items.
 */
export function encodeTaskConfigs(tableName: string, pk: string, configs: readonly ConnectorConfig[], base: ConnectorConfig | undefined, previousParts = 0): Encoded & { parts: number } {
  const inline = Buffer.byteLength(JSON.stringify(configs), 'utf8');
  if (inline <= INLINE_BYTES || base === undefined) {
    if (inline > INLINE_BYTES) throw new ConfigTooLargeError(`The task configs are ${inline} bytes as JSON; without the connector config to differ from, Tributary keeps up to ${INLINE_BYTES} bytes`, INLINE_BYTES);
    return { attrs: { configs }, writes: parts(tableName, pk, PART_SK.tasks, undefined, previousParts), parts: 0 };
  }
  const deltas: TaskDelta[] = configs.map((c) => ({
    set: Object.fromEntries(Object.entries(c).filter(([k, v]) => base[k] !== v)),
    unset: Object.keys(base).filter((k) => !(k in c)),
  }));
  const json = Buffer.from(JSON.stringify(deltas), 'utf8');
  if (json.length > MAX_TASK_CONFIGS_BYTES) {
    throw new ConfigTooLargeError(`The connector's ${configs.length} task configs differ from its config by ${json.length} bytes as JSON; Tributary keeps up to ${MAX_TASK_CONFIGS_BYTES} bytes`, MAX_TASK_CONFIGS_BYTES);
  }
  const count = Math.ceil(json.length / PART_BYTES);
  return { attrs: { configs: [], configsParts: count }, writes: parts(tableName, pk, PART_SK.tasks, json, previousParts), parts: count };
}

function joined(items: readonly Record<string, unknown>[], isPart: (sk: string) => boolean, count: number, what: string): unknown {
  const chunks = items.filter((i) => isPart(String(i.sk))).sort((a, b) => String(a.sk).localeCompare(String(b.sk))).slice(0, count);
  if (chunks.length !== count) throw new Error(`${what} has ${chunks.length} of its ${count} parts`);
  return JSON.parse(Buffer.concat(chunks.map((c) => Buffer.from(c.data as Uint8Array))).toString('utf8'));
}

/** The connector config of a CONFIG item, with its part items when it has them. */
export function decodeConfig(item: Record<string, unknown>, partItems: readonly Record<string, unknown>[]): ConnectorConfig {
  const count = Number(item.configParts ?? 0);
  if (count === 0) return (item.config as ConnectorConfig | undefined) ?? {};
  return joined(partItems, isConfigPart, count, 'The connector config') as ConnectorConfig;
}

/** The task configs of a TASKS item, with its part items and the connector config they differ from. */
export function decodeTaskConfigs(item: Record<string, unknown>, partItems: readonly Record<string, unknown>[], base: ConnectorConfig): ConnectorConfig[] {
  const count = Number(item.configsParts ?? 0);
  if (count === 0) return (item.configs as ConnectorConfig[] | undefined) ?? [];
  const deltas = joined(partItems, isTasksPart, count, 'The task configs') as TaskDelta[];
  return deltas.map((d) => {
    const out: ConnectorConfig = {};
    for (const [k, v] of Object.entries(base)) if (!d.unset.includes(k)) out[k] = v;
    return Object.assign(out, d.set);
  });
}
