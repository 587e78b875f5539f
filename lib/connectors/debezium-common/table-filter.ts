/**
 * Debezium's include/exclude lists: comma-separated regular expressions that must match a whole
 * fully-qualified name (`schema.table`, `schema.table.column`), case-insensitively.
 */

export class NameFilter {
  private readonly include: RegExp[];
  private readonly exclude: RegExp[];

  constructor(include: readonly string[], exclude: readonly string[]) {
    this.include = include.map(anchored);
    this.exclude = exclude.map(anchored);
  }

  /** Whether a fully-qualified name passes the lists. */
  matches(name: string): boolean {
    if (this.include.length > 0) return this.include.some((r) => r.test(name));
    return !this.exclude.some((r) => r.test(name));
  }
}

function anchored(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'i');
}

/** The error message when a list entry is not a valid regular expression, else null. */
export function regexListError(patterns: readonly string[]): string | null {
  for (const p of patterns) {
    try {
      anchored(p);
    } catch (e) {
      return `${p} is not a valid regular expression: ${(e as Error).message}`;
    }
  }
  return null;
}
