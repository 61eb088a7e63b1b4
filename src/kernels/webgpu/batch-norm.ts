/**
 * WebGPU host side of the fused batch-normalization ops (src/core/ops/batch-norm.ts): the per-channel sums
 * are reduce-sum's summation tree (kernel-util `sumTree`) over x, dy or a term buffer written by
 * shaders/batch-norm.wgsl, viewed as [1, R, C] (the engine's order: rows in order per channel); the
 * elementwise and per-channel steps are shaders/batch-norm.wgsl's modes. Semantics and operation order are
 * those of src/kernels/cpu/batch-norm.ts.
 * Part of src/kernels/webgpu: imports src/core only.
 */
import type { BatchNormAttrs } from '../../core/ops/batch-norm.ts';
import { ELEMENTS_PER_INVOCATION, ParamWriter, WG, contiguousChunks, grid, sumTree, windowBinding, type GpuInfo, type GpuKernel, type GpuKernels, type KernelContext } from './kernel-util.ts';

/** Modes of shaders/batch-norm.wgsl (override MODE). */
export const BN_MODE = { centerSq: 0, gradTerm: 1, apply: 2, gradInput: 3, div: 4, paramsApply: 5, paramsGrad: 6 } as const;

interface Geometry {
  R: number;
  C: number;
  /** Elements. */
  N: number;
}

function geometry(x: GpuInfo): Geometry {
  const C = x.shape[x.shape.length - 1];
  const N = x.handle.size;
  return { C, N, R: C === 0 ? 0 : N / C };
}

interface Scalars {
  nf?: number;
  eps?: number;
  flags?: number;
  off?: number;
}

/** One per-channel (or per-vector-element) dispatch over `n` entries: whole buffers bound. */
function perChannel(ctx: KernelContext, mode: number, n: number, C: number, a: GPUBuffer, b: GPUBuffer, v: GPUBuffer, out: GPUBuffer, s: Scalars): void {
  const p = new ParamWriter().u32(n, 0, C, s.off ?? 0).f32(s.nf ?? 0).f32(s.eps ?? 0).u32(s.flags ?? 0).finish();
  ctx.stream.dispatch('batch-norm', [{ buffer: a }, { buffer: b }, { buffer: v }, { buffer: out }], p, grid(n, WG, ctx.limits), { constants: { MODE: mode }, cost: n });
}

/** One elementwise mode over all N elements of x's shape, in chunks that fit one binding. */
function elementwise(ctx: KernelContext, mode: number, g: Geometry, a: GPUBuffer, b: GPUBuffer, v: GPUBuffer, out: GPUBuffer): void {
  for (const c of contiguousChunks(g.N, ctx.limits)) {
    const win = { base: c.e0, words: c.e1 - c.e0 };
    const p = new ParamWriter().u32(win.words, c.e0, g.C, 0, 0, 0, 0).finish();
    const bindings = [windowBinding(a, win), windowBinding(b, win), { buffer: v }, windowBinding(out, win)];
    ctx.stream.dispatch('batch-norm', bindings, p, grid(Math.ceil(win.words / ELEMENTS_PER_INVOCATION), WG, ctx.limits), { constants: { MODE: mode }, cost: win.words });
  }
}

export const batchNormMoments: GpuKernel<'batchNormMoments'> = (ctx, [x], _a, out) => {
  const g = geometry(x);
  if (g.C === 0) return;
  const o = out.handle.buffer;
  const xb = x.handle.buffer;
  const s = ctx.temp(g.C);
  sumTree(ctx, xb, 1, g.R, g.C, s);
  perChannel(ctx, BN_MODE.div, g.C, g.C, s, s, s, o, { nf: g.R, off: 0 });
  const terms = ctx.temp(Math.max(1, g.N));
  elementwise(ctx, BN_MODE.centerSq, g, xb, xb, o, terms);
  const s2 = ctx.temp(g.C);
  sumTree(ctx, terms, 1, g.R, g.C, s2);
  perChannel(ctx, BN_MODE.div, g.C, g.C, s2, s2, s2, o, { nf: g.R, off: g.C });
};

export const batchNormTrain: GpuKernel<'batchNormTrain'> = (ctx, inputs, a: BatchNormAttrs, out) => {
  const x = inputs[0];
  const g = geometry(x);
  if (g.N === 0) return;
  const m = inputs[1].handle.buffer;
  let i = 2;
  const gamma = a.scale ? inputs[i++].handle.buffer : m;
  const beta = a.center ? inputs[i++].handle.buffer : m;
  const params = ctx.temp(2 * g.C);
  perChannel(ctx, BN_MODE.paramsApply, g.C, g.C, m, gamma, beta, params, { eps: a.epsilon, flags: (a.scale ? 1 : 0) | (a.center ? 2 : 0) });
  elementwise(ctx, BN_MODE.apply, g, x.handle.buffer, x.handle.buffer, params, out.handle.buffer);
};

/** batchNormInfer: batchNormTrain's forward with the given statistics. */
export const batchNormInfer: GpuKernel<'batchNormInfer'> = (ctx, inputs, a, out) => batchNormTrain(ctx, inputs, a, out);

export const batchNormGradSums: GpuKernel<'batchNormGradSums'> = (ctx, [x, dy, m], _a, out) => {
  const g = geometry(x);
  if (g.C === 0) return;
  const o = out.handle.buffer;
  sumTree(ctx, dy.handle.buffer, 1, g.R, g.C, o, false, 0);
  const terms = ctx.temp(Math.max(1, g.N));
  elementwise(ctx, BN_MODE.gradTerm, g, x.handle.buffer, dy.handle.buffer, m.handle.buffer, terms);
  sumTree(ctx, terms, 1, g.R, g.C, o, false, g.C);
};

export const batchNormGradInput: GpuKernel<'batchNormGradInput'> = (ctx, inputs, a: BatchNormAttrs, out) => {
  const [x, dy, m, s] = inputs;
  const g = geometry(x);
  if (g.N === 0) return;
  const gamma = a.scale ? inputs[4].handle.buffer : m.handle.buffer;
  const params = ctx.temp(4 * g.C);
  perChannel(ctx, BN_MODE.paramsGrad, g.C, g.C, m.handle.buffer, s.handle.buffer, gamma, params, { nf: g.R, eps: a.epsilon, flags: a.scale ? 1 : 0 });
  elementwise(ctx, BN_MODE.gradInput, g, x.handle.buffer, dy.handle.buffer, params, out.handle.buffer);
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { batchNormMoments, batchNormTrain, batchNormGradSums, batchNormGradInput, batchNormInfer } satisfies GpuKernels;
