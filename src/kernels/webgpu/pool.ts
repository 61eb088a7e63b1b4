/**
 * WebGPU host side of max/avg pooling and their gradients (shaders/pool2d.wgsl, and
 * shaders/pool2d-grad-windows.wgsl for non-overlapping windows, else shaders/pool2d-grad.wgsl);
 * orders as documented in src/core/ops/pool.ts and implemented by src/kernels/cpu/pool.ts (window sums and gradient sums are sequential from +0, row-major).
 * Part of src/kernels/webgpu: imports src/core only.
 */
import type { PoolAttrs } from '../../core/ops/op-attrs.ts';
import { window2d, type Window2d } from '../../core/ops/window.ts';
import { ParamWriter, bind, WG, grid, type GpuInfo, type GpuKernel, type KernelContext, type GpuKernels } from './kernel-util.ts';
import { fillWords } from './movement.ts';

/**
 * Modes of shaders/pool2d*.wgsl (override MODE, params.mode); maxRelu (gradients only): maxPool2dGrad
 * with reluMask, dx masked by x > 0 in the same pass.
 */
export const POOL_MODE = { max: 0, avg: 1, maxRelu: 2 } as const;

/** The `PoolGeom` struct of shaders/lib/pool.wgsl followed by the element count. */
function params(g: Window2d, mode: number, n: number): Uint32Array {
  return new ParamWriter().u32(g.inH, g.inW, g.inC, g.outH, g.outW, g.kH, g.kW, g.sH, g.sW, g.padTop, g.padLeft, mode, n).finish();
}

function geometry(fn: string, shape: readonly number[], a: PoolAttrs): Window2d {
  return window2d(fn, shape, a.poolSize, a.strides, a.padding);
}

/** Invocations of the window-per-invocation shaders: one per output window and group of 4 channels. */
function windowInvocations(g: Window2d): number {
  return g.n * g.outH * g.outW * Math.ceil(g.inC / 4);
}

function forward(mode: number, fn: string): GpuKernel<'maxPool2d' | 'avgPool2d'> {
  return (ctx, [x], a, out) => {
    const n = out.handle.size;
    if (n === 0) return;
    const g = geometry(fn, x.shape, a);
    const inv = windowInvocations(g);
    ctx.stream.dispatch('pool2d', [bind(x.handle), { buffer: out.handle.buffer, bytes: n * 4 }], params(g, mode, inv), grid(inv, WG, ctx.limits), { constants: { MODE: mode }, cost: n * g.kH * g.kW });
  };
}

export const maxPool2d = forward(POOL_MODE.max, 'maxPool2d');
export const avgPool2d = forward(POOL_MODE.avg, 'avgPool2d');

/**
 * Windows that do not overlap: one invocation per window writes its positions (after a fill of
 * +0 unless the windows tile the input exactly); else the gather over covering windows.
 */
function backward(ctx: KernelContext, mode: number, g: Window2d, dy: GpuInfo, x: GpuInfo, out: GpuInfo): void {
  const n = out.handle.size;
  if (n === 0) return;
  const cost = n * g.kH * g.kW * Math.ceil(g.kH / g.sH) * Math.ceil(g.kW / g.sW);
  if (g.sH >= g.kH && g.sW >= g.kW) {
    const tiles = g.padTop === 0 && g.padLeft === 0 && g.sH === g.kH && g.sW === g.kW && g.outH * g.kH === g.inH && g.outW * g.kW === g.inW;
    if (!tiles) fillWords(ctx, out.handle.buffer, n, 0);
    const inv = windowInvocations(g);
    if (inv === 0) return;
    ctx.stream.dispatch('pool2d-grad-windows', [bind(dy.handle), bind(x.handle), { buffer: out.handle.buffer, bytes: n * 4 }], params(g, mode, inv), grid(inv, WG, ctx.limits), { constants: { MODE: mode }, cost });
    return;
  }
  ctx.stream.dispatch('pool2d-grad', [bind(dy.handle), bind(x.handle), { buffer: out.handle.buffer, bytes: n * 4 }], params(g, mode, n), grid(n, WG, ctx.limits), { cost });
}

export const maxPool2dGrad: GpuKernel<'maxPool2dGrad'> = (ctx, [dy, x], a, out) => {
  backward(ctx, a.reluMask === true ? POOL_MODE.maxRelu : POOL_MODE.max, geometry('maxPool2dGrad', x.shape, a), dy, x, out);
};

export const avgPool2dGrad: GpuKernel<'avgPool2dGrad'> = (ctx, [dy], a, out) => {
  backward(ctx, POOL_MODE.avg, geometry('avgPool2dGrad', a.inputShape, a), dy, dy, out);
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { maxPool2d, avgPool2d, maxPool2dGrad, avgPool2dGrad } satisfies GpuKernels;
