/**
 * WebGPU host side of max/avg pooling and their gradients (shaders/pool2d.wgsl,
 * shaders/pool2d-grad.wgsl); orders as documented in src/core/ops/pool.ts and implemented by
 * src/kernels/cpu/pool.ts (window sums and gradient sums are sequential from +0, row-major).
 * Part of src/kernels/webgpu: imports src/core only.
 */
import type { PoolAttrs } from '../../core/ops/op-attrs.ts';
import { window2d, type Window2d } from '../../core/ops/window.ts';
import { ParamWriter, bind, WG, grid, type GpuKernel } from './kernel-util.ts';

/** The `PoolGeom` struct of shaders/lib/pool.wgsl followed by the element count. */
function params(g: Window2d, mode: number, n: number): Uint32Array {
  return new ParamWriter().u32(g.inH, g.inW, g.inC, g.outH, g.outW, g.kH, g.kW, g.sH, g.sW, g.padTop, g.padLeft, mode, n).finish();
}

function geometry(fn: string, shape: readonly number[], a: PoolAttrs): Window2d {
  return window2d(fn, shape, a.poolSize, a.strides, a.padding);
}

function forward(mode: number, fn: string): GpuKernel<'maxPool2d' | 'avgPool2d'> {
  return (ctx, [x], a, out) => {
    const n = out.handle.size;
    const g = geometry(fn, x.shape, a);
    ctx.stream.dispatch('pool2d', [bind(x.handle), { buffer: out.handle.buffer, bytes: n * 4 }], params(g, mode, n), grid(n, WG, ctx.limits), { cost: n * g.kH * g.kW });
  };
}

export const maxPool2d = forward(0, 'maxPool2d');
export const avgPool2d = forward(1, 'avgPool2d');

export const maxPool2dGrad: GpuKernel<'maxPool2dGrad'> = (ctx, [dy, x], a, out) => {
  const n = out.handle.size;
  const g = geometry('maxPool2dGrad', x.shape, a);
  ctx.stream.dispatch('pool2d-grad', [bind(dy.handle), bind(x.handle), { buffer: out.handle.buffer, bytes: n * 4 }], params(g, 0, n), grid(n, WG, ctx.limits), { cost: n * g.kH * g.kW * Math.ceil(g.kH / g.sH) * Math.ceil(g.kW / g.sW) });
};

export const avgPool2dGrad: GpuKernel<'avgPool2dGrad'> = (ctx, [dy], a, out) => {
  const n = out.handle.size;
  const g = geometry('avgPool2dGrad', a.inputShape, a);
  ctx.stream.dispatch('pool2d-grad', [bind(dy.handle), bind(dy.handle), { buffer: out.handle.buffer, bytes: n * 4 }], params(g, 1, n), grid(n, WG, ctx.limits), { cost: n * Math.ceil(g.kH / g.sH) * Math.ceil(g.kW / g.sW) });
};
