/**
 * Relu's gradient folded into the gradient that reaches a relu's output (issue 15). The gradient g
 * of a relu output y (of `relu` or of conv2dBiasAct with 'relu') is used only by y's producer,
 * whose gradient starts with reluGrad(g, y) (y > 0 ? g : +0; relu masks by its input x, and x > 0
 * exactly where y > 0). So the op whose gradient makes g may apply that mask itself, in its own
 * pass (maxPool2dGrad's `reluMask`), and mark g; the producer then skips reluGrad for a marked g:
 * reluGrad(g, y) gives g back bit for bit once g is +0 wherever y > 0 fails.
 * determinism: exact in every graph. A sum of gradients (tape.ts) is a new tensor and carries no
 * mark, so y's producer masks it as usual, with the same bits as without the early mask: where
 * y > 0 the masked term equals the unmasked one, elsewhere reluGrad gives +0 either way.
 * Part of src/core.
 */
import type { Storage } from '../storage.ts';
import type { Tensor } from '../tensor.ts';

/** Gradient tensor -> the storage of the relu output it is masked for. */
const marks = new WeakMap<Tensor, Storage>();

/** Records that g is already masked by y > 0 (g = reluGrad(g, y) bit for bit); returns g. */
export function markReluMasked(g: Tensor, y: Tensor): Tensor {
  marks.set(g, y.storage);
  return g;
}

/** Whether g was marked by {@link markReluMasked} as masked by y > 0 (y's storage: the same values). */
export function isReluMasked(g: Tensor, y: Tensor): boolean {
  return marks.get(g) === y.storage;
}
