/**
 * The plain scalar TypeScript form of the CPU GEMM micro-kernel and its packers: what runs where
 * WebAssembly SIMD is missing or turned off (DITTO_CPU_WASM=0), and the oracle the tests compare
 * the SIMD form (wasm-gemm.ts) with, bit for bit. Same interface, same heap layout and the same
 * float32 operations in the same order, one output lane at a time.
 * Part of src/kernels/cpu: imports wasm-gemm.ts (the tile shape) only.
 *
 * Operand layout (offsets in bytes, as wasm-gemm.ts; MR = 4 rows, NR = 8 columns):
 *  - A panel: MR rows, k-major: A[r, k] at pa + 4*(MR*k + r) (rows past M are zero padding);
 *  - B panel: NR columns, k-major: B[c, k] at pb + 4*(NR*k + c);
 *  - T tile: MR x NR running totals at pt + r*ldt + 4c.
 * Reduction order (src/core/reduction-order.ts), per output: kc consecutive terms starting at a
 * multiple of SUM_CHUNK = 256 are cut into chunks of 256; a chunk's sum starts at +0 and adds
 * f32(a * b) in k order, c = f32(c + f32(a * b)); then t = f32(t + c), or, for the first chunk
 * when `store` is set, t = c (the same value: a sum that starts at +0 is never -0). Every step is
 * one correctly rounded float32 operation: the double product of two float32 values is exact,
 * and a double sum of two float32 values rounded to float32 is the float32 sum.
 */
import { SIMD_MR, SIMD_NR } from './wasm-gemm.ts';

/**
 * A GEMM micro-kernel over one thread's heap (byte offsets throughout):
 *  - gemm(pa, pb, pt, ldt, mt, nt, kc, store, pr): the mt x nt tiles of a block (A panels 4*MR*kc
 *    bytes apart, B panels 4*NR*kc bytes apart, tile (i, j) of T at pt + MR*i*ldt + 4*NR*j), over
 *    terms 0..kc-1, or (pr != 0) the tiles of row panel i over terms lo..hi-1 only, with
 *    lo = I[pr/4 + 2i] <= hi = I[pr/4 + 2i + 1] <= kc (the other terms are never read; chunk
 *    boundaries stay at the multiples of 256 of k; lo = hi: +0 sums);
 *  - packA / packB(dst, lb, nl, tab, kc): an MR- / NR-lane panel: lane r < nl of term k is the
 *    float at byte I[lb/4 + r] + I[tab/4 + k], lanes r >= nl are +0;
 *  - packc(dst, base, tab, kc, lanes), or null: the same for a full panel whose lanes are
 *    consecutive floats at byte base + I[tab/4 + k] (the SIMD form copies whole vectors).
 * Packing only moves float32 values.
 */
export interface GemmKernel {
  gemm(pa: number, pb: number, pt: number, ldt: number, mt: number, nt: number, kc: number, store: number, pr: number): void;
  packA(dst: number, lb: number, nl: number, tab: number, kc: number): void;
  packB(dst: number, lb: number, nl: number, tab: number, kc: number): void;
  packc: ((dst: number, base: number, tab: number, kc: number, lanes: number) => void) | null;
  /**
   * dgemm(prow, pterm, pb, ldb, pt, ldt, mt, nt, kc, store, pbias), or null: gemm on unpacked operands
   * (wasm-gemm.ts's header), the small-channel convolutions' path; where it is null (this scalar
   * kernel) they pack as every other job does, with the same bits.
   */
  dgemm: ((prow: number, pterm: number, pb: number, ldb: number, pt: number, ldt: number, mt: number, nt: number, kc: number, store: number, pbias: number) => void) | null;
  /** packt(dst, lb, tab, kc): packA for full 4-lane panels with terms in groups of 4 consecutive floats (wasm-gemm.ts), or null. */
  packt: ((dst: number, lb: number, tab: number, kc: number) => void) | null;
  /** dgemm3: dgemm with 3-row tiles (wasm-gemm.ts), or null (this scalar kernel). */
  dgemm3: GemmKernel['dgemm'];
  /** packm(dst, base, tab, kc, lanes, np): packc for np side-by-side panels whose lanes are consecutive floats across them (wasm-gemm.ts), or null. */
  packm: ((dst: number, base: number, tab: number, kc: number, lanes: number, np: number) => void) | null;
  /** epi(pt, ldt, rows, pbias, nv, relu), or null: conv2dBiasAct's epilogue (wasm-gemm.ts); null: gemm-tasks.ts's loop. */
  epi: ((pt: number, ldt: number, rows: number, pbias: number, nv: number, relu: number) => void) | null;
}

const fround = Math.fround;
const MR = SIMD_MR;
const NR = SIMD_NR;

/** The scalar kernel over `heap` (a plain ArrayBuffer owned by one thread). */
export function scalarGemmKernel(heap: ArrayBuffer): GemmKernel {
  if (MR !== 4 || NR !== 8) throw new Error(`gemm-scalar: written for 4 x 8 tiles, not ${MR} x ${NR}`);
  const H = new Float32Array(heap);
  const I = new Int32Array(heap);

  /**
   * One MR x NR tile over terms k0..kc-1 of its panels (float offsets a, b, t of the panels' term 0;
   * ldt in floats): row by row, the NR outputs of a row side by side (eight independent sums), each
   * in its own k order, in chunks that end at the multiples of 256 of k (the first one starts at k0;
   * an empty range is one empty chunk: +0 sums, stored or added).
   */
  function tile(a0: number, b0: number, t0: number, ldt: number, k0: number, kc: number, store: boolean): void {
    for (let r = 0; r < MR; r++) {
      const t = t0 + r * ldt;
      let a = a0 + r + k0 * MR;
      let b = b0 + k0 * NR;
      let first = store;
      let k = k0;
      do {
        const end = Math.min(kc, (k & -256) + 256);
        let c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0;
        for (; k < end; k++, a += MR, b += NR) {
          const x = H[a];
          c0 = fround(c0 + fround(x * H[b]));
          c1 = fround(c1 + fround(x * H[b + 1]));
          c2 = fround(c2 + fround(x * H[b + 2]));
          c3 = fround(c3 + fround(x * H[b + 3]));
          c4 = fround(c4 + fround(x * H[b + 4]));
          c5 = fround(c5 + fround(x * H[b + 5]));
          c6 = fround(c6 + fround(x * H[b + 6]));
          c7 = fround(c7 + fround(x * H[b + 7]));
        }
        if (first) {
          H[t] = c0; H[t + 1] = c1; H[t + 2] = c2; H[t + 3] = c3;
          H[t + 4] = c4; H[t + 5] = c5; H[t + 6] = c6; H[t + 7] = c7;
          first = false;
        } else {
          H[t] = fround(H[t] + c0); H[t + 1] = fround(H[t + 1] + c1);
          H[t + 2] = fround(H[t + 2] + c2); H[t + 3] = fround(H[t + 3] + c3);
          H[t + 4] = fround(H[t + 4] + c4); H[t + 5] = fround(H[t + 5] + c5);
          H[t + 6] = fround(H[t + 6] + c6); H[t + 7] = fround(H[t + 7] + c7);
        }
      } while (k < kc);
    }
  }

  /** A `lanes`-lane panel of kc terms at byte dst (k-major); see GemmKernel. */
  function pack(lanes: number, dst: number, lb: number, nl: number, tab: number, kc: number): void {
    let d = dst >> 2;
    const l = lb >> 2;
    const t = tab >> 2;
    for (let k = 0; k < kc; k++, d += lanes) {
      const o = I[t + k];
      for (let r = 0; r < lanes; r++) H[d + r] = r < nl ? H[(I[l + r] + o) >> 2] : 0;
    }
  }

  return {
    gemm(pa, pb, pt, ldt, mt, nt, kc, store, pr) {
      const ld = ldt >> 2;
      for (let i = 0; i < mt; i++) {
        const lo = pr !== 0 ? I[(pr >> 2) + 2 * i] : 0;
        const hi = pr !== 0 ? I[(pr >> 2) + 2 * i + 1] : kc;
        for (let j = 0; j < nt; j++) tile((pa >> 2) + i * MR * kc, (pb >> 2) + j * NR * kc, (pt >> 2) + i * MR * ld + j * NR, ld, lo, hi, store !== 0);
      }
    },
    packA: (dst, lb, nl, tab, kc) => pack(MR, dst, lb, nl, tab, kc),
    packB: (dst, lb, nl, tab, kc) => pack(NR, dst, lb, nl, tab, kc),
    packc: null,
    dgemm: null,
    dgemm3: null,
    packm: null,
    packt: null,
    epi: null,
  };
}
