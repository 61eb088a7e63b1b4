/**
 * Types shared by the CPU kernels: a CPU tensor is a typed array plus shape and dtype.
 * Part of src/kernels/cpu: imports src/core only.
 */
import type { TensorInfo } from '../../core/backend.ts';
import type { TypedArray } from '../../core/dtype.ts';
import type { OpAttrMap, OpName } from '../../core/ops/op-attrs.ts';

export type CpuInfo = TensorInfo<TypedArray>;

/** A CPU kernel writes `out.handle` from the inputs; shapes were checked by the op definition. */
export type CpuKernel<O extends OpName> = (inputs: readonly CpuInfo[], attrs: OpAttrMap[O], out: CpuInfo) => void;

/**
 * Kernels by op name. Each kernel file exports the kernels it holds as one `KERNELS` object
 * (`satisfies CpuKernels`); kernels.ts spreads them into the table, whose type is total.
 */
export type CpuKernels = { readonly [O in OpName]?: CpuKernel<O> };

/** The Float32Array of a tensor that its op definition guarantees to be float32 (checked). */
export function floats(t: CpuInfo): Float32Array {
  const h = t.handle;
  if (!(h instanceof Float32Array)) throw new TypeError(`cpu: expected a float32 tensor, got ${t.dtype}`);
  return h;
}
