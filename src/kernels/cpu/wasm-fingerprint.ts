/**
 * The WebAssembly SIMD form of the op-trace fingerprint of float32 data (src/core/debug/fingerprint.ts defines it;
 * fingerprint-tasks.ts runs it on the pool threads): one chunk of up to FINGERPRINT_CHUNK words is copied into this
 * thread's memory and one pass over it, sixteen words per iteration, runs the sixteen hash lanes of the definition
 * as four i32x4 vectors (four independent dependency chains: lane j = element i mod 16) and the statistics in four
 * lanes (element i mod 4, the order of the definition's sums): float64 sums of the finite values
 * (f64x2.promote_low_f32x4 is exact, f64x2.add rounds like a JavaScript `+`; a non-finite value adds +0, which
 * changes no sum that starts at +0), min and max of the finite values (pmin/pmax of the value, or of an infinity
 * that never wins), and the NaN, infinite and subnormal counts. The tensor's last 1-15 elements past a multiple of
 * 16 are added here in TypeScript with the same step. uint8 (bool) data runs the same lanes on its bytes widened
 * to words (`bytes`), with exact i32 sums and unsigned byte min and max. The results equal the TypeScript loops'
 * bit for bit (test/debug/fingerprint.test.ts).
 * Part of src/kernels/cpu: imports src/core and wasm-builder.ts.
 *
 * Memory: words (or bytes) at byte 0 (FINGERPRINT_CHUNK * 4 bytes); results of `chunk` at OUT: the lanes (four i32x4), the sums of lanes
 * 0-1 and 2-3 (f64x2 each), min, max (f32x4), NaN, infinite, subnormal counts (i32x4).
 */
import { FINGERPRINT_CHUNK, FINGERPRINT_PART, LANES, LANE_SEEDS, foldLanes, hashStep } from '../../core/debug/fingerprint.ts';
import { Fn, V128, type KernelFn, type WasmModule, compileOrNull, instantiate, moduleBytes, newMemory } from './wasm-builder.ts';

const OUT = FINGERPRINT_CHUNK * 4 + 64;
const BYTES = OUT + 192;
const INF = 0x7f800000;
const NEG_INF = 0xff800000 | 0;
/** Byte indices of an i8x16.shuffle picking i32 lanes. */
const lanes32 = (...ls: number[]): number[] => ls.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]);

/**
 * With four words on the stack, lanes of `l`: l = step(l, w) lane by lane, k = imul(rotl(imul(w, c1), 15), c2);
 * l = imul(rotl(l ^ k, 13), 5) + c3 (local `k` is scratch).
 */
function hashStep4(f: Fn, l: string): void {
  f.vConst(0xcc9e2d51 | 0).op('i32x4.mul').set('k');
  f.get('k').i32(15).op('i32x4.shl').get('k').i32(17).op('i32x4.shr_u').op('v128.or').vConst(0x1b873593).op('i32x4.mul').set('k');
  f.get(l).get('k').op('v128.xor').set(l);
  f.get(l).i32(13).op('i32x4.shl').get(l).i32(19).op('i32x4.shr_u').op('v128.or').vConst(5).op('i32x4.mul')
    .vConst(0xe6546b64 | 0).op('i32x4.add').set(l);
}

/**
 * bytes(n16): the first 16 * n16 bytes (uint8 values, each one word) at byte 0: the lanes at OUT, the i32 sums of
 * lanes i mod 4 at OUT + 64 (exact: at most 4096 * 255 each), the bytes' min and max (i8x16, unsigned) at OUT + 80
 * and OUT + 96.
 */
function bytesFn(): Fn {
  const f = new Fn('bytes', ['n16']);
  f.local('p').local('end');
  for (const v of ['b', 'h', 'w', 'k', 'sum', 'mn', 'mx', 'l0', 'l1', 'l2', 'l3']) f.local(v, V128);
  f.get('n16').i32(4).op('i32.shl').set('end');
  for (let c = 0; c < 4; c++) f.vConst(LANE_SEEDS[4 * c], LANE_SEEDS[4 * c + 1], LANE_SEEDS[4 * c + 2], LANE_SEEDS[4 * c + 3]).set(`l${c}`);
  f.vZero().set('sum');
  f.vConst(-1).set('mn');
  f.vZero().set('mx');
  f.i32(0).set('p');
  f.block().loop();
  f.get('p').get('end').op('i32.ge_u').brIf(1);
  f.get('p').vLoad().set('b');
  f.get('mn').get('b').op('i8x16.min_u').set('mn');
  f.get('mx').get('b').op('i8x16.max_u').set('mx');
  // bytes 4c..4c+3 widened to the words of lanes 4c..4c+3
  for (let c = 0; c < 4; c++) {
    if (c % 2 === 0) f.get('b').op(c ? 'i16x8.extend_high_i8x16_u' : 'i16x8.extend_low_i8x16_u').set('h');
    f.get('h').op(c % 2 ? 'i32x4.extend_high_i16x8_u' : 'i32x4.extend_low_i16x8_u').set('w');
    f.get('sum').get('w').op('i32x4.add').set('sum');
    f.get('w');
    hashStep4(f, `l${c}`);
  }
  f.get('p').i32(16).add().set('p');
  f.br(0);
  f.end().end();
  const store = (v: string, off: number): void => void f.i32(OUT).get(v).vStore(off);
  ['l0', 'l1', 'l2', 'l3', 'sum', 'mn', 'mx'].forEach((v, i) => store(v, 16 * i));
  return f;
}

/** chunk(n16): the first 16 * n16 words at byte 0; results at OUT. */
function chunkFn(): Fn {
  const f = new Fn('chunk', ['n16']);
  f.local('p').local('end');
  for (const v of ['w', 'a', 'nan', 'fin', 'k', 's01', 's23', 'mn', 'mx', 'cn', 'ci', 'cs', 'vs', 'l0', 'l1', 'l2', 'l3']) f.local(v, V128);
  f.get('n16').i32(6).op('i32.shl').set('end');
  for (let c = 0; c < 4; c++) f.vConst(LANE_SEEDS[4 * c], LANE_SEEDS[4 * c + 1], LANE_SEEDS[4 * c + 2], LANE_SEEDS[4 * c + 3]).set(`l${c}`);
  for (const z of ['s01', 's23', 'cn', 'ci', 'cs']) f.vZero().set(z);
  f.vConst(INF).set('mn');
  f.vConst(NEG_INF).set('mx');
  f.i32(0).set('p');
  f.block().loop();
  f.get('p').get('end').op('i32.ge_u').brIf(1);
  // four vectors: hash lanes 4c..4c+3 in l<c> (independent chains), statistics in lanes i mod 4
  for (let c = 0; c < 4; c++) {
    const l = `l${c}`;
    f.get('p').vLoad(16 * c).set('w');
    f.get('w').vConst(0x7fffffff).op('v128.and').set('a');
    // |bits| >= 0, so signed comparisons (one instruction on x86, unlike unsigned ones) order it as unsigned
    f.get('a').vConst(INF).op('i32x4.gt_s').set('nan');
    f.get('a').vConst(INF).op('i32x4.lt_s').set('fin');
    f.get('cn').get('nan').op('i32x4.sub').set('cn');
    f.get('ci').get('a').vConst(INF).op('i32x4.eq').op('i32x4.sub').set('ci');
    // subnormal: 1 <= |bits| <= 0x7fffff, i.e. |bits| - 1 < 0x7fffff unsigned, i.e. signed after flipping the top
    // bits: (|bits| - 1) ^ 0x80000000 = |bits| + 0x7fffffff < 0x7fffff ^ 0x80000000
    f.get('cs').get('a').vConst(0x7fffffff).op('i32x4.add').vConst(0x807fffff | 0).op('i32x4.lt_s').op('i32x4.sub').set('cs');
    f.get('w').get('fin').op('v128.and').set('vs');
    f.get('s01').get('vs').op('f64x2.promote_low_f32x4').op('f64x2.add').set('s01');
    f.get('s23').get('vs').get('vs').shuffle(lanes32(2, 3, 2, 3)).op('f64x2.promote_low_f32x4').op('f64x2.add').set('s23');
    f.get('mn').get('w').vConst(INF).get('fin').op('v128.bitselect').op('f32x4.pmin').set('mn');
    f.get('mx').get('w').vConst(NEG_INF).get('fin').op('v128.bitselect').op('f32x4.pmax').set('mx');
    // the hash of the word, NaNs as 0x7fc00000
    f.vConst(0x7fc00000).get('w').get('nan').op('v128.bitselect');
    hashStep4(f, l);
  }
  f.get('p').i32(64).add().set('p');
  f.br(0);
  f.end().end();
  const store = (v: string, off: number): void => void f.i32(OUT).get(v).vStore(off);
  ['l0', 'l1', 'l2', 'l3', 's01', 's23', 'mn', 'mx', 'cn', 'ci', 'cs'].forEach((v, i) => store(v, 16 * i));
  return f;
}

let compiled: WasmModule | null | undefined;

/** The compiled module (exports chunk and bytes), or null without WebAssembly SIMD (the TypeScript loops then). */
export function simdFingerprintModule(): WasmModule | null {
  if (compiled === undefined) compiled = compileOrNull('fingerprint', () => moduleBytes([chunkFn(), bytesFn()], ['chunk', 'bytes']));
  return compiled;
}

interface Instance {
  chunk: KernelFn;
  bytes: KernelFn;
  words: Int32Array;
  u8: Uint8Array;
  i32: Int32Array;
  f32: Float32Array;
  f64: Float64Array;
}
let inst: Instance | null | undefined;

function instance(): Instance | null {
  if (inst !== undefined) return inst;
  const module = simdFingerprintModule();
  if (!module) return (inst = null);
  const mem = newMemory(BYTES);
  const { chunk, bytes } = instantiate(module, mem, ['chunk', 'bytes']);
  const buf = mem.buffer;
  return (inst = { chunk, bytes, words: new Int32Array(buf, 0, FINGERPRINT_CHUNK), u8: new Uint8Array(buf), i32: new Int32Array(buf, OUT, 48), f32: new Float32Array(buf, OUT, 48), f64: new Float64Array(buf, OUT, 24) });
}

/**
 * The partials of chunks c0..c1-1 of the float32 data `f` (its first n elements) into `parts`, as
 * fingerprintChunks computes them; false (nothing written) where WebAssembly SIMD is unavailable.
 */
export function fingerprintChunksSimd(f: Float32Array, n: number, c0: number, c1: number, parts: Float64Array): boolean {
  const m = instance();
  if (!m) return false;
  const w = new Int32Array(f.buffer, f.byteOffset, n);
  const { words, i32, f32, f64 } = m;
  const l = new Int32Array(LANES);
  const sums = [0, 0, 0, 0];
  for (let c = c0; c < c1; c++) {
    const s = c * FINGERPRINT_CHUNK;
    const e = Math.min(n, s + FINGERPRINT_CHUNK);
    const n16 = (e - s) >> 4;
    words.set(w.subarray(s, s + 16 * n16));
    m.chunk(n16);
    for (let j = 0; j < LANES; j++) l[j] = i32[j];
    for (let r = 0; r < 4; r++) sums[r] = f64[8 + r];
    let min = Math.min(f32[24], f32[25], f32[26], f32[27]);
    let max = Math.max(f32[28], f32[29], f32[30], f32[31]);
    let nan = i32[32] + i32[33] + i32[34] + i32[35];
    let inf = i32[36] + i32[37] + i32[38] + i32[39];
    let sub = i32[40] + i32[41] + i32[42] + i32[43];
    // the last 1-15 elements of the tensor's last chunk
    for (let i = s + 16 * n16; i < e; i++) {
      let u = w[i];
      const abs = u & 0x7fffffff;
      if (abs > INF) {
        nan++;
        u = 0x7fc00000;
      } else if (abs === INF) inf++;
      else {
        const v = f[i];
        sums[(i - s) & 3] += v;
        if (v < min) min = v;
        if (v > max) max = v;
        if (abs !== 0 && abs <= 0x7fffff) sub++;
      }
      const j = (i - s) & 15;
      l[j] = hashStep(l[j], u);
    }
    const o = c * FINGERPRINT_PART;
    foldLanes(l, parts, o);
    parts[o + 2] = (sums[0] + sums[1]) + (sums[2] + sums[3]);
    parts[o + 3] = min;
    parts[o + 4] = max;
    parts[o + 5] = nan;
    parts[o + 6] = inf;
    parts[o + 7] = sub;
  }
  return true;
}

/**
 * The partials of chunks c0..c1-1 of the uint8 data `a` (its first n elements) into `parts`, as fingerprintChunks
 * computes them (integer sums are exact in any order); false (nothing written) where WebAssembly SIMD is unavailable.
 */
export function fingerprintByteChunksSimd(a: Uint8Array, n: number, c0: number, c1: number, parts: Float64Array): boolean {
  const m = instance();
  if (!m) return false;
  const { u8, i32 } = m;
  const l = new Int32Array(LANES);
  for (let c = c0; c < c1; c++) {
    const s = c * FINGERPRINT_CHUNK;
    const e = Math.min(n, s + FINGERPRINT_CHUNK);
    const n16 = (e - s) >> 4;
    u8.set(a.subarray(s, s + 16 * n16), 0);
    m.bytes(n16);
    for (let j = 0; j < LANES; j++) l[j] = i32[j];
    let sum = i32[16] + i32[17] + i32[18] + i32[19];
    let min = Infinity;
    let max = -Infinity;
    if (n16 > 0) {
      for (let j = 0; j < 16; j++) {
        min = Math.min(min, u8[OUT + 80 + j]);
        max = Math.max(max, u8[OUT + 96 + j]);
      }
    }
    for (let i = s + 16 * n16; i < e; i++) {
      const v = a[i];
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      const j = (i - s) & 15;
      l[j] = hashStep(l[j], v);
    }
    const o = c * FINGERPRINT_PART;
    foldLanes(l, parts, o);
    parts[o + 2] = sum;
    parts[o + 3] = min;
    parts[o + 4] = max;
    parts[o + 5] = 0;
    parts[o + 6] = 0;
    parts[o + 7] = 0;
  }
  return true;
}
