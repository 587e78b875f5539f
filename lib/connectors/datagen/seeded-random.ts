/**
 * A small seeded PRNG (sfc32). Each record gets its own generator seeded from
 * (random.seed, task id, iteration), so record n is the same on every run and after any restart,
 * without replaying the records before it.
 */

const TWO_32 = 4_294_967_296;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function split(n: number): [number, number] {
  const v = Math.trunc(n);
  const lo = ((v % TWO_32) + TWO_32) % TWO_32;
  const hi = Math.floor(v / TWO_32) >>> 0;
  return [lo >>> 0, hi];
}

export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(...seeds: number[]) {
    let h1 = 0x9e3779b9;
    let h2 = 0x243f6a88;
    let h3 = 0xb7e15162;
    let h4 = 0x6a09e667;
    for (const s of seeds) {
      const [lo, hi] = split(s);
      h1 = fmix32(h1 ^ lo);
      h2 = fmix32(h2 ^ hi ^ h1);
      h3 = fmix32(h3 ^ lo ^ h2);
      h4 = fmix32(h4 ^ hi ^ h3);
    }
    this.a = h1;
    this.b = h2;
    this.c = h3;
    this.d = h4 | 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The generator of one record. */
  static forRecord(seed: number, taskId: number, iteration: number): SeededRandom {
    return new SeededRandom(seed, taskId, iteration);
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67_108_864 + lo) / 9_007_199_254_740_992;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  bool(): boolean {
    return (this.nextUint32() & 1) === 1;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }
}
