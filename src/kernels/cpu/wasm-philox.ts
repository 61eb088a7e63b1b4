/**
 * The WebAssembly SIMD form of the Philox4x32-10 uniforms (random-tasks.ts has the plain scalar
 * form over philox4x32Into, src/core/ops/random-uniform.ts the recipe): 4 * PHILOX_SETS consecutive
 * blocks per step, one per i32x4 lane, assembled with wasm-builder.ts.
 * Part of src/kernels/cpu: imports wasm-builder.ts only.
 *
 * run(dst, groups, key0, key1, c0, c1, c2, c3) writes 4 * groups floats at byte dst (and less than
 * PHILOX_OVERRUN bytes past them: blocks are done 4 * PHILOX_SETS at a time), block g at counter
 * (c0 + g, c1, c2, c3);
 * the caller guarantees that c0 + g does not wrap for g < groups (random-tasks.ts splits a range
 * at the wrap and carries into c1..c3 itself). Integer arithmetic only: the 32x32 -> 64-bit
 * products of a round are exact (i64x2.extmul_*_i32x4_u), lo = the low words (i32x4.mul), hi the
 * high words (an i8x16 shuffle); then (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0) as in
 * philox4x32Into (src/core/random/philox.ts). A 4 x 4 transpose puts block g's words at
 * dst + 16g, each mapped to f32(y & 0x7FFFFF) * 2^-23 (an exact conversion and an exact
 * multiply by a power of two): the bits of the scalar form.
 * dropout(dst, groups, key0, key1, c0, c1, c2, c3, src, bound, factor) is the same loop applying
 * dropoutApply's keep test and scaling to x at byte src (src/core/ops/dropout-apply.ts, dropout-tasks.ts).
 */
import { Fn, V128, type WasmModule, compileOrNull, moduleBytes } from './wasm-builder.ts';

const M0 = 0xd2511f53 | 0;
const M1 = 0xcd9e8d57 | 0;
const W0 = 0x9e3779b9 | 0;
const W1 = 0xbb67ae85 | 0;
/** 2^-23 as float32 bits. */
const TWO_M23_BITS = 0x34000000;

/** Byte indices of an i8x16.shuffle picking i32 lanes (0-3: first operand, 4-7: second). */
const lanes32 = (...ls: number[]): number[] => ls.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]);
/** The high words of two i64x2 products: u64 lanes 0, 1 of a then 0, 1 of b. */
const HIGH_WORDS = lanes32(1, 3, 5, 7);

/**
 * Groups of four blocks computed together in one step, their rounds interleaved: one group's rounds are a
 * chain of dependent multiplies and shuffles, and two independent chains keep the core's pipelines busy
 * (about 1.7x the blocks per second of one group per step).
 */
export const PHILOX_SETS = 2;
/** Bytes a call may write past its 4 * groups floats (and, for dropout, read past its source floats). */
export const PHILOX_OVERRUN = 64 * PHILOX_SETS;

/**
 * run (dropout false) or dropout (true): the same stream; dropout also reads x at byte src (4 * groups
 * floats, and less than PHILOX_OVERRUN bytes more) and writes u >= bound ? f32(x * factor) : +0 instead of u
 * (bound and factor passed as float32 bits): f32x4.ge, then f32x4.mul (the mul kernel's instruction, operands in
 * its order) masked by v128.and, which is where(keep, product, 0) lane by lane. Each step computes PHILOX_SETS
 * groups of four blocks (set s: blocks c0 + 4s .. c0 + 4s + 3, written at dst + 64s), their rounds interleaved;
 * every lane is the same integer sequence as one block alone.
 */
function runFn(dropout = false): Fn {
  const S = PHILOX_SETS;
  const f = new Fn(dropout ? 'dropout' : 'run', dropout ? ['dst', 'groups', 'key0', 'key1', 'c0', 'c1', 'c2', 'c3', 'src', 'bound', 'factor'] : ['dst', 'groups', 'key0', 'key1', 'c0', 'c1', 'c2', 'c3']);
  f.local('end').local('r').local('k0').local('k1');
  for (const v of ['m0', 'm1', 'mask', 'scale', 'sk0', 'sk1', 'sc1', 'sc2', 'sc3', 'ta', 'tb']) f.local(v, V128);
  const sets = Array.from({ length: S }, (_, s) => s);
  for (const s of sets) for (const v of ['x0', 'x1', 'x2', 'x3', 'lo0', 'hi0', 'lo1', 'hi1']) f.local(`${v}_${s}`, V128);
  if (dropout) {
    for (const v of ['vb', 'vf', 'keep']) f.local(v, V128);
    f.get('bound').op('i32x4.splat').set('vb');
    f.get('factor').op('i32x4.splat').set('vf');
  }
  f.get('dst').get('groups').i32(16).mul().add().set('end');
  f.vConst(M0).set('m0');
  f.vConst(M1).set('m1');
  f.vConst(0x7fffff).set('mask');
  f.vConst(TWO_M23_BITS).set('scale');
  f.get('c1').op('i32x4.splat').set('sc1');
  f.get('c2').op('i32x4.splat').set('sc2');
  f.get('c3').op('i32x4.splat').set('sc3');
  f.block().loop();
  f.get('dst').get('end').ltU().eqz().brIf(1);
  // set s, lane j: block at counter (c0 + 4s + j, c1, c2, c3)
  for (const s of sets) {
    f.get('c0').op('i32x4.splat').vConst(4 * s, 4 * s + 1, 4 * s + 2, 4 * s + 3).op('i32x4.add').set(`x0_${s}`);
    f.get('sc1').set(`x1_${s}`);
    f.get('sc2').set(`x2_${s}`);
    f.get('sc3').set(`x3_${s}`);
  }
  f.get('key0').set('k0');
  f.get('key1').set('k1');
  f.i32(0).set('r');
  f.block().loop();
  f.get('r').i32(10).geS().brIf(1);
  f.get('r').if_();
  f.get('k0').i32(W0).add().set('k0');
  f.get('k1').i32(W1).add().set('k1');
  f.end();
  f.get('k0').op('i32x4.splat').set('sk0');
  f.get('k1').op('i32x4.splat').set('sk1');
  // (hi0, lo0) = M0 * x0, (hi1, lo1) = M1 * x2, as 64-bit products
  for (const s of sets) f.get(`x0_${s}`).get('m0').op('i32x4.mul').set(`lo0_${s}`);
  for (const s of sets) f.get(`x0_${s}`).get('m0').op('i64x2.extmul_low_i32x4_u').get(`x0_${s}`).get('m0').op('i64x2.extmul_high_i32x4_u').shuffle(HIGH_WORDS).set(`hi0_${s}`);
  for (const s of sets) f.get(`x2_${s}`).get('m1').op('i32x4.mul').set(`lo1_${s}`);
  for (const s of sets) f.get(`x2_${s}`).get('m1').op('i64x2.extmul_low_i32x4_u').get(`x2_${s}`).get('m1').op('i64x2.extmul_high_i32x4_u').shuffle(HIGH_WORDS).set(`hi1_${s}`);
  // (x0, x1, x2, x3) = (hi1 ^ x1 ^ k0, lo1, hi0 ^ x3 ^ k1, lo0)
  for (const s of sets) {
    f.get(`hi1_${s}`).get(`x1_${s}`).op('v128.xor').get('sk0').op('v128.xor').set(`x0_${s}`);
    f.get(`lo1_${s}`).set(`x1_${s}`);
    f.get(`hi0_${s}`).get(`x3_${s}`).op('v128.xor').get('sk1').op('v128.xor').set(`x2_${s}`);
    f.get(`lo0_${s}`).set(`x3_${s}`);
  }
  f.get('r').i32(1).add().set('r');
  f.br(0);
  f.end().end();
  for (const s of sets) {
    const base = 64 * s;
    // transpose: block j's words (x0[j], x1[j], x2[j], x3[j]) at dst + 64s + 16j
    f.get(`x0_${s}`).get(`x1_${s}`).shuffle(lanes32(0, 4, 1, 5)).set('ta'); // x0_0 x1_0 x0_1 x1_1
    f.get(`x2_${s}`).get(`x3_${s}`).shuffle(lanes32(0, 4, 1, 5)).set('tb'); // x2_0 x3_0 x2_1 x3_1
    const out = (a: string, b: string, sel: readonly number[], off: number): void => {
      if (dropout) {
        f.get(a).get(b).shuffle(sel).get('mask').op('v128.and').op('f32x4.convert_i32x4_u').get('scale').op('f32x4.mul');
        f.get('vb').op('f32x4.ge').set('keep');
        f.get('dst');
        f.get('src').vLoad(off).get('vf').op('f32x4.mul').get('keep').op('v128.and');
        f.vStore(off);
        return;
      }
      f.get('dst');
      f.get(a).get(b).shuffle(sel).get('mask').op('v128.and').op('f32x4.convert_i32x4_u').get('scale').op('f32x4.mul');
      f.vStore(off);
    };
    out('ta', 'tb', lanes32(0, 1, 4, 5), base);
    out('ta', 'tb', lanes32(2, 3, 6, 7), base + 16);
    f.get(`x0_${s}`).get(`x1_${s}`).shuffle(lanes32(2, 6, 3, 7)).set('ta'); // x0_2 x1_2 x0_3 x1_3
    f.get(`x2_${s}`).get(`x3_${s}`).shuffle(lanes32(2, 6, 3, 7)).set('tb');
    out('ta', 'tb', lanes32(0, 1, 4, 5), base + 32);
    out('ta', 'tb', lanes32(2, 3, 6, 7), base + 48);
  }
  f.get('c0').i32(4 * S).add().set('c0');
  f.get('dst').i32(64 * S).add().set('dst');
  if (dropout) f.get('src').i32(64 * S).add().set('src');
  f.br(0);
  f.end().end();
  return f;
}

let compiled: WasmModule | null | undefined;

/** The compiled module (exports run), or null without WebAssembly SIMD (the scalar form then). */
export function simdPhiloxModule(): WasmModule | null {
  if (compiled === undefined) compiled = compileOrNull('philox', () => moduleBytes([runFn(), runFn(true)], ['run', 'dropout']));
  return compiled;
}
