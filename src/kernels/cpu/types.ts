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
