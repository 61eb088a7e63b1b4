/**
 * WebGPU host side of the ops that move 32-bit words without arithmetic: fill, broadcastTo,
 * transpose, slice, pad, concat (shaders/fill.wgsl, shaders/copy.wgsl). Each is a strided copy
 * whose input and output strides are merged into the smallest iteration rank.
 * Part of src/kernels/webgpu: imports src/core only.
 */
import type { DType } from '../../core/dtype.ts';
import { broadcastStrides, sizeOf, stridesOf } from '../../core/shape.ts';
import { ELEMENTS_PER_INVOCATION, ParamWriter, WG, contiguousChunks, f32Bits, grid, mergeDims, planChunks, windowBinding, type GpuKernel, type KernelContext, type GpuKernels } from './kernel-util.ts';

/** The 32-bit word holding `value` as an element of `dtype` (what a typed-array store gives). */
export function wordOf(value: number, dtype: DType): number {
  if (dtype === 'float32') return f32Bits(value);
  if (dtype === 'int32') return (value | 0) >>> 0;
  return (value | 0) & 0xff;
}

/** Records a fill of the first `n` words of `buffer` with `word` (in binding-sized chunks). */
export function fillWords(ctx: KernelContext, buffer: GPUBuffer, n: number, word: number): void {
  for (const c of contiguousChunks(n, ctx.limits)) {
    const len = c.e1 - c.e0;
    const p = new ParamWriter().u32(len, word).finish();
    ctx.stream.dispatch('fill', [windowBinding(buffer, { base: c.e0, words: len })], p, grid(Math.ceil(len / ELEMENTS_PER_INVOCATION), WG, ctx.limits), { cost: len });
  }
}

/** A tensor's buffer and size in elements (4-byte words). */
export interface Words {
  buffer: GPUBuffer;
  words: number;
}

/**
 * Records out[outOff + offOut(i)] = x[inOff + offIn(i)] for row-major i over `shape`, offIn and
 * offOut given by per-dimension element strides; large tensors are copied in windowed chunks.
 */
export function copyStrided(ctx: KernelContext, op: string, x: Words, inStrides: readonly number[], inOff: number, out: Words, outStrides: readonly number[], outOff: number, shape: readonly number[]): void {
  const n = sizeOf(shape);
  if (n === 0) return;
  const m = mergeDims(op, shape, [inStrides, outStrides]);
  const operands = [{ strides: m.strides[0], off: inOff, words: x.words }, { strides: m.strides[1], off: outOff, words: out.words }];
  for (const c of planChunks(op, m.shape, operands, ctx.limits)) {
    const len = c.e1 - c.e0;
    const p = new ParamWriter().strided(m, c.e0, [c.windows[0].base, c.windows[1].base]).u32(len, m.shape.length, inOff, outOff).finish();
    ctx.stream.dispatch('copy', [windowBinding(x.buffer, c.windows[0]), windowBinding(out.buffer, c.windows[1])], p, grid(Math.ceil(len / ELEMENTS_PER_INVOCATION), WG, ctx.limits), { cost: len });
  }
}

function words(t: { handle: { buffer: GPUBuffer; size: number } }): Words {
  return { buffer: t.handle.buffer, words: t.handle.size };
}

export const fill: GpuKernel<'fill'> = (ctx, _ins, a, out) => {
  fillWords(ctx, out.handle.buffer, out.handle.size, wordOf(a.value, a.dtype));
};

export const broadcastTo: GpuKernel<'broadcastTo'> = (ctx, [x], _a, out) => {
  copyStrided(ctx, 'broadcastTo', words(x), broadcastStrides(x.shape, out.shape), 0, words(out), stridesOf(out.shape), 0, out.shape);
};

export const transpose: GpuKernel<'transpose'> = (ctx, [x], a, out) => {
  const s = stridesOf(x.shape);
  copyStrided(ctx, 'transpose', words(x), a.perm.map((p) => s[p]), 0, words(out), stridesOf(out.shape), 0, out.shape);
};

export const slice: GpuKernel<'slice'> = (ctx, [x], a, out) => {
  const s = stridesOf(x.shape);
  const off = a.begin.reduce((acc, b, i) => acc + b * s[i], 0);
  copyStrided(ctx, 'slice', words(x), s, off, words(out), stridesOf(out.shape), 0, out.shape);
};

/** pad: fill with the value, then copy x into the interior (both in stream order). */
export const pad: GpuKernel<'pad'> = (ctx, [x], a, out) => {
  fillWords(ctx, out.handle.buffer, out.handle.size, wordOf(a.value, out.dtype));
  const os = stridesOf(out.shape);
  const off = a.paddings.reduce((acc, p, i) => acc + p[0] * os[i], 0);
  copyStrided(ctx, 'pad', words(x), stridesOf(x.shape), 0, words(out), os, off, x.shape);
};

/** concat: one strided copy per input into its slab of the output. */
export const concat: GpuKernel<'concat'> = (ctx, xs, a, out) => {
  const os = stridesOf(out.shape);
  let at = 0;
  for (const x of xs) {
    copyStrided(ctx, 'concat', words(x), stridesOf(x.shape), 0, words(out), os, at * os[a.axis], x.shape);
    at += x.shape[a.axis];
  }
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { fill, broadcastTo, transpose, slice, pad, concat } satisfies GpuKernels;
