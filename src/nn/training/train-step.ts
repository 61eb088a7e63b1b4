/**
 * One optimizer step on a batch: the model's forward pass under the gradient tape, the loss, the
 * optimizer update, and the loss tracker and metrics updated on the device, all inside `tidy`.
 * Part of src/nn: imports src/core only.
 */
import { type Tensor, keep, tidy, variableGrads } from '../../core/internal.ts';
import { applyConstraints, collectLosses, totalLoss } from '../layer-losses.ts';
import { type Compiled, ensureMetrics } from './compile.ts';
import type { TrainableModel } from './model.ts';

/** One optimizer step on a batch; updates the loss tracker and metrics. */
export function trainStep(model: TrainableModel, c: Compiled, x: Tensor, y: Tensor): void {
  // Build before listing the weights: a model without a declared input shape creates them on its
  // first call, which would otherwise happen after `vars` was read (and find no variables).
  if (!model.built) model.build([null, ...x.shape.slice(1)]);
  tidy(() => {
    const vars = model.trainableWeights;
    let yPred: Tensor | undefined;
    try {
      // The kept prediction is released in `finally`, also when the loss throws (bad labels).
      const { value, grads } = variableGrads(() => {
        // Keras compute_loss: the loss plus the layers' regularization losses; constraints after the update (layer-losses.ts).
        const [out, activity] = collectLosses(() => model.call(x, { training: true }));
        yPred = keep(out);
        return totalLoss(model, c.loss.call(y, yPred), activity);
      }, vars);
      c.optimizer.applyGradients(grads.map((g, i) => [g, vars[i]] as const));
      applyConstraints(model);
      c.lossTracker.updateValues(value, x.shape[0]);
      ensureMetrics(c, y, yPred!);
      for (const m of c.metrics) m.tracker!.update(y, yPred!);
    } finally {
      yPred?.dispose();
    }
  });
}
