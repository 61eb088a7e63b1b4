/**
 * FROZEN REFERENCE: the v1 CPU kernel (src/kernels/cpu at commit 2052af5), kept unchanged as the
 * bit-exact reference of test/unit/cpu/kernels-equivalence.test.ts. Do not optimize.
 *
 * Types shared by the CPU kernels: a CPU tensor is a typed array plus shape and dtype.
 */
import type { TensorInfo } from '../../../src/core/backend.ts';
import type { TypedArray } from '../../../src/core/dtype.ts';
import type { OpAttrMap, OpName } from '../../../src/core/ops/op-attrs.ts';

export type CpuInfo = TensorInfo<TypedArray>;

/** A CPU kernel writes `out.handle` from the inputs; shapes were checked by the op definition. */
export type CpuKernel<O extends OpName> = (inputs: readonly CpuInfo[], attrs: OpAttrMap[O], out: CpuInfo) => void;
