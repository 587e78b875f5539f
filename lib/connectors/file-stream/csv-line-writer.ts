/**
 * CSV lines for the file sink: one column per field of a struct or JSON object value, quoted
 * as RFC 4180 asks, with the columns fixed by `csv.fields` or by the first record.
 */
import { Struct } from '../../plugins/connect-schema.ts';

export class CsvLineWriter {
  private columns: string[] | undefined;

  constructor(fields: readonly string[]) {
    this.columns = fields.length ? [...fields] : undefined;
  }

  /** The header line, once the columns are known. */
  header(): string | undefined {
    return this.columns ? `${this.columns.map(quote).join(',')}\n` : undefined;
  }

  /** Sets the columns from the first record when they were not configured. */
  learn(value: unknown): void {
    if (this.columns) return;
    if (value instanceof Struct) this.columns = (value.schema.fields ?? []).map((f) => f.name);
    else if (value && typeof value === 'object' && !Array.isArray(value)) this.columns = Object.keys(value);
    else this.columns = ['value'];
  }

  line(value: unknown): string {
    this.learn(value);
    const cols = this.columns ?? ['value'];
    const get = (name: string): unknown => {
      if (value instanceof Struct) return value.field(name) ? value.get(name) : null;
      if (value && typeof value === 'object' && !Array.isArray(value)) return (value as Record<string, unknown>)[name];
      return name === 'value' ? value : null;
    };
    return `${cols.map((c) => quote(render(get(c)))).join(',')}\n`;
  }
}

function render(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (typeof v === 'object') return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v);
}

function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
