/**
 * FROZEN REFERENCE: the v1 CPU kernel (src/kernels/cpu at commit 2052af5), kept unchanged as the
 * bit-exact reference of test/unit/cpu/kernels-equivalence.test.ts. Do not optimize.
 *
 * CPU kernel of `randomUniform`: unit uniforms of a Philox4x32-10 (TF layout, low 23 bits) or Threefry2x32-20
 * (JAX original halves layout, high 23 bits) stream; the exact recipe is in src/core/ops/random-uniform.ts.
 * Integer arithmetic plus one exact conversion per element; the loops allocate nothing.
 */
import { philox4x32Into } from '../../../src/core/random/philox.ts';
import { threefry2x32Into } from '../../../src/core/random/threefry.ts';
import type { CpuKernel } from './types.ts';

/** 2^-23: m * 2^-23 is exact for every 23-bit m. */
const TWO_M23 = 1.1920928955078125e-7;

/** out[i] = (word i of the TF Philox stream & 0x7FFFFF) * 2^-23, blocks at counter, counter + 1, ... (128-bit). */
function philoxUniform(out: Float32Array, key: readonly number[], counter: readonly number[]): void {
  const n = out.length;
  const blk = new Uint32Array(4);
  const k0 = key[0];
  const k1 = key[1];
  let c0 = counter[0] >>> 0;
  let c1 = counter[1] >>> 0;
  let c2 = counter[2] >>> 0;
  let c3 = counter[3] >>> 0;
  for (let i = 0; i < n; i += 4) {
    philox4x32Into(c0, c1, c2, c3, k0, k1, blk, 0, 10);
    if (i + 4 <= n) {
      out[i] = (blk[0] & 0x7fffff) * TWO_M23;
      out[i + 1] = (blk[1] & 0x7fffff) * TWO_M23;
      out[i + 2] = (blk[2] & 0x7fffff) * TWO_M23;
      out[i + 3] = (blk[3] & 0x7fffff) * TWO_M23;
    } else {
      for (let j = 0; i + j < n; j++) out[i + j] = (blk[j] & 0x7fffff) * TWO_M23;
    }
    // TF SkipOne: 128-bit increment with carry.
    c0 = (c0 + 1) >>> 0;
    if (c0 === 0) {
      c1 = (c1 + 1) >>> 0;
      if (c1 === 0) {
        c2 = (c2 + 1) >>> 0;
        if (c2 === 0) c3 = (c3 + 1) >>> 0;
      }
    }
  }
}

/**
 * JAX random_bits (original layout) then the high-23-bit unit: with h = ceil(n/2), pair j encrypts (j, j + h)
 * (a counter equal to n becomes 0); out[j] = unit(y0), out[j + h] = unit(y1) when j + h < n.
 */
function threefryUniform(out: Float32Array, key: readonly number[]): void {
  const n = out.length;
  const pair = new Uint32Array(2);
  const k0 = key[0];
  const k1 = key[1];
  const h = (n + 1) >>> 1;
  for (let j = 0; j < h; j++) {
    const hi = j + h;
    threefry2x32Into(k0, k1, j, hi === n ? 0 : hi, pair, 0);
    out[j] = (pair[0] >>> 9) * TWO_M23;
    if (hi < n) out[hi] = (pair[1] >>> 9) * TWO_M23;
  }
}

export const randomUniform: CpuKernel<'randomUniform'> = (_inputs, a, out) => {
  const d = out.handle as Float32Array;
  if (a.algorithm === 'philox') philoxUniform(d, a.key, a.counter);
  else threefryUniform(d, a.key);
};
