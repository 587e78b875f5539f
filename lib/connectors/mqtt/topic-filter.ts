/** MQTT topic filters: `+` matches one level, a trailing `#` any number of levels (MQTT 3.1.1 §4.7). */

/** Whether a filter is well formed; returns the reason when it is not. */
export function filterProblem(filter: string): string | undefined {
  if (filter === '') return 'a topic filter cannot be empty';
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i] ?? '';
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) return `"${filter}": # must be a whole level and the last one`;
    if (level.includes('+') && level !== '+') return `"${filter}": + must be a whole level`;
  }
  return undefined;
}

export function matchesFilter(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  // Topics starting with $ (broker internals) are not matched by leading wildcards.
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}
