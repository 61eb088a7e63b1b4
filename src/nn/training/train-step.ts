/**
 * One optimizer step on a batch: the model's forward pass under the gradient tape, the loss, the
 * optimizer update, and the loss tracker and metrics updated on the device, all inside `tidy`.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, keep, tidy, variableGrads, withScope } from '../../core/internal.ts';
import { applyConstraints, collectLosses, totalLoss } from '../layer-losses.ts';
import { type ClassWeights, classSampleWeights } from './class-weight.ts';
import type { Compiled } from './compile.ts';
import type { TrainableModel } from './model.ts';
import { type BatchPart, batchSizeOf, leaves, lossOf, predictionsOf, sampleWeightsOf, targetsOf, trackLoss, updateMetrics } from './outputs.ts';

/**
 * One optimizer step on a batch; updates the loss tracker and metrics (and the outputs' loss trackers). `sw`: the
 * batch's sample weights; `classWeights`: the classWeight table (then the sample weights come from the labels).
 */
export function trainStep(model: TrainableModel, c: Compiled, x: BatchPart, y: BatchPart, sw?: BatchPart, classWeights?: ClassWeights, fn = 'fit'): void {
  // Build before listing the weights: a model without a declared input shape creates them on its
  // first call, which would otherwise happen after `vars` was read (and find no variables).
  if (!model.built) model.build([null, ...leaves(x)[0].shape.slice(1)]);
  const ys = targetsOf(fn, c, y);
  const n = batchSizeOf(x);
  if (classWeights && sw !== undefined) throw new ArgumentError(`${fn}: expected classWeight or sample weights in the data, not both (as Keras). Received: both`);
  tidy(() => {
    const sws = classWeights ? [classSampleWeights(classWeights, ys[0])] : sampleWeightsOf(fn, c, sw);
    const vars = model.trainableWeights;
    let preds: Tensor[] | undefined;
    let parts: Tensor[] | undefined;
    try {
      // The kept predictions (and the outputs' losses) are released in `finally`, also when the loss throws.
      const { value, grads } = variableGrads(() => {
        // Keras compute_loss: the loss plus the layers' regularization losses; constraints after the update (layer-losses.ts).
        const [out, activity] = collectLosses(() => model.call(x, { training: true }));
        preds = predictionsOf(c, out).map((p) => keep(p));
        const loss = lossOf(c, ys, preds, sws);
        parts = loss.parts?.map((p) => keep(p));
        return withScope('loss', () => totalLoss(model, loss.total, activity));
      }, vars);
      c.optimizer.applyGradients(grads.map((g, i) => [g, vars[i]] as const));
      applyConstraints(model);
      trackLoss(c, value, n);
      updateMetrics(c, ys, preds!, n, parts);
    } finally {
      for (const p of preds ?? []) p.dispose();
      for (const p of parts ?? []) p.dispose();
    }
  });
}
