/**
 * WebGPU host side of conv2d and its two gradients (NHWC, filter [kH, kW, C, F]) as implicit-GEMM
 * kernels that read their operands in place (no patch matrices): shaders/conv2d.wgsl (forward
 * and, with GRAD_INPUT, the input gradient) and shaders/conv2d-grad-filter.wgsl. Each output is
 * the engine-order dot product over the reduction index documented in src/core/ops/conv2d.ts,
 * with +0 for padding and non-matching terms (bit-identical to the CPU, which does the same).
 * Dilations (dH, dW) are two more parameters: tap (kh, kw) reads at kh*dH, kw*dW.
 * Long reductions are split into k-groups that are nodes of the summation tree (G = 256 or
 * 65536 terms), whose partial sums reduce-sum passes finish (kernel-util `sumTree`).
 * Part of src/kernels/webgpu: imports src/core only.
 */
import { convWindow2d, type ConvWindow2d } from '../../core/ops/window.ts';
import { SUM_CHUNK } from '../../core/reduction-order.ts';
import { ParamWriter, TUNING, bind, sumTree, type GpuHandle, type GpuKernel, type KernelContext, type GpuKernels } from './kernel-util.ts';
import { copyStrided, fillWords } from './movement.ts';
import { stridesOf } from '../../core/shape.ts';

/** Workgroup size and per-invocation tile of the conv shaders (their `WG`, `TP`/`TK` and 8 channels). */
const WG = 64;
const TILE = 8;
const CH = 8;
/** Largest reduction row count the filter gradient takes in one invocation (its MAX_TK). */
const MAX_ROWS = 12;
const LEVEL2 = SUM_CHUNK * SUM_CHUNK;

function constants(ctx: KernelContext, extra: Record<string, number> = {}): Record<string, number> | undefined {
  const c = { ...(ctx.exactGuard ?? {}), ...extra };
  return Object.keys(c).length ? c : undefined;
}

/**
 * Records the forward convolution (gradInput false: src = x, CO = F, reduction over (kh, kw, c))
 * or the input gradient (gradInput true: src = dy, CO = C, reduction over (kh, kw, f)).
 */
function implicitConv(ctx: KernelContext, gradInput: boolean, g: ConvWindow2d, C: number, F: number, src: GpuHandle, w: GpuHandle, out: GpuHandle): void {
  const P = gradInput ? g.n * g.inH * g.inW : g.n * g.outH * g.outW;
  const CO = gradInput ? C : F;
  const K = g.kH * g.kW * (gradInput ? F : C);
  const outputs = P * CO;
  if (outputs === 0) return;
  if (K === 0) {
    fillWords(ctx, out.buffer, outputs, 0);
    return;
  }
  // The weights as a [K, CO] matrix: w itself, or for the input gradient w transposed to
  // [kH, kW, F, C] (row k = (kh*kW + kw)*F + f), one small strided copy.
  let wk: GPUBuffer = w.buffer;
  if (gradInput) {
    const taps = g.kH * g.kW;
    wk = ctx.temp(K * C);
    copyStrided(ctx, 'conv2dGradInput', { buffer: w.buffer, words: K * C }, [C * F, 1, F], 0, { buffer: wk, words: K * C }, stridesOf([taps, F, C]), 0, [taps, F, C]);
  }
  // One pass of the two-level form when K <= 65536, else level-2 nodes of 65536 terms.
  const G = K <= LEVEL2 ? K : LEVEL2;
  const mg = Math.ceil(K / G);
  const target = mg === 1 ? out.buffer : ctx.temp(mg * outputs);
  const maxDim = ctx.limits.maxComputeWorkgroupsPerDimension;
  const groupsX = Math.ceil(Math.ceil(P / TILE) / WG);
  // Forward without horizontal padding or dilation: every kernel column is inside the input for every
  // position, and a kernel row is contiguous in x.
  const rowTaps = !gradInput && g.dW === 1 && g.padLeft === 0 && (g.outW - 1) * g.sW + g.kW <= g.inW;
  const perDispatch = maxDim;
  for (let x0 = 0; x0 < groupsX; x0 += perDispatch) {
    const gx = Math.min(perDispatch, groupsX - x0);
    const p = new ParamWriter()
      .u32(g.inH, g.inW, C, F, g.outH, g.outW, g.kH, g.kW, g.sH, g.sW, g.padTop, g.padLeft)
      .u32(P, x0 * WG * TILE, G, K, 0, mg === 1 ? 0 : outputs, rowTaps ? 1 : 0, 0)
      .u32(g.dH, g.dW, 0, 0)
      .finish();
    ctx.stream.dispatch('conv2d', [bind(src), { buffer: wk, bytes: Math.max(1, K * CO) * 4 }, { buffer: target, bytes: mg * outputs * 4 }], p, [gx, Math.ceil(CO / CH), mg], {
      constants: constants(ctx, gradInput ? { GRAD_INPUT: 1 } : {}),
      cost: (Math.min(P, gx * WG * TILE) * CO * K) / 8,
    });
  }
  if (mg > 1) sumTree(ctx, target, 1, mg, outputs, out.buffer);
}

export const conv2d: GpuKernel<'conv2d'> = (ctx, [x, w], a, out) => {
  const [kH, kW, C, F] = w.shape;
  const g = convWindow2d('conv2d', x.shape, [kH, kW], a.strides, a.padding, a.dilations);
  implicitConv(ctx, false, g, C, F, x.handle, w.handle, out.handle);
};

export const conv2dGradInput: GpuKernel<'conv2dGradInput'> = (ctx, [dy, w], a, out) => {
  const [kH, kW, C, F] = w.shape;
  const g = convWindow2d('conv2dGradInput', a.inputShape, [kH, kW], a.strides, a.padding, a.dilations);
  implicitConv(ctx, true, g, C, F, dy.handle, w.handle, out.handle);
};

/**
 * The k-group length of the filter gradient's reduction over P positions for `outputs` outputs:
 * level-1 chunks (256, parallel, finished by reduce-sum) while their partial sums stay within
 * TUNING.convPartialWords words, else one pass (P <= 65536) or level-2 nodes.
 */
function filterGroupLength(P: number, outputs: number): number {
  if (P <= SUM_CHUNK) return Math.max(P, 1);
  if (Math.ceil(P / SUM_CHUNK) * outputs <= TUNING.convPartialWords) return SUM_CHUNK;
  return P <= LEVEL2 ? P : LEVEL2;
}

export const conv2dGradFilter: GpuKernel<'conv2dGradFilter'> = (ctx, [x, dy], a, out) => {
  const [kH, kW, C, F] = a.filterShape;
  const g = convWindow2d('conv2dGradFilter', x.shape, [kH, kW], a.strides, a.padding, a.dilations);
  const K = kH * kW * C;
  const P = g.n * g.outH * g.outW;
  const outputs = K * F;
  if (outputs === 0) return;
  if (P === 0) {
    fillWords(ctx, out.handle.buffer, outputs, 0);
    return;
  }
  const G = filterGroupLength(P, outputs);
  const groups = Math.ceil(P / G);
  const target = groups === 1 ? out.handle.buffer : ctx.temp(groups * outputs);
  // k rows per invocation: 8, or all K when K <= 12 (e.g. a first layer's 3x3 filters over one
  // channel: no idle rows).
  const TK = K <= MAX_ROWS ? K : TILE;
  const lanes = Math.ceil(K / TK) * groups;
  const maxDim = ctx.limits.maxComputeWorkgroupsPerDimension;
  const groupsX = Math.ceil(lanes / WG);
  for (let x0 = 0; x0 < groupsX; x0 += maxDim) {
    const gx = Math.min(maxDim, groupsX - x0);
    const p = new ParamWriter()
      .u32(g.inH, g.inW, C, F, g.outH, g.outW, kH, kW, g.sH, g.sW, g.padTop, g.padLeft)
      .u32(P, K, G, groups, x0 * WG, 0, groups === 1 ? 0 : outputs, 0)
      .u32(g.dH, g.dW, 0, 0)
      .finish();
    ctx.stream.dispatch('conv2d-grad-filter', [bind(x.handle), bind(dy.handle), { buffer: target, bytes: groups * outputs * 4 }], p, [gx, Math.ceil(F / CH), 1], {
      constants: constants(ctx, TK === TILE ? {} : { TK }),
      cost: (Math.min(lanes, gx * WG) * TK * Math.min(F, CH) * Math.ceil(F / CH) * G) / 8,
    });
  }
  if (groups > 1) sumTree(ctx, target, 1, groups, outputs, out.handle.buffer);
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { conv2d, conv2dGradInput, conv2dGradFilter } satisfies GpuKernels;
