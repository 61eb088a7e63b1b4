/**
 * WebGPU host side of depthwiseConv2d and its two gradients (NHWC, filter [kH, kW, C, M]):
 * shaders/depthwise-conv2d.wgsl, one invocation per output (and k-group), each output the engine-order sum over
 * the reduction index documented in src/core/ops/depthwise-conv2d.ts, with +0 for padding and non-matching terms
 * (bit-identical to the CPU, which does the same). The filter gradient's long reduction over positions is split
 * into level-1 chunks of 256 terms (parallel; partial sums finished by reduce-sum passes, kernel-util `sumTree`)
 * while their partial sums stay within TUNING.convPartialWords, else summed whole per output (or in level-2 nodes
 * of 65536 terms beyond 2^24 terms, the shader's three streaming levels).
 * Part of src/kernels/webgpu: imports src/core only.
 */
import { convWindow2d, type ConvWindow2d } from '../../core/ops/window.ts';
import { SUM_CHUNK } from '../../core/reduction-order.ts';
import { ParamWriter, TUNING, WG, bind, grid, sumTree, type GpuHandle, type GpuKernel, type GpuKernels, type KernelContext } from './kernel-util.ts';
import { fillWords } from './movement.ts';

/** Modes of shaders/depthwise-conv2d.wgsl (override MODE; the shader names them DEPTHWISE_FORWARD, ...). */
export const DEPTHWISE_MODE = { forward: 0, gradInput: 1, gradFilter: 2 } as const;
const MODE = DEPTHWISE_MODE;
/** Most terms one invocation sums with the shader's three streaming levels. */
const MAX_STREAM = SUM_CHUNK ** 3;

/** k-group length for K terms into `outputs` outputs: 256-term chunks for long filter-gradient sums when memory allows. */
function groupLength(mode: number, K: number, outputs: number): number {
  if (mode === MODE.gradFilter && K > SUM_CHUNK && Math.ceil(K / SUM_CHUNK) * outputs <= TUNING.convPartialWords) return SUM_CHUNK;
  return K <= MAX_STREAM ? Math.max(K, 1) : SUM_CHUNK * SUM_CHUNK;
}

function run(ctx: KernelContext, mode: number, g: ConvWindow2d, C: number, M: number, K: number, a: GpuHandle, b: GpuHandle, out: GpuHandle): void {
  const outputs = out.size;
  if (outputs === 0) return;
  if (K === 0) {
    fillWords(ctx, out.buffer, outputs, 0);
    return;
  }
  const G = groupLength(mode, K, outputs);
  const groups = Math.ceil(K / G);
  const target = groups === 1 ? out.buffer : ctx.temp(groups * outputs);
  const p = new ParamWriter()
    .u32(g.inH, g.inW, C, M, g.outH, g.outW, g.kH, g.kW, g.sH, g.sW, g.padTop, g.padLeft)
    .u32(g.dH, g.dW, outputs, groups, K, G, groups === 1 ? 0 : outputs, 0)
    .finish();
  const n = outputs * groups;
  const constants = { ...(ctx.exactGuard ?? {}), MODE: mode };
  ctx.stream.dispatch('depthwise-conv2d', [bind(a), bind(b), { buffer: target, bytes: n * 4 }], p, grid(n, WG, ctx.limits), { constants, cost: n * G });
  if (groups > 1) sumTree(ctx, target, 1, groups, outputs, out.buffer);
}

export const depthwiseConv2d: GpuKernel<'depthwiseConv2d'> = (ctx, [x, w], a, out) => {
  const [kH, kW, C, M] = w.shape;
  const g = convWindow2d('depthwiseConv2d', x.shape, [kH, kW], a.strides, a.padding, a.dilations);
  run(ctx, MODE.forward, g, C, M, kH * kW, x.handle, w.handle, out.handle);
};

export const depthwiseConv2dGradInput: GpuKernel<'depthwiseConv2dGradInput'> = (ctx, [dy, w], a, out) => {
  const [kH, kW, C, M] = w.shape;
  const g = convWindow2d('depthwiseConv2dGradInput', a.inputShape, [kH, kW], a.strides, a.padding, a.dilations);
  run(ctx, MODE.gradInput, g, C, M, kH * kW * M, dy.handle, w.handle, out.handle);
};

export const depthwiseConv2dGradFilter: GpuKernel<'depthwiseConv2dGradFilter'> = (ctx, [x, dy], a, out) => {
  const [kH, kW, C, M] = a.filterShape;
  const g = convWindow2d('depthwiseConv2dGradFilter', x.shape, [kH, kW], a.strides, a.padding, a.dilations);
  run(ctx, MODE.gradFilter, g, C, M, g.n * g.outH * g.outW, x.handle, dy.handle, out.handle);
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { depthwiseConv2d, depthwiseConv2dGradInput, depthwiseConv2dGradFilter } satisfies GpuKernels;
