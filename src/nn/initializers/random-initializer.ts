/**
 * Seeding shared by the random initializers, as Keras 3's RandomInitializer (spec §5.1, §5.3): an integer seed is
 * used as the pair [seed, 0] on every call (same values each call); a SeedGenerator advances on every call; no seed
 * draws makeDefaultSeed() once, at construction (so two unseeded initializers differ, and each repeats itself).
 * The algorithm is getAlgorithm() at call time unless given.
 * Part of src/nn: imports src/core only.
 */
import {
  ArgumentError, type RandomAlgorithm, SeedGenerator, type SeedGeneratorState, type Tensor, checkAlgorithm, fmtValue,
  getAlgorithm, makeDefaultSeed, statelessNormal, statelessTruncatedNormal, statelessUniform,
} from '../../core/internal.ts';
import { Initializer, type InitializerConfig, checkOptions } from './initializer.ts';

/** What a random initializer accepts as its seed. */
export type InitializerSeed = number | SeedGenerator | null | undefined;

/** Options every random initializer accepts. */
export interface RandomInitializerOptions {
  /** An integer (used as [seed, 0] on every call), a SeedGenerator (advances per call), or none (a default seed). */
  seed?: InitializerSeed;
  /** 'philox' | 'threefry'; default: getAlgorithm() at each call. */
  algorithm?: RandomAlgorithm;
}

/** Serialized form of a SeedGenerator seed in getConfig(). */
export interface SeedGeneratorConfig {
  /** Always 'SeedGenerator'. */
  className: 'SeedGenerator';
  /** The generator's state when the config was taken. */
  config: SeedGeneratorState;
}

/**
 * Base class of the initializers that draw random values, with Keras 3's seeding: an integer seed is used as the
 * pair [seed, 0] on every call (so every call gives the same values); a {@link random.SeedGenerator} advances on every
 * call; no seed draws a default seed once, at construction, from the generator `dt.utils.setRandomSeed` reseeds (two
 * unseeded initializers differ, and each repeats itself). Values come from `dt.random`'s stateless generators, so
 * they are the same on every backend.
 */
export abstract class RandomInitializer extends Initializer {
  /** The seed in use: the given integer, makeDefaultSeed()'s draw, or the SeedGenerator. */
  readonly seed: number | SeedGenerator;
  /** The fixed algorithm, or undefined to follow getAlgorithm() at call time. */
  readonly algorithm: RandomAlgorithm | undefined;
  /** The seed as given (null when none was: a config round trip then draws a fresh default seed, as in Keras). */
  private readonly initSeed: number | SeedGenerator | null;

  constructor(options: RandomInitializerOptions = {}) {
    super();
    const fn = new.target.className;
    checkOptions(fn, options);
    const seed = options.seed;
    if (!(seed === undefined || seed === null || seed instanceof SeedGenerator || (typeof seed === 'number' && Number.isSafeInteger(seed)))) {
      throw new ArgumentError(`${fn}: expected seed to be an integer, a SeedGenerator or undefined. Received: seed=${fmtValue(seed)}`);
    }
    if (options.algorithm !== undefined) checkAlgorithm(fn, options.algorithm);
    this.algorithm = options.algorithm;
    this.initSeed = seed ?? null;
    // determinism: an unseeded initializer fixes its seed once, from the Python-style global generator
    // (reseeded by utils.setRandomSeed), so a program gets the same weights in every run after the same seeding.
    this.seed = seed ?? makeDefaultSeed();
  }

  /** The seed pair and algorithm of the next draw; advances a SeedGenerator seed. */
  protected nextDraw(): {
    /** The seed pair of the draw. */
    seed: [number, number];
    /** The generator of the draw. */
    algorithm: RandomAlgorithm;
  } {
    const algorithm = this.algorithm ?? getAlgorithm();
    const s = this.seed;
    if (s instanceof SeedGenerator) return { seed: s.next(), algorithm };
    if (algorithm === 'threefry' && !(s >= 0 && s <= 0xffffffff)) {
      throw new ArgumentError(`${this.className}.apply: expected an integer seed in [0, 2^32) for algorithm 'threefry' (Keras-on-JAX uint32 seeds). Received: seed=${s}`);
    }
    return { seed: [s, 0], algorithm };
  }

  /** keras.random.uniform(shape, minval, maxval, seed) with this initializer's next seed. */
  protected uniform(shape: readonly number[], minval: number, maxval: number): Tensor {
    const { seed, algorithm } = this.nextDraw();
    return statelessUniform(shape, seed, { minval, maxval, algorithm });
  }

  /** keras.random.normal(shape, mean, stddev, seed) with this initializer's next seed. */
  protected normal(shape: readonly number[], mean: number, stddev: number): Tensor {
    const { seed, algorithm } = this.nextDraw();
    return statelessNormal(shape, seed, { mean, stddev, algorithm });
  }

  /** keras.random.truncated_normal(shape, mean, stddev, seed) with this initializer's next seed. */
  protected truncatedNormal(shape: readonly number[], mean: number, stddev: number): Tensor {
    const { seed, algorithm } = this.nextDraw();
    return statelessTruncatedNormal(shape, seed, { mean, stddev, algorithm });
  }

  /** { seed } (plus { algorithm } when fixed); a SeedGenerator is given as a snapshot of its current state. */
  override getConfig(): InitializerConfig {
    const s = this.initSeed;
    const seed: number | null | SeedGeneratorConfig =
      s instanceof SeedGenerator ? { className: 'SeedGenerator', config: s.getState() } : s;
    return this.algorithm === undefined ? { seed } : { seed, algorithm: this.algorithm };
  }
}
