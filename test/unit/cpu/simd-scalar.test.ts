/**
 * The WebAssembly SIMD micro-kernels give the bits of the plain scalar TypeScript ones, which are
 * what runs with DITTO_CPU_WASM=0 and the oracle here: the GEMM tile loop and its packers
 * (wasm-gemm.ts vs gemm-scalar.ts) run on identical heaps with NaN, ±Infinity, -0, subnormal and
 * huge values, and the Philox generator (wasm-philox.ts vs random-tasks.ts's scalar form over
 * philox4x32Into). Whole kernels are compared elsewhere: with the frozen v1 kernels, once with
 * the SIMD loops and once with the scalar ones (kernels-equivalence.test.ts,
 * kernels-equivalence-scalar.test.ts), and across processes with and without SIMD at 1-3 threads
 * (thread-invariance.test.ts). Also: a fresh tsx process has the SIMD modules on the main
 * thread and in every worker, without warnings.
 */
import { describe, expect, it } from 'vitest';
import { type GemmKernel, scalarGemmKernel } from '../../../src/kernels/cpu/gemm-scalar.ts';
import { scalarPhilox, simdPhilox } from '../../../src/kernels/cpu/random-tasks.ts';
import { instantiate, newMemory } from '../../../src/kernels/cpu/wasm-builder.ts';
import { GEMM_EXPORTS, SIMD_MR, SIMD_NR, simdGemmModule } from '../../../src/kernels/cpu/wasm-gemm.ts';
import { runTs } from '../../util/subprocess.ts';
import { Rng, firstDifference } from './helpers.ts';

const BYTES = 1 << 20;

/** The SIMD kernel on a fresh memory holding `init`, and that memory's floats. */
function simdKernel(init: Float32Array): { k: GemmKernel; heap: Float32Array } {
  const module = simdGemmModule();
  if (!module) throw new Error('no WebAssembly SIMD in this process');
  const mem = newMemory(BYTES);
  const e = instantiate(module, mem, GEMM_EXPORTS);
  const heap = new Float32Array(mem.buffer, 0, BYTES / 4);
  heap.set(init);
  return { k: { gemm: e.gemm, packA: e.packA, packB: e.packB, packc: e.packc, dgemm: e.dgemm, dgemm3: e.dgemm3, packt: e.packt, epi: e.epi, packm: e.packm }, heap };
}

/** The scalar kernel on a fresh ArrayBuffer holding `init`. */
function scalarKernel(init: Float32Array): { k: GemmKernel; heap: Float32Array } {
  const buffer = new ArrayBuffer(BYTES);
  const heap = new Float32Array(buffer);
  heap.set(init);
  return { k: scalarGemmKernel(buffer), heap };
}

/**
 * Heap contents in [0, 120000): random floats of magnitudes 2^-20..2^20, 1% of them -0 or
 * subnormal; NaN, ±Infinity and 3.4e38 (5%) only where `poison(i)`, so that the other outputs
 * stay finite and show any difference of order.
 */
function heapInit(seed: number, poison: (i: number) => boolean = () => true): Float32Array {
  const rng = new Rng(seed);
  const init = new Float32Array(BYTES / 4);
  const tiny = [-0, 1e-40, -3e-39];
  const wild = [NaN, Infinity, -Infinity, 3.4e38];
  for (let i = 0; i < 120000; i++) {
    const u = rng.next();
    init[i] = u < 0.01 ? rng.pick(tiny) : poison(i) && u < 0.06 ? rng.pick(wild) : (rng.next() - 0.5) * 2 ** rng.int(-20, 20);
  }
  return init;
}

describe('WebAssembly SIMD vs scalar micro-kernels', () => {
  it('the SIMD modules compile on the main thread and in every worker of a fresh tsx process, without warnings', async () => {
    const r = await runTs('test/unit/cpu/scripts/simd-check.ts');
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout.toString());
    expect(res.sum).toBe(72);
    expect(res.simd).toEqual([7, 7, 7]); // the three WebAssembly SIMD modules on every thread
    expect(res.warnings).toEqual([]);
  });

  it('GEMM tiles: the same bits over several chunks and over one stored chunk (non-finite and subnormal values too)', () => {
    // non-finite values only in A lane 3 of the last A panel and B lane 7 (rows 11, columns 7 and 15)
    const init = heapInit(42, (i) => (i >= 2 * SIMD_MR * 700 && i < 3 * SIMD_MR * 700 && i % SIMD_MR === 3) || (i >= 60000 && i % SIMD_NR === 7));
    const T = 120000;
    const run = ({ k, heap }: { k: GemmKernel; heap: Float32Array }): Float32Array => {
      // 3 x 2 tiles (12 x 16 outputs) over 700 terms accumulated into T (zeroed), then over 200 terms stored
      heap.fill(0, T, T + 2 * 12 * 16);
      k.gemm(0, 4 * 60000, 4 * T, 4 * 16, 3, 2, 700, 0, 0);
      k.gemm(4 * 20000, 4 * 90000, 4 * (T + 12 * 16), 4 * 16, 3, 2, 200, 1, 0);
      return heap.slice(T, T + 2 * 12 * 16);
    };
    const simd = run(simdKernel(init));
    const scalar = run(scalarKernel(init));
    expect(simd.filter((v) => Number.isFinite(v)).length).toBeGreaterThan(300);
    expect(simd.some((v) => !Number.isFinite(v))).toBe(true);
    // NaN payloads are not part of the contract: any NaN matches any NaN, all else bitwise
    expect(firstDifference(simd, scalar, true)).toBeNull();
    // negative control: another order (one sequential sum over the 700 terms, no chunks of 256)
    // differs, so the comparison sees the order
    const other = simd.slice(0, 12 * 16);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 2; j++) {
        for (let r = 0; r < SIMD_MR; r++) {
          for (let c = 0; c < SIMD_NR; c++) {
            let acc = 0;
            for (let k = 0; k < 700; k++) acc = Math.fround(acc + Math.fround(init[i * SIMD_MR * 700 + k * SIMD_MR + r] * init[60000 + j * SIMD_NR * 700 + k * SIMD_NR + c]));
            other[(i * SIMD_MR + r) * 16 + j * SIMD_NR + c] = acc;
          }
        }
      }
    }
    expect(firstDifference(other, simd.slice(0, 12 * 16), true)).not.toBeNull();
  });

  it('GEMM tiles over per-panel term ranges (pr): the same bits, chunks at the multiples of 256 of k, empty ranges +0', () => {
    // 5 A panels x 2 B panels over kc = 700 terms; ranges: whole, inside chunk 0, across 256 and 512,
    // ending at 512 exactly, empty; A lane 3 of panel 1 and B lane 7 carry non-finite values
    const kc = 700;
    const ranges = [[0, 700], [96, 200], [100, 600], [256, 512], [0, 0]];
    const init = heapInit(43, (i) => (i >= SIMD_MR * kc && i < 2 * SIMD_MR * kc && i % SIMD_MR === 3) || (i >= 60000 && i % SIMD_NR === 7));
    const I = new Int32Array(init.buffer);
    const PR = 119000;
    ranges.forEach(([lo, hi], i) => {
      I[PR + 2 * i] = lo;
      I[PR + 2 * i + 1] = hi;
    });
    const T = 120000;
    const n = 5 * SIMD_MR * 16;
    const run = ({ k, heap }: { k: GemmKernel; heap: Float32Array }, pr: number, store: number): Float32Array => {
      heap.fill(store ? NaN : 0, T, T + n);
      k.gemm(0, 4 * 60000, 4 * T, 4 * 16, 5, 2, kc, store, pr);
      return heap.slice(T, T + n);
    };
    for (const store of [0, 1]) {
      const simd = run(simdKernel(init), 4 * PR, store);
      const scalar = run(scalarKernel(init), 4 * PR, store);
      expect(simd.some((v) => !Number.isFinite(v))).toBe(true);
      expect(firstDifference(simd, scalar, true), `store ${store}`).toBeNull();
      // the empty panel gives +0 totals
      expect(firstDifference(simd.slice(4 * SIMD_MR * 16), new Float32Array(SIMD_MR * 16))).toBeNull();
      // with A zeroed outside each panel's range (finite B: no NaN or Inf in the rows of panels 0 and 2-4),
      // the full loop gives the same bits: the dropped terms were +0 * b
      const zeroed = init.slice();
      ranges.forEach(([lo, hi], i) => {
        for (let k = 0; k < kc; k++) if (k < lo || k >= hi) zeroed.fill(0, (i * kc + k) * SIMD_MR, (i * kc + k + 1) * SIMD_MR);
      });
      for (let i = 60000; i < 60000 + 2 * SIMD_NR * kc; i++) if (!Number.isFinite(zeroed[i])) zeroed[i] = 1.5;
      const ranged = run(simdKernel(zeroed), 4 * PR, store);
      expect(firstDifference(ranged, run(simdKernel(zeroed), 0, store), true), `store ${store}: ranged vs full, SIMD`).toBeNull();
      expect(firstDifference(ranged, run(scalarKernel(zeroed), 0, store), true), `store ${store}: ranged vs full, scalar`).toBeNull();
    }
  });

  it('GEMM packers: full and partial panels through offset tables, and packc, move the same floats', () => {
    const init = heapInit(7);
    const I = new Int32Array(init.buffer);
    const kc = 37;
    const tab = 100000;
    const lb = 100100;
    for (let k = 0; k < kc; k++) I[tab + k] = 4 * (3 * k + (k % 5)); // byte offsets
    for (let r = 0; r < 16; r++) I[lb + r] = 4 * (17 * r + 11); // lane bases
    for (let r = 0; r < SIMD_NR; r++) I[lb + 16 + r] = 4 * (500 + r); // lanes at consecutive floats
    const D = 110000;
    const run = ({ k, heap }: { k: GemmKernel; heap: Float32Array }): Float32Array => {
      heap.fill(-1, D, D + 6 * SIMD_NR * kc);
      k.packA(4 * D, 4 * lb, SIMD_MR, 4 * tab, kc);
      k.packA(4 * (D + SIMD_MR * kc), 4 * lb, SIMD_MR - 1, 4 * tab, kc);
      k.packB(4 * (D + 2 * SIMD_NR * kc), 4 * lb, SIMD_NR, 4 * tab, kc);
      k.packB(4 * (D + 3 * SIMD_NR * kc), 4 * lb, 3, 4 * tab, kc);
      // lanes at consecutive floats: packc where the kernel has it, else the general packer
      if (k.packc) k.packc(4 * (D + 4 * SIMD_NR * kc), 4 * 500, 4 * tab, kc, SIMD_NR);
      else k.packB(4 * (D + 4 * SIMD_NR * kc), 4 * (lb + 16), SIMD_NR, 4 * tab, kc);
      return heap.slice(D, D + 6 * SIMD_NR * kc);
    };
    const simd = run(simdKernel(init));
    const scalar = run(scalarKernel(init));
    expect(firstDifference(simd, scalar)).toBeNull();
  });

  it('packm (2 or 4 side-by-side panels of 4 or 8 lanes, lanes consecutive across them) moves the floats packA / packB move, and no others', () => {
    const init = heapInit(13);
    const I = new Int32Array(init.buffer);
    const tab = 100000;
    const lb = 100300;
    const D = 104000;
    for (const kc of [1, 37, 256]) {
      for (let k = 0; k < kc; k++) I[tab + k] = 4 * (41 * k + 7 * (k % 3)); // byte offsets, not monotone in steps
      for (const lanes of [SIMD_MR, SIMD_NR]) {
        for (const np of [2, 4]) {
          const base = 4 * (301 + lanes); // lanes of all np panels at consecutive floats from here
          for (let r = 0; r < lanes * np; r++) I[lb + r] = base + 4 * r;
          const size = np * lanes * kc;
          const run = ({ k, heap }: { k: GemmKernel; heap: Float32Array }, m: boolean): Float32Array => {
            heap.fill(-1, D, D + size + 64);
            if (m && k.packm) k.packm(4 * D, base, 4 * tab, kc, lanes, np);
            else for (let i = 0; i < np; i++) (lanes === SIMD_MR ? k.packA : k.packB)(4 * (D + i * lanes * kc), 4 * (lb + i * lanes), lanes, 4 * tab, kc);
            return heap.slice(D, D + size + 64);
          };
          const s = simdKernel(init);
          expect(s.k.packm).not.toBeNull();
          const packed = run(s, true);
          expect(firstDifference(packed, run(scalarKernel(init), false)), `kc ${kc} lanes ${lanes} np ${np}`).toBeNull();
          expect(firstDifference(packed, run(simdKernel(init), false)), `kc ${kc} lanes ${lanes} np ${np}`).toBeNull();
          // nothing written past the np panels
          expect(packed.slice(size).every((v) => v === -1)).toBe(true);
        }
      }
    }
  });

  it('packt (4-lane A panels, terms in groups of 4 consecutive floats) moves the floats packA moves', () => {
    const init = heapInit(11);
    const I = new Int32Array(init.buffer);
    const kc = 36;
    const tab = 100000;
    const lb = 100100;
    for (let k = 0; k < kc; k++) I[tab + k] = 4 * (97 * (k >> 2) + 4 * ((k >> 2) % 3) + (k & 3)); // groups of 4
    for (let r = 0; r < SIMD_MR; r++) I[lb + r] = 4 * (29 * r + 5 - 3 * (r & 1)); // lanes not consecutive
    const D = 110000;
    const run = ({ k, heap }: { k: GemmKernel; heap: Float32Array }, t: boolean): Float32Array => {
      heap.fill(-1, D, D + SIMD_MR * kc + 8);
      if (t && k.packt) k.packt(4 * D, 4 * lb, 4 * tab, kc);
      else k.packA(4 * D, 4 * lb, SIMD_MR, 4 * tab, kc);
      return heap.slice(D, D + SIMD_MR * kc + 8);
    };
    const s = simdKernel(init);
    expect(s.k.packt).not.toBeNull();
    const packed = run(s, true);
    expect(firstDifference(packed, run(scalarKernel(init), false))).toBeNull();
    expect(firstDifference(packed, run(simdKernel(init), false))).toBeNull();
  });

  it('Philox uniforms: the same bits for random keys and counters, any group count', () => {
    const rng = new Rng(9);
    const simd = simdPhilox(4096);
    const scalar = scalarPhilox(4096);
    expect(simd).not.toBeNull();
    for (const groups of [1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 1003, 4096]) {
      const k0 = rng.int(0, 0xffffffff) | 0;
      const k1 = rng.int(0, 0xffffffff) | 0;
      const c = [rng.int(0, 0x7fffffff), rng.int(0, 0xffffffff) | 0, 0xffffffff | 0, rng.int(0, 9)];
      simd!.run(groups, k0, k1, c[0], c[1], c[2], c[3]);
      scalar.run(groups, k0, k1, c[0], c[1], c[2], c[3]);
      expect(firstDifference(simd!.heap.slice(0, 4 * groups), scalar.heap.slice(0, 4 * groups)), `groups ${groups}`).toBeNull();
    }
  });

  it('Philox dropout: the keep test and scaling on the scalar uniforms, bit for bit, any group count (specials in x)', () => {
    const rng = new Rng(10);
    const simd = simdPhilox(4096)!;
    const scalar = scalarPhilox(4096);
    const f32 = new Float32Array(2);
    const u32 = new Uint32Array(f32.buffer);
    const specials = [NaN, Infinity, -Infinity, -0, 0, 1e-45, -1e-45, 1e-39, 3.4e38, -3.4e38];
    for (const groups of [1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 1003, 2048]) {
      const k0 = rng.int(0, 0xffffffff) | 0;
      const k1 = rng.int(0, 0xffffffff) | 0;
      const c = [rng.int(0, 0x7fffffff), rng.int(0, 0xffffffff) | 0, rng.int(0, 9), 0];
      const x = new Float32Array(4 * groups);
      for (let i = 0; i < x.length; i++) x[i] = i % 7 === 3 ? specials[i % specials.length] : (rng.int(0, 2000000) - 1000000) / 997;
      f32[0] = Math.fround(0.3);
      f32[1] = Math.fround(1 / 0.7);
      simd.heap.set(x, simd.src!);
      simd.dropout!(groups, k0, k1, c[0], c[1], c[2], c[3], u32[0] | 0, u32[1] | 0);
      scalar.run(groups, k0, k1, c[0], c[1], c[2], c[3]);
      const want = new Float32Array(4 * groups);
      for (let i = 0; i < want.length; i++) want[i] = scalar.heap[i] >= f32[0] ? x[i] * f32[1] : 0;
      expect(firstDifference(simd.heap.slice(0, 4 * groups), want), `groups ${groups}`).toBeNull();
    }
  });
});
