/**
 * WebGPU host side of conv2dBiasAct (src/core/ops/conv2d-bias-act.ts): the conv2d, add and relu
 * kernels of this backend recorded one after the other on scratch buffers, so the bits are those of
 * the separate ops by construction (the fused epilogue is a CPU-side saving; here the three
 * dispatches go into the same submission as before, without two tensor allocations); and of
 * conv2dBiasActMaxPool (src/core/ops/conv2d-bias-act-pool.ts): conv2dBiasAct on a scratch buffer,
 * then the maxPool2d kernel.
 * Reduction order: conv2d's (src/core/ops/conv2d.ts); the add and relu are elementwise.
 * Part of src/kernels/webgpu: imports src/core only.
 */
import { convWindow2d } from '../../core/ops/window.ts';
import type { Shape } from '../../core/shape.ts';
import { add } from './binary.ts';
import { conv2d } from './conv2d.ts';
import type { GpuInfo, GpuKernel, GpuKernels, KernelContext } from './kernel-util.ts';
import { maxPool2d } from './pool.ts';
import { relu } from './unary.ts';

/** A float32 scratch tensor of `shape` (returned to the pool after the op). */
function scratch(ctx: KernelContext, shape: Shape, size: number): GpuInfo {
  return { handle: { id: -1, buffer: ctx.temp(size), size, dtype: 'float32', freed: false }, shape, dtype: 'float32' };
}

export const conv2dBiasAct: GpuKernel<'conv2dBiasAct'> = (ctx, [x, w, b], a, out) => {
  const { activation, ...conv } = a;
  const n = out.handle.size;
  const z = scratch(ctx, out.shape, n);
  conv2d(ctx, [x, w], conv, z);
  if (activation !== 'relu') {
    add(ctx, [z, b], {}, out);
    return;
  }
  const u = scratch(ctx, out.shape, n);
  add(ctx, [z, b], {}, u);
  relu(ctx, [u], {}, out);
};

export const conv2dBiasActMaxPool: GpuKernel<'conv2dBiasActMaxPool'> = (ctx, [x, w, b], a, out) => {
  const { pool, ...conv } = a;
  const [kH, kW, , F] = w.shape;
  const g = convWindow2d('conv2dBiasActMaxPool', x.shape, [kH, kW], conv.strides, conv.padding, conv.dilations);
  const shape = [g.n, g.outH, g.outW, F];
  const y = scratch(ctx, shape, g.n * g.outH * g.outW * F);
  conv2dBiasAct(ctx, [x, w, b], conv, y);
  maxPool2d(ctx, [y], pool, out);
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { conv2dBiasAct, conv2dBiasActMaxPool } satisfies GpuKernels;
