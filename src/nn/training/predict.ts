/**
 * `predict` (Keras `model.predict`): the model in inference mode over a tensor (in batches of
 * `batchSize`) or over every batch of a BatchSource, the outputs concatenated along axis 0. For a
 * model with several inputs, x is a list or object of tensors (sliced together); with several
 * outputs, the result has the structure of the model's outputs, each concatenated.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, Tensor, assertLive, checkOptions, currentBackend, ops, tidy } from '../../core/internal.ts';
import { type Structure, packLike } from '../symbolic.ts';
import { checkFinite, checkSource, iterate, ownsElements, unpack } from './batches.ts';
import { positiveInt } from './fit-data.ts';
import type { TrainableModel } from './model.ts';
import { StepStream } from './step-stream.ts';
import type { BatchSource, PredictOptions } from './options.ts';
import { type BatchPart, batchSizeOf, disposePart, isBatchPart, leaves } from './outputs.ts';

export async function predictModel(model: TrainableModel, x: BatchPart | BatchSource, o: PredictOptions = {}): Promise<Structure<Tensor>> {
  checkOptions('predict', o, ['batchSize', 'steps'], {
    verbose: 'predict prints no progress bar yet',
    callbacks: 'predict takes no callbacks yet',
  });
  const steps = positiveInt('predict', 'steps', o.steps);
  const batchSize = o.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError(`predict: expected a positive integer batchSize. Received: ${batchSize}`);
  const parts: Structure<Tensor>[] = [];
  try {
    if (x instanceof Tensor || isBatchPart(x)) {
      const xs = leaves(x);
      for (const t of xs) assertLive('predict', t);
      const total = batchSizeOf(x);
      const end = steps === undefined ? total : Math.min(total, steps * batchSize);
      for (let i = 0; i < end; i += batchSize) {
        const n = Math.min(batchSize, end - i);
        parts.push(tidy(() => model.call(x instanceof Tensor ? ops.slice(x, i, n) : packLike(x, xs.map((t) => ops.slice(t, i, n))), { training: false })));
        // an asynchronous device (WebGPU) runs at most about a batch behind
        await currentBackend().pace?.();
      }
    } else {
      checkSource('predict', x);
      if (steps === undefined) checkFinite('predict', x);
      const owned = ownsElements(x);
      const stream = steps === undefined ? undefined : new StepStream(x, 'predict', steps);
      try {
        for await (const el of stream ? stream.epoch() : iterate(x, 0, 'predict')) {
          const [bx, by, sw] = unpack('predict', el);
          try {
            parts.push(model.call(bx, { training: false }));
          } finally {
            if (owned) {
              disposePart(bx);
              disposePart(by);
              disposePart(sw);
            }
          }
          await currentBackend().pace?.();
        }
      } finally {
        await stream?.close();
      }
    }
    if (!parts.length) throw new ArgumentError('predict: no input samples');
    if (parts[0] instanceof Tensor) {
      const ts = parts as Tensor[];
      return ts.length === 1 ? ts[0].clone() : ops.concat(ts, 0);
    }
    const flat = parts.map((p) => leaves(p));
    return packLike(parts[0], flat[0].map((_, k) => (flat.length === 1 ? flat[0][k].clone() : ops.concat(flat.map((f) => f[k]), 0))));
  } finally {
    for (const p of parts) disposePart(p);
  }
}
