/**
 * `runOp`, the one path by which every primitive op executes: check the inputs are live, infer
 * the output's shape and dtype (every argument check), allocate on the inputs' backend, run the
 * kernel, wrap the output, record the op on open gradient tapes, and hand it to the op tracer when
 * one records (debug/tracer.ts; one null check otherwise).
 * Part of src/core: imports nothing outside src/core.
 */
import type { TensorInfo } from './backend.ts';
import { BACKENDS } from './backend-registry.ts';
import { BackendError } from './errors.ts';
import { allocate, release } from './memory-budget.ts';
import type { OpName } from './ops/op-attrs.ts';
import type { AnyOpDef, AttrsOf, OpDef } from './ops/op-def.ts';
import { sizeOf } from './shape.ts';
import type { Storage } from './storage.ts';
import { TRACING } from './debug/tracer.ts';
import { isRecording, record } from './tape.ts';
import { makeTensor } from './tensor-factory.ts';
import { type Tensor, assertLive } from './tensor.ts';

/** Checks, allocates, runs the kernel, and records the op on active tapes. */
export function runOp<O extends OpName | 'reshape'>(def: OpDef<O> | AnyOpDef, inputs: readonly Tensor[], attrs: AttrsOf<O>): Tensor {
  const n = inputs.length;
  for (let i = 0; i < n; i++) assertLive(def.name, inputs[i]);
  // A tensor is a TensorSpec (its shape and dtype, both read-only): `infer` reads the inputs themselves, no copies.
  const out = def.infer(inputs, attrs);
  let result: Tensor;
  if (def.view) {
    result = makeTensor(inputs[0].storage, out.shape, out.dtype);
  } else {
    const backend = n ? inputs[0].storage.backend : BACKENDS.backend;
    const infos = new Array<TensorInfo>(n);
    for (let i = 0; i < n; i++) {
      const t = inputs[i];
      if (t.storage.backend !== backend) {
        throw new BackendError(`${def.name}: expected all inputs on one backend. Received: tensors on '${backend.name}' and '${t.storage.backend.name}'`);
      }
      infos[i] = { handle: t.storage.handle, shape: t.shape, dtype: t.dtype };
    }
    const size = sizeOf(out.shape);
    const handle = allocate(backend, def.name, out.shape, out.dtype, size);
    const storage: Storage = { backend, handle, dtype: out.dtype, size, refs: 0 };
    try {
      backend.run(def.name as OpName, infos, attrs as never, { handle, shape: out.shape, dtype: out.dtype });
    } catch (e) {
      release(backend, handle, out.dtype, size);
      throw e;
    }
    result = makeTensor(storage, out.shape, out.dtype);
  }
  if (isRecording()) record(def, inputs, attrs, result);
  const tracer = TRACING.tracer;
  if (tracer !== null) tracer.op(def.name, inputs, result);
  return result;
}
