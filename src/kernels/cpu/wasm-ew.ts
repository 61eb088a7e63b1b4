/**
 * WebAssembly SIMD loops for the CPU backend's hot elementwise ops and column sums, and the
 * drivers that run them over tensor storage: each block of a job is cut into chunks of up to
 * CHUNK elements that are copied into this thread's WebAssembly memory (TypedArray.set, a
 * memcpy), computed there four or sixteen lanes at a time, and copied out. Assembled with
 * wasm-builder.ts; run by any pool thread.
 * Part of src/kernels/cpu: imports wasm-builder.ts only.
 *
 * Exactness: each output element is the same single IEEE binary32 operation as the plain loops
 * of ew-tasks.ts and broadcast.gen.ts (f32x4.add/sub/mul/div round to nearest-even, with subnormals; comparisons are
 * IEEE comparisons, false with a NaN except `ne`), or a selection of 32-bit words (relu, reluGrad,
 * where); lanes never mix. The column sums add rows in order into per-column accumulators, each
 * lane one output's sequential f32 sum: the bits of chunkSums. Where WebAssembly SIMD is missing
 * (or DITTO_CPU_WASM=0) `ewAvailable()` is false and the kernels run their plain scalar loops.
 *
 * Memory of a thread (byte offsets): three float regions A, B, D of CHUNK floats, a byte region
 * C (conditions, comparison results) of CHUNK bytes, each with 64 bytes of slack (loops run in
 * whole vectors past the end; those lanes are never copied out), a scalar slot S (16 bytes; also
 * the fast pooling loops' NaN flag), and the column accumulators T.
 */
import { Fn, V128, type Instr, type KernelFn, type WasmModule, compileOrNull, instantiate, moduleBytes, newMemory } from './wasm-builder.ts';

/** Elements per chunk (a multiple of 16). */
export const CHUNK = 8192;
const SLACK = 64;
const RA = 0;
const RB = RA + 4 * CHUNK + SLACK;
const RD = RB + 4 * CHUNK + SLACK;
const RC = RD + 4 * CHUNK + SLACK;
const RS = RC + CHUNK + SLACK;
const RT = RS + 64;
/** Columns the accumulators hold (wider column sums run in strips), and the widest bias row of ewRow. */
export const MAX_COLS = 4096;
const BYTES = RT + 4 * MAX_COLS + SLACK;

/** The binary float ops with SIMD loops, and their instructions. */
const F32_OPS = { add: 'f32x4.add', sub: 'f32x4.sub', mul: 'f32x4.mul', div: 'f32x4.div' } as const satisfies Record<string, Instr>;
/** The comparisons with SIMD loops (forms 'vv' and 'vs'), and their instructions. */
const CMP_OPS = { greater: 'f32x4.gt', greaterEqual: 'f32x4.ge', less: 'f32x4.lt', lessEqual: 'f32x4.le', equal: 'f32x4.eq', notEqual: 'f32x4.ne' } as const satisfies Record<string, Instr>;
export type EwFloatOp = keyof typeof F32_OPS;
export type EwCompareOp = keyof typeof CMP_OPS;
/** Operand forms: 'vv' both dense, 'vs' the second a scalar, 'sv' the first a scalar. */
export type EwForm = 'vv' | 'vs' | 'sv';
/** The forms of the comparison loops. */
export type EwCompareForm = Exclude<EwForm, 'sv'>;
const FORMS = ['vv', 'vs', 'sv'] as const satisfies readonly EwForm[];
const COMPARE_FORMS = ['vv', 'vs'] as const satisfies readonly EwCompareForm[];

/** Every function of the module. */
type EwFnName =
  | `${EwForm}_${EwFloatOp}` | `row_${EwFloatOp}` | `${EwCompareForm}_${EwCompareOp}` | `where_${EwForm}`
  | 'relu' | 'reluGrad' | 'colsum' | 'colsum16' | 'colsum32' | 'pool2' | 'pool2Grad' | 'pool2GradRelu' | 'pool2Fast' | 'pool2GradFast' | 'pool2GradReluFast';

const entries = <K extends string, V>(o: Record<K, V>): [K, V][] => Object.entries(o) as [K, V][];

/** for (p = 0; p < n; p += step) body(): emits the loop with local `p` (elements) and `e` = n. */
function forRange(f: Fn, step: number, body: () => void): void {
  f.i32(0).set('p');
  f.block().loop();
  f.get('p').get('n').op('i32.ge_s').brIf(1);
  body();
  f.get('p').i32(step).add().set('p');
  f.br(0);
  f.end().end();
}

/** Byte address of float element p of the region at local `base`: base + 4p. */
const fAddr = (f: Fn, base: string): Fn => f.get(base).get('p').i32(2).op('i32.shl').add();
/** Byte address of byte element p of the region at local `base`. */
const bAddr = (f: Fn, base: string): Fn => f.get(base).get('p').add();

/** vv_op(a, b, d, n): d = a op b; vs_op(a, s, d, n): d = a op s[0]; sv_op(s, b, d, n): d = s[0] op b. */
function binaryFns(): Fn<EwFnName>[] {
  const fns: Fn<EwFnName>[] = [];
  for (const [name, op] of entries(F32_OPS)) {
    for (const form of FORMS) {
      const f = new Fn(`${form}_${name}` as const, ['a', 'b', 'd', 'n']);
      f.local('p').local('s', V128);
      if (form === 'vs') f.get('b').vSplatLoad().set('s');
      if (form === 'sv') f.get('a').vSplatLoad().set('s');
      forRange(f, 4, () => {
        fAddr(f, 'd');
        if (form === 'sv') f.get('s');
        else fAddr(f, 'a').vLoad();
        if (form === 'vs') f.get('s');
        else if (form === 'vv') fAddr(f, 'b').vLoad();
        else fAddr(f, 'b').vLoad();
        f.op(op).vStore();
      });
      fns.push(f);
    }
    // row_op(a, b, d, n = rows * C, C): d[r, c] = a[r, c] op b[c], C a multiple of 4
    const f = new Fn(`row_${name}` as const, ['a', 'b', 'd', 'n', 'C']);
    f.local('p').local('q');
    f.block().loop();
    f.get('p').get('n').op('i32.ge_s').brIf(1);
    f.i32(0).set('q');
    f.block().loop();
    f.get('q').get('C').op('i32.ge_s').brIf(1);
    fAddr(f, 'd').get('q').i32(2).op('i32.shl').add();
    fAddr(f, 'a').get('q').i32(2).op('i32.shl').add().vLoad();
    f.get('b').get('q').i32(2).op('i32.shl').add().vLoad();
    f.op(op).vStore();
    f.get('q').i32(4).add().set('q');
    f.br(0);
    f.end().end();
    f.get('p').get('C').add().set('p');
    f.br(0);
    f.end().end();
    fns.push(f);
  }
  return fns;
}

/** 16 comparison masks (i32x4 words, -1 or 0) -> 16 bytes 1 or 0 at d + p. */
function storeMaskBytes(f: Fn, m: readonly string[]): void {
  bAddr(f, 'd');
  f.get(m[0]).get(m[1]).op('i16x8.narrow_i32x4_s').get(m[2]).get(m[3]).op('i16x8.narrow_i32x4_s').op('i8x16.narrow_i16x8_s');
  f.vConst(0x01010101).op('v128.and').vStore();
}

/** vs_cmp(a, s, d, n) / vv_cmp(a, b, d, n): bytes d = (a cmp s or b) ? 1 : 0, 16 per step. */
function compareFns(): Fn<EwFnName>[] {
  const fns: Fn<EwFnName>[] = [];
  for (const [name, op] of entries(CMP_OPS)) {
    for (const form of COMPARE_FORMS) {
      const f = new Fn(`${form}_${name}` as const, ['a', 'b', 'd', 'n']);
      f.local('p').local('s', V128).local('m0', V128).local('m1', V128).local('m2', V128).local('m3', V128);
      if (form === 'vs') f.get('b').vSplatLoad().set('s');
      forRange(f, 16, () => {
        for (let k = 0; k < 4; k++) {
          fAddr(f, 'a').vLoad(16 * k);
          if (form === 'vs') f.get('s');
          else fAddr(f, 'b').vLoad(16 * k);
          f.op(op).set(`m${k}`);
        }
        storeMaskBytes(f, ['m0', 'm1', 'm2', 'm3']);
      });
      fns.push(f);
    }
  }
  return fns;
}

/** where_vv / where_vs / where_sv(c, a, b, d, n): d = c != 0 ? a : b (bytes c), 16 per step. */
function whereFns(): Fn<EwFnName>[] {
  const fns: Fn<EwFnName>[] = [];
  for (const form of FORMS) {
    const f = new Fn(`where_${form}` as const, ['c', 'a', 'b', 'd', 'n']);
    f.local('p').local('sa', V128).local('sb', V128).local('m8', V128).local('m16', V128);
    if (form === 'sv') f.get('a').vSplatLoad().set('sa');
    if (form === 'vs') f.get('b').vSplatLoad().set('sb');
    forRange(f, 16, () => {
      bAddr(f, 'c').vLoad().vZero().op('i8x16.ne').set('m8');
      for (let half = 0; half < 2; half++) {
        f.get('m8').op(half ? 'i16x8.extend_high_i8x16_s' : 'i16x8.extend_low_i8x16_s').set('m16');
        for (let q = 0; q < 2; q++) {
          const k = 2 * half + q;
          fAddr(f, 'd');
          if (form === 'sv') f.get('sa');
          else fAddr(f, 'a').vLoad(16 * k);
          if (form === 'vs') f.get('sb');
          else fAddr(f, 'b').vLoad(16 * k);
          f.get('m16').op(q ? 'i32x4.extend_high_i16x8_s' : 'i32x4.extend_low_i16x8_s');
          f.op('v128.bitselect').vStore(16 * k);
        }
      }
    });
    fns.push(f);
  }
  return fns;
}

/** relu(a, d, n): d = a > 0 || a is NaN ? a : +0; reluGrad(g, x, d, n): d = x > 0 ? g : +0. */
function reluFns(): Fn<EwFnName>[] {
  const relu = new Fn('relu', ['a', 'd', 'n']);
  relu.local('p').local('v', V128);
  forRange(relu, 4, () => {
    fAddr(relu, 'd');
    fAddr(relu, 'a').vLoad().set('v');
    relu.get('v').get('v').vZero().op('f32x4.gt').get('v').get('v').op('f32x4.ne').op('v128.or').op('v128.and').vStore();
  });
  const grad = new Fn('reluGrad', ['a', 'b', 'd', 'n']);
  grad.local('p');
  forRange(grad, 4, () => {
    fAddr(grad, 'd');
    fAddr(grad, 'a').vLoad();
    fAddr(grad, 'b').vLoad().vZero().op('f32x4.gt').op('v128.and').vStore();
  });
  return [relu, grad];
}

/** colsum(x, t, n = rows * C, C): t[c] = f32(t[c] + x[r, c]) for each row r in order (C % 4 == 0). */
function colSumFn(): Fn<EwFnName> {
  const f = new Fn('colsum', ['a', 't', 'n', 'C']);
  f.local('p').local('q');
  f.block().loop();
  f.get('p').get('n').op('i32.ge_s').brIf(1);
  f.i32(0).set('q');
  f.block().loop();
  f.get('q').get('C').op('i32.ge_s').brIf(1);
  f.get('t').get('q').i32(2).op('i32.shl').add();
  f.get('t').get('q').i32(2).op('i32.shl').add().vLoad();
  fAddr(f, 'a').get('q').i32(2).op('i32.shl').add().vLoad();
  f.op('f32x4.add').vStore();
  f.get('q').i32(4).add().set('q');
  f.br(0);
  f.end().end();
  f.get('p').get('C').add().set('p');
  f.br(0);
  f.end().end();
  return f;
}

/**
 * colsum16 / colsum32(x, t, n = rows * C, C), C a multiple of 16 / 32: the same sums as colsum, strip by
 * strip of 16 / 32 columns, each strip's accumulators held in 4 / 8 v128 locals over all the rows (loaded
 * from t before and stored after): every column still adds its rows in order, one f32 add each.
 */
function colSumStripFn(width: 16 | 32): Fn<EwFnName> {
  const f = new Fn(width === 16 ? 'colsum16' : 'colsum32', ['a', 't', 'n', 'C']);
  const K = width / 4;
  f.local('q').local('pa').local('end').local('step');
  for (let k = 0; k < K; k++) f.local(`acc${k}`, V128);
  f.get('a').get('n').i32(2).op('i32.shl').add().set('end');
  f.get('C').i32(2).op('i32.shl').set('step');
  f.i32(0).set('q'); // byte offset of the strip in a row
  f.block().loop();
  f.get('q').get('step').op('i32.ge_s').brIf(1);
  for (let k = 0; k < K; k++) f.get('t').get('q').add().vLoad(16 * k).set(`acc${k}`);
  f.get('a').get('q').add().set('pa');
  f.block().loop();
  f.get('pa').get('end').op('i32.ge_u').brIf(1);
  for (let k = 0; k < K; k++) f.get(`acc${k}`).get('pa').vLoad(16 * k).op('f32x4.add').set(`acc${k}`);
  f.get('pa').get('step').add().set('pa');
  f.br(0);
  f.end().end();
  for (let k = 0; k < K; k++) f.get('t').get('q').add().get(`acc${k}`).vStore(16 * k);
  f.get('q').i32(4 * width).add().set('q');
  f.br(0);
  f.end().end();
  return f;
}

/**
 * 2 x 2 max pooling, stride 2, no padding, of `rows` output rows (input rows 2r, 2r + 1 of W
 * columns, C channels, C % 4 == 0): pool2(x, d, rows, W, C) writes the window maxima;
 * pool2Grad(x, g, d, rows, W, C) writes dx for those input rows: f32(+0 + g) at each window's
 * first maximum, +0 elsewhere (windows do not overlap, so that is the whole sum). The scan is
 * maxPoolImages's: start at (0, 0), then (0, 1), (1, 0), (1, 1); a value replaces the best if it
 * is greater, or NaN over a number. pool2GradRelu: the same, with f32(+0 + g) also masked by
 * best > 0 (the winner's own word, so x > 0 ? dx : +0 at every position: reluGrad's bits).
 * pool2Fast, pool2GradFast, pool2GradReluFast (one more parameter, `flag`): the same without the NaN
 * terms (m_k = v_k > best, best = f32x4.pmax(best, v_k), which is best < v_k ? v_k : best), exact when no
 * input of the call is NaN; they store at byte `flag` 16 bytes that are non-zero if some window's
 * f32((v0 + v1) + (v2 + v3)) is NaN (every window with a NaN input, and possibly others, e.g. with
 * +Inf and -Inf), and the driver then reruns the call with the full function, which rewrites every output.
 */
function poolFns(): Fn<EwFnName>[] {
  const decl = (f: Fn): void => {
    f.local('r').local('ow').local('c').local('xo').local('row').local('oo').local('outW');
    for (const v of ['v0', 'v1', 'v2', 'v3', 'best', 'm1', 'm2', 'm3', 'gv', 'nan']) f.local(v, V128);
    f.vZero().set('nan');
    f.get('W').i32(1).op('i32.shr_u').set('outW');
    f.get('W').get('C').mul().i32(2).op('i32.shl').set('row'); // bytes of an input row
  };
  // for each output position and each 4 channels: xo = byte offset of the window's (0, 0) element, oo = output offset
  const loops = (f: Fn, body: () => void, fast = false, masks = true): void => {
    f.i32(0).set('r');
    f.block().loop();
    f.get('r').get('rows').op('i32.ge_s').brIf(1);
    f.i32(0).set('ow');
    f.block().loop();
    f.get('ow').get('outW').op('i32.ge_s').brIf(1);
    f.i32(0).set('c');
    // xo = ((2r * W + 2ow) * C + c) * 4, oo = ((r * outW + ow) * C + c) * 4, stepped by 16 bytes with c
    f.get('r').i32(1).op('i32.shl').get('W').mul().get('ow').i32(1).op('i32.shl').add().get('C').mul().i32(2).op('i32.shl').set('xo');
    f.get('r').get('outW').mul().get('ow').add().get('C').mul().i32(2).op('i32.shl').set('oo');
    f.block().loop();
    f.get('c').get('C').op('i32.ge_s').brIf(1);
    for (let k = 0; k < 4; k++) {
      f.get('x').get('xo').add();
      if (k & 1) f.get('C').i32(4).mul().add();
      if (k & 2) f.get('row').add();
      f.vLoad().set(`v${k}`);
    }
    f.get('v0').set('best');
    if (fast) {
      // best = v0; for k = 1..3: m_k = v_k > best; best = pmax(best, v_k); nan |= NaN lanes of (v0 + v1) + (v2 + v3)
      for (let k = 1; k < 4; k++) {
        if (masks) f.get(`v${k}`).get('best').op('f32x4.gt').set(`m${k}`);
        f.get('best').get(`v${k}`).op('f32x4.pmax').set('best');
      }
      f.get('v0').get('v1').op('f32x4.add').get('v2').get('v3').op('f32x4.add').op('f32x4.add').tee('gv');
      f.get('gv').op('f32x4.ne').get('nan').op('v128.or').set('nan');
    }
    // best = v0; for k = 1..3: m_k = v_k > best | (v_k is NaN & best is not); best = m_k ? v_k : best
    for (let k = 1; k < 4 && !fast; k++) {
      f.get(`v${k}`).get('best').op('f32x4.gt');
      f.get(`v${k}`).get(`v${k}`).op('f32x4.ne').get('best').get('best').op('f32x4.eq').op('v128.and');
      f.op('v128.or').set(`m${k}`);
      f.get(`v${k}`).get('best').get(`m${k}`).op('v128.bitselect').set('best');
    }
    body();
    f.get('c').i32(4).add().set('c');
    f.get('xo').i32(16).add().set('xo');
    f.get('oo').i32(16).add().set('oo');
    f.br(0);
    f.end().end();
    f.get('ow').i32(1).add().set('ow');
    f.br(0);
    f.end().end();
    f.get('r').i32(1).add().set('r');
    f.br(0);
    f.end().end();
    if (fast) f.get('flag').get('nan').vStore();
  };
  const fns: Fn<EwFnName>[] = [];
  for (const fast of [false, true]) {
    const pool = new Fn(fast ? 'pool2Fast' : 'pool2', fast ? ['x', 'd', 'rows', 'W', 'C', 'flag'] : ['x', 'd', 'rows', 'W', 'C']);
    decl(pool);
    loops(pool, () => pool.get('d').get('oo').add().get('best').vStore(), fast, false);
    fns.push(pool, poolGradFn(fast ? 'pool2GradFast' : 'pool2Grad', decl, loops, false, fast), poolGradFn(fast ? 'pool2GradReluFast' : 'pool2GradRelu', decl, loops, true, fast));
  }
  return fns;
}

/** pool2Grad, or pool2GradRelu (reluMask), or their fast forms: see poolFns. */
function poolGradFn(name: 'pool2Grad' | 'pool2GradRelu' | 'pool2GradFast' | 'pool2GradReluFast', decl: (f: Fn) => void, loops: (f: Fn, body: () => void, fast: boolean) => void, reluMask: boolean, fast: boolean): Fn<EwFnName> {
  const grad = new Fn(name, fast ? ['x', 'g', 'd', 'rows', 'W', 'C', 'flag'] : ['x', 'g', 'd', 'rows', 'W', 'C']);
  decl(grad);
  // dx of these input rows starts at +0 where W is odd (the last column is outside every window and stays +0);
  // for an even W the windows cover every position and each is stored below
  grad.get('W').i32(1).op('i32.and').if_();
  grad.get('rows').get('row').mul().i32(1).op('i32.shl').set('xo');
  grad.i32(0).set('oo');
  grad.block().loop();
  grad.get('oo').get('xo').op('i32.ge_s').brIf(1);
  grad.get('d').get('oo').add().vZero().vStore();
  grad.get('oo').i32(16).add().set('oo');
  grad.br(0);
  grad.end().end();
  grad.end();
  loops(grad, () => {
    // gv = f32(+0 + g); the winner is the last k with m_k set, else position 0
    grad.get('g').get('oo').add().vLoad().vZero().op('f32x4.add');
    // reluMask: and (best > 0), false for NaN and for both zeros
    if (reluMask) grad.get('best').vZero().op('f32x4.gt').op('v128.and');
    grad.set('gv');
    const store = (k: number, mask: () => void): void => {
      grad.get('d').get('xo').add();
      if (k & 1) grad.get('C').i32(4).mul().add();
      if (k & 2) grad.get('row').add();
      grad.get('gv');
      mask();
      grad.op('v128.and').vStore();
    };
    store(3, () => grad.get('m3'));
    store(2, () => grad.get('m2').get('m3').op('v128.andnot'));
    store(1, () => grad.get('m1').get('m2').get('m3').op('v128.or').op('v128.andnot'));
    store(0, () => grad.get('m1').get('m2').op('v128.or').get('m3').op('v128.or').op('v128.not'));
  }, fast);
  return grad;
}

let fnList: Fn<EwFnName>[] | null = null;
/** The module's functions (function i has index i), assembled once per thread. */
function allFns(): Fn<EwFnName>[] {
  fnList ??= [...binaryFns(), ...compareFns(), ...whereFns(), ...reluFns(), colSumFn(), colSumStripFn(16), colSumStripFn(32), ...poolFns()];
  return fnList;
}

let compiled: WasmModule | null | undefined;
function ewModule(): WasmModule | null {
  if (compiled === undefined) {
    compiled = compileOrNull('ew', () => {
      const fns = allFns();
      return moduleBytes(fns, fns.map((f) => f.name));
    });
  }
  return compiled;
}

/** Whether the WebAssembly elementwise loops are available in this process. */
export function ewAvailable(): boolean {
  return ewModule() !== null;
}

/** The binary float ops and comparisons with SIMD loops. */
export const EW_FLOAT_OPS = Object.keys(F32_OPS) as EwFloatOp[];
export const EW_COMPARE_OPS = Object.keys(CMP_OPS) as EwCompareOp[];

/** This thread's instance (created on first use) and float / byte views of its memory. */
let E: Record<EwFnName, KernelFn> | null = null;
let HF = new Float32Array(0);
let HI = new Int32Array(0);
let H8 = new Uint8Array(0);

function instance(): Record<EwFnName, KernelFn> {
  if (E === null) {
    const module = ewModule();
    if (module === null) throw new Error('wasm-ew: WebAssembly SIMD is not available (callers check ewAvailable())');
    const mem = newMemory(BYTES);
    E = instantiate(module, mem, allFns().map((f) => f.name));
    HF = new Float32Array(mem.buffer);
    HI = new Int32Array(mem.buffer);
    H8 = new Uint8Array(mem.buffer);
  }
  return E;
}

/** Copies src[i .. i + len) into the region at byte `at` (floats or bytes by the array's type). */
function put(src: Float32Array | Uint8Array, i: number, len: number, at: number): void {
  if (src instanceof Uint8Array) H8.set(src.subarray(i, i + len), at);
  else HF.set(src.subarray(i, i + len), at >> 2);
}

/** Copies len elements of the region at byte `at` to dst[i ..). */
function take(dst: Float32Array | Uint8Array, i: number, len: number, at: number): void {
  if (dst instanceof Uint8Array) dst.set(H8.subarray(at, at + len), i);
  else dst.set(HF.subarray(at >> 2, (at >> 2) + len), i);
}

/**
 * Binary float op `op` over outputs [o0, o1): form 'vv' (a, b dense), 'vs' (b a scalar: b[0]),
 * 'sv' (a a scalar); d dense.
 */
export function ewBinary(op: EwFloatOp, form: EwForm, a: Float32Array, b: Float32Array, d: Float32Array, o0: number, o1: number): void {
  runBinary(instance()[`${form}_${op}`], form, a, b, d, o0, o1);
}

/** Comparison `op` over outputs [o0, o1) into bytes d (1 or 0): form 'vv' or 'vs' (b a scalar). */
export function ewCompare(op: EwCompareOp, form: EwCompareForm, a: Float32Array, b: Float32Array, d: Uint8Array, o0: number, o1: number): void {
  runBinary(instance()[`${form}_${op}`], form, a, b, d, o0, o1);
}

function runBinary(fn: KernelFn, form: EwForm, a: Float32Array, b: Float32Array, d: Float32Array | Uint8Array, o0: number, o1: number): void {
  if (form === 'vs') HF[RS >> 2] = b[0];
  if (form === 'sv') HF[RS >> 2] = a[0];
  for (let i = o0; i < o1; i += CHUNK) {
    const len = Math.min(CHUNK, o1 - i);
    if (form !== 'sv') put(a, i, len, RA);
    if (form !== 'vs') put(b, i, len, RB);
    fn(form === 'sv' ? RS : RA, form === 'vs' ? RS : RB, RD, len);
    take(d, i, len, RD);
  }
}

/** d[r, c] = a[r, c] op b[c] for rows [r0, r1) of C columns (C % 4 == 0, C <= MAX_COLS). */
export function ewRow(op: EwFloatOp, a: Float32Array, b: Float32Array, d: Float32Array, C: number, r0: number, r1: number): void {
  const fn = instance()[`row_${op}`];
  HF.set(b.subarray(0, C), RB >> 2);
  const rows = Math.floor(CHUNK / C);
  for (let r = r0; r < r1; r += rows) {
    const len = Math.min(rows, r1 - r) * C;
    put(a, r * C, len, RA);
    fn(RA, RB, RD, len, C);
    take(d, r * C, len, RD);
  }
}

/** where with uint8 cond c over outputs [o0, o1): form 'vv', 'vs' (b scalar) or 'sv' (a scalar). */
export function ewWhere(form: EwForm, c: Uint8Array, a: Float32Array, b: Float32Array, d: Float32Array, o0: number, o1: number): void {
  const fn = instance()[`where_${form}`];
  if (form === 'vs') HF[RS >> 2] = b[0];
  if (form === 'sv') HF[RS >> 2] = a[0];
  for (let i = o0; i < o1; i += CHUNK) {
    const len = Math.min(CHUNK, o1 - i);
    put(c, i, len, RC);
    if (form !== 'sv') put(a, i, len, RA);
    if (form !== 'vs') put(b, i, len, RB);
    fn(RC, form === 'sv' ? RS : RA, form === 'vs' ? RS : RB, RD, len);
    take(d, i, len, RD);
  }
}

/** relu over [o0, o1). */
export function ewRelu(a: Float32Array, d: Float32Array, o0: number, o1: number): void {
  const e = instance();
  for (let i = o0; i < o1; i += CHUNK) {
    const len = Math.min(CHUNK, o1 - i);
    put(a, i, len, RA);
    e.relu(RA, RD, len);
    take(d, i, len, RD);
  }
}

/** reluGrad over [o0, o1): d = x > 0 ? g : +0. */
export function ewReluGrad(g: Float32Array, x: Float32Array, d: Float32Array, o0: number, o1: number): void {
  const e = instance();
  for (let i = o0; i < o1; i += CHUNK) {
    const len = Math.min(CHUNK, o1 - i);
    put(g, i, len, RA);
    put(x, i, len, RB);
    e.reluGrad(RA, RB, RD, len);
    take(d, i, len, RD);
  }
}

/** Whether the last fast pooling call flagged a possible NaN input (its 16 bytes at RS). */
const sawNaN = (): boolean => (HI[RS >> 2] | HI[(RS >> 2) + 1] | HI[(RS >> 2) + 2] | HI[(RS >> 2) + 3]) !== 0;

/** Whether 2 x 2 stride-2 unpadded pooling of rows of W columns and C channels takes ewPool2 / ewPool2Grad. */
export function ewPool2Fits(W: number, C: number): boolean {
  return C % 4 === 0 && W >= 2 && 2 * W * C <= CHUNK && ewAvailable();
}

/**
 * maxPool2d 2 x 2 / 2 'valid' of images [n0, n1) of x [N, H, W, C] into d [N, floor(H/2), floor(W/2), C]
 * (ewPool2Fits(W, C)).
 */
export function ewPool2(x: Float32Array, d: Float32Array, H: number, W: number, C: number, n0: number, n1: number): void {
  const outH = H >> 1;
  const outW = W >> 1;
  for (let n = n0; n < n1; n++) ewPool2Rows(x, n * H * W * C, outH, W, C, d, n * outH * outW * C);
}

/**
 * maxPool2d 2 x 2 / 2 'valid' of `pairs` consecutive pairs of input rows (rows of W columns and C channels,
 * contiguous from x[s]) into `pairs` output rows of floor(W/2) columns from d[o] (ewPool2Fits(W, C)): ewPool2's
 * loop for one image, and conv2dBiasActMaxPool's for a block of convolution outputs (gemm-tasks.ts).
 */
export function ewPool2Rows(x: Float32Array, s: number, pairs: number, W: number, C: number, d: Float32Array, o: number): void {
  const e = instance();
  const outW = W >> 1;
  const perChunk = Math.max(1, Math.floor(CHUNK / (2 * W * C)));
  for (let oh = 0; oh < pairs; oh += perChunk) {
    const rows = Math.min(perChunk, pairs - oh);
    put(x, s + 2 * oh * W * C, 2 * rows * W * C, RA);
    e.pool2Fast(RA, RD, rows, W, C, RS);
    if (sawNaN()) e.pool2(RA, RD, rows, W, C);
    take(d, o + oh * outW * C, rows * outW * C, RD);
  }
}

/**
 * maxPool2dGrad 2 x 2 / 2 'valid' of images [n0, n1): dx [N, H, W, C] from x and dy (ewPool2Fits(W, C));
 * reluMask: masked by x > 0 (pool2GradRelu).
 */
export function ewPool2Grad(x: Float32Array, g: Float32Array, dx: Float32Array, H: number, W: number, C: number, n0: number, n1: number, reluMask = false): void {
  const e = instance();
  const outH = H >> 1;
  const outW = W >> 1;
  const perChunk = Math.max(1, Math.floor(CHUNK / (2 * W * C)));
  for (let n = n0; n < n1; n++) {
    for (let oh = 0; oh < outH; oh += perChunk) {
      const rows = Math.min(perChunk, outH - oh);
      put(x, (n * H + 2 * oh) * W * C, 2 * rows * W * C, RA);
      put(g, (n * outH + oh) * outW * C, rows * outW * C, RB);
      (reluMask ? e.pool2GradReluFast : e.pool2GradFast)(RA, RB, RD, rows, W, C, RS);
      if (sawNaN()) (reluMask ? e.pool2GradRelu : e.pool2Grad)(RA, RB, RD, rows, W, C);
      take(dx, (n * H + 2 * oh) * W * C, 2 * rows * W * C, RD);
    }
    // an odd last row belongs to no window
    if (H & 1) dx.fill(0, ((n + 1) * H - 1) * W * C, (n + 1) * H * W * C);
  }
}

/**
 * Column sums of columns c0..c0+w-1 (c0 and w multiples of 4) of rows [r0, r1) of x (rows ld
 * floats apart, ld % 4 == 0) from +0, each column's rows added in order: out[o + c] =
 * S_seq(x[r*ld + c0 + c], r = r0..r1-1), row by row in strips of MAX_COLS columns (ewColSum's
 * wide rows).
 */
export function ewColSumStrip(x: Float32Array, ld: number, c0: number, w: number, r0: number, r1: number, out: Float32Array, o: number): void {
  const e = instance();
  for (let s = 0; s < w; s += MAX_COLS) {
    const ws = Math.min(MAX_COLS, w - s);
    HF.fill(0, RT >> 2, (RT >> 2) + ws);
    for (let r = r0; r < r1; r++) {
      put(x, r * ld + c0 + s, ws, RA);
      e.colsum(RA, RT, ws, ws);
    }
    out.set(HF.subarray(RT >> 2, (RT >> 2) + ws), o + s);
  }
}

/**
 * Column sums of rows [r0, r1) of x (rows of C floats, C % 4 == 0) from +0, each column's rows
 * added in order: out[o + c] = S_seq(x[r, c], r = r0..r1-1). Rows of up to MAX_COLS columns are
 * copied several at a time (summed by colsum32 / colsum16 where C allows: accumulators in registers);
 * wider rows are summed in strips of MAX_COLS columns.
 */
export function ewColSum(x: Float32Array, C: number, r0: number, r1: number, out: Float32Array, o: number): void {
  const e = instance();
  if (C <= MAX_COLS) {
    HF.fill(0, RT >> 2, (RT >> 2) + C);
    const rows = Math.max(1, Math.floor(CHUNK / C));
    const colsum = C % 32 === 0 ? e.colsum32 : C % 16 === 0 ? e.colsum16 : e.colsum;
    for (let r = r0; r < r1; r += rows) {
      const len = Math.min(rows, r1 - r) * C;
      put(x, r * C, len, RA);
      colsum(RA, RT, len, C);
    }
    out.set(HF.subarray(RT >> 2, (RT >> 2) + C), o);
    return;
  }
  for (let c0 = 0; c0 < C; c0 += MAX_COLS) {
    const w = Math.min(MAX_COLS, C - c0);
    HF.fill(0, RT >> 2, (RT >> 2) + w);
    for (let r = r0; r < r1; r++) {
      put(x, r * C + c0, w, RA);
      e.colsum(RA, RT, w, w);
    }
    out.set(HF.subarray(RT >> 2, (RT >> 2) + w), o + c0);
  }
}
