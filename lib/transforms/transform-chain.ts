/**
 * Builds a connector's transform chain from its config the way Connect does (`transforms`,
 * `transforms.<alias>.type`, `transforms.<alias>.<key>`, `.predicate`, `.negate`, `predicates`,
 * `predicates.<alias>.type`, ...), and validates such config key by key for the REST validate endpoint.
 */
import { ConfigDef, ConfigError } from '../config/config-def.ts';
import type { ConnectRecord } from '../plugins/connect-record.ts';
import type { PluginDescriptor, Predicate, Props, Transformation } from '../plugins/plugin-types.ts';
import { TransformationError } from './errors.ts';

export type PluginFinder = (className: string) => PluginDescriptor | undefined;
type Config = Readonly<Record<string, string>>;

export interface TransformStageInfo {
  readonly alias: string;
  readonly className: string;
  readonly predicateAlias?: string | undefined;
  readonly negate: boolean;
}

/** The configured transforms of a connector, applied in order. */
export interface TransformChain {
  readonly stages: readonly TransformStageInfo[];
  /**
   * Runs the record through every stage whose predicate (if any) allows it; null when a stage
   * dropped it. Failures are thrown as TransformationError naming the stage's alias and class.
   */
  apply<R extends ConnectRecord>(record: R): R | null;
  /** Closes every transform and predicate, ignoring their errors. */
  close(): void;
}

const TRANSFORMS = 'transforms';
const PREDICATES = 'predicates';
const TRANSFORMATION_CLASS = 'org.apache.kafka.connect.transforms.Transformation';
const PREDICATE_CLASS = 'org.apache.kafka.connect.transforms.predicates.Predicate';

interface PluginPlan {
  readonly alias: string;
  readonly descriptor: PluginDescriptor;
  readonly props: Props;
}

interface StagePlan extends PluginPlan {
  readonly predicate?: PluginPlan | undefined;
  readonly negate: boolean;
}

class Errors {
  readonly byKey: Record<string, string[]> = {};
  add(key: string, message: string): void {
    (this.byKey[key] ??= []).push(message);
  }
  has(prefix: string): boolean {
    return Object.keys(this.byKey).some((k) => k === prefix || k.startsWith(prefix));
  }
}

function aliases(config: Config, key: string, errors: Errors): string[] {
  const raw = config[key];
  if (raw === undefined || raw.trim() === '') return [];
  const list = raw.split(',').map((s) => s.trim());
  if (new Set(list).size !== list.length) errors.add(key, `Invalid value [${list.join(', ')}] for configuration ${key}: Duplicate alias provided.`);
  return [...new Set(list)];
}

function withPrefix(config: Config, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

function resolve(config: Config, find: PluginFinder, prefix: string, kind: 'transformation' | 'predicate', errors: Errors): PluginDescriptor | undefined {
  const typeKey = `${prefix}type`;
  const className = config[typeKey]?.trim();
  if (className === undefined || className === '') {
    errors.add(typeKey, `Missing required configuration "${typeKey}" which has no default value.`);
    return undefined;
  }
  const descriptor = find(className);
  if (!descriptor) {
    errors.add(typeKey, `Invalid value ${className} for configuration ${typeKey}: Class ${className} could not be found.`);
    return undefined;
  }
  if (descriptor.type !== kind) {
    const base = kind === 'transformation' ? TRANSFORMATION_CLASS : PREDICATE_CLASS;
    errors.add(typeKey, `Invalid value ${className} for configuration ${typeKey}: Class ${descriptor.className} is not a subclass of ${base}`);
    return undefined;
  }
  return descriptor;
}

/** Resolves aliases, classes and predicate references; collects every problem found. */
function plan(config: Config, find: PluginFinder, errors: Errors): StagePlan[] {
  const predicateAliases = new Set(aliases(config, PREDICATES, errors));
  const predicates = new Map<string, PluginPlan>();
  for (const alias of predicateAliases) {
    const prefix = `${PREDICATES}.${alias}.`;
    const descriptor = resolve(config, find, prefix, 'predicate', errors);
    if (descriptor) predicates.set(alias, { alias, descriptor, props: withPrefix(config, prefix) });
  }
  const stages: StagePlan[] = [];
  for (const alias of aliases(config, TRANSFORMS, errors)) {
    const prefix = `${TRANSFORMS}.${alias}.`;
    const descriptor = resolve(config, find, prefix, 'transformation', errors);
    const props = withPrefix(config, prefix);
    const { predicate: predicateAlias, negate: negateRaw, ...transformProps } = props;
    delete transformProps.type;
    if (negateRaw !== undefined && predicateAlias === undefined) {
      errors.add(
        `${prefix}type`,
        `Config '${prefix}negate' was provided but there is no config '${prefix}predicate' defining a predicate to be negated.`,
      );
    }
    if (negateRaw !== undefined && !/^(true|false)$/i.test(negateRaw.trim())) {
      errors.add(`${prefix}negate`, `Invalid value ${negateRaw} for configuration ${prefix}negate: Expected value to be either true or false`);
    }
    let predicate: PluginPlan | undefined;
    if (predicateAlias !== undefined) {
      predicate = predicates.get(predicateAlias.trim());
      if (!predicateAliases.has(predicateAlias.trim())) {
        errors.add(
          `${prefix}predicate`,
          `Invalid value ${predicateAlias} for configuration ${prefix}predicate: Predicate alias '${predicateAlias}' is not defined in '${PREDICATES}'.`,
        );
      }
    }
    if (descriptor) stages.push({ alias, descriptor, props: transformProps, predicate, negate: /^true$/i.test(negateRaw?.trim() ?? '') });
  }
  return stages;
}

function prefixedDef(def: ConfigDef, prefix: string): ConfigDef {
  const out = new ConfigDef();
  for (const key of def.configKeys()) out.define({ ...key, name: prefix + key.name });
  return out;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] ?? 0;
      row[j] = Math.min(cur + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] ?? 0;
}

/** Checks one plugin's keys against its ConfigDef, then its own cross-key checks in configure(). */
function validatePlugin(plugin: PluginPlan, prefix: string, errors: Errors): void {
  const instance = plugin.descriptor.create() as Transformation | Predicate;
  const def = instance.config();
  const prefixedProps = Object.fromEntries(Object.entries(plugin.props).map(([k, v]) => [prefix + k, v]));
  for (const result of prefixedDef(def, prefix).validate(prefixedProps)) {
    for (const message of result.errors) errors.add(result.name, message);
  }
  const known = def.names();
  for (const key of Object.keys(plugin.props)) {
    if (key === 'type' || known.includes(key)) continue;
    const near = known.find((k) => k.length > 3 && editDistance(k, key) <= 2);
    if (near) errors.add(prefix + key, `Unknown configuration '${prefix}${key}'; did you mean '${prefix}${near}'?`);
  }
  if (errors.has(prefix)) return;
  try {
    instance.configure(plugin.props);
  } catch (e) {
    const key = e instanceof ConfigError && e.key ? prefix + e.key : `${prefix}type`;
    errors.add(key, (e as Error).message);
  } finally {
    instance.close?.();
  }
}

/**
 * Validates `transforms`/`predicates` config as Connect's validate endpoint does; returns error
 * messages per config key (e.g. `transforms.x.type`, `transforms.x.field`), empty when valid.
 */
export function validateTransformConfig(config: Config, find: PluginFinder): Record<string, string[]> {
  const errors = new Errors();
  const stages = plan(config, find, errors);
  const validatedPredicates = new Set<string>();
  for (const stage of stages) {
    validatePlugin(stage, `${TRANSFORMS}.${stage.alias}.`, errors);
    if (stage.predicate && !validatedPredicates.has(stage.predicate.alias)) {
      validatedPredicates.add(stage.predicate.alias);
      validatePlugin(stage.predicate, `${PREDICATES}.${stage.predicate.alias}.`, errors);
    }
  }
  return errors.byKey;
}

interface Stage extends TransformStageInfo {
  readonly transform: Transformation;
  readonly predicate?: Predicate | undefined;
}

function configured<T extends Transformation | Predicate>(plugin: PluginPlan, prefix: string): T {
  const instance = plugin.descriptor.create() as T;
  try {
    instance.configure(plugin.props);
  } catch (e) {
    const key = e instanceof ConfigError && e.key ? prefix + e.key : `${prefix}type`;
    throw new ConfigError(`Invalid configuration for '${prefix.slice(0, -1)}': ${(e as Error).message}`, key, { cause: e });
  }
  return instance;
}

/**
 * Builds and configures the chain. Throws ConfigError (keyed by the first bad config key) when
 * an alias, class, predicate reference or transform setting is wrong.
 */
export function buildTransformChain(config: Config, find: PluginFinder): TransformChain {
  const errors = new Errors();
  const plans = plan(config, find, errors);
  const problems = Object.entries(errors.byKey);
  if (problems.length > 0) {
    throw new ConfigError(problems.map(([, msgs]) => msgs.join('; ')).join('; '), problems[0]?.[0]);
  }
  const stages: Stage[] = plans.map((p) => ({
    alias: p.alias,
    className: p.descriptor.className,
    predicateAlias: p.predicate?.alias,
    negate: p.negate,
    transform: configured<Transformation>(p, `${TRANSFORMS}.${p.alias}.`),
    predicate: p.predicate ? configured<Predicate>(p.predicate, `${PREDICATES}.${p.predicate.alias}.`) : undefined,
  }));
  return new ConfiguredChain(stages);
}

class ConfiguredChain implements TransformChain {
  readonly stages: readonly TransformStageInfo[];
  private readonly configured: readonly Stage[];

  constructor(stages: readonly Stage[]) {
    this.configured = stages;
    this.stages = stages.map(({ alias, className, predicateAlias, negate }) => ({ alias, className, predicateAlias, negate }));
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    let current: R = record;
    for (const stage of this.configured) {
      if (stage.predicate) {
        let matches: boolean;
        try {
          matches = stage.predicate.test(current);
        } catch (e) {
          throw wrap(e, stage, `testing predicate '${stage.predicateAlias ?? ''}' for`);
        }
        if (stage.negate === matches) continue;
      }
      let next: ConnectRecord | null;
      try {
        next = stage.transform.apply(current);
      } catch (e) {
        throw wrap(e, stage, 'applying');
      }
      if (next === null || next === undefined) return null;
      current = next as R;
    }
    return current;
  }

  close(): void {
    for (const stage of this.configured) {
      for (const plugin of [stage.transform, stage.predicate]) {
        try {
          plugin?.close?.();
        } catch {
          // Connect closes plugins quietly: one failing close must not stop the others.
        }
      }
    }
  }
}

function wrap(e: unknown, stage: Stage, doing: string): TransformationError {
  const message = e instanceof Error ? e.message : String(e);
  return new TransformationError(`Error ${doing} transformation '${stage.alias}' (${stage.className}): ${message}`, stage.alias, stage.className, {
    cause: e,
  });
}
