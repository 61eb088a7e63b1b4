/**
 * WebGPU host side of matmul (shaders/matmul.wgsl) and `gemm`, the strided matrix product the
 * convolutions reuse. Every output is the engine-order dot product S(f32(a*b)) over k
 * (src/core/ops/matmul.ts): in one pass when G = K (K <= 256, or K <= 65536 with many outputs),
 * else as k-group partial sums (a level of the summation tree) finished by reduce-sum passes.
 * Part of src/kernels/webgpu: imports src/core only.
 */
import { UnsupportedOpError } from '../../core/errors.ts';
import { broadcastStrides, sizeOf } from '../../core/shape.ts';
import { ParamWriter, groupLength, mergeDims, sumTree, type GpuKernel, type KernelContext, type GpuKernels } from './kernel-util.ts';

/** C = A @ B with element strides; batch dims (at most 4 after merging) with strides per operand. */
export interface GemmSpec {
  a: GPUBuffer;
  aOff: number;
  sAm: number;
  sAk: number;
  b: GPUBuffer;
  bOff: number;
  sBk: number;
  sBn: number;
  out: GPUBuffer;
  /** Element offset of C[0, 0, 0] in `out`; C is [batch, M, N] contiguous. */
  cOff: number;
  M: number;
  N: number;
  K: number;
  batchShape?: readonly number[];
  aBatchStrides?: readonly number[];
  bBatchStrides?: readonly number[];
}

/** Invocations per workgroup, rows per invocation and columns per workgroup of shaders/matmul.wgsl. */
const WG = 64;
const TM = 8;
const TN = 8;
const MAX_BATCH_RANK = 4;

/** Records C = A @ B in the engine's summation order. */
export function gemm(ctx: KernelContext, s: GemmSpec): void {
  const { M, N, K } = s;
  const merged = mergeDims('matmul', s.batchShape ?? [], [s.aBatchStrides ?? [], s.bBatchStrides ?? []]);
  if (merged.shape.length > MAX_BATCH_RANK) {
    throw new UnsupportedOpError('matmul', 'webgpu', `At most ${MAX_BATCH_RANK} non-mergeable batch dimensions are supported. Received: batch shape [${(s.batchShape ?? []).join(', ')}]`);
  }
  const batches = sizeOf(merged.shape);
  const outputs = batches * M * N;
  if (outputs === 0) return;
  const G = groupLength(K, outputs);
  const mg = Math.max(1, Math.ceil(K / G));
  const maxDim = ctx.limits.maxComputeWorkgroupsPerDimension;
  const gx = Math.ceil(Math.ceil(M / TM) / WG);
  const gy = Math.ceil(N / TN);
  if (gy > maxDim || mg > maxDim) {
    throw new UnsupportedOpError('matmul', 'webgpu', `Matrices of ${M} x ${K} @ ${K} x ${N} exceed the device's dispatch grid`);
  }
  const target = mg === 1 ? s.out : ctx.temp(mg * outputs);
  const cOff = mg === 1 ? s.cOff : 0;
  // Elements each operand's binding must cover (the footprint of the strided access).
  const span = (off: number, strides: readonly number[], rs: number, cs: number, rows: number, cols: number) =>
    off + merged.shape.reduce((acc, d, i) => acc + (d - 1) * strides[i], 0) + (rows - 1) * rs + (cols - 1) * cs + 1;
  const aWords = K === 0 ? 1 : span(s.aOff, merged.strides[0], s.sAm, s.sAk, M, K);
  const bWords = K === 0 ? 1 : span(s.bOff, merged.strides[1], s.sBk, s.sBn, K, N);
  const cWords = mg === 1 ? s.cOff + outputs : mg * outputs;
  const perDispatch = Math.max(1, Math.floor(maxDim / mg));
  for (let x0 = 0; x0 < gx; x0 += maxDim) {
    const nx = Math.min(maxDim, gx - x0);
    for (let b0 = 0; b0 < batches; b0 += perDispatch) {
      const nb = Math.min(perDispatch, batches - b0);
      const p = new ParamWriter()
        .vec4(merged.shape)
        .vec4(merged.strides[0])
        .vec4(merged.strides[1])
        .u32(M, N, K, G, mg, b0, s.aOff, s.bOff, s.sAm, s.sAk, s.sBk, s.sBn, cOff, outputs, merged.shape.length, x0 * WG * TM)
        .finish();
      const rows = Math.min(M - x0 * WG * TM, nx * WG * TM);
      ctx.stream.dispatch('matmul', [{ buffer: s.a, bytes: aWords * 4 }, { buffer: s.b, bytes: bWords * 4 }, { buffer: target, bytes: cWords * 4 }], p, [nx, gy, nb * mg], { constants: ctx.exactGuard, cost: (nb * mg * rows * N * G) / 8 });
    }
  }
  if (mg > 1) sumTree(ctx, target, 1, mg, outputs, s.out, false, s.cOff);
}

export const matmul: GpuKernel<'matmul'> = (ctx, [a, b], attrs, out) => {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const M = out.shape[out.shape.length - 2];
  const N = out.shape[out.shape.length - 1];
  const K = attrs.transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const batchShape = out.shape.slice(0, -2);
  const matA = a.shape[ra - 2] * a.shape[ra - 1];
  const matB = b.shape[rb - 2] * b.shape[rb - 1];
  gemm(ctx, {
    a: a.handle.buffer, aOff: 0, sAm: attrs.transposeA ? 1 : K, sAk: attrs.transposeA ? M : 1,
    b: b.handle.buffer, bOff: 0, sBk: attrs.transposeB ? 1 : N, sBn: attrs.transposeB ? K : 1,
    out: out.handle.buffer, cOff: 0, M, N, K,
    batchShape,
    aBatchStrides: broadcastStrides(a.shape.slice(0, -2), batchShape).map((v) => v * matA),
    bBatchStrides: broadcastStrides(b.shape.slice(0, -2), batchShape).map((v) => v * matB),
  });
};

/** The kernels of this file, for the backend's table (kernels.ts). */
export const KERNELS = { matmul } satisfies GpuKernels;
