/**
 * WebAssembly SIMD loops of the fused batch-normalization kernels (batch-norm-tasks.ts), for C % 4 == 0
 * and C <= MAX_C channels: rows of x (and dy) are copied into this thread's WebAssembly memory in pieces
 * of whole rows, computed four channels at a time, and the results copied out. Assembled with
 * wasm-builder.ts; run by any pool thread.
 * Exactness: every lane is one channel and computes the same single IEEE binary32 operations, in the same
 * order, as the plain loops of batch-norm-tasks.ts (f32x4.add/sub/mul round to nearest-even, with
 * subnormals); the accumulators add the rows in order, as the plain loops' sequential chunk sums. Where
 * WebAssembly SIMD is missing (or DITTO_CPU_WASM=0) `bnAvailable()` is false and the plain loops run.
 *   bn_sq(a, v, t, n, C):           t[c] = f32(t[c] + f32(d * d)), d = f32(a[r, c] - v[c]), rows in order
 *   bn_grad(a, b, v, t, u, n, C):   t[c] = f32(t[c] + b[r, c]); u[c] = f32(u[c] + f32(b[r, c] * f32(a[r, c] - v[c])))
 *   bn_apply(a, v, w, d, n, C):     d[r, c] = f32(f32(a[r, c] * v[c]) + w[c])
 *   bn_gradin(a, b, m, i, s, k, d, n, C): d[r, c] = f32(i[c] * f32(f32(b[r, c] - s[c]) - f32(f32(a[r, c] - m[c]) * k[c])))
 * (n = rows * C elements.) Memory (byte offsets): float regions A, B, D of CHUNK floats (+ slack), four
 * channel vectors V0..V3 and two accumulators T, U of MAX_C floats each.
 * Part of src/kernels/cpu: imports wasm-builder.ts only.
 */
import { Fn, V128, type Instr, type KernelFn, type WasmModule, compileOrNull, instantiate, moduleBytes, newMemory } from './wasm-builder.ts';

/** Floats per copied piece (whole rows). */
const CHUNK = 8192;
/** The most channels the SIMD loops take. */
export const MAX_C = 1024;
const SLACK = 64;
const RA = 0;
const RB = RA + 4 * CHUNK + SLACK;
const RD = RB + 4 * CHUNK + SLACK;
const RV = RD + 4 * CHUNK + SLACK;
const VEC = 4 * MAX_C;
const RT = RV + 4 * VEC;
const RU = RT + VEC;
const BYTES = RU + VEC + SLACK;

type BnFnName = 'bn_sq' | 'bn_grad' | 'bn_apply' | 'bn_gradin';

/** Byte address of element (p + q) of the region at local `base`. */
const at = (f: Fn, base: string): Fn => f.get(base).get('p').get('q').add().i32(2).op('i32.shl').add();
/** Byte address of channel q of the vector at local `base`. */
const ch = (f: Fn, base: string): Fn => f.get(base).get('q').i32(2).op('i32.shl').add();

/** A function looping over rows (p = 0, C, 2C, ... < n) and channels (q = 0, 4, ... < C). */
function rowFn(name: BnFnName, params: string[], body: (f: Fn) => void): Fn<BnFnName> {
  const f = new Fn(name, [...params, 'n', 'C']);
  f.local('p').local('q').local('x', V128);
  f.block().loop();
  f.get('p').get('n').op('i32.ge_s').brIf(1);
  f.i32(0).set('q');
  f.block().loop();
  f.get('q').get('C').op('i32.ge_s').brIf(1);
  body(f);
  f.get('q').i32(4).add().set('q');
  f.br(0);
  f.end().end();
  f.get('p').get('C').add().set('p');
  f.br(0);
  f.end().end();
  return f;
}

const op = (f: Fn, o: Instr): Fn => f.op(o);

function allFns(): Fn<BnFnName>[] {
  const sq = rowFn('bn_sq', ['a', 'v', 't'], (f) => {
    ch(f, 't');
    ch(f, 't').vLoad();
    at(f, 'a').vLoad();
    ch(f, 'v').vLoad();
    op(f, 'f32x4.sub').set('x');
    f.get('x').get('x');
    op(f, 'f32x4.mul');
    op(f, 'f32x4.add').vStore();
  });
  const grad = rowFn('bn_grad', ['a', 'b', 'v', 't', 'u'], (f) => {
    at(f, 'b').vLoad().set('x');
    ch(f, 't');
    ch(f, 't').vLoad().get('x');
    op(f, 'f32x4.add').vStore();
    ch(f, 'u');
    ch(f, 'u').vLoad().get('x');
    at(f, 'a').vLoad();
    ch(f, 'v').vLoad();
    op(f, 'f32x4.sub');
    op(f, 'f32x4.mul');
    op(f, 'f32x4.add').vStore();
  });
  const apply = rowFn('bn_apply', ['a', 'v', 'w', 'd'], (f) => {
    at(f, 'd');
    at(f, 'a').vLoad();
    ch(f, 'v').vLoad();
    op(f, 'f32x4.mul');
    ch(f, 'w').vLoad();
    op(f, 'f32x4.add').vStore();
  });
  const gradin = rowFn('bn_gradin', ['a', 'b', 'm', 'i', 's', 'k', 'd'], (f) => {
    at(f, 'd');
    ch(f, 'i').vLoad();
    at(f, 'b').vLoad();
    ch(f, 's').vLoad();
    op(f, 'f32x4.sub');
    at(f, 'a').vLoad();
    ch(f, 'm').vLoad();
    op(f, 'f32x4.sub');
    ch(f, 'k').vLoad();
    op(f, 'f32x4.mul');
    op(f, 'f32x4.sub');
    op(f, 'f32x4.mul').vStore();
  });
  return [sq, grad, apply, gradin];
}

let fnList: Fn<BnFnName>[] | null = null;
const fns = (): Fn<BnFnName>[] => (fnList ??= allFns());

let compiled: WasmModule | null | undefined;
function bnModule(): WasmModule | null {
  if (compiled === undefined) compiled = compileOrNull('bn', () => moduleBytes(fns(), fns().map((f) => f.name)));
  return compiled;
}

/** Whether the WebAssembly batch-norm loops are available in this process. */
export function bnAvailable(): boolean {
  return bnModule() !== null;
}

/** Whether the SIMD loops take C channels (and are available). */
export function bnSimdFits(C: number): boolean {
  return C >= 4 && C % 4 === 0 && C <= MAX_C && bnAvailable();
}

let E: Record<BnFnName, KernelFn> | null = null;
let HF = new Float32Array(0);

function instance(): Record<BnFnName, KernelFn> {
  if (E === null) {
    const module = bnModule();
    if (module === null) throw new Error('wasm-bn: WebAssembly SIMD is not available (callers check bnSimdFits())');
    const mem = newMemory(BYTES);
    E = instantiate(module, mem, fns().map((f) => f.name));
    HF = new Float32Array(mem.buffer);
  }
  return E;
}

const put = (src: Float32Array, i: number, len: number, at: number): void => HF.set(src.subarray(i, i + len), at >> 2);
const vec = (v: Float32Array, k: number, C: number): void => HF.set(v.subarray(0, C), (RV + k * VEC) >> 2);

/**
 * Chunk sums over rows [r0, r1) (one chunk of the summation tree), sequential from +0: mode 'sq' into
 * part[o + c], mode 'grad' S(dy) into part[o + c] and S(dy * (x - mean)) into part[o2 + c].
 */
export function bnChunkSumsSimd(sq: boolean, x: Float32Array, dy: Float32Array, mean: Float32Array, C: number, r0: number, r1: number, part: Float32Array, o: number, o2: number): void {
  const e = instance();
  vec(mean, 0, C);
  HF.fill(0, RT >> 2, (RT >> 2) + C);
  HF.fill(0, RU >> 2, (RU >> 2) + C);
  const rows = Math.floor(CHUNK / C);
  for (let r = r0; r < r1; r += rows) {
    const len = Math.min(rows, r1 - r) * C;
    put(x, r * C, len, RA);
    if (sq) {
      e.bn_sq(RA, RV, RT, len, C);
    } else {
      put(dy, r * C, len, RB);
      e.bn_grad(RA, RB, RV, RT, RU, len, C);
    }
  }
  part.set(HF.subarray(RT >> 2, (RT >> 2) + C), o);
  if (!sq) part.set(HF.subarray(RU >> 2, (RU >> 2) + C), o2);
}

/**
 * Rows [r0, r1): apply (vectors [a, b] = [inv, shift]) or gradInput (vectors [m, a, b, k] = [mean, inv, mdy, k]).
 */
export function bnRowsSimd(apply: boolean, x: Float32Array, dy: Float32Array, out: Float32Array, a: Float32Array, b: Float32Array, m: Float32Array, k: Float32Array, C: number, r0: number, r1: number): void {
  const e = instance();
  if (apply) {
    vec(a, 0, C);
    vec(b, 1, C);
  } else {
    vec(m, 0, C);
    vec(a, 1, C);
    vec(b, 2, C);
    vec(k, 3, C);
  }
  const rows = Math.floor(CHUNK / C);
  for (let r = r0; r < r1; r += rows) {
    const len = Math.min(rows, r1 - r) * C;
    put(x, r * C, len, RA);
    if (apply) {
      e.bn_apply(RA, RV, RV + VEC, RD, len, C);
    } else {
      put(dy, r * C, len, RB);
      e.bn_gradin(RA, RB, RV, RV + VEC, RV + 2 * VEC, RV + 3 * VEC, RD, len, C);
    }
    out.set(HF.subarray(RD >> 2, (RD >> 2) + len), r * C);
  }
}
