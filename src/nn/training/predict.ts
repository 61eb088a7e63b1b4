/**
 * `predict` (Keras `model.predict`): the model in inference mode over a tensor (in batches of
 * `batchSize`) or over every batch of a BatchSource, the outputs concatenated along axis 0.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, Tensor, assertLive, checkOptions, ops, tidy } from '../../core/internal.ts';
import { checkFinite, checkSource, iterate, ownsElements, unpack } from './batches.ts';
import type { TrainableModel } from './model.ts';
import type { BatchSource, PredictOptions } from './options.ts';

export async function predictModel(model: TrainableModel, x: Tensor | BatchSource, o: PredictOptions = {}): Promise<Tensor> {
  checkOptions('predict', o, ['batchSize'], {
    verbose: 'predict prints no progress bar yet',
    steps: 'take a finite number of batches instead (dataset.take(n))',
    callbacks: 'predict takes no callbacks yet',
  });
  const batchSize = o.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError(`predict: expected a positive integer batchSize. Received: ${batchSize}`);
  const parts: Tensor[] = [];
  try {
    if (x instanceof Tensor) {
      assertLive('predict', x);
      for (let i = 0; i < x.shape[0]; i += batchSize) {
        const n = Math.min(batchSize, x.shape[0] - i);
        parts.push(tidy(() => model.call(ops.slice(x, i, n), { training: false })));
      }
    } else {
      checkSource('predict', x);
      checkFinite('predict', x);
      const owned = ownsElements(x);
      for await (const el of iterate(x, 0, 'predict')) {
        const [bx, by] = unpack('predict', el);
        try {
          parts.push(model.call(bx, { training: false }));
        } finally {
          if (owned) {
            bx.dispose();
            by?.dispose();
          }
        }
      }
    }
    if (!parts.length) throw new ArgumentError('predict: no input samples');
    return parts.length === 1 ? parts[0].clone() : ops.concat(parts, 0);
  } finally {
    for (const p of parts) p.dispose();
  }
}
