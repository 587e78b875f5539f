/**
 * Debezium's temporal representations, computed from the database's text forms without going
 * through JavaScript dates (which would lose microseconds and mishandle years outside 1970-2038).
 */

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a `YYYY-MM-DD[ BC]` date (proleptic Gregorian). */
export function epochDays(date: string): number {
  const m = /^(\d{4,})-(\d{2})-(\d{2})/.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  let y = Number(m[1]);
  if (date.endsWith(' BC')) y = 1 - y;
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to the 1900s.
  const d = new Date(0);
  d.setUTCFullYear(y, Number(m[2]) - 1, Number(m[3]));
  return Math.round(d.getTime() / DAY_MS);
}

/** Microseconds since midnight of `HH:MM:SS[.ffffff]`. */
export function timeMicros(time: string): number {
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/.exec(time);
  if (!m) throw new RangeError(`not a time: ${time}`);
  const frac = Number((m[4] ?? '').padEnd(6, '0'));
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1_000_000 + frac;
}

/** Microseconds since the epoch of a local `YYYY-MM-DD HH:MM:SS[.ffffff]` read as UTC. */
export function timestampMicros(ts: string): number {
  const [date, rest = '00:00:00'] = ts.replace('T', ' ').split(' ');
  return epochDays(date ?? '') * DAY_MS * 1000 + timeMicros(rest);
}

/** The offset in seconds of a `+HH[:MM[:SS]]` suffix. */
export function zoneSeconds(zone: string): number {
  const m = /^([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(zone);
  if (!m) throw new RangeError(`not a zone offset: ${zone}`);
  const s = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return m[1] === '-' ? -s : s;
}

/** ISO-8601 in UTC with as many fraction digits as given (Debezium's ZonedTimestamp). */
export function isoUtcFromMicros(micros: number, fractionDigits: number): string {
  const ms = Math.floor(micros / 1000);
  const d = new Date(ms);
  const base = d.toISOString().slice(0, 19);
  const frac = String(((micros % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0').slice(0, fractionDigits).replace(/0+$/, '');
  return `${base}${frac ? `.${frac}` : ''}Z`;
}

/** `HH:MM:SS[.fff]` from microseconds since midnight (for ZonedTime). */
export function isoTimeFromMicros(micros: number): string {
  const day = 86_400_000_000;
  const t = ((micros % day) + day) % day;
  const s = Math.floor(t / 1_000_000);
  const frac = String(t % 1_000_000).padStart(6, '0').replace(/0+$/, '');
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}${frac ? `.${frac}` : ''}`;
}
