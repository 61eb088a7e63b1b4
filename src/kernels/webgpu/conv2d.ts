/**
 * WebGPU host side of conv2d and its two gradients (NHWC, filter [kH, kW, C, F]), as patch
 * matrices (shaders/conv2d-patches.wgsl, conv2d-grad-input-patches.wgsl) multiplied by `gemm`,
 * the same decomposition as the CPU (src/kernels/cpu/conv2d.ts), so each output is the
 * engine-order dot product over the reduction index documented in src/core/ops/conv2d.ts, with
 * +0 for padding and non-matching terms (bit-identical to skipping them).
 * Patch matrices are built in slabs of images (conv2d, conv2dGradInput) or of patch columns
 * (conv2dGradFilter, whose reduction runs over all images) to bound scratch memory.
 * Part of src/kernels/webgpu: imports src/core only.
 */
import { window2d, type Window2d } from '../../core/ops/window.ts';
import { stridesOf } from '../../core/shape.ts';
import { ParamWriter, bind, WG, grid, type GpuKernel, type KernelContext } from './kernel-util.ts';
import { gemm } from './matmul.ts';
import { copyStrided } from './movement.ts';

/** Upper bound on one scratch patch matrix (bytes). */
const SLAB_BYTES = 64 * 1024 * 1024;

function slabLimit(ctx: KernelContext): number {
  return Math.floor(Math.min(SLAB_BYTES, ctx.limits.maxStorageBufferBindingSize) / 4);
}

/** Whether the convolution is a plain matrix product (1x1, stride 1, no padding). */
function isPointwise(g: Window2d): boolean {
  return g.kH === 1 && g.kW === 1 && g.sH === 1 && g.sW === 1 && g.padTop === 0 && g.padLeft === 0;
}

function patchParams(g: Window2d, n: number, nBegin: number, kBegin: number, kCount: number): Uint32Array {
  return new ParamWriter().u32(n, g.inH, g.inW, g.inC, g.outH, g.outW, g.kH, g.kW, g.sH, g.sW, g.padTop, g.padLeft, nBegin, kBegin, kCount, 0).finish();
}

export const conv2d: GpuKernel<'conv2d'> = (ctx, [x, w], a, out) => {
  const [kH, kW, C, F] = w.shape;
  const g = window2d('conv2d', x.shape, [kH, kW], a.strides, a.padding);
  const K = kH * kW * C;
  const per = g.outH * g.outW;
  if (isPointwise(g)) {
    gemm(ctx, { a: x.handle.buffer, aOff: 0, sAm: C, sAk: 1, b: w.handle.buffer, bOff: 0, sBk: F, sBn: 1, out: out.handle.buffer, cOff: 0, M: g.n * per, N: F, K });
    return;
  }
  const nb = Math.max(1, Math.min(g.n, Math.floor(slabLimit(ctx) / Math.max(1, per * K))));
  const patches = ctx.temp(nb * per * K);
  for (let n0 = 0; n0 < g.n; n0 += nb) {
    const cnt = Math.min(nb, g.n - n0);
    const total = cnt * per * K;
    ctx.stream.dispatch('conv2d-patches', [bind(x.handle), { buffer: patches, bytes: total * 4 }], patchParams(g, total, n0, 0, K), grid(total, WG, ctx.limits));
    gemm(ctx, { a: patches, aOff: 0, sAm: K, sAk: 1, b: w.handle.buffer, bOff: 0, sBk: F, sBn: 1, out: out.handle.buffer, cOff: n0 * per * F, M: cnt * per, N: F, K });
  }
};

export const conv2dGradInput: GpuKernel<'conv2dGradInput'> = (ctx, [dy, w], a, out) => {
  const [kH, kW, C, F] = w.shape;
  const g = window2d('conv2dGradInput', a.inputShape, [kH, kW], a.strides, a.padding);
  const K = kH * kW * F;
  const per = g.inH * g.inW;
  // wt[c, (kh*kW + kw)*F + f] = w[kh, kw, c, f]: a transpose of w viewed as [kH*kW, C, F].
  const wt = ctx.temp(C * K);
  copyStrided(ctx, 'conv2dGradInput', { buffer: w.handle.buffer, words: C * K }, [F, C * F, 1], 0, { buffer: wt, words: C * K }, stridesOf([C, kH * kW, F]), 0, [C, kH * kW, F]);
  if (isPointwise(g)) {
    gemm(ctx, { a: dy.handle.buffer, aOff: 0, sAm: F, sAk: 1, b: wt, bOff: 0, sBk: 1, sBn: K, out: out.handle.buffer, cOff: 0, M: g.n * per, N: C, K });
    return;
  }
  const nb = Math.max(1, Math.min(g.n, Math.floor(slabLimit(ctx) / Math.max(1, per * K))));
  const rows = ctx.temp(nb * per * K);
  for (let n0 = 0; n0 < g.n; n0 += nb) {
    const cnt = Math.min(nb, g.n - n0);
    const total = cnt * per * K;
    const p = new ParamWriter().u32(total, g.inH, g.inW, F, g.outH, g.outW, kH, kW, g.sH, g.sW, g.padTop, g.padLeft, n0, 0, 0, 0).finish();
    ctx.stream.dispatch('conv2d-grad-input-patches', [bind(dy.handle), { buffer: rows, bytes: total * 4 }], p, grid(total, WG, ctx.limits));
    gemm(ctx, { a: rows, aOff: 0, sAm: K, sAk: 1, b: wt, bOff: 0, sBk: 1, sBn: K, out: out.handle.buffer, cOff: n0 * per * C, M: cnt * per, N: C, K });
  }
};

export const conv2dGradFilter: GpuKernel<'conv2dGradFilter'> = (ctx, [x, dy], a, out) => {
  const [kH, kW, C, F] = a.filterShape;
  const g = window2d('conv2dGradFilter', x.shape, [kH, kW], a.strides, a.padding);
  const K = kH * kW * C;
  const P = g.n * g.outH * g.outW;
  // dw[k, f] = S over p of patches[p, k] * dy[p, f]
  if (isPointwise(g)) {
    gemm(ctx, { a: x.handle.buffer, aOff: 0, sAm: 1, sAk: C, b: dy.handle.buffer, bOff: 0, sBk: F, sBn: 1, out: out.handle.buffer, cOff: 0, M: K, N: F, K: P });
    return;
  }
  const kc = Math.max(1, Math.min(K, Math.floor(slabLimit(ctx) / Math.max(1, P))));
  const patches = ctx.temp(P * kc);
  for (let k0 = 0; k0 < K; k0 += kc) {
    const cnt = Math.min(kc, K - k0);
    const total = P * cnt;
    ctx.stream.dispatch('conv2d-patches', [bind(x.handle), { buffer: patches, bytes: total * 4 }], patchParams(g, total, 0, k0, cnt), grid(total, WG, ctx.limits));
    gemm(ctx, { a: patches, aOff: 0, sAm: 1, sAk: cnt, b: dy.handle.buffer, bOff: 0, sBk: F, sBn: 1, out: out.handle.buffer, cOff: k0 * F, M: cnt, N: F, K: P });
  }
};
