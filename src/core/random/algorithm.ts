/**
 * The process-wide choice of random algorithm ('philox' = TensorFlow stateless semantics, the default;
 * 'threefry' = Keras-on-JAX semantics) and the Keras seed dtype that goes with each.
 * Part of src/core: imports nothing outside src/core.
 */
import { ArgumentError } from '../errors.ts';
import { fmtValue } from './validate.ts';

/** 'philox': TF stateless ops (Philox4x32-10, Box–Muller). 'threefry': JAX <= 0.4.38 (Threefry2x32, erfinv). */
export type RandomAlgorithm = 'philox' | 'threefry';

/**
 * Dtype of Keras seed pairs and SeedGenerator state: 'int64' (Keras >= 3.5 on TF: no wrap-around, floor
 * modulo) or 'uint32' (Keras on JAX: arithmetic wraps mod 2^32, seeds must lie in [0, 2^32)).
 * @inline
 */
export type SeedDtype = 'int64' | 'uint32';

let current: RandomAlgorithm = 'philox';

/** Throws unless alg is 'philox' or 'threefry'. */
export function checkAlgorithm(fn: string, alg: unknown): asserts alg is RandomAlgorithm {
  if (alg !== 'philox' && alg !== 'threefry') {
    throw new ArgumentError(`${fn}: expected algorithm 'philox' or 'threefry'. Received: algorithm=${fmtValue(alg)}`);
  }
}

/** The current default algorithm ('philox' unless setAlgorithm was called). */
export function getAlgorithm(): RandomAlgorithm {
  return current;
}

/** Sets the default algorithm used where none is passed explicitly. */
export function setAlgorithm(alg: RandomAlgorithm): void {
  checkAlgorithm('setAlgorithm', alg);
  current = alg;
}

/** The Keras seed dtype of a backend: philox (TF backend) -> 'int64', threefry (JAX backend) -> 'uint32'. */
export function seedDtypeFor(alg: RandomAlgorithm): SeedDtype {
  return alg === 'threefry' ? 'uint32' : 'int64';
}
