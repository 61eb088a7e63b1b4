/**
 * The options the normalization layers share (epsilon, center, scale, beta/gamma initializers): their
 * checks and their Keras defaults, with errors that name the layer.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, ShapeError } from '../../core/internal.ts';
import { type InitializerId, resolveInitializer } from '../initializers/index.ts';
import { type SymbolicShape, fmtSym, type WeightInitializer } from '../layer.ts';

/** Options every normalization layer takes (Keras's keyword arguments, camelCase). */
export interface NormalizationOptions {
  /** Small float added to the variance to avoid dividing by zero; default 1e-3 (Keras). Must be > 0. */
  epsilon?: number;
  /** Whether to add the offset `beta` (default true). */
  center?: boolean;
  /** Whether to multiply by the scale `gamma` (default true). */
  scale?: boolean;
  /** The initializer of beta; default 'zeros'. */
  betaInitializer?: InitializerId;
  /** The initializer of gamma; default 'ones'. */
  gammaInitializer?: InitializerId;
}

/** The keys of {@link NormalizationOptions}. */
export const NORMALIZATION_KEYS: readonly string[] = ['epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer'];

/** The checked shared options, defaults applied, initializers resolved (unseeded ones draw their seed now, as in Keras). */
export interface ResolvedNormalization {
  epsilon: number;
  center: boolean;
  scale: boolean;
  betaInit: WeightInitializer;
  gammaInit: WeightInitializer;
}

/** Checks the shared options of layer `cls` and applies Keras's defaults. */
export function resolveNormalization(cls: string, o: NormalizationOptions): ResolvedNormalization {
  const epsilon = o.epsilon ?? 1e-3;
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon <= 0) {
    throw new ArgumentError(`${cls}: expected epsilon to be a finite number > 0. Received: epsilon=${String(epsilon)}`);
  }
  return {
    epsilon,
    center: checkBool(cls, 'center', o.center, true),
    scale: checkBool(cls, 'scale', o.scale, true),
    betaInit: resolveInitializer(cls, o.betaInitializer ?? 'zeros'),
    gammaInit: resolveInitializer(cls, o.gammaInitializer ?? 'ones'),
  };
}

/** `value` if a boolean, `fallback` if undefined; anything else is an ArgumentError naming `cls` and `key`. */
export function checkBool(cls: string, key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ArgumentError(`${cls}: expected ${key} to be a boolean. Received: ${key}=${JSON.stringify(value)}`);
  return value;
}

/** An integer axis (negative counts from the end); anything else is an ArgumentError naming `cls`. */
export function checkAxisArg(cls: string, axis: unknown): number {
  if (!Number.isSafeInteger(axis)) throw new ArgumentError(`${cls}: expected axis to be an integer. Received: axis=${JSON.stringify(axis)}`);
  return axis as number;
}

/**
 * `axis` as an index into `shape` (negative counts from the end); a ShapeError naming `label` when out of
 * range for the input's rank.
 */
export function axisIndex(label: string, axis: number, shape: SymbolicShape): number {
  const r = shape.length;
  if (axis < -r || axis >= r) {
    throw new ShapeError(`${label}: expected input with an axis ${axis} (rank > ${axis < 0 ? -axis - 1 : axis}). Received: input shape ${fmtSym(shape)}`);
  }
  return axis < 0 ? axis + r : axis;
}

/** The size of `shape` along `axis`; a ShapeError naming `label` when it is unknown (e.g. the batch axis). */
export function knownDim(label: string, shape: SymbolicShape, axis: number): number {
  const d = shape[axis];
  if (d === null) throw new ShapeError(`${label}: expected a known dimension along axis ${axis} (not the batch axis). Received: input shape ${fmtSym(shape)}`);
  return d;
}
