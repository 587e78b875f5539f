/**
 * The `$Key` / `$Value` plumbing shared by Connect's transforms: which half of the record a
 * transform reads and rewrites, and the base class every built-in transform extends.
 */
import type { ConfigDef } from '../config/config-def.ts';
import type { Schema } from '../plugins/connect-schema.ts';
import { newRecord } from '../plugins/connect-record.ts';
import type { ConnectHeader, ConnectRecord } from '../plugins/connect-record.ts';
import type { Props, Transformation } from '../plugins/plugin-types.ts';

export type Side = 'key' | 'value';

export const TRANSFORMS_VERSION = '0.1.0';

/** Reads and replaces the key or the value (with its schema) of a record. */
export interface OperatingSide {
  readonly side: Side;
  schema(record: ConnectRecord): Schema | null;
  value(record: ConnectRecord): unknown;
  /** A copy of the record with this side's schema and value replaced (and optionally the headers). */
  update<R extends ConnectRecord>(record: R, schema: Schema | null, value: unknown, headers?: readonly ConnectHeader[]): R;
}

const KEY: OperatingSide = {
  side: 'key',
  schema: (r) => r.keySchema ?? null,
  value: (r) => r.key ?? null,
  update: (r, schema, value, headers) => newRecord(r, headers ? { keySchema: schema, key: value, headers } : { keySchema: schema, key: value }),
};

const VALUE: OperatingSide = {
  side: 'value',
  schema: (r) => r.valueSchema ?? null,
  value: (r) => r.value ?? null,
  update: (r, schema, value, headers) =>
    newRecord(r, headers ? { valueSchema: schema, value, headers } : { valueSchema: schema, value }),
};

export function operatingSide(side: Side): OperatingSide {
  return side === 'key' ? KEY : VALUE;
}

/** Base of every built-in transform: config handling and version; subclasses implement apply. */
export abstract class BaseTransform implements Transformation {
  abstract config(): ConfigDef;
  abstract configure(props: Props): void;
  abstract apply<R extends ConnectRecord>(record: R): R | null;

  version(): string {
    return TRANSFORMS_VERSION;
  }

  close(): void {}
}

/** Base of transforms with `$Key` and `$Value` variants. */
export abstract class KeyValueTransform extends BaseTransform {
  protected readonly on: OperatingSide;

  constructor(side: Side) {
    super();
    this.on = operatingSide(side);
  }
}
