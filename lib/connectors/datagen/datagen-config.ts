/**
 * Configuration of the Datagen source connector: Confluent's kafka-connect-datagen keys
 * (`kafka.topic`, `max.interval`, `iterations`, `quickstart`, `schema.string`, `schema.filename`,
 * `schema.keyfield`, `random.seed`) parsed into typed settings, with the generator compiled once.
 * A schema is Confluent's Avro form (a record with `arg.properties`) or Tributary's JSON Schema subset.
 */
import { readFileSync } from 'node:fs';
import { ConfigDef, ConfigError, NO_DEFAULT, Validators, type ConfigValueType } from '../../config/config-def.ts';
import type { Props } from '../../plugins/plugin-types.ts';
import { compileAvroSchema, isAvroSchema } from './avro-datagen-schema.ts';
import { compileJsonSchema, type RecordGenerator } from './datagen-schema.ts';
import { DatagenSchemaError } from './errors.ts';
import { QUICKSTART_NAMES, QUICKSTARTS } from './quickstart-schemas.ts';

/** The task config key carrying the task's number (Confluent's name). */
export const TASK_ID_CONFIG = 'task.id';

export interface DatagenSettings {
  readonly topic: string;
  readonly maxIntervalMs: number;
  /** Records per task; below 1 means unlimited. */
  readonly iterations: number;
  readonly generator: RecordGenerator;
  /** Empty: records have an empty-string key, as Confluent's. */
  readonly keyField: string;
  readonly randomSeed: number | null;
  readonly taskId: number;
}

const GROUP = 'Datagen';

export function datagenConfigDef(): ConfigDef {
  let order = 0;
  const key = (k: Parameters<ConfigDef['define']>[0]) => ({ group: GROUP, orderInGroup: ++order, width: 'MEDIUM' as const, ...k });
  return new ConfigDef()
    .define(key({ name: 'kafka.topic', type: 'STRING', defaultValue: NO_DEFAULT, importance: 'HIGH', documentation: 'Topic to write to.', validator: Validators.nonEmptyString(), displayName: 'Topic' }))
    .define(key({ name: 'max.interval', type: 'LONG', defaultValue: 500, importance: 'HIGH', documentation: 'Max interval between messages (ms): each record waits a random time up to this. 0 produces as fast as possible.', validator: Validators.atLeast(0), validValues: '[0,...]', displayName: 'Max interval (ms)' }))
    .define(key({ name: 'iterations', type: 'INT', defaultValue: -1, importance: 'HIGH', documentation: 'Number of messages each task sends, or less than 1 for unlimited.', displayName: 'Iterations' }))
    .define(key({ name: 'quickstart', type: 'STRING', defaultValue: '', importance: 'HIGH', documentation: `Name of a built-in schema: ${QUICKSTART_NAMES.join(', ')}. Exactly one of quickstart, schema.string and schema.filename must be set.`, validator: Validators.in('', ...QUICKSTART_NAMES), validValues: `[, ${QUICKSTART_NAMES.join(', ')}]`, displayName: 'Quickstart' }))
    .define(key({ name: 'schema.string', type: 'STRING', defaultValue: '', importance: 'HIGH', documentation: 'An Avro record schema as Confluent datagen takes it (`arg.properties`: iteration, range, options, regex, length), or a JSON Schema (subset: object, integer, number, string, boolean, array; enum, const, minimum/maximum, pattern, format, minLength/maxLength, minItems/maxItems, and `iteration: {start, step}` for counters) of the records to generate.', width: 'LONG', displayName: 'Schema' }))
    .define(key({ name: 'schema.filename', type: 'STRING', defaultValue: '', importance: 'HIGH', documentation: 'Path of a file holding the schema (Avro or JSON Schema form), instead of schema.string.', displayName: 'Schema file' }))
    .define(key({ name: 'schema.keyfield', type: 'STRING', defaultValue: '', importance: 'HIGH', documentation: 'Top-level field whose value (as a string) is the record key. Defaults to the quickstart\'s key field; empty otherwise.', displayName: 'Key field' }))
    .define(key({ name: 'random.seed', type: 'LONG', defaultValue: null, importance: 'LOW', documentation: 'Seed making the generated records repeatable: the same seed, task and iteration always give the same record. Null picks a random seed, kept in the source offsets so a restart continues the same sequence.', displayName: 'Random seed' }))
    .define(key({ name: TASK_ID_CONFIG, type: 'INT', defaultValue: 0, importance: 'LOW', documentation: 'Set by the connector in each task config: the task number.', internal: true, displayName: 'Task id' }));
}

/** The schema text of `schema.string` or `schema.filename` (read from disk), keyed by where it came from. */
function schemaSource(p: Readonly<Record<string, ConfigValueType>>): { key: 'schema.string' | 'schema.filename'; text: string } | undefined {
  const text = String(p['schema.string'] ?? '').trim();
  if (text !== '') return { key: 'schema.string', text };
  const file = String(p['schema.filename'] ?? '').trim();
  if (file === '') return undefined;
  try {
    return { key: 'schema.filename', text: readFileSync(file, 'utf8') };
  } catch (e) {
    throw new ConfigError(`Unable to read schema.filename ${file}: ${(e as Error).message}`, 'schema.filename');
  }
}

/** Compiles a schema in either form. */
function compileSchema(text: string): RecordGenerator {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DatagenSchemaError(`schema.string is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  return isAvroSchema(json) ? compileAvroSchema(json) : compileJsonSchema(json as Record<string, unknown>);
}

/** Cross-key checks, keyed by the key to blame (also runs the schema compiler). */
export function datagenCrossKeyErrors(p: Readonly<Record<string, ConfigValueType>>): Record<string, string[]> {
  const quickstart = String(p['quickstart'] ?? '');
  const given = [quickstart !== '', String(p['schema.string'] ?? '').trim() !== '', String(p['schema.filename'] ?? '').trim() !== ''].filter(Boolean).length;
  if (given === 0) return { quickstart: ['Set either quickstart, schema.string or schema.filename'] };
  if (given > 1) return { 'schema.string': ['Only one of quickstart, schema.string and schema.filename may be set'] };
  let generator: RecordGenerator;
  let source: ReturnType<typeof schemaSource>;
  try {
    source = schemaSource(p);
  } catch (e) {
    return { 'schema.filename': [(e as Error).message] };
  }
  try {
    generator = source ? compileSchema(source.text) : compileJsonSchema(QUICKSTARTS[quickstart]?.schema ?? {}, QUICKSTARTS[quickstart]?.schemaName);
  } catch (e) {
    return { [source?.key ?? 'schema.string']: [(e as Error).message] };
  }
  const keyField = String(p['schema.keyfield'] ?? '');
  if (keyField !== '' && !generator.schema.fields?.some((f) => f.name === keyField)) {
    return { 'schema.keyfield': [`schema.keyfield ${keyField} is not a top-level field of the schema`] };
  }
  return {};
}

/** Parses props; throws ConfigError naming the first bad key. */
export function parseDatagenSettings(props: Props): DatagenSettings {
  const p = datagenConfigDef().parse(props);
  const first = Object.entries(datagenCrossKeyErrors(p))[0];
  if (first) throw new ConfigError(first[1][0] ?? 'invalid', first[0]);
  const quickstart = QUICKSTARTS[String(p['quickstart'])];
  const source = schemaSource(p);
  const generator = quickstart || !source ? compileJsonSchema(quickstart?.schema ?? {}, quickstart?.schemaName) : compileSchema(source.text);
  const keyField = String(p['schema.keyfield'] ?? '') || (quickstart?.keyField ?? '');
  return {
    topic: String(p['kafka.topic']),
    maxIntervalMs: p['max.interval'] as number,
    iterations: p['iterations'] as number,
    generator,
    keyField,
    randomSeed: p['random.seed'] as number | null,
    taskId: p[TASK_ID_CONFIG] as number,
  };
}
