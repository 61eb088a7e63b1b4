/**
 * Where tensors are born: wrapping storage into a Tensor (taking a reference, counting it, handing
 * it to the innermost tidy scope), creating variables, and uploading host values to the current
 * backend. The only place that constructs Tensor and Variable objects.
 * Part of src/core: imports nothing outside src/core.
 */
import { BACKENDS } from './backend-registry.ts';
import type { DType, TypedArray } from './dtype.ts';
import { allocate } from './memory-budget.ts';
import type { Shape } from './shape.ts';
import type { Storage } from './storage.ts';
import { countNewTensor, track } from './tensor-bookkeeping.ts';
import { Tensor, Variable, assertLive } from './tensor.ts';

/** Wraps storage into a new tensor (taking one reference) tracked by the innermost scope. */
export function makeTensor(storage: Storage, shape: Shape, dtype: DType, tracked = true): Tensor {
  storage.refs++;
  const t = new Tensor(countNewTensor(), shape, dtype, storage);
  if (tracked) track(t);
  return t;
}

/** Creates a variable (never tracked by tidy scopes) holding a copy of `init`'s storage reference. */
export function makeVariable(init: Tensor, name: string, trainable: boolean): Variable {
  assertLive('Variable', init);
  init.storage.refs++;
  return new Variable(countNewTensor(), init.shape, init.dtype, init.storage, name, trainable);
}

/** Allocates storage on the current backend and uploads `values`. */
export function upload(values: TypedArray, shape: Shape, dtype: DType): Tensor {
  const backend = BACKENDS.backend;
  const handle = allocate(backend, 'tensor', shape, dtype, values.length);
  backend.write(handle, dtype, values);
  return makeTensor({ backend, handle, dtype, size: values.length, refs: 0 }, shape, dtype);
}
