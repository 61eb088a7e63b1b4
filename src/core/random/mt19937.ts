/**
 * CPython's `random.Random` core (Modules/_randommodule.c + Lib/random.py): MT19937 seeded from an int by
 * init_by_array, genrand_uint32, getrandbits, random() (53-bit), and randint via _randbelow_with_getrandbits.
 * State is JSON-serialisable for checkpoints. Part of src/core: imports nothing outside src/core.
 */
import { ArgumentError } from '../errors.ts';
import { fmtValue } from './validate.ts';

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/**
 * A snapshot of an MT19937 generator: the 624 state words and the next index (CPython's getstate() minus gauss_next).
 * @inline
 */
export interface MT19937State {
  /** The 624 uint32 state words. */
  words: number[];
  /** The position of the next word, in [0, 624]. */
  index: number;
}

/** Multiplies two u32 values mod 2^32. */
const mul32 = (a: number, b: number): number => Math.imul(a, b) >>> 0;

/** CPython-compatible Mersenne Twister. `new MT19937(42)` equals Python's `random.Random(42)`. */
export class MT19937 {
  private readonly mt = new Uint32Array(N);
  private index = N + 1;

  /** Creates a generator seeded with `seed` (see seed()). */
  constructor(seed: number | bigint = 0) {
    this.seed(seed);
  }

  /**
   * Python `random.seed(n)` for an int n: init_by_array with the 32-bit words of |n|, least significant first
   * (a single 0 word for n = 0). Negative ints use their absolute value, as CPython does.
   */
  seed(n: number | bigint): void {
    if (typeof n === 'number' && !Number.isSafeInteger(n)) {
      throw new ArgumentError(`MT19937.seed: expected an integer seed. Received: seed=${fmtValue(n)}`);
    }
    if (typeof n !== 'number' && typeof n !== 'bigint') {
      throw new ArgumentError(`MT19937.seed: expected an integer seed. Received: seed=${fmtValue(n)}`);
    }
    let v = typeof n === 'bigint' ? n : BigInt(n);
    if (v < 0n) v = -v;
    const key: number[] = [];
    while (v > 0n) {
      key.push(Number(v & 0xffffffffn));
      v >>= 32n;
    }
    if (key.length === 0) key.push(0);
    this.initByArray(key);
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1];
      mt[i] = (mul32(1812433253, (prev ^ (prev >>> 30)) >>> 0) + i) >>> 0;
    }
    this.index = N;
  }

  private initByArray(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1];
      mt[i] = (((mt[i] ^ mul32((prev ^ (prev >>> 30)) >>> 0, 1664525)) >>> 0) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1];
      mt[i] = (((mt[i] ^ mul32((prev ^ (prev >>> 30)) >>> 0, 1566083941)) >>> 0) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  /** genrand_uint32: the next tempered 32-bit output. */
  genrandUint32(): number {
    const mt = this.mt;
    if (this.index >= N) {
      let kk = 0;
      let y: number;
      for (; kk < N - M; kk++) {
        y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; kk < N - 1; kk++) {
        y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Python `random()`: (a*2^26 + b) / 2^53 with a = genrand>>>5, b = genrand>>>6; a double in [0, 1). */
  random(): number {
    const a = this.genrandUint32() >>> 5;
    const b = this.genrandUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * Python `getrandbits(k)` for 0 <= k <= 53, as a number: 32-bit words from least to most significant;
   * the last (most significant) word keeps the top k mod 32 bits of its draw.
   */
  getrandbits(k: number): number {
    if (!Number.isInteger(k) || k < 0 || k > 53) {
      throw new ArgumentError(`MT19937.getrandbits: expected an integer k in [0, 53] (use getrandbitsBig for more). Received: k=${fmtValue(k)}`);
    }
    if (k === 0) return 0;
    if (k <= 32) return this.genrandUint32() >>> (32 - k);
    const lo = this.genrandUint32();
    const hi = this.genrandUint32() >>> (64 - k);
    return hi * 4294967296 + lo;
  }

  /** Python `getrandbits(k)` for any k >= 0, as a bigint. */
  getrandbitsBig(k: number): bigint {
    if (!Number.isSafeInteger(k) || k < 0) {
      throw new ArgumentError(`MT19937.getrandbitsBig: expected a non-negative integer k. Received: k=${fmtValue(k)}`);
    }
    let r = 0n;
    let shift = 0n;
    for (let left = k; left > 0; left -= 32, shift += 32n) {
      let w = this.genrandUint32();
      if (left < 32) w >>>= 32 - left;
      r |= BigInt(w) << shift;
    }
    return r;
  }

  /** Python `_randbelow_with_getrandbits(n)` for 0 < n < 2^53: k = n.bit_length(), redraw getrandbits(k) until < n. */
  randbelow(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) {
      throw new ArgumentError(`MT19937.randbelow: expected an integer n in (0, 2^53). Received: n=${fmtValue(n)}`);
    }
    const k = bitLength(n);
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /** Python `randint(a, b)` = a + _randbelow(b - a + 1), for safe integers a <= b with b - a + 1 < 2^53. */
  randint(a: number, b: number): number {
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || b < a || !Number.isSafeInteger(b - a + 1)) {
      throw new ArgumentError(`MT19937.randint: expected integers a <= b with b - a + 1 < 2^53. Received: a=${fmtValue(a)}, b=${fmtValue(b)}`);
    }
    return a + this.randbelow(b - a + 1);
  }

  /** JSON-serialisable snapshot of the whole state (624 words + index). */
  getState(): MT19937State {
    return { words: Array.from(this.mt), index: this.index };
  }

  /** Restores a snapshot taken by getState(). */
  setState(state: MT19937State): void {
    const ok =
      state != null && Array.isArray(state.words) && state.words.length === N &&
      state.words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) &&
      Number.isInteger(state.index) && state.index >= 0 && state.index <= N;
    if (!ok) {
      throw new ArgumentError(`MT19937.setState: expected { words: 624 u32 integers, index: integer in [0, 624] }. Received: state=${fmtValue(state)}`);
    }
    this.mt.set(state.words);
    this.index = state.index;
  }
}

function bitLength(n: number): number {
  let k = 0;
  while (n >= 1) {
    n = Math.floor(n / 2);
    k++;
  }
  return k;
}
