/**
 * Joda-Time patterns as the TimeBasedPartitioner's `path.format` uses them
 * (`'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH`), rendered in a time zone and locale. Joda's
 * `Y` is the year of era, not SimpleDateFormat's week year.
 */
import { ConfigError } from '../../config/config-def.ts';

type Token = { literal: string } | { field: string; width: number };

const SUPPORTED = new Set(['y', 'Y', 'M', 'd', 'D', 'H', 'h', 'k', 'K', 'm', 's', 'S', 'E', 'e', 'a', 'Z', 'w', 'x', 'C', 'G']);

/** Splits a pattern into literals and fields; throws ConfigError on an unknown letter or an unclosed quote. */
export function parseJodaPattern(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === "'") {
      let text = '';
      i++;
      if (pattern[i] === "'") {
        tokens.push({ literal: "'" });
        i++;
        continue;
      }
      for (;;) {
        if (i >= pattern.length) throw new ConfigError(`Unterminated quote in path.format: ${pattern}`, 'path.format');
        if (pattern[i] === "'") {
          if (pattern[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += pattern[i];
        i++;
      }
      tokens.push({ literal: text });
    } else if (/[A-Za-z]/.test(c)) {
      if (!SUPPORTED.has(c)) throw new ConfigError(`Illegal pattern component: ${c} in path.format ${pattern}`, 'path.format');
      let width = 1;
      while (pattern[i + width] === c) width++;
      tokens.push({ field: c, width });
      i += width;
    } else {
      tokens.push({ literal: c });
      i++;
    }
  }
  return tokens;
}

interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  weekday: number; // 1 = Monday .. 7 = Sunday, as ISO and Joda
  offsetMs: number;
}

const partsCache = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short' });
    partsCache.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of an instant in a time zone, and the zone's offset then. */
export function localFields(epochMs: number, timeZone: string): LocalFields {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) parts[p.type] = p.value;
  let year = Number(parts.year);
  if (parts.era === 'BC') year = 1 - year;
  const month = Number(parts.month);
  const day = Number(parts.day);
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  const second = Number(parts.second);
  const millis = ((epochMs % 1000) + 1000) % 1000;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const weekday = ((new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7) + 1;
  return { year, month, day, hour, minute, second, millis, weekday, offsetMs: asUtc - epochMs };
}

/** Rounds an instant down to a multiple of `durationMs` in local time of the zone, as Confluent's partitioner. */
export function floorToPartition(epochMs: number, durationMs: number, timeZone: string): number {
  const local = epochMs + localFields(epochMs, timeZone).offsetMs;
  const floored = Math.floor(local / durationMs) * durationMs;
  // Local → UTC: the offset at the floored instant may differ across a DST change.
  let utc = floored - localFields(floored, timeZone).offsetMs;
  utc = floored - localFields(utc, timeZone).offsetMs;
  return utc;
}

const pad = (n: number, w: number) => (n < 0 ? '-' + String(-n).padStart(w, '0') : String(n).padStart(w, '0'));

/** Renders an instant with a parsed pattern in a time zone and locale. */
export function formatJoda(tokens: readonly Token[], epochMs: number, timeZone: string, locale: string): string {
  const f = localFields(epochMs, timeZone);
  let out = '';
  for (const t of tokens) {
    if ('literal' in t) {
      out += t.literal;
      continue;
    }
    const w = t.width;
    switch (t.field) {
      case 'y':
      case 'Y':
      case 'x':
        out += w === 2 ? pad(((f.year % 100) + 100) % 100, 2) : pad(f.year, w);
        break;
      case 'C':
        out += pad(Math.floor(f.year / 100), w);
        break;
      case 'G':
        out += f.year > 0 ? 'AD' : 'BC';
        break;
      case 'M':
        out += w >= 3 ? new Intl.DateTimeFormat(locale, { timeZone, month: w === 3 ? 'short' : 'long' }).format(new Date(epochMs)) : pad(f.month, w);
        break;
      case 'd':
        out += pad(f.day, w);
        break;
      case 'D': {
        const dayOfYear = Math.round((Date.UTC(f.year, f.month - 1, f.day) - Date.UTC(f.year, 0, 1)) / 86_400_000) + 1;
        out += pad(dayOfYear, w);
        break;
      }
      case 'w': {
        // ISO week of the week-based year.
        const d = new Date(Date.UTC(f.year, f.month - 1, f.day + 4 - f.weekday));
        const week = Math.ceil(((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7);
        out += pad(week, w);
        break;
      }
      case 'H':
        out += pad(f.hour, w);
        break;
      case 'k':
        out += pad(f.hour === 0 ? 24 : f.hour, w);
        break;
      case 'h':
        out += pad(f.hour % 12 === 0 ? 12 : f.hour % 12, w);
        break;
      case 'K':
        out += pad(f.hour % 12, w);
        break;
      case 'm':
        out += pad(f.minute, w);
        break;
      case 's':
        out += pad(f.second, w);
        break;
      case 'S':
        out += String(f.millis).padStart(3, '0').slice(0, w).padEnd(w, '0');
        break;
      case 'e':
        out += pad(f.weekday, w);
        break;
      case 'E':
        out += new Intl.DateTimeFormat(locale, { timeZone, weekday: w >= 4 ? 'long' : 'short' }).format(new Date(epochMs));
        break;
      case 'a':
        out += f.hour < 12 ? 'AM' : 'PM';
        break;
      case 'Z': {
        const m = Math.round(f.offsetMs / 60_000);
        const sign = m < 0 ? '-' : '+';
        const hh = pad(Math.floor(Math.abs(m) / 60), 2);
        const mm = pad(Math.abs(m) % 60, 2);
        out += w === 1 ? `${sign}${hh}${mm}` : `${sign}${hh}:${mm}`;
        break;
      }
      default:
        throw new ConfigError(`Illegal pattern component: ${t.field}`, 'path.format');
    }
  }
  return out;
}
