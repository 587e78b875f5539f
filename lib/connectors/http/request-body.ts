/**
 * Turns sink records into request bodies: one text per record (`request.body.format`), joined
 * per batch with the batch options. Connect data (structs, decimals, dates) becomes JSON the
 * way JsonConverter with `schemas.enable=false` writes it.
 */
import { JsonConverter } from '../../converters/json-converter.ts';
import type { SinkRecord } from '../../plugins/connect-record.ts';
import type { HttpSinkSettings } from './http-sink-config.ts';

export class RequestBodyBuilder {
  private readonly json = new JsonConverter();

  constructor(private readonly settings: HttpSinkSettings) {
    this.json.configure({ 'schemas.enable': 'false' }, false);
  }

  /** The text of one record's value in the body. */
  recordText(record: SinkRecord): string {
    const v = record.value;
    if (typeof v === 'string') return v;
    if (Buffer.isBuffer(v) && this.settings.bodyFormat === 'string') return v.toString('utf8');
    const bytes = this.json.fromConnectData(record.topic, record.valueSchema, v);
    return bytes ? bytes.toString('utf8') : 'null';
  }

  /** The body of one request carrying these record texts. */
  batchBody(texts: readonly string[]): string {
    const s = this.settings;
    if (s.batchJsonAsArray) return `[${texts.join(',')}]`;
    return `${s.batchPrefix}${texts.join(s.batchSeparator)}${s.batchSuffix}`;
  }
}

/** A record key as text for `${key}`: strings as they are, other values as JSON. */
export function keyText(record: SinkRecord): string {
  const k = record.key;
  if (k === null || k === undefined) return '';
  if (typeof k === 'string') return k;
  if (Buffer.isBuffer(k)) return k.toString('utf8');
  if (typeof k === 'number' || typeof k === 'bigint' || typeof k === 'boolean') return String(k);
  return JSON.stringify(k, (_, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

/** The request URL for a record: `${topic}` and `${key}` filled in. */
export function recordUrl(template: string, record: SinkRecord): string {
  if (!template.includes('${')) return template;
  return template.replaceAll('${topic}', encodeURIComponent(record.topic)).replaceAll('${key}', encodeURIComponent(keyText(record)));
}
