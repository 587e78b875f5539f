/** `retry.on.status.codes`: codes and inclusive ranges such as `408,429,500-` or `500-599`. */

export interface StatusCodeSet {
  has(code: number): boolean;
}

/** Parses the list; throws an Error saying which part is not a code or range. */
export function parseStatusCodes(text: string): StatusCodeSet {
  const ranges: [number, number][] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d{3})(?:\s*(-)\s*(\d{3})?)?$/.exec(part);
    if (!m) throw new Error(`"${part}" is not a status code or range (e.g. 429, 500-599, 400-)`);
    const start = Number(m[1]);
    const end = m[2] ? (m[3] ? Number(m[3]) : 999) : start;
    if (end < start) throw new Error(`the range "${part}" ends before it starts`);
    ranges.push([start, end]);
  }
  return { has: (code) => ranges.some(([a, b]) => code >= a && code <= b) };
}
