/**
 * The stable names of a checkpoint's tensors: `model/<weight name>`, `optimizer/<slot name>`,
 * `metrics/<id>/total` and `metrics/<id>/count` (the loss tracker is `metrics/loss/*`; a metric
 * not resolved yet has none; a stateful metric's variables are `metrics/<id>/<index>`), `callbacks/<index>/<array index>`.
 * Part of src/nn: imports nothing outside src/nn.
 */
import type { CheckpointState } from './state.ts';

export const modelTensor = (weight: string): string => `model/${weight}`;
export const optimizerTensor = (slot: string): string => `optimizer/${slot}`;
export const metricTensor = (id: string, part: 'total' | 'count' | number): string => `metrics/${id}/${part}`;
export const callbackTensor = (index: number, k: number): string => `callbacks/${index}/${k}`;

/** Every tensor name a checkpoint with this state must contain (and no other). */
export function expectedTensorNames(s: CheckpointState): Set<string> {
  const names = new Set<string>();
  for (const w of s.model.weights) names.add(modelTensor(w.name));
  for (const slot of s.optimizer.slots) names.add(optimizerTensor(slot));
  for (const m of s.metrics) m.shapes?.forEach((_, k) => names.add(metricTensor(m.id, k)));
  for (const id of ['loss', ...s.metrics.filter((m) => m.fn !== null && !m.shapes).map((m) => m.id)]) {
    names.add(metricTensor(id, 'total'));
    names.add(metricTensor(id, 'count'));
  }
  s.callbacks.forEach((c, i) => {
    for (let k = 0; k < (c.state?.arrays ?? 0); k++) names.add(callbackTensor(i, k));
  });
  return names;
}
