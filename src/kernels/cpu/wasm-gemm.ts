/**
 * The WebAssembly SIMD form of the CPU GEMM micro-kernel (gemm-scalar.ts is the plain scalar
 * TypeScript form, the oracle): the same operations in the same order on the same packed panels,
 * four outputs per instruction. The module's bytes are assembled at load time from the
 * instruction lists below (wasm-builder.ts): no toolchain, no binary file.
 * Part of src/kernels/cpu: imports wasm-builder.ts only.
 *
 * Exactness: every output is one lane of an f32x4 accumulator, and the only arithmetic is
 * f32x4.mul and f32x4.add, which WebAssembly defines lane-wise as IEEE 754 binary32 operations
 * rounded to nearest-even, with subnormals (no flush to zero) and never fused (plain SIMD has no
 * multiply-add; the relaxed-SIMD madd is not used). So lane c of `acc = f32x4.add(acc,
 * f32x4.mul(splat(a), b))` is exactly fround(acc + fround(a * b)), the scalar kernel's step, and
 * each output goes through its own terms in k order: the same bits as gemm-scalar.ts (a NaN stays
 * a NaN; its payload is not specified, as everywhere in the engine).
 *
 * Operand layout (offsets in bytes), shared with gemm-scalar.ts:
 *  - A panel: MR rows, k-major: A[r, k] at pa + 4*(MR*k + r) (rows past M are zero padding);
 *  - B panel: NR = 4*NV columns, k-major: B[c, k] at pb + 4*(NR*k + c);
 *  - T tile: MR x NR running totals at pt + r*ldt + 4c.
 * Reduction order (src/core/reduction-order.ts), per output: kc consecutive terms starting at a
 * multiple of SUM_CHUNK = 256 are cut into chunks of 256; a chunk's sum starts at +0 and adds
 * f32(a * b) in k order; then t = f32(t + chunk), or, for the first chunk when `store` is set,
 * t = chunk (the same value: a sum that starts at +0 is never -0).
 *
 * Exports: gemm(pa, pb, pt, ldt, mt, nt, kc, store, pr) runs the mt x nt tiles of a block (A panels
 * 4*MR*kc bytes apart, B panels 4*NR*kc bytes apart, tile (i, j) of T at pt + MR*i*ldt + 4*NR*j)
 * over terms 0..kc-1, or, with pr != 0, the tiles of row panel i over terms lo..hi-1 only
 * (lo = I[pr/4 + 2i] <= hi = I[pr/4 + 2i + 1] <= kc; the other terms are never read): the chunks
 * still end at the multiples of 256 of k, so each output adds its remaining terms exactly as the
 * whole loop would (lo = hi: +0 sums; gemm-tasks.ts says when dropped terms change nothing);
 * packA / packB(dst, lb, nl, tab, kc) gather an MR- / NR-lane panel: lane r < nl of term k is the
 * float at byte I[lb/4 + r] + I[tab/4 + k], lanes r >= nl are +0 (as gemm-scalar.ts's packers);
 * packc(dst, base, tab, kc, lanes) does the same for full panels whose lanes are consecutive floats
 * (base + 4r), copying whole vectors; packm(dst, base, tab, kc, lanes, np) packs np = 2 or 4 such
 * panels side by side whose lanes are consecutive floats across all of them (lane r of panel i at
 * base + 4*(lanes*i + r)), term by term; packt(dst, lb, tab, kc) packs a full 4-lane A panel whose
 * terms come in groups of 4 consecutive floats by vector loads and 4 x 4 transposes (packtFn).
 * Packing only moves floats.
 * dgemm(prow, pterm, pb, ldb, pt, ldt, mt, nt, kc, store, pbias) is the unpacked ("direct") form of gemm
 * used for convolutions with few input channels, whose panels are too short to be worth packing:
 * A[r, k] is the float at byte I[prow/4 + r] + I[pterm/4 + k] (a row base plus a term offset; row
 * bases of tile i at prow + 4*MR*i) and B[c, k] the float at byte pb + k*ldb + 4c (column c of
 * row k of an unpacked row-major operand). Each tile (same MR x NR shape, T layout, chunking and
 * store rule as gemm) does the same f32x4.mul and f32x4.add per term in the same k order as gemm
 * on the packed panels of the same A and B, so every output has the same bits. With store bits 2
 * (and 4) set, for a single chunk (kc <= 256), each tile applies conv2dBiasAct's epilogue (epi
 * below: f32x4.add with the bias vectors at pbias + 4*NR*j + 16v, then relu) to its sums before
 * storing them: epi's operations on the same values, so the bits of gemm + epi.
 * dgemm3 is dgemm with tiles of 3 rows (row bases of tile i at prow + 12*i, T rows 3*i..3*i+2), for
 * blocks whose row count is a multiple of 3 and not of 4 (conv2dGradFilter's 9 taps of a 3x3
 * filter on one channel: three 3-row tiles instead of three 4-row tiles, a quarter of them waste):
 * per output the same operations in the same order as dgemm.
 * epi(pt, ldt, rows, pbias, nv, relu) is conv2dBiasAct's epilogue on a block's totals T: for each
 * of `rows` rows and nv vectors, t = f32x4.add(t, bias[4v..4v+3]) (the add op's f32(z + b)), then
 * with relu set t = t > 0 || t is NaN ? t : +0 as a lane mask (wasm-ew.ts's relu, bit for bit).
 */

import { Fn, V128, type WasmModule, compileOrNull, moduleBytes } from './wasm-builder.ts';

/**
 * Rows (A lanes) and vectors of 4 columns (B lanes = 4 * NV) of a tile: 4 x 8 (8 accumulator
 * vectors) measured fastest among 1x32, 2x16, 3x8, 3x16, 4x16, 5x8 and 6x8 on the reference
 * machine (about 30 GFLOP/s per core inside the tile loop).
 */
export const SIMD_MR = 4;
export const SIMD_NV = 2;
export const SIMD_NR = 4 * SIMD_NV;

/**
 * One MR x NR tile over terms k0..kc-1 of its panels (function 0): pa and pb point at term k0's
 * row of the A and B panels; chunk boundaries stay at the multiples of 256 of the term index, so
 * the first chunk runs from k0 to the next boundary (all of chunk 0 when k0 = 0); an empty range
 * (k0 = kc) gives one empty chunk: +0 sums, stored or added.
 */
function tileFn(MR: number, NV: number): Fn {
  const NR = 4 * NV;
  const f = new Fn('tile', ['pa', 'pb', 'pt', 'ldt', 'kc', 'store', 'k']);
  f.local('n').local('pe').local('q');
  for (let v = 0; v < NV; v++) f.local(`b${v}`, V128);
  f.local('a', V128);
  for (let r = 0; r < MR; r++) for (let v = 0; v < NV; v++) f.local(`c${r}_${v}`, V128);
  f.block().loop();
  // n = min(kc, next chunk boundary after k) - k; k += n
  f.get('k').i32(-256).op('i32.and').i32(256).add().set('n');
  f.get('n').get('kc').gtS().if_().get('kc').set('n').end();
  f.get('n').get('k').sub().set('n');
  f.get('k').get('n').add().set('k');
  for (let r = 0; r < MR; r++) for (let v = 0; v < NV; v++) f.vZero().set(`c${r}_${v}`);
  f.get('pa').get('n').i32(4 * MR).mul().add().set('pe');
  // one term per iteration: c[r][v] = c[r][v] + A[r, k] * B[4v..4v+3, k]
  f.get('n').if_();
  f.block().loop();
  for (let v = 0; v < NV; v++) f.get('pb').vLoad(16 * v).set(`b${v}`);
  for (let r = 0; r < MR; r++) {
    f.get('pa').vSplatLoad(4 * r).set('a');
    for (let v = 0; v < NV; v++) f.get(`c${r}_${v}`).get('a').get(`b${v}`).vMul().vAdd().set(`c${r}_${v}`);
  }
  f.get('pb').i32(4 * NR).add().set('pb');
  f.get('pa').i32(4 * MR).add().tee('pa').get('pe').ltU().brIf(0);
  f.end().end();
  f.end();
  // the chunk sums enter the totals: t = c (first chunk, store) or t = f32(t + c)
  f.get('store').if_();
  for (let r = 0; r < MR; r++) {
    f.get('pt').get('ldt').i32(r).mul().add().set('q');
    for (let v = 0; v < NV; v++) f.get('q').get(`c${r}_${v}`).vStore(16 * v);
  }
  f.i32(0).set('store');
  f.else_();
  for (let r = 0; r < MR; r++) {
    f.get('pt').get('ldt').i32(r).mul().add().set('q');
    for (let v = 0; v < NV; v++) f.get('q').get('q').vLoad(16 * v).get(`c${r}_${v}`).vAdd().vStore(16 * v);
  }
  f.end();
  f.get('k').get('kc').ltS().brIf(0);
  f.end().end();
  return f;
}

/**
 * All tiles of a block (function 1; calls tile). pr = 0: every tile over terms 0..kc-1; else the
 * tiles of row panel i over terms I[pr/4 + 2i] .. I[pr/4 + 2i + 1] - 1 only (the header's ranges).
 */
function gemmFn(MR: number, NR: number): Fn {
  const f = new Fn('gemm', ['pa', 'pb', 'pt', 'ldt', 'mt', 'nt', 'kc', 'store', 'pr']);
  f.local('i').local('j').local('qb').local('qt').local('panelA').local('panelB').local('lo').local('hi').local('qa');
  f.get('kc').i32(4 * MR).mul().set('panelA');
  f.get('kc').i32(4 * NR).mul().set('panelB');
  f.get('kc').set('hi');
  f.block().loop();
  f.get('i').get('mt').geS().brIf(1);
  f.get('pr').if_();
  f.get('pr').get('i').i32(8).mul().add().tee('qa').i32Load().set('lo');
  f.get('qa').i32Load(4).set('hi');
  f.end();
  // term lo of the A panel and of each B panel
  f.get('pb').get('lo').i32(4 * NR).mul().add().set('qb');
  f.get('pa').get('lo').i32(4 * MR).mul().add().set('qa');
  f.get('pt').get('i').i32(MR).mul().get('ldt').mul().add().set('qt');
  f.i32(0).set('j');
  f.block().loop();
  f.get('j').get('nt').geS().brIf(1);
  f.get('qa').get('qb').get('qt').get('ldt').get('hi').get('store').get('lo').call(0);
  f.get('qb').get('panelB').add().set('qb');
  f.get('qt').i32(4 * NR).add().set('qt');
  f.get('j').i32(1).add().set('j');
  f.br(0);
  f.end().end();
  f.get('pa').get('panelA').add().set('pa');
  f.get('i').i32(1).add().set('i');
  f.br(0);
  f.end().end();
  return f;
}

/**
 * A packer of `lanes`-lane panels (see the header): full panels unrolled; a partial panel
 * (nl < lanes) runs lane by lane, then zero-fills the missing lanes.
 */
function packFn(fnName: 'packA' | 'packB', lanes: number): Fn {
  const f = new Fn(fnName, ['dst', 'lb', 'nl', 'tab', 'kc']);
  f.local('end').local('o').local('r').local('d').local('t').local('base');
  for (let r = 0; r < lanes; r++) f.local(`b${r}`);
  f.get('tab').get('kc').i32(4).mul().add().set('end');
  f.get('nl').i32(lanes).geS().if_();
  for (let r = 0; r < lanes; r++) f.get('lb').i32Load(4 * r).set(`b${r}`);
  f.block().loop();
  f.get('tab').get('end').ltU().eqz().brIf(1);
  f.get('tab').i32Load().set('o');
  for (let r = 0; r < lanes; r++) f.get('dst').get(`b${r}`).get('o').add().f32Load().f32Store(4 * r);
  f.get('dst').i32(4 * lanes).add().set('dst');
  f.get('tab').i32(4).add().set('tab');
  f.br(0);
  f.end().end();
  f.else_();
  // lanes r < nl: for each k, dst[k*lanes + r] = F[base_r + tab[k]]
  f.i32(0).set('r');
  f.block().loop();
  f.get('r').get('nl').geS().brIf(1);
  f.get('lb').get('r').i32(4).mul().add().i32Load().set('base');
  f.get('dst').get('r').i32(4).mul().add().set('d');
  f.get('tab').set('t');
  f.block().loop();
  f.get('t').get('end').ltU().eqz().brIf(1);
  f.get('d').get('base').get('t').i32Load().add().f32Load().f32Store();
  f.get('d').i32(4 * lanes).add().set('d');
  f.get('t').i32(4).add().set('t');
  f.br(0);
  f.end().end();
  f.get('r').i32(1).add().set('r');
  f.br(0);
  f.end().end();
  // lanes r >= nl: +0
  f.block().loop();
  f.get('r').i32(lanes).geS().brIf(1);
  f.get('dst').get('r').i32(4).mul().add().set('d');
  f.get('tab').set('t');
  f.block().loop();
  f.get('t').get('end').ltU().eqz().brIf(1);
  f.get('d').f32Zero().f32Store();
  f.get('d').i32(4 * lanes).add().set('d');
  f.get('t').i32(4).add().set('t');
  f.br(0);
  f.end().end();
  f.get('r').i32(1).add().set('r');
  f.br(0);
  f.end().end();
  f.end();
  return f;
}

/**
 * packc(dst, base, tab, kc, lanes): a panel whose `lanes` (a multiple of 4) lanes are consecutive
 * floats: term k's lanes are the floats at byte base + I[tab/4 + k] onwards, copied as vectors.
 */
function packcFn(): Fn {
  const f = new Fn('packc', ['dst', 'base', 'tab', 'kc', 'lanes']);
  f.local('end').local('o').local('v').local('step');
  f.get('tab').get('kc').i32(4).mul().add().set('end');
  f.get('lanes').i32(4).mul().set('step');
  f.block().loop();
  f.get('tab').get('end').ltU().eqz().brIf(1);
  f.get('base').get('tab').i32Load().add().set('o');
  f.i32(0).set('v');
  f.block().loop();
  f.get('v').get('step').op('i32.ge_s').brIf(1);
  f.get('dst').get('v').add();
  f.get('o').get('v').add().vLoad();
  f.vStore();
  f.get('v').i32(16).add().set('v');
  f.br(0);
  f.end().end();
  f.get('dst').get('step').add().set('dst');
  f.get('tab').i32(4).add().set('tab');
  f.br(0);
  f.end().end();
  return f;
}

/**
 * packm(dst, base, tab, kc, lanes, np): np = 2 or 4 full panels side by side (`lanes` = 4 or 8)
 * whose lanes are consecutive floats across all of them: lane r of panel i, term k, is the float
 * at byte base + 4*(lanes*i + r) + I[tab/4 + k]; panel i is packed at dst + 4*lanes*kc*i. Term
 * by term: one table entry, then the np*lanes/4 consecutive vectors copied to their panels (packc's
 * floats in packc's places, np panels per pass over the table).
 */
function packmFn(): Fn {
  const f = new Fn('packm', ['dst', 'base', 'tab', 'kc', 'lanes', 'np']);
  f.local('end').local('o').local('panel');
  for (let i = 1; i < 4; i++) f.local(`d${i}`);
  f.get('tab').get('kc').i32(4).mul().add().set('end');
  f.get('lanes').i32(4).mul().get('kc').mul().set('panel');
  for (let i = 1; i < 4; i++) f.get('dst').get('panel').i32(i).mul().add().set(`d${i}`);
  for (const lanes of [4, 8]) {
    for (const np of [2, 4]) {
      // one unrolled loop per shape: d0 = dst, d1..d3 the other panels' term k
      f.get('lanes').i32(lanes).op('i32.eq').get('np').i32(np).op('i32.eq').op('i32.and').if_();
      f.block().loop();
      f.get('tab').get('end').ltU().eqz().brIf(1);
      f.get('base').get('tab').i32Load().add().set('o');
      for (let i = 0; i < np; i++) {
        for (let v = 0; v < lanes / 4; v++) f.get(i === 0 ? 'dst' : `d${i}`).get('o').vLoad(16 * (lanes / 4 * i + v)).vStore(16 * v);
      }
      for (let i = 0; i < np; i++) f.get(i === 0 ? 'dst' : `d${i}`).i32(4 * lanes).add().set(i === 0 ? 'dst' : `d${i}`);
      f.get('tab').i32(4).add().set('tab');
      f.br(0);
      f.end().end();
      f.end();
    }
  }
  return f;
}

/**
 * packt(dst, lb, tab, kc): a full 4-lane panel whose terms come in groups of 4 consecutive floats
 * (kc a multiple of 4; I[tab/4 + k + i] = I[tab/4 + k] + 4i for k a multiple of 4 and i < 4): per
 * group, one vector load per lane and a 4 x 4 transpose by shuffles into the panel's 4 term
 * vectors. The same floats in the same places as packA.
 */
function packtFn(): Fn {
  const f = new Fn('packt', ['dst', 'lb', 'tab', 'kc']);
  f.local('end').local('o');
  for (let r = 0; r < 4; r++) f.local(`b${r}`);
  for (let r = 0; r < 4; r++) f.local(`v${r}`, V128);
  f.local('t0', V128).local('t1', V128).local('t2', V128).local('t3', V128);
  for (let r = 0; r < 4; r++) f.get('lb').i32Load(4 * r).set(`b${r}`);
  f.get('tab').get('kc').i32(4).mul().add().set('end');
  const bytes = (lanes: number[]): number[] => lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]);
  f.block().loop();
  f.get('tab').get('end').ltU().eqz().brIf(1);
  f.get('tab').i32Load().set('o');
  for (let r = 0; r < 4; r++) f.get(`b${r}`).get('o').add().vLoad().set(`v${r}`);
  // t0 = (v0.0 v1.0 v0.1 v1.1), t1 = (v2.0 v3.0 v2.1 v3.1), t2 = (v0.2 v1.2 v0.3 v1.3), t3 likewise
  f.get('v0').get('v1').shuffle(bytes([0, 4, 1, 5])).set('t0');
  f.get('v2').get('v3').shuffle(bytes([0, 4, 1, 5])).set('t1');
  f.get('v0').get('v1').shuffle(bytes([2, 6, 3, 7])).set('t2');
  f.get('v2').get('v3').shuffle(bytes([2, 6, 3, 7])).set('t3');
  // term i of the group: (v0.i v1.i v2.i v3.i)
  f.get('dst').get('t0').get('t1').shuffle(bytes([0, 1, 4, 5])).vStore(0);
  f.get('dst').get('t0').get('t1').shuffle(bytes([2, 3, 6, 7])).vStore(16);
  f.get('dst').get('t2').get('t3').shuffle(bytes([0, 1, 4, 5])).vStore(32);
  f.get('dst').get('t2').get('t3').shuffle(bytes([2, 3, 6, 7])).vStore(48);
  f.get('dst').i32(64).add().set('dst');
  f.get('tab').i32(16).add().set('tab');
  f.br(0);
  f.end().end();
  return f;
}

/**
 * One MR x NR tile over kc terms read unpacked (function 5, see the header's dgemm): the row bases
 * are loaded once; per term, its offset, the NV B vectors at pb (then pb += ldb) and one splat per
 * row, and the same multiply-add per accumulator, in the same order, as tileFn.
 */
function directTileFn(MR: number, NV: number, name = 'dtile'): Fn {
  const f = new Fn(name, ['prow', 'pterm', 'pb', 'ldb', 'pt', 'ldt', 'kc', 'store', 'pbias']);
  f.local('k').local('n').local('pe').local('q').local('o');
  for (let r = 0; r < MR; r++) f.local(`r${r}`);
  for (let v = 0; v < NV; v++) f.local(`b${v}`, V128);
  f.local('a', V128);
  for (let r = 0; r < MR; r++) for (let v = 0; v < NV; v++) f.local(`c${r}_${v}`, V128);
  for (let r = 0; r < MR; r++) f.get('prow').i32Load(4 * r).set(`r${r}`);
  f.block().loop();
  // n = min(256, kc - k); k += n
  f.get('kc').get('k').sub().tee('n').i32(256).gtS().if_().i32(256).set('n').end();
  f.get('k').get('n').add().set('k');
  for (let r = 0; r < MR; r++) for (let v = 0; v < NV; v++) f.vZero().set(`c${r}_${v}`);
  f.get('pterm').get('n').i32(4).mul().add().set('pe');
  f.block().loop();
  f.get('pterm').i32Load().set('o');
  for (let v = 0; v < NV; v++) f.get('pb').vLoad(16 * v).set(`b${v}`);
  for (let r = 0; r < MR; r++) {
    f.get(`r${r}`).get('o').add().vSplatLoad().set('a');
    for (let v = 0; v < NV; v++) f.get(`c${r}_${v}`).get('a').get(`b${v}`).vMul().vAdd().set(`c${r}_${v}`);
  }
  f.get('pb').get('ldb').add().set('pb');
  f.get('pterm').i32(4).add().tee('pterm').get('pe').ltU().brIf(0);
  f.end().end();
  f.get('store').if_();
  // store bit 2 (one chunk only): the epilogue on the sums, epi's operations: c = f32x4.add(c, bias), then relu (bit 4)
  f.get('store').i32(2).op('i32.and').if_();
  for (let v = 0; v < NV; v++) f.get('pbias').vLoad(16 * v).set(`b${v}`);
  for (let r = 0; r < MR; r++) for (let v = 0; v < NV; v++) f.get(`c${r}_${v}`).get(`b${v}`).vAdd().set(`c${r}_${v}`);
  f.get('store').i32(4).op('i32.and').if_();
  for (let r = 0; r < MR; r++) {
    for (let v = 0; v < NV; v++) {
      const c = `c${r}_${v}`;
      f.get(c).get(c).vZero().op('f32x4.gt').get(c).get(c).op('f32x4.ne').op('v128.or').op('v128.and').set(c);
    }
  }
  f.end();
  f.end();
  for (let r = 0; r < MR; r++) {
    f.get('pt').get('ldt').i32(r).mul().add().set('q');
    for (let v = 0; v < NV; v++) f.get('q').get(`c${r}_${v}`).vStore(16 * v);
  }
  f.i32(0).set('store');
  f.else_();
  for (let r = 0; r < MR; r++) {
    f.get('pt').get('ldt').i32(r).mul().add().set('q');
    for (let v = 0; v < NV; v++) f.get('q').get('q').vLoad(16 * v).get(`c${r}_${v}`).vAdd().vStore(16 * v);
  }
  f.end();
  f.get('k').get('kc').ltS().brIf(0);
  f.end().end();
  return f;
}

/** All tiles of a block, unpacked (function 6; calls dtile, function `tile`): see the header's dgemm. */
function directGemmFn(MR: number, NR: number, name = 'dgemm', tile = 5): Fn {
  const f = new Fn(name, ['prow', 'pterm', 'pb', 'ldb', 'pt', 'ldt', 'mt', 'nt', 'kc', 'store', 'pbias']);
  f.local('i').local('j').local('qb').local('qt').local('qc');
  f.block().loop();
  f.get('i').get('mt').geS().brIf(1);
  f.get('pb').set('qb');
  f.get('pt').get('i').i32(MR).mul().get('ldt').mul().add().set('qt');
  f.i32(0).set('j');
  f.get('pbias').set('qc');
  f.block().loop();
  f.get('j').get('nt').geS().brIf(1);
  f.get('prow').get('pterm').get('qb').get('ldb').get('qt').get('ldt').get('kc').get('store').get('qc').call(tile);
  f.get('qb').i32(4 * NR).add().set('qb');
  f.get('qc').i32(4 * NR).add().set('qc');
  f.get('qt').i32(4 * NR).add().set('qt');
  f.get('j').i32(1).add().set('j');
  f.br(0);
  f.end().end();
  f.get('prow').i32(4 * MR).add().set('prow');
  f.get('i').i32(1).add().set('i');
  f.br(0);
  f.end().end();
  return f;
}

/** conv2dBiasAct's epilogue on T (function 7, see the header's epi). */
function epilogueFn(): Fn {
  const f = new Fn('epi', ['pt', 'ldt', 'rows', 'pbias', 'nv', 'relu']);
  f.local('r').local('v').local('q').local('pb').local('u', V128);
  f.block().loop();
  f.get('r').get('rows').geS().brIf(1);
  f.get('pt').get('r').get('ldt').mul().add().set('q');
  f.get('pbias').set('pb');
  f.i32(0).set('v');
  f.block().loop();
  f.get('v').get('nv').geS().brIf(1);
  f.get('q').vLoad().get('pb').vLoad().vAdd().set('u');
  f.get('relu').if_();
  f.get('u').get('u').vZero().op('f32x4.gt').get('u').get('u').op('f32x4.ne').op('v128.or').op('v128.and').set('u');
  f.end();
  f.get('q').get('u').vStore();
  f.get('q').i32(16).add().set('q');
  f.get('pb').i32(16).add().set('pb');
  f.get('v').i32(1).add().set('v');
  f.br(0);
  f.end().end();
  f.get('r').i32(1).add().set('r');
  f.br(0);
  f.end().end();
  return f;
}

/** The exported functions (see the header). */
export const GEMM_EXPORTS = ['gemm', 'packA', 'packB', 'packc', 'dgemm', 'epi', 'dgemm3', 'packt', 'packm'] as const;

/** The module's bytes: memory imported as env.mem; exports GEMM_EXPORTS. */
export function simdGemmBytes(MR = SIMD_MR, NV = SIMD_NV): Uint8Array {
  return moduleBytes([tileFn(MR, NV), gemmFn(MR, 4 * NV), packFn('packA', MR), packFn('packB', 4 * NV), packcFn(), directTileFn(MR, NV), directGemmFn(MR, 4 * NV), epilogueFn(),
    directTileFn(3, NV, 'dtile3'), directGemmFn(3, 4 * NV, 'dgemm3', 8), packtFn(), packmFn()], GEMM_EXPORTS);
}

let compiled: WasmModule | null | undefined;

/**
 * The compiled module, or null where this JavaScript engine has no WebAssembly SIMD (or the
 * environment variable DITTO_CPU_WASM=0 turns the WebAssembly kernels off): callers then use
 * gemm-scalar.ts, with identical bits.
 */
export function simdGemmModule(): WasmModule | null {
  if (compiled === undefined) compiled = compileOrNull('gemm', () => simdGemmBytes());
  return compiled;
}
