/**
 * Config definitions as Kafka Connect's ConfigDef: typed keys with defaults, importance,
 * documentation, validators and recommenders. They drive validation, the
 * `/connector-plugins/{plugin}/config` endpoints and each connector's docs page.
 */

export type ConfigType = 'BOOLEAN' | 'STRING' | 'INT' | 'SHORT' | 'LONG' | 'DOUBLE' | 'LIST' | 'CLASS' | 'PASSWORD';
export type Importance = 'HIGH' | 'MEDIUM' | 'LOW';
export type Width = 'NONE' | 'SHORT' | 'MEDIUM' | 'LONG';

/** Marks a key without a default: it is required. */
export const NO_DEFAULT = Symbol('NO_DEFAULT');

export type ConfigValueType = string | number | boolean | string[] | null;

/** Throws ConfigError with a message that names what is wrong. */
export type Validator = (name: string, value: ConfigValueType) => void;
export type Recommender = (name: string, parsed: Readonly<Record<string, ConfigValueType>>) => ConfigValueType[];

export interface ConfigKey {
  readonly name: string;
  readonly type: ConfigType;
  readonly defaultValue: ConfigValueType | typeof NO_DEFAULT;
  readonly importance: Importance;
  readonly documentation: string;
  readonly validator?: Validator | undefined;
  readonly recommender?: Recommender | undefined;
  /** Human-readable form of the validator, shown in docs, e.g. "[1,...]". */
  readonly validValues?: string | undefined;
  readonly group?: string | undefined;
  readonly orderInGroup?: number | undefined;
  readonly width?: Width | undefined;
  readonly displayName?: string | undefined;
  readonly dependents?: readonly string[] | undefined;
  /** Keys for Tributary's own use, hidden from the validate endpoint's groups. */
  readonly internal?: boolean | undefined;
}

export class ConfigError extends Error {
  override readonly name: string = 'ConfigError';
  constructor(
    message: string,
    readonly key?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** One key's outcome of validation, as Connect's ConfigValue. */
export interface ConfigValueResult {
  readonly name: string;
  readonly value: ConfigValueType;
  readonly recommendedValues: ConfigValueType[];
  readonly errors: string[];
  readonly visible: boolean;
}

export type ConfigKeyInput = Omit<ConfigKey, 'defaultValue'> & { defaultValue?: ConfigValueType | typeof NO_DEFAULT };

export class ConfigDef {
  private readonly keys = new Map<string, ConfigKey>();

  define(key: ConfigKeyInput): this {
    if (this.keys.has(key.name)) throw new ConfigError(`Configuration ${key.name} is defined twice.`, key.name);
    this.keys.set(key.name, { ...key, defaultValue: key.defaultValue === undefined ? NO_DEFAULT : key.defaultValue });
    return this;
  }

  /** Adds every key of another definition that this one does not already have. */
  merge(other: ConfigDef): this {
    for (const key of other.configKeys()) if (!this.keys.has(key.name)) this.keys.set(key.name, key);
    return this;
  }

  configKeys(): ConfigKey[] {
    return [...this.keys.values()];
  }

  get(name: string): ConfigKey | undefined {
    return this.keys.get(name);
  }

  names(): string[] {
    return [...this.keys.keys()];
  }

  /**
   * Parses raw string properties into typed values, applying defaults.
   * Throws ConfigError on the first missing or invalid key.
   */
  parse(props: Readonly<Record<string, string>>): Record<string, ConfigValueType> {
    const out: Record<string, ConfigValueType> = {};
    for (const key of this.keys.values()) {
      const result = this.parseKey(key, props[key.name]);
      if (result.error) throw new ConfigError(result.error, key.name);
      out[key.name] = result.value;
    }
    return out;
  }

  /** Validates every key and reports all errors, never throwing for bad input. */
  validate(props: Readonly<Record<string, string>>): ConfigValueResult[] {
    const parsed: Record<string, ConfigValueType> = {};
    const results: ConfigValueResult[] = [];
    for (const key of this.keys.values()) {
      const r = this.parseKey(key, props[key.name]);
      parsed[key.name] = r.value;
      results.push({
        name: key.name,
        value: r.value,
        recommendedValues: [],
        errors: r.error ? [r.error] : [],
        visible: true,
      });
    }
    return results.map((r) => {
      const key = this.keys.get(r.name);
      if (!key?.recommender) return r;
      try {
        return { ...r, recommendedValues: key.recommender(r.name, parsed) };
      } catch {
        return r;
      }
    });
  }

  private parseKey(key: ConfigKey, raw: string | undefined): { value: ConfigValueType; error?: string } {
    if (raw === undefined) {
      if (key.defaultValue === NO_DEFAULT) {
        return { value: null, error: `Missing required configuration "${key.name}" which has no default value.` };
      }
      return { value: key.defaultValue };
    }
    let value: ConfigValueType;
    try {
      value = parseType(key.name, key.type, raw);
    } catch (e) {
      return { value: raw, error: (e as Error).message };
    }
    if (key.validator) {
      try {
        key.validator(key.name, value);
      } catch (e) {
        return { value, error: (e as Error).message };
      }
    }
    return { value };
  }
}

function parseType(name: string, type: ConfigType, raw: string): ConfigValueType {
  const trimmed = raw.trim();
  const bad = (expected: string) => new ConfigError(`Invalid value ${raw} for configuration ${name}: Not a ${expected}`, name);
  switch (type) {
    case 'BOOLEAN':
      if (/^true$/i.test(trimmed)) return true;
      if (/^false$/i.test(trimmed)) return false;
      throw new ConfigError(`Invalid value ${raw} for configuration ${name}: Expected value to be either true or false`, name);
    case 'INT':
    case 'SHORT':
    case 'LONG': {
      if (!/^[-+]?\d+$/.test(trimmed)) throw bad(`number of type ${type}`);
      const n = Number(trimmed);
      const limits: Record<string, [number, number]> = {
        SHORT: [-32768, 32767],
        INT: [-2147483648, 2147483647],
        LONG: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
      };
      const [lo, hi] = limits[type] as [number, number];
      if (n < lo || n > hi) throw bad(`number of type ${type}`);
      return n;
    }
    case 'DOUBLE': {
      const n = Number(trimmed);
      if (trimmed === '' || Number.isNaN(n)) throw bad('number of type DOUBLE');
      return n;
    }
    case 'LIST':
      return trimmed === '' ? [] : trimmed.split(',').map((s) => s.trim());
    case 'STRING':
    case 'CLASS':
    case 'PASSWORD':
      return type === 'STRING' || type === 'PASSWORD' ? raw : trimmed;
  }
}

/** Validators shaped like Connect's ConfigDef.Range, ValidString, NonEmptyString. */
export const Validators = {
  atLeast(min: number): Validator {
    return (name, value) => {
      if (typeof value === 'number' && value < min) {
        throw new ConfigError(`Invalid value ${value} for configuration ${name}: Value must be at least ${min}`, name);
      }
    };
  },
  between(min: number, max: number): Validator {
    return (name, value) => {
      if (typeof value === 'number' && (value < min || value > max)) {
        throw new ConfigError(`Invalid value ${value} for configuration ${name}: Value must be no more than ${max}`, name);
      }
    };
  },
  in(...allowed: string[]): Validator {
    return (name, value) => {
      if (value !== null && !allowed.includes(String(value))) {
        throw new ConfigError(`Invalid value ${value} for configuration ${name}: String must be one of: ${allowed.join(', ')}`, name);
      }
    };
  },
  nonEmptyString(): Validator {
    return (name, value) => {
      if (typeof value === 'string' && value.trim() === '') {
        throw new ConfigError(`Invalid value  for configuration ${name}: String must be non-empty`, name);
      }
    };
  },
  regex(): Validator {
    return (name, value) => {
      if (typeof value !== 'string') return;
      try {
        new RegExp(value);
      } catch (e) {
        throw new ConfigError(`Invalid value ${value} for configuration ${name}: ${(e as Error).message}`, name);
      }
    };
  },
};
