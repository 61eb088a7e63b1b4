/**
 * The options every Keras 3 optimizer takes (keras/src/optimizers/base_optimizer.py): weight
 * decay, gradient clipping (clipnorm, clipvalue, globalClipnorm), the exponential moving average
 * of the weights (useEma, emaMomentum, emaOverwriteFrequency) and gradient accumulation; their
 * checks, and the gradient clipping and weight decay steps in float32, Keras's operation order.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, type Variable, ops } from '../../core/internal.ts';

const f32 = Math.fround;

/** Options of every optimizer (Keras 3's base optimizer arguments, camelCase). All are off by default. */
export interface BaseOptimizerOptions {
  /**
   * Decoupled weight decay: before each update `var = var - var * weightDecay * lr` (Keras
   * `_apply_weight_decay`). Default none (AdamW: 0.004).
   */
  weightDecay?: number;
  /** Clip each gradient to this L2 norm: `g * clipnorm / max(norm(g), clipnorm)`. */
  clipnorm?: number;
  /** Clip each gradient element to [-clipvalue, clipvalue]. */
  clipvalue?: number;
  /** Scale all gradients together so that their global L2 norm is at most this. */
  globalClipnorm?: number;
  /** Keep an exponential moving average of the weights (Keras `use_ema`); default false. */
  useEma?: boolean;
  /** The average's momentum, in [0, 1]; default 0.99. */
  emaMomentum?: number;
  /** Overwrite the weights with their average every this many steps (an integer >= 1); default none. */
  emaOverwriteFrequency?: number;
  /** Update only every this many calls (an integer >= 2), with the mean of the accumulated gradients. */
  gradientAccumulationSteps?: number;
}

/** The option keys of {@link BaseOptimizerOptions}, for `checkOptions`. */
export const BASE_OPTION_KEYS = [
  'weightDecay', 'clipnorm', 'clipvalue', 'globalClipnorm', 'useEma', 'emaMomentum', 'emaOverwriteFrequency', 'gradientAccumulationSteps',
] as const;

/** Checked base options, with Keras's defaults. */
export interface BaseSettings {
  weightDecay?: number;
  clipnorm?: number;
  clipvalue?: number;
  globalClipnorm?: number;
  useEma: boolean;
  emaMomentum: number;
  emaOverwriteFrequency?: number;
  gradientAccumulationSteps?: number;
}

/** Checks the base options of optimizer `name` (Keras's checks, with clear messages). */
export function checkBaseOptions(name: string, o: BaseOptimizerOptions): BaseSettings {
  const nonNegative = (k: keyof BaseOptimizerOptions): number | undefined => {
    const v = o[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) throw new ArgumentError(`${name}: expected ${k} to be a finite number >= 0. Received: ${k}=${String(v)}`);
    return v;
  };
  const s: BaseSettings = {
    weightDecay: nonNegative('weightDecay'),
    clipnorm: nonNegative('clipnorm'),
    clipvalue: nonNegative('clipvalue'),
    globalClipnorm: nonNegative('globalClipnorm'),
    useEma: o.useEma ?? false,
    emaMomentum: o.emaMomentum ?? 0.99,
    emaOverwriteFrequency: o.emaOverwriteFrequency,
    gradientAccumulationSteps: o.gradientAccumulationSteps,
  };
  const clips = (['clipnorm', 'clipvalue', 'globalClipnorm'] as const).filter((k) => o[k] !== undefined);
  if (clips.length > 1) {
    throw new ArgumentError(`${name}: expected only one of clipnorm, clipvalue and globalClipnorm. Received: ${clips.map((k) => `${k}=${o[k]}`).join(', ')}`);
  }
  if (typeof s.useEma !== 'boolean') throw new ArgumentError(`${name}: expected useEma to be a boolean. Received: useEma=${String(s.useEma)}`);
  if (typeof s.emaMomentum !== 'number' || !(s.emaMomentum >= 0 && s.emaMomentum <= 1)) {
    throw new ArgumentError(`${name}: expected emaMomentum in [0, 1]. Received: emaMomentum=${String(s.emaMomentum)}`);
  }
  const f = s.emaOverwriteFrequency;
  if (f !== undefined && !(Number.isInteger(f) && f >= 1)) {
    throw new ArgumentError(`${name}: expected emaOverwriteFrequency to be an integer >= 1. Received: emaOverwriteFrequency=${String(f)}`);
  }
  const a = s.gradientAccumulationSteps;
  if (a !== undefined && !(Number.isInteger(a) && a >= 2)) {
    throw new ArgumentError(`${name}: expected gradientAccumulationSteps to be an integer >= 2. Received: gradientAccumulationSteps=${String(a)}`);
  }
  return s;
}

/**
 * The base options that differ from their defaults, for getConfig (so that the configuration of an optimizer
 * without them, and the checkpoints that recorded it, stay as they were).
 */
export function baseConfig(s: BaseSettings): Record<string, number | boolean> {
  const c: Record<string, number | boolean> = {};
  for (const k of ['weightDecay', 'clipnorm', 'clipvalue', 'globalClipnorm', 'emaOverwriteFrequency', 'gradientAccumulationSteps'] as const) {
    if (s[k] !== undefined) c[k] = s[k];
  }
  if (s.useEma) {
    c.useEma = true;
    c.emaMomentum = s.emaMomentum;
  }
  return c;
}

/**
 * Keras `_clip_gradients`, each step rounded to float32 (inside the caller's tidy):
 *   clipnorm > 0:       n2 = sum(g * g) (the engine's one summation order); norm = n2 > 0 ? sqrt(n2) : n2;
 *                       g = (g * clipnorm) / max(norm, clipnorm)
 *   globalClipnorm > 0: norm = sqrt(sum(stack([sum(g * g) for each g]))) (both sums in the engine's one order);
 *                       scale = clipnorm * min(1 / norm, 1 / clipnorm) + (norm - norm); g = g * scale
 *   clipvalue > 0:      g = clip(g, -clipvalue, clipvalue)
 * A zero option clips nothing, as in Keras. The global norm's scale is computed on the device.
 */
export function clipGradients(s: BaseSettings, grads: readonly Tensor[]): Tensor[] {
  if (s.clipnorm) {
    const c = f32(s.clipnorm);
    return grads.map((g) => {
      const n2 = ops.sum(ops.square(g), undefined, true);
      const norm = ops.where(ops.greater(n2, 0), ops.sqrt(n2), n2);
      return ops.div(ops.mul(g, c), ops.maximum(norm, c));
    });
  }
  if (s.globalClipnorm) {
    const c = f32(s.globalClipnorm);
    if (grads.length === 0) return [];
    const norm = ops.sqrt(ops.sum(ops.stack(grads.map((g) => ops.sum(ops.square(g))))));
    const finite = ops.mul(ops.minimum(ops.div(1, norm), f32(1 / s.globalClipnorm)), c);
    const scale = ops.add(finite, ops.sub(norm, norm));
    return grads.map((g) => ops.mul(g, scale));
  }
  if (s.clipvalue) {
    const v = f32(s.clipvalue);
    return grads.map((g) => ops.clipByValue(g, -v, v));
  }
  return [...grads];
}

/**
 * Keras `_apply_weight_decay` for one variable: `var = var - (var * wd) * lr`, each step rounded to float32, with
 * lr the step's float32 learning rate.
 */
export function applyWeightDecay(v: Variable, weightDecay: number, lr: number): void {
  v.assign(ops.sub(v, ops.mul(ops.mul(v, f32(weightDecay)), lr)));
}
