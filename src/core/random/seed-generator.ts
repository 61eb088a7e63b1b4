/**
 * Keras 3 seed handling (keras/src/random/seed_generator.py, spec §5.1): SeedGenerator, make_default_seed,
 * draw_seed, the lazily created global generator, set_random_seed (Keras >= 3.13 semantics), the TF backend's
 * _cast_seed, and a JSON snapshot of all of it for checkpoints. Part of src/core: imports nothing outside src/core.
 */
import { ArgumentError } from '../errors.ts';
import { checkOptions } from '../options.ts';
import { checkAlgorithm, getAlgorithm, seedDtypeFor, setAlgorithm, type RandomAlgorithm, type SeedDtype } from './algorithm.ts';
import type { MT19937State } from './mt19937.ts';
import { getPythonRandomState, pythonRandom, seedPythonRandom, setPythonRandomState } from './python-random.ts';
import { fmtValue } from './validate.ts';

/** JSON-serialisable state of a SeedGenerator. */
export interface SeedGeneratorState {
  /** The current state [s0, s1]. */
  state: [number, number];
  /** The seed dtype. */
  dtype: SeedDtype;
}

/** Options of SeedGenerator and drawSeed. */
export interface SeedDtypeOptions {
  /** Seed dtype; defaults to the dtype of the current algorithm (philox -> 'int64', threefry -> 'uint32'). */
  dtype?: SeedDtype;
}

const UNORDERED_MUL = 5387;
const UNORDERED_MOD = 933199;

function checkSeedValue(fn: string, name: string, v: unknown, dtype: SeedDtype): asserts v is number {
  const ok =
    typeof v === 'number' && Number.isSafeInteger(v) && (dtype === 'int64' || (v >= 0 && v <= 0xffffffff));
  if (!ok) {
    const want = dtype === 'uint32' ? 'an integer in [0, 2^32) (uint32 seed dtype)' : 'a safe integer (int64 seed dtype)';
    throw new ArgumentError(`${fn}: expected ${name} to be ${want}. Received: ${name}=${fmtValue(v)}`);
  }
}

function checkDtype(fn: string, dtype: unknown): asserts dtype is SeedDtype {
  if (dtype !== 'int64' && dtype !== 'uint32') {
    throw new ArgumentError(`${fn}: expected dtype 'int64' or 'uint32'. Received: dtype=${fmtValue(dtype)}`);
  }
}

/** (v + 1) * 5387 mod 933199 in the seed dtype: uint32 wraps each step mod 2^32; int64 wraps at 64 bits, floor modulo. */
function unorderedStep(v: number, dtype: SeedDtype): number {
  if (dtype === 'uint32') return (Math.imul((v + 1) >>> 0, UNORDERED_MUL) >>> 0) % UNORDERED_MOD;
  const p = BigInt.asIntN(64, (BigInt(v) + 1n) * BigInt(UNORDERED_MUL));
  const m = BigInt(UNORDERED_MOD);
  return Number(((p % m) + m) % m);
}

/**
 * Keras SeedGenerator: state [seed, 0] in the seed dtype.
 * - next() (ordered) returns the state, then adds [0, 1]: a generator built from s yields [s,0], [s,1], [s,2], ...
 * - next({ ordered: false }) returns the state, then sets state = (state + 1) * 5387 mod 933199 element-wise.
 * determinism: the dtype matters for the unordered update: with 'uint32' (JAX backend) the product wraps mod 2^32,
 * with 'int64' (TF backend, Keras >= 3.5) it does not. Both are available; the default follows the current algorithm.
 */
export class SeedGenerator {
  /** Seed dtype of the state. */
  readonly dtype: SeedDtype;
  private s0: number;
  private s1: number;

  /** seed undefined draws makeDefaultSeed() (Python randint(1, 10**9) from the module-level generator). */
  constructor(seed?: number, options: SeedDtypeOptions = {}) {
    checkOptions('SeedGenerator', options, ['dtype']);
    const dtype = options.dtype ?? seedDtypeFor(getAlgorithm());
    checkDtype('SeedGenerator', dtype);
    this.dtype = dtype;
    const s = seed === undefined ? makeDefaultSeed() : seed;
    checkSeedValue('SeedGenerator', 'seed', s, dtype);
    this.s0 = s;
    this.s1 = 0;
  }

  /** Returns the current state [s0, s1] and advances it (ordered by default; see class doc). */
  next(options: { ordered?: boolean } = {}): [number, number] {
    checkOptions('SeedGenerator.next', options, ['ordered']);
    const out: [number, number] = [this.s0, this.s1];
    if (options.ordered ?? true) {
      if (this.dtype === 'uint32') {
        this.s1 = (this.s1 + 1) >>> 0;
      } else {
        if (this.s1 + 1 > Number.MAX_SAFE_INTEGER) {
          throw new ArgumentError(`SeedGenerator.next: expected the counter to stay below 2^53. Received: state=${fmtValue(out)}`);
        }
        this.s1 += 1;
      }
    } else {
      this.s0 = unorderedStep(this.s0, this.dtype);
      this.s1 = unorderedStep(this.s1, this.dtype);
    }
    return out;
  }

  /** JSON-serialisable snapshot. */
  getState(): SeedGeneratorState {
    return { state: [this.s0, this.s1], dtype: this.dtype };
  }

  /** Restores a snapshot; its dtype must equal this generator's dtype. */
  setState(st: SeedGeneratorState): void {
    if (st == null || !Array.isArray(st.state) || st.state.length !== 2 || st.dtype !== this.dtype) {
      throw new ArgumentError(`SeedGenerator.setState: expected { state: [n, n], dtype: '${this.dtype}' }. Received: state=${fmtValue(st)}`);
    }
    checkSeedValue('SeedGenerator.setState', 'state[0]', st.state[0], this.dtype);
    checkSeedValue('SeedGenerator.setState', 'state[1]', st.state[1], this.dtype);
    this.s0 = st.state[0];
    this.s1 = st.state[1];
  }

  /** A new generator holding a snapshot's state. */
  static fromState(st: SeedGeneratorState): SeedGenerator {
    checkDtype('SeedGenerator.fromState', st?.dtype);
    const g = new SeedGenerator(0, { dtype: st.dtype });
    g.setState(st);
    return g;
  }
}

/** Keras make_default_seed(): Python random.randint(1, 10**9) on the module-level MT19937. */
export function makeDefaultSeed(): number {
  return pythonRandom().randint(1, 1_000_000_000);
}

let globalGen: SeedGenerator | null = null;

/** Keras global_seed_generator(): created lazily as SeedGenerator() (seed from makeDefaultSeed, current dtype). */
export function globalSeedGenerator(): SeedGenerator {
  if (globalGen === null) globalGen = new SeedGenerator();
  return globalGen;
}

/**
 * keras.utils.set_random_seed(seed) as in Keras >= 3.13: Python random.seed(seed) on the module-level generator,
 * and the global SeedGenerator is discarded (recreated lazily from the reseeded Python generator).
 */
export function setGlobalSeed(seed: number | bigint): void {
  if (!(typeof seed === 'bigint' || (typeof seed === 'number' && Number.isSafeInteger(seed)))) {
    throw new ArgumentError(`setGlobalSeed: expected an integer seed. Received: seed=${fmtValue(seed)}`);
  }
  seedPythonRandom(seed);
  globalGen = null;
}

/**
 * Keras draw_seed(seed): an integer gives [seed, 0] (checked against the seed dtype), a SeedGenerator gives
 * gen.next(), undefined gives globalSeedGenerator().next({ ordered: false }).
 */
export function drawSeed(seed: number | SeedGenerator | undefined, options: SeedDtypeOptions = {}): [number, number] {
  if (seed instanceof SeedGenerator) return seed.next();
  if (seed === undefined || seed === null) return globalSeedGenerator().next({ ordered: false });
  const dtype = options.dtype ?? seedDtypeFor(getAlgorithm());
  checkDtype('drawSeed', dtype);
  if (typeof seed !== 'number') {
    throw new ArgumentError(`drawSeed: expected seed to be an integer, a SeedGenerator or undefined. Received: seed=${fmtValue(seed)}`);
  }
  checkSeedValue('drawSeed', 'seed', seed, dtype);
  return [seed, 0];
}

/** int32 max - 1, the modulus of Keras's TF _cast_seed. */
export const TF_CAST_SEED_MODULUS = 2147483646;

/**
 * Keras TF backend _cast_seed (Keras >= 3.5): int64 seed -> int32 floormod(seed, 2147483646), element-wise.
 * Identity for 0 <= s < 2147483646.
 */
export function tfCastSeed(seed: readonly [number, number]): [number, number] {
  const a = seed as ArrayLike<unknown>;
  if (a == null || a.length !== 2 || !Number.isSafeInteger(a[0]) || !Number.isSafeInteger(a[1])) {
    throw new ArgumentError(`tfCastSeed: expected seed of two integers. Received: seed=${fmtValue(seed)}`);
  }
  const m = TF_CAST_SEED_MODULUS;
  return [((seed[0] % m) + m) % m, ((seed[1] % m) + m) % m];
}

/** JSON-serialisable snapshot of all host-side random state: algorithm, Python MT19937, global SeedGenerator. */
export interface RandomLayerState {
  /** The process-wide algorithm ('philox' or 'threefry'). */
  algorithm: RandomAlgorithm;
  /** The Python-style MT19937 that unseeded layers and initializers draw their seeds from. */
  python: MT19937State;
  /** The global SeedGenerator's state, or null when it has not been created. */
  globalSeedGenerator: SeedGeneratorState | null;
}

/** Takes a snapshot of the whole host-side random state (for checkpoints). */
export function getRandomState(): RandomLayerState {
  return {
    algorithm: getAlgorithm(),
    python: getPythonRandomState(),
    globalSeedGenerator: globalGen === null ? null : globalGen.getState(),
  };
}

/** Restores a snapshot taken by getRandomState(). The algorithm is restored too. */
export function setRandomState(st: RandomLayerState): void {
  if (st == null || typeof st !== 'object') {
    throw new ArgumentError(`setRandomState: expected a snapshot from getRandomState(). Received: state=${fmtValue(st)}`);
  }
  checkAlgorithm('setRandomState', st.algorithm);
  const gen = st.globalSeedGenerator === null ? null : SeedGenerator.fromState(st.globalSeedGenerator);
  setPythonRandomState(st.python);
  globalGen = gen;
  setAlgorithm(st.algorithm);
}
