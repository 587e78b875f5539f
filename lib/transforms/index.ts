/**
 * Tributary's built-in transformations and predicates: every SMT Apache Kafka ships, registered
 * under Apache's class names (`org.apache.kafka.connect.transforms.InsertField$Value`) so
 * existing connector configs work unchanged.
 */
import type { PluginDescriptor, Predicate, Transformation } from '../plugins/plugin-types.ts';
import { Cast } from './cast-transform.ts';
import { DropHeaders } from './drop-headers-transform.ts';
import { ExtractField } from './extract-field-transform.ts';
import { Filter } from './filter-transform.ts';
import { Flatten } from './flatten-transform.ts';
import { HasHeaderKey } from './has-header-key-predicate.ts';
import { HeaderFrom } from './header-from-transform.ts';
import { HoistField } from './hoist-field-transform.ts';
import { InsertField } from './insert-field-transform.ts';
import { InsertHeader } from './insert-header-transform.ts';
import { MaskField } from './mask-field-transform.ts';
import { TRANSFORMS_VERSION } from './operating-side.ts';
import type { Side } from './operating-side.ts';
import { RecordIsTombstone } from './record-is-tombstone-predicate.ts';
import { RegexRouter } from './regex-router-transform.ts';
import { ReplaceField } from './replace-field-transform.ts';
import { SetSchemaMetadata } from './set-schema-metadata-transform.ts';
import { TimestampConverter } from './timestamp-converter-transform.ts';
import { TimestampRouter } from './timestamp-router-transform.ts';
import { TopicNameMatches } from './topic-name-matches-predicate.ts';
import { ValueToKey } from './value-to-key-transform.ts';

export { Cast } from './cast-transform.ts';
export { DropHeaders } from './drop-headers-transform.ts';
export { ExtractField } from './extract-field-transform.ts';
export { Filter } from './filter-transform.ts';
export { Flatten } from './flatten-transform.ts';
export { HasHeaderKey } from './has-header-key-predicate.ts';
export { HeaderFrom } from './header-from-transform.ts';
export { HoistField } from './hoist-field-transform.ts';
export { InsertField } from './insert-field-transform.ts';
export { InsertHeader } from './insert-header-transform.ts';
export { MaskField } from './mask-field-transform.ts';
export { RecordIsTombstone } from './record-is-tombstone-predicate.ts';
export { RegexRouter } from './regex-router-transform.ts';
export { ReplaceField } from './replace-field-transform.ts';
export { SetSchemaMetadata } from './set-schema-metadata-transform.ts';
export { TimestampConverter } from './timestamp-converter-transform.ts';
export { TimestampRouter } from './timestamp-router-transform.ts';
export { TopicNameMatches } from './topic-name-matches-predicate.ts';
export { ValueToKey } from './value-to-key-transform.ts';
export { TransformationError } from './errors.ts';
export { buildTransformChain, validateTransformConfig } from './transform-chain.ts';
export type { TransformChain, TransformStageInfo } from './transform-chain.ts';

const PACKAGE = 'org.apache.kafka.connect.transforms';

function transform(simpleName: string, create: () => Transformation): PluginDescriptor {
  return { className: `${PACKAGE}.${simpleName}`, aliases: [simpleName], type: 'transformation', version: TRANSFORMS_VERSION, create };
}

function keyAndValue(simpleName: string, create: (side: Side) => Transformation): PluginDescriptor[] {
  return [transform(`${simpleName}$Key`, () => create('key')), transform(`${simpleName}$Value`, () => create('value'))];
}

function predicate(simpleName: string, create: () => Predicate): PluginDescriptor {
  return { className: `${PACKAGE}.predicates.${simpleName}`, aliases: [simpleName], type: 'predicate', version: TRANSFORMS_VERSION, create };
}

export const builtinTransforms: PluginDescriptor[] = [
  ...keyAndValue('Cast', (side) => new Cast(side)),
  transform('DropHeaders', () => new DropHeaders()),
  ...keyAndValue('ExtractField', (side) => new ExtractField(side)),
  transform('Filter', () => new Filter()),
  ...keyAndValue('Flatten', (side) => new Flatten(side)),
  ...keyAndValue('HeaderFrom', (side) => new HeaderFrom(side)),
  ...keyAndValue('HoistField', (side) => new HoistField(side)),
  ...keyAndValue('InsertField', (side) => new InsertField(side)),
  transform('InsertHeader', () => new InsertHeader()),
  ...keyAndValue('MaskField', (side) => new MaskField(side)),
  transform('RegexRouter', () => new RegexRouter()),
  ...keyAndValue('ReplaceField', (side) => new ReplaceField(side)),
  ...keyAndValue('SetSchemaMetadata', (side) => new SetSchemaMetadata(side)),
  ...keyAndValue('TimestampConverter', (side) => new TimestampConverter(side)),
  transform('TimestampRouter', () => new TimestampRouter()),
  transform('ValueToKey', () => new ValueToKey()),
  predicate('HasHeaderKey', () => new HasHeaderKey()),
  predicate('RecordIsTombstone', () => new RecordIsTombstone()),
  predicate('TopicNameMatches', () => new TopicNameMatches()),
];
