/**
 * WebGPU host side of the elementwise unary ops and cast (shaders/unary.wgsl, unary-math.wgsl): op codes, the
 * clip bounds, and the grid. Semantics are those of src/kernels/cpu/unary.ts and fill-cast.ts.
 * Part of src/kernels/webgpu: imports src/core only.
 */
import type { DType } from '../../core/dtype.ts';
import { UnsupportedOpError } from '../../core/errors.ts';
import { ELEMENTS_PER_INVOCATION, ParamWriter, WG, contiguousChunks, f32Bits, grid, windowBinding, type GpuInfo, type GpuKernel, type KernelContext, type GpuKernels } from './kernel-util.ts';

/** Op codes of shaders/unary.wgsl (override OP; shared through wgsl-constants.ts). */
export const UNARY_OP = {
  copy: 0, negF: 1, negI: 2, absF: 3, absI: 4, signF: 5, signI: 6, sqrtF: 7, squareF: 8, squareI: 9,
  reluF: 10, reluI: 11, clipF: 12, clipI: 13, i32ToF32: 14, u8ToF32: 15, f32ToI32: 16, f32ToU8: 17, i32ToU8: 18,
} as const;

/** Op codes of shaders/unary-math.wgsl (override OP): the engine's own float32 functions. */
export const MATH_OP = { exp: 0, log: 1, sigmoid: 2, tanh: 3, elu: 4, erf: 5, softplus: 6 } as const;


/**
 * Records `shader` over all of `x` into `out` (same size, contiguous), in chunks that fit one
 * storage binding each; `params(len)` gives the Params of a chunk of `len` elements.
 */
export function elementwise(ctx: KernelContext, shader: 'unary' | 'unary-math', x: GpuInfo, out: GpuInfo, op: number, params: (len: number) => Uint32Array): void {
  // One pipeline per op (override OP); unary-math includes lib/math, whose FMA guards follow the
  // backend's EXACT_GUARD override.
  const constants = shader === 'unary-math' ? { ...(ctx.exactGuard ?? {}), OP: op } : { OP: op };
  for (const c of contiguousChunks(out.handle.size, ctx.limits)) {
    const win = { base: c.e0, words: c.e1 - c.e0 };
    ctx.stream.dispatch(shader, [windowBinding(x.handle.buffer, win), windowBinding(out.handle.buffer, win)], params(win.words), grid(Math.ceil(win.words / ELEMENTS_PER_INVOCATION), WG, ctx.limits), { constants, cost: win.words });
  }
}

/** Records the unary op `op` (shaders/unary.wgsl) over all of `x` into `out`. */
export function runUnary(ctx: KernelContext, x: GpuInfo, out: GpuInfo, op: number, extra: readonly number[] = []): void {
  elementwise(ctx, 'unary', x, out, op, (n) => {
    const w = new ParamWriter().u32(n, op);
    for (let i = 0; i < 6; i++) w.u32(extra[i] ?? 0);
    return w.finish();
  });
}

type UnaryName = 'neg' | 'abs' | 'sign' | 'sqrt' | 'square' | 'relu';

function byDtype(name: string, f: number, i: number | null): GpuKernel<UnaryName> {
  return (ctx, [x], _a, out) => {
    const code = x.dtype === 'float32' ? f : i;
    if (code === null) throw new UnsupportedOpError(name, 'webgpu', `dtype ${x.dtype}`);
    runUnary(ctx, x, out, code);
  };
}

export const neg = byDtype('neg', UNARY_OP.negF, UNARY_OP.negI);
export const abs = byDtype('abs', UNARY_OP.absF, UNARY_OP.absI);
export const sign = byDtype('sign', UNARY_OP.signF, UNARY_OP.signI);
export const sqrt = byDtype('sqrt', UNARY_OP.sqrtF, null);
export const square = byDtype('square', UNARY_OP.squareF, UNARY_OP.squareI);
export const relu = byDtype('relu', UNARY_OP.reluF, UNARY_OP.reluI);

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/**
 * clipByValue: float bounds are rounded to float32; for int32, `x < min` and `x > max` are
 * rewritten as integer comparisons (with "always"/"never" modes for bounds beyond the int32
 * range) and the replacement values are ToInt32 of the bounds, as the CPU's Int32Array store does.
 */
export const clipByValue: GpuKernel<'clipByValue'> = (ctx, [x], a, out) => {
  if (x.dtype === 'float32') {
    runUnary(ctx, x, out, UNARY_OP.clipF, [f32Bits(a.min), f32Bits(a.max), 0, 0, 0, 0]);
    return;
  }
  // x < min  <=>  x < ceil(min);  x > max  <=>  x > floor(max)
  const lo = Math.ceil(a.min);
  const hi = Math.floor(a.max);
  const loMode = lo > INT_MAX ? 1 : lo <= INT_MIN ? 2 : 0;
  const hiMode = hi < INT_MIN ? 1 : hi >= INT_MAX ? 2 : 0;
  runUnary(ctx, x, out, UNARY_OP.clipI, [loMode === 0 ? lo | 0 : 0, hiMode === 0 ? hi | 0 : 0, loMode, hiMode, a.min | 0, a.max | 0]);
};

function castCode(from: DType, to: DType): number {
  if (from === to) return UNARY_OP.copy;
  if (to === 'float32') return from === 'int32' ? UNARY_OP.i32ToF32 : UNARY_OP.u8ToF32;
  if (from === 'uint8') return UNARY_OP.copy; // uint8 -> int32: the value is already the word
  if (to === 'int32') return UNARY_OP.f32ToI32;
  return from === 'float32' ? UNARY_OP.f32ToU8 : UNARY_OP.i32ToU8;
}

/** cast: float32 -> int32 truncates (NaN -> 0, saturating), -> uint8 wraps modulo 256. */
export const cast: GpuKernel<'cast'> = (ctx, [x], a, out) => {
  const code = castCode(x.dtype, a.dtype);
  if (code === UNARY_OP.copy) {
    ctx.stream.copy(x.handle.buffer, 0, out.handle.buffer, 0, out.handle.size * 4);
    return;
  }
  runUnary(ctx, x, out, code);
};

/** exp, log, sigmoid, tanh: the engine's float32 functions (shaders/unary-math.wgsl, lib/math.wgsl). */
function math(op: number): GpuKernel<'exp' | 'log' | 'sigmoid' | 'tanh'> {
  return (ctx, [x], _a, out) => elementwise(ctx, 'unary-math', x, out, op, (n) => new ParamWriter().u32(n, op, 0).finish());
}

/** elu (shaders/unary-math.wgsl): alpha passed as float32 bits. */
export const elu: GpuKernel<'elu'> = (ctx, [x], { alpha }, out) =>
  elementwise(ctx, 'unary-math', x, out, MATH_OP.elu, (n) => new ParamWriter().u32(n, MATH_OP.elu, f32Bits(alpha)).finish());

export const exp = math(MATH_OP.exp);
export const log = math(MATH_OP.log);
export const sigmoid = math(MATH_OP.sigmoid);
export const tanh = math(MATH_OP.tanh);

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { neg, abs, sign, sqrt, square, relu, clipByValue, cast, exp, log, sigmoid, tanh, elu } satisfies GpuKernels;
