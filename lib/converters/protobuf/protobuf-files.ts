/**
 * Parsing registry Protobuf schemas with protobufjs: the files Confluent's ProtobufData imports
 * for logical types (google.type.Date, google.type.TimeOfDay, confluent.type.Decimal) and the
 * well-known google.protobuf ones, and Confluent's message indexes resolved against the main file.
 */
import protobuf from 'protobufjs';
import { SchemaRegistryDataError } from '../schema-registry/errors.ts';

export const DECIMAL_TYPE = 'confluent.type.Decimal';
export const DATE_TYPE = 'google.type.Date';
export const TIME_TYPE = 'google.type.TimeOfDay';
export const TIMESTAMP_TYPE = 'google.protobuf.Timestamp';
export const META_IMPORT = 'confluent/meta.proto';

/** Import path of each message type the converter may reference. */
export const IMPORT_OF: Readonly<Record<string, string>> = {
  [DECIMAL_TYPE]: 'confluent/type/decimal.proto',
  [DATE_TYPE]: 'google/type/date.proto',
  [TIME_TYPE]: 'google/type/timeofday.proto',
  [TIMESTAMP_TYPE]: 'google/protobuf/timestamp.proto',
};

// The google.type and confluent.type files are not bundled with protobufjs; these are their
// published definitions (field names and numbers are the wire contract).
const EXTRA_FILES: Readonly<Record<string, string>> = {
  'google/type/date.proto': 'syntax = "proto3"; package google.type; message Date { int32 year = 1; int32 month = 2; int32 day = 3; }',
  'google/type/timeofday.proto': 'syntax = "proto3"; package google.type; message TimeOfDay { int32 hours = 1; int32 minutes = 2; int32 seconds = 3; int32 nanos = 4; }',
  'confluent/type/decimal.proto': 'syntax = "proto3"; package confluent.type; message Decimal { bytes value = 1; uint32 precision = 2; int32 scale = 3; }',
};

// Confluent's registry prints field options in the list form `params: [ {..}, {..} ]`, which
// protobufjs' option parser does not take; the repeated form `params: {..} params: {..}` says the same.
function normalizeOptionLists(text: string): string {
  return text.replace(/params\s*:\s*\[([^\]]*)\]/g, (_m, inner: string) =>
    inner
      .split(/\}\s*,\s*\{/)
      .map((part, i, all) => `params: ${i === 0 ? '' : '{'}${part.trim()}${i === all.length - 1 ? '' : '}'}`)
      .join(' '),
  );
}

export interface ParsedProtoFile {
  /** The file with its imports, types resolved. */
  readonly root: protobuf.Root;
  /** Full names of the file's own top-level messages, in order (Confluent's first message index). */
  readonly topLevel: readonly string[];
}

/** Parses a schema's text and the imports this converter knows; unknown imports are an error. */
export function parseProtoFile(text: string): ParsedProtoFile {
  const source = normalizeOptionLists(text);
  const own = protobuf.parse(source, { keepCase: true });
  const root = new protobuf.Root();
  protobuf.parse(source, root, { keepCase: true });
  for (const imp of own.imports ?? []) {
    if (imp === META_IMPORT || imp === 'google/protobuf/descriptor.proto') continue; // options only
    const common = protobuf.common.get(imp) as { nested?: Record<string, protobuf.AnyNestedObject> } | undefined;
    if (common?.nested) root.addJSON(common.nested);
    else if (EXTRA_FILES[imp]) protobuf.parse(EXTRA_FILES[imp], root, { keepCase: true });
    else throw new SchemaRegistryDataError(`Protobuf schema imports ${imp}, which is neither a well-known type nor one of Confluent's; schema references are not supported`);
  }
  root.resolveAll();
  const topLevel: string[] = [];
  const collect = (ns: protobuf.NamespaceBase): void => {
    for (const n of ns.nestedArray) {
      if (n instanceof protobuf.Type) topLevel.push(n.fullName.replace(/^\./, ''));
      else if (n instanceof protobuf.Namespace) collect(n);
    }
  };
  collect(own.root);
  return { root, topLevel };
}

/** The message type at a Confluent message-index path: the file's Nth top-level message, then nested ones. */
export function messageAt(file: ParsedProtoFile, indexes: readonly number[]): protobuf.Type {
  const name = file.topLevel[indexes[0] ?? 0];
  let t: protobuf.Type | undefined = name === undefined ? undefined : file.root.lookupType(name);
  for (const i of indexes.slice(1)) t = t?.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type)[i];
  if (!t) throw new SchemaRegistryDataError(`No message at index path [${indexes.join(', ')}]`);
  return t;
}

/** The index path of a message type within its file, as Confluent's serializer writes it. */
export function indexesOf(file: ParsedProtoFile, fullName: string): number[] {
  const path: number[] = [];
  let t: protobuf.ReflectionObject | null = file.root.lookupType(fullName);
  while (t instanceof protobuf.Type && t.parent instanceof protobuf.Type) {
    path.unshift(t.parent.nestedArray.filter((n) => n instanceof protobuf.Type).indexOf(t));
    t = t.parent;
  }
  const top = file.topLevel.indexOf((t as protobuf.Type).fullName.replace(/^\./, ''));
  return [top, ...path];
}
