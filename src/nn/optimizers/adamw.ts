/**
 * AdamW (keras/src/optimizers/adamw.py): Adam with decoupled weight decay, weightDecay 0.004 by
 * default; the decay `var = var - var * weightDecay * lr` is the base optimizer's, before the Adam step.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, checkOptions } from '../../core/internal.ts';
import { Adam, type AdamOptions } from './adam.ts';

/**
 * AdamW with Keras 3's defaults (`keras.optimizers.AdamW`): each step first decays the weights,
 * `var = var - (var * weightDecay) * lr` (float32, in this order), then applies {@link Adam}'s update. Slots are
 * named `adamw/<weight>_momentum` and `adamw/<weight>_velocity`.
 * @example
 * ```ts
 * model.compile({ optimizer: new dt.optimizers.AdamW({ learningRate: 1e-3, weightDecay: 0.01 }), loss: 'mse' });
 * ```
 * @throws {@link ArgumentError} as {@link Adam}, and for a weightDecay that is null.
 */
export class AdamW extends Adam {
  /** @param o Adam's options; weightDecay defaults to 0.004. */
  constructor(o: AdamOptions = {}) {
    checkOptions('AdamW', o); // an object (the keys are checked by Adam)
    if ((o as { weightDecay?: unknown }).weightDecay === null) {
      throw new ArgumentError('AdamW: expected weightDecay to be a number. Received: weightDecay=null');
    }
    super({ ...o, weightDecay: o.weightDecay ?? 0.004 }, 'AdamW');
  }
}
