/**
 * Java-flavoured regular expressions on JS RegExp: leading inline flags such as `(?i)`, full-match
 * semantics (Matcher.matches) and Java replacement strings (`$1`, `${name}`, `\$`) for replaceFirst.
 * Constructs JS lacks (possessive quantifiers, `\A`, `\Z`) are rejected as invalid patterns.
 */

const INLINE_FLAGS = /^\(\?([imsux]+)\)/;

/** Compiles a Java pattern; throws SyntaxError when JS cannot express it. */
export function compileJavaRegex(pattern: string): RegExp {
  let source = pattern;
  let flags = '';
  const m = INLINE_FLAGS.exec(source);
  if (m?.[1]) {
    for (const f of m[1]) {
      if (f === 'x') throw new SyntaxError('comments mode (?x) is not supported');
      if (f !== 'u' && !flags.includes(f)) flags += f;
    }
    source = source.slice(m[0].length);
  }
  if (/(^|[^\\])(\\\\)*\\[AZz]/.test(source)) throw new SyntaxError('\\A, \\Z and \\z are not supported; use ^ and $');
  if (/[*+?}]\+/.test(source.replace(/\\./g, '').replace(/\[[^\]]*\]/g, ''))) throw new SyntaxError('possessive quantifiers are not supported');
  return new RegExp(source, flags);
}

/** Matcher.matches(): the whole input matches the pattern. */
export function fullyMatches(regex: RegExp, input: string): boolean {
  return new RegExp(`^(?:${regex.source})$`, regex.flags.replace('g', '')).test(input);
}

/** Expands a Java replacement string for one match. */
function expand(replacement: string, match: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const ch = replacement.charAt(i);
    if (ch === '\\') {
      i++;
      if (i >= replacement.length) throw new SyntaxError('character to be escaped is missing');
      out += replacement.charAt(i);
    } else if (ch === '$') {
      i++;
      if (replacement.charAt(i) === '{') {
        const end = replacement.indexOf('}', i);
        if (end < 0) throw new SyntaxError("named capturing group is missing trailing '}'");
        const name = replacement.slice(i + 1, end);
        if (!match.groups || !(name in match.groups)) throw new SyntaxError(`No group with name {${name}}`);
        out += match.groups[name] ?? '';
        i = end;
      } else {
        if (!/\d/.test(replacement.charAt(i))) throw new SyntaxError('Illegal group reference');
        let group = Number(replacement.charAt(i));
        if (group >= match.length) throw new SyntaxError(`No group ${group}`);
        // Java takes further digits while the group number stays valid.
        while (/\d/.test(replacement.charAt(i + 1)) && group * 10 + Number(replacement.charAt(i + 1)) < match.length) {
          group = group * 10 + Number(replacement.charAt(++i));
        }
        out += match[group] ?? '';
      }
    } else {
      out += ch;
    }
  }
  return out;
}

/** Matcher.replaceFirst(replacement) with Java's replacement syntax. */
export function replaceFirstJava(regex: RegExp, input: string, replacement: string): string {
  const re = new RegExp(regex.source, regex.flags.replace('g', ''));
  const match = re.exec(input);
  if (!match) return input;
  return input.slice(0, match.index) + expand(replacement, match) + input.slice(match.index + match[0].length);
}

/** Checks a Java replacement string against a pattern's groups; throws SyntaxError when it is invalid. */
export function validateReplacement(regex: RegExp, replacement: string): void {
  const probe = new RegExp(`(?:${regex.source})|`, regex.flags.replace('g', '')).exec('');
  if (probe) expand(replacement, probe);
}
