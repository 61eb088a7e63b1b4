/**
 * WebGPU host side of gather, gatherGrad and oneHot (shaders/gather.wgsl, gather-grad.wgsl,
 * one-hot.wgsl). gatherGrad is the gather formulation of scatter-add documented in
 * src/core/ops/gather.ts: each output scans the indices in order, in the engine's summation tree
 * (k-group partials finished by reduce-sum when there are many indices and few outputs).
 * Out-of-range indices give zeros (the engine cannot check GPU-resident indices synchronously).
 * Part of src/kernels/webgpu: imports src/core only.
 */
import { sizeOf } from '../../core/shape.ts';
import { BackendError } from '../../core/errors.ts';
import { ParamWriter, WG, bind, bindingLimits, grid, groupLength, sumTree, windowBinding, type GpuKernel, type GpuKernels } from './kernel-util.ts';
import { wordOf } from './movement.ts';

/**
 * gather; a source larger than one storage binding (e.g. a whole dataset) is read in chunks of
 * rows, which needs the gathered axis to be the outermost non-trivial one.
 */
export const gather: GpuKernel<'gather'> = (ctx, [x, idx], a, out) => {
  const total = out.handle.size;
  if (total === 0) return;
  const dim = x.shape[a.axis];
  const inner = sizeOf(x.shape.slice(a.axis + 1));
  const outer = sizeOf(x.shape.slice(0, a.axis));
  const { maxWords, alignWords } = bindingLimits(ctx.limits);
  let rowsPer = dim;
  if (x.handle.size > maxWords) {
    if (outer !== 1 || inner + alignWords > maxWords) {
      throw new BackendError(`webgpu: gather: x of shape [${x.shape.join(', ')}] exceeds the device's maxStorageBufferBindingSize (${ctx.limits.maxStorageBufferBindingSize} bytes); gathering it is supported along its outermost axis only`);
    }
    rowsPer = Math.floor((maxWords - alignWords) / inner);
  }
  // One pass at least (an empty axis: every index is out of range, every output a zero word); a
  // step of at least one row, so that dim = 0 cannot loop forever.
  for (let r0 = 0; r0 < Math.max(dim, 1); r0 += Math.max(rowsPer, 1)) {
    const r1 = Math.min(dim, r0 + rowsPer);
    const base = rowsPer === dim ? 0 : Math.floor((r0 * inner) / alignWords) * alignWords;
    const win = { base, words: rowsPer === dim ? x.handle.size : r1 * inner - base };
    const p = new ParamWriter().u32(total, dim, idx.handle.size, inner, r0, r1, base, r0 === 0 ? 1 : 0).finish();
    ctx.stream.dispatch('gather', [windowBinding(x.handle.buffer, win), bind(idx.handle), { buffer: out.handle.buffer, bytes: total * 4 }], p, grid(total, WG, ctx.limits));
  }
};

export const gatherGrad: GpuKernel<'gatherGrad'> = (ctx, [dy, idx], a, out) => {
  const outputs = out.handle.size;
  if (outputs === 0) return;
  const n = idx.handle.size;
  const dim = a.dimSize;
  const inner = sizeOf(dy.shape.slice(a.axis + idx.shape.length));
  const G = groupLength(n, outputs);
  const mg = Math.max(1, Math.ceil(n / G));
  const target = mg === 1 ? out.handle.buffer : ctx.temp(mg * outputs);
  const total = mg * outputs;
  const p = new ParamWriter().u32(total, outputs, dim, n, inner, G, 0, 0).finish();
  ctx.stream.dispatch('gather-grad', [bind(dy.handle), bind(idx.handle), { buffer: target, bytes: total * 4 }], p, grid(total, WG, ctx.limits), { cost: total * G });
  if (mg > 1) sumTree(ctx, target, 1, mg, outputs, out.handle.buffer);
};

export const oneHot: GpuKernel<'oneHot'> = (ctx, [idx], a, out) => {
  const total = out.handle.size;
  if (total === 0) return;
  const p = new ParamWriter().u32(total, a.depth, wordOf(a.onValue, a.dtype), wordOf(a.offValue, a.dtype)).finish();
  ctx.stream.dispatch('one-hot', [bind(idx.handle), { buffer: out.handle.buffer, bytes: total * 4 }], p, grid(total, WG, ctx.limits));
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { gather, gatherGrad, oneHot } satisfies GpuKernels;
