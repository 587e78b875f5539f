/**
 * Generates strings matching a small regular-expression subset, for JSON Schema `pattern`
 * (and the quickstarts' `User_[1-9]`-style ids): literals, escapes (\d \w \s \. ...),
 * classes with ranges `[a-z0-9_]`, `.`, groups with `|`, and quantifiers `? * + {n} {n,m}`.
 */
import { DatagenSchemaError } from './errors.ts';
import type { SeededRandom } from './seeded-random.ts';

type Node =
  | { kind: 'chars'; chars: string }
  | { kind: 'group'; alternatives: Node[][] }
  | { kind: 'repeat'; node: Node; min: number; max: number };

/** How many times `*` and `+` repeat at most. */
const OPEN_REPEAT_MAX = 8;
const DIGITS = '0123456789';
const WORD = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_';
const ANY = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_';

export class PatternGenerator {
  private readonly root: Node[][];

  constructor(readonly pattern: string) {
    const parser = new Parser(pattern.replace(/^\^/, '').replace(/\$$/, ''));
    this.root = parser.alternatives();
    if (!parser.done()) parser.fail('unexpected ")"');
  }

  generate(rng: SeededRandom): string {
    return emitAlternatives(this.root, rng);
  }
}

function emitAlternatives(alts: Node[][], rng: SeededRandom): string {
  return (rng.pick(alts) ?? []).map((n) => emit(n, rng)).join('');
}

function emit(node: Node, rng: SeededRandom): string {
  switch (node.kind) {
    case 'chars':
      return node.chars[rng.int(0, node.chars.length - 1)] ?? '';
    case 'group':
      return emitAlternatives(node.alternatives, rng);
    case 'repeat': {
      const n = rng.int(node.min, node.max);
      let out = '';
      for (let i = 0; i < n; i++) out += emit(node.node, rng);
      return out;
    }
  }
}

class Parser {
  private i = 0;

  constructor(private readonly src: string) {}

  done(): boolean {
    return this.i >= this.src.length;
  }

  fail(message: string): never {
    throw new DatagenSchemaError(`Unsupported pattern /${this.src}/ at ${this.i}: ${message}`);
  }

  alternatives(): Node[][] {
    const alts: Node[][] = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      alts.push(this.sequence());
    }
    return alts;
  }

  private sequence(): Node[] {
    const seq: Node[] = [];
    while (!this.done() && this.src[this.i] !== '|' && this.src[this.i] !== ')') seq.push(this.quantified(this.atom()));
    return seq;
  }

  private atom(): Node {
    const ch = this.src[this.i++] as string;
    if (ch === '(') {
      if (this.src.startsWith('?:', this.i)) this.i += 2;
      const alternatives = this.alternatives();
      if (this.src[this.i++] !== ')') this.fail('missing ")"');
      return { kind: 'group', alternatives };
    }
    if (ch === '[') return { kind: 'chars', chars: this.charClass() };
    if (ch === '\\') return { kind: 'chars', chars: this.escape() };
    if (ch === '.') return { kind: 'chars', chars: ANY };
    if ('*+?{'.includes(ch)) this.fail(`nothing to repeat before "${ch}"`);
    return { kind: 'chars', chars: ch };
  }

  private escape(): string {
    const e = this.src[this.i++];
    if (e === undefined) this.fail('trailing backslash');
    if (e === 'd') return DIGITS;
    if (e === 'w') return WORD;
    if (e === 's') return ' ';
    return e;
  }

  private charClass(): string {
    if (this.src[this.i] === '^') this.fail('negated classes are not supported');
    let chars = '';
    while (this.src[this.i] !== ']') {
      if (this.done()) this.fail('missing "]"');
      const c = this.src[this.i++] as string;
      if (c === '\\') {
        chars += this.escape();
        continue;
      }
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.src[this.i + 1] !== undefined) {
        const end = this.src[this.i + 1] as string;
        this.i += 2;
        if (end.charCodeAt(0) < c.charCodeAt(0)) this.fail(`bad range ${c}-${end}`);
        for (let code = c.charCodeAt(0); code <= end.charCodeAt(0); code++) chars += String.fromCharCode(code);
        continue;
      }
      chars += c;
    }
    this.i++;
    if (chars === '') this.fail('empty class');
    return chars;
  }

  private quantified(node: Node): Node {
    const q = this.src[this.i];
    if (q === '?') return this.step({ kind: 'repeat', node, min: 0, max: 1 });
    if (q === '*') return this.step({ kind: 'repeat', node, min: 0, max: OPEN_REPEAT_MAX });
    if (q === '+') return this.step({ kind: 'repeat', node, min: 1, max: OPEN_REPEAT_MAX });
    if (q === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) this.fail('bad {n,m} quantifier');
      this.i += m[0].length;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? min + OPEN_REPEAT_MAX : Number(m[3]);
      if (max < min) this.fail('{n,m} with m < n');
      return { kind: 'repeat', node, min, max };
    }
    return node;
  }

  private step(node: Node): Node {
    this.i++;
    return node;
  }
}
