/**
 * The engine's one summation order, the contract every float reduction follows on every backend.
 *
 *   S(t[0..n)) =  n <= SUM_CHUNK : acc = +0; for i = 0..n-1: acc = f32(acc + t[i]); return acc
 *                 otherwise      : S(p[0..m)), m = ceil(n / SUM_CHUNK),
 *                                  p[j] = S(t[j*SUM_CHUNK .. min(n, (j+1)*SUM_CHUNK)))
 *
 * i.e. a fixed-shape tree of sequential chunks whose shape depends only on n. Terms are indexed
 * by the reduction's canonical index (documented next to each kernel); a term a kernel skips
 * (padding, non-matching index) keeps its index, so chunk boundaries never move. Because every
 * accumulator starts at +0, a skipped zero term and an added ±0 term give identical bits, and a
 * level holding a single partial sum returns it unchanged.
 * The WGSL kernels compute the same tree (one invocation per chunk and level, or the streaming
 * form below); the CPU kernels use `sumTree` or the streaming form:
 *   chunk = +0 over SUM_CHUNK consecutive terms, then total = f32(total + chunk)   (n <= CHUNK^2)
 * Part of src/core: imports nothing.
 */

/** Terms per sequential chunk of the summation tree. */
export const SUM_CHUNK = 256;

const f32 = Math.fround;

/** S(a[offset + i*stride], i = 0..n-1) in the engine's order. */
export function sumTree(a: ArrayLike<number>, offset: number, n: number, stride = 1): number {
  if (n <= SUM_CHUNK) {
    let acc = 0;
    for (let i = 0, p = offset; i < n; i++, p += stride) acc = f32(acc + a[p]);
    return acc;
  }
  const m = Math.ceil(n / SUM_CHUNK);
  const partial = new Float32Array(m);
  for (let j = 0; j < m; j++) {
    const len = Math.min(SUM_CHUNK, n - j * SUM_CHUNK);
    partial[j] = sumTree(a, offset + j * SUM_CHUNK * stride, len, stride);
  }
  return sumTree(partial, 0, m, 1);
}

/**
 * Streaming form of S for terms produced one at a time, valid for any n known in advance.
 * Usage: `const acc = new TreeAccumulator(n); for (...) acc.add(term); acc.result()`.
 * Kernels on hot paths inline the two-level form instead (see the header).
 */
export class TreeAccumulator {
  private readonly levels: number;
  private readonly acc: Float64Array;
  private readonly count: Int32Array;

  constructor(readonly n: number) {
    let levels = 1;
    for (let m = n; m > SUM_CHUNK; m = Math.ceil(m / SUM_CHUNK)) levels++;
    this.levels = levels;
    this.acc = new Float64Array(levels);
    this.count = new Int32Array(levels);
  }

  add(term: number): void {
    this.push(0, term);
  }

  private push(level: number, v: number): void {
    this.acc[level] = f32(this.acc[level] + v);
    if (++this.count[level] === SUM_CHUNK && level < this.levels - 1) {
      const s = this.acc[level];
      this.acc[level] = 0;
      this.count[level] = 0;
      this.push(level + 1, s);
    }
  }

  /** The sum; call once after exactly n terms. */
  result(): number {
    for (let l = 0; l < this.levels - 1; l++) {
      if (this.count[l] > 0) {
        const s = this.acc[l];
        this.acc[l] = 0;
        this.count[l] = 0;
        this.push(l + 1, s);
      }
    }
    return this.acc[this.levels - 1];
  }
}
