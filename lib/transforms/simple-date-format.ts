/**
 * java.text.SimpleDateFormat patterns in UTC with English names, for TimestampConverter and
 * TimestampRouter: `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, `yyyyMMdd`, `EEE, d MMM yyyy`, ...
 * Parsing is lenient like Java's (out-of-range fields roll over, trailing text is ignored).
 * Dates before 1582 use the proleptic Gregorian calendar, unlike Java's Julian switch.
 */
import { ConfigError } from '../config/config-def.ts';

type Token = { readonly kind: 'literal'; readonly text: string } | { readonly kind: 'field'; readonly letter: string; readonly count: number };

const PATTERN_LETTERS = 'GyYMLwWDdFEuaHkKhmsSzZX';
const NUMERIC_LETTERS = 'yYwWDdFuHkKhmsS';
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_MS = 86_400_000;

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  const literal = (text: string) => {
    const last = tokens[tokens.length - 1];
    if (last?.kind === 'literal') tokens[tokens.length - 1] = { kind: 'literal', text: last.text + text };
    else tokens.push({ kind: 'literal', text });
  };
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern.charAt(i);
    if (ch === "'") {
      if (pattern.charAt(i + 1) === "'") {
        literal("'");
        i += 2;
        continue;
      }
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= pattern.length) throw new ConfigError(`Unterminated quote in date pattern: ${pattern}`);
        if (pattern.charAt(j) === "'") {
          if (pattern.charAt(j + 1) !== "'") break;
          text += "'";
          j += 2;
        } else {
          text += pattern.charAt(j++);
        }
      }
      literal(text);
      i = j + 1;
    } else if (/[A-Za-z]/.test(ch)) {
      if (!PATTERN_LETTERS.includes(ch)) throw new ConfigError(`Illegal pattern character '${ch}'`);
      let count = 1;
      while (pattern.charAt(i + count) === ch) count++;
      tokens.push({ kind: 'field', letter: ch, count });
      i += count;
    } else {
      literal(ch);
      i++;
    }
  }
  return tokens;
}

function isNumericField(t: { letter: string; count: number }): boolean {
  return NUMERIC_LETTERS.includes(t.letter) || ((t.letter === 'M' || t.letter === 'L') && t.count <= 2);
}

const pad = (n: number, width: number) => (n < 0 ? '-' : '') + String(Math.abs(n)).padStart(width, '0');

/** US week rules (weeks start Sunday; week 1 holds January 1st). */
function weekOfYear(d: Date): { week: number; weekYear: number } {
  const year = d.getUTCFullYear();
  const saturday = new Date(d.getTime() + (6 - d.getUTCDay()) * DAY_MS);
  if (saturday.getUTCFullYear() > year) return { week: 1, weekYear: year + 1 };
  const jan1 = Date.UTC(year, 0, 1);
  const jan1Dow = new Date(jan1).getUTCDay();
  const dayOfYear = Math.floor((d.getTime() - jan1) / DAY_MS);
  return { week: Math.floor((dayOfYear + jan1Dow) / 7) + 1, weekYear: year };
}

function formatField(d: Date, letter: string, count: number): string {
  const year = d.getUTCFullYear();
  const hours = d.getUTCHours();
  switch (letter) {
    case 'G':
      return year > 0 ? 'AD' : 'BC';
    case 'y':
    case 'Y': {
      const y = letter === 'y' ? year : weekOfYear(d).weekYear;
      const shown = y > 0 ? y : 1 - y;
      return count === 2 ? pad(shown % 100, 2) : pad(shown, count);
    }
    case 'M':
    case 'L': {
      const m = d.getUTCMonth();
      if (count >= 4) return MONTHS[m] ?? '';
      if (count === 3) return (MONTHS[m] ?? '').slice(0, 3);
      return pad(m + 1, count);
    }
    case 'w':
      return pad(weekOfYear(d).week, count);
    case 'W': {
      const firstDow = new Date(Date.UTC(year, d.getUTCMonth(), 1)).getUTCDay();
      return pad(Math.floor((d.getUTCDate() - 1 + firstDow) / 7) + 1, count);
    }
    case 'D':
      return pad(Math.floor((d.getTime() - Date.UTC(year, 0, 1)) / DAY_MS) + 1, count);
    case 'd':
      return pad(d.getUTCDate(), count);
    case 'F':
      return pad(Math.floor((d.getUTCDate() - 1) / 7) + 1, count);
    case 'E': {
      const name = DAYS[d.getUTCDay()] ?? '';
      return count >= 4 ? name : name.slice(0, 3);
    }
    case 'u':
      return pad(d.getUTCDay() === 0 ? 7 : d.getUTCDay(), count);
    case 'a':
      return hours < 12 ? 'AM' : 'PM';
    case 'H':
      return pad(hours, count);
    case 'k':
      return pad(hours === 0 ? 24 : hours, count);
    case 'K':
      return pad(hours % 12, count);
    case 'h':
      return pad(hours % 12 === 0 ? 12 : hours % 12, count);
    case 'm':
      return pad(d.getUTCMinutes(), count);
    case 's':
      return pad(d.getUTCSeconds(), count);
    case 'S':
      return pad(d.getUTCMilliseconds(), count);
    case 'z':
      return count >= 4 ? 'Coordinated Universal Time' : 'UTC';
    case 'Z':
      return '+0000';
    case 'X':
      return 'Z';
    default:
      return '';
  }
}

interface Parsed {
  year?: number;
  month?: number;
  day?: number;
  dayOfYear?: number;
  hour?: number;
  hourKind?: string;
  pm?: boolean;
  minute?: number;
  second?: number;
  millis?: number;
  bc?: boolean;
  offsetMinutes?: number;
}

const ZONE = /^(?:Z|(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?|GMT|UTC)/i;

/** A compiled SimpleDateFormat pattern, always in UTC. */
export class SimpleDateFormat {
  readonly pattern: string;
  private readonly tokens: Token[];
  private readonly centuryStart = new Date().getUTCFullYear() - 80;

  /** Throws ConfigError for an illegal pattern. */
  constructor(pattern: string) {
    this.pattern = pattern;
    this.tokens = tokenize(pattern);
  }

  format(date: Date): string {
    return this.tokens.map((t) => (t.kind === 'literal' ? t.text : formatField(date, t.letter, t.count))).join('');
  }

  /** Parses text from its start; returns null when it does not match the pattern. */
  parse(text: string): Date | null {
    const p: Parsed = {};
    let pos = 0;
    for (let i = 0; i < this.tokens.length; i++) {
      const t = this.tokens[i] as Token;
      if (t.kind === 'literal') {
        if (!text.startsWith(t.text, pos)) return null;
        pos += t.text.length;
        continue;
      }
      while (/\s/.test(text.charAt(pos))) pos++;
      const next = this.tokens[i + 1];
      const abutting = next?.kind === 'field' && isNumericField(next);
      const consumed = this.parseField(text, pos, t, abutting, p);
      if (consumed < 0) return null;
      pos += consumed;
    }
    return build(p);
  }

  private parseField(text: string, pos: number, t: { letter: string; count: number }, abutting: boolean, p: Parsed): number {
    const rest = text.slice(pos);
    if (isNumericField(t)) {
      const m = (abutting ? new RegExp(`^\\d{${t.count}}`) : /^\d+/).exec(rest);
      if (!m) return -1;
      assignNumber(p, t.letter, Number(m[0]), m[0].length === 2 && t.count <= 2, this.centuryStart);
      return m[0].length;
    }
    const lower = rest.toLowerCase();
    const match = (names: readonly string[]) => {
      const candidates = names.flatMap((n, i) => [[n, i] as const, [n.slice(0, 3), i] as const]);
      return candidates.find(([n]) => lower.startsWith(n.toLowerCase()));
    };
    switch (t.letter) {
      case 'M':
      case 'L': {
        const found = match(MONTHS);
        if (!found) return -1;
        p.month = found[1] + 1;
        return found[0].length;
      }
      case 'E': {
        const found = match(DAYS);
        return found ? found[0].length : -1;
      }
      case 'a':
        if (!/^(am|pm)/.test(lower)) return -1;
        p.pm = lower.startsWith('pm');
        return 2;
      case 'G':
        if (!/^(ad|bc)/.test(lower)) return -1;
        p.bc = lower.startsWith('bc');
        return 2;
      default: {
        const m = ZONE.exec(rest);
        if (!m) return -1;
        const offset = m[1] ? (Number(m[2]) * 60 + Number(m[3] ?? 0)) * (m[1] === '-' ? -1 : 1) : 0;
        p.offsetMinutes = offset;
        return m[0].length;
      }
    }
  }
}

function assignNumber(p: Parsed, letter: string, value: number, twoDigits: boolean, centuryStart: number): void {
  switch (letter) {
    case 'y':
    case 'Y': {
      if (twoDigits) {
        const base = Math.floor(centuryStart / 100) * 100;
        p.year = base + value + (value < centuryStart % 100 ? 100 : 0);
      } else {
        p.year = value;
      }
      return;
    }
    case 'M':
    case 'L':
      p.month = value;
      return;
    case 'd':
      p.day = value;
      return;
    case 'D':
      p.dayOfYear = value;
      return;
    case 'H':
    case 'k':
    case 'K':
    case 'h':
      p.hour = value;
      p.hourKind = letter;
      return;
    case 'm':
      p.minute = value;
      return;
    case 's':
      p.second = value;
      return;
    case 'S':
      p.millis = value;
      return;
    default:
  }
}

function build(p: Parsed): Date {
  let hour = p.hour ?? 0;
  if (p.hourKind === 'k' && hour === 24) hour = 0;
  if (p.hourKind === 'h' && hour === 12) hour = 0;
  if ((p.hourKind === 'h' || p.hourKind === 'K') && p.pm) hour += 12;
  const year = p.bc ? 1 - (p.year ?? 1970) : (p.year ?? 1970);
  const useDayOfYear = p.dayOfYear !== undefined && p.month === undefined && p.day === undefined;
  const d = new Date(0);
  d.setUTCFullYear(year, useDayOfYear ? 0 : (p.month ?? 1) - 1, useDayOfYear ? (p.dayOfYear ?? 1) : (p.day ?? 1));
  d.setUTCHours(hour, p.minute ?? 0, p.second ?? 0, p.millis ?? 0);
  return new Date(d.getTime() - (p.offsetMinutes ?? 0) * 60_000);
}
