/**
 * The CPU backend: tensors live in typed arrays over SharedArrayBuffers (so that worker threads
 * can share them), and every op runs a pure-TypeScript kernel that rounds each arithmetic step to
 * float32 and reduces in the engine's one fixed order.
 * Part of src/kernels/cpu: imports src/core only.
 */
import type { Backend, TensorInfo } from '../../core/backend.ts';
import { type DType, type TypedArray, allocArray } from '../../core/dtype.ts';
import { UnsupportedOpError } from '../../core/errors.ts';
import type { OpAttrMap, OpName } from '../../core/ops/op-attrs.ts';
import { CPU_KERNELS } from './kernels.ts';
import type { CpuKernel } from './types.ts';

export class CpuBackend implements Backend<TypedArray> {
  readonly name = 'cpu' as const;
  readonly description = 'TypeScript kernels, float32-exact';
  private live = 0;

  alloc(dtype: DType, size: number): TypedArray {
    this.live++;
    return allocArray(dtype, size, true);
  }

  write(handle: TypedArray, _dtype: DType, data: TypedArray): void {
    handle.set(data);
  }

  async read(handle: TypedArray, dtype: DType, size: number): Promise<TypedArray> {
    return this.readSync(handle, dtype, size);
  }

  readSync(handle: TypedArray, _dtype: DType, _size: number): TypedArray {
    return handle.slice();
  }

  free(_handle: TypedArray): void {
    this.live--;
  }

  liveBuffers(): number {
    return this.live;
  }

  run<O extends OpName>(op: O, inputs: readonly TensorInfo<TypedArray>[], attrs: OpAttrMap[O], output: TensorInfo<TypedArray>): void {
    const kernel = CPU_KERNELS[op] as CpuKernel<O> | undefined;
    if (!kernel) throw new UnsupportedOpError(op, this.name);
    kernel(inputs, attrs, output);
  }

  supports(op: OpName): boolean {
    return op in CPU_KERNELS;
  }

  async sync(): Promise<void> {}

  async dispose(): Promise<void> {}
}
