/**
 * Every bad argument of the initializers raises an engine error whose message starts with the class (or function)
 * name, says what was expected and what was received.
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';

const I = dt.initializers;

describe('initializer argument errors', () => {
  it('distribution parameters', () => {
    expect(() => new I.RandomNormal({ stddev: -1 })).toThrow(/^RandomNormal: expected stddev >= 0. Received: stddev=-1$/);
    expect(() => new I.TruncatedNormal({ stddev: -0.5 })).toThrow(/^TruncatedNormal: expected stddev >= 0. Received: stddev=-0.5$/);
    expect(() => new I.RandomNormal({ mean: NaN })).toThrow(/^RandomNormal: expected mean to be a finite number. Received: mean=NaN$/);
    expect(() => new I.RandomUniform({ minval: 1, maxval: 0 })).toThrow(/^RandomUniform: expected minval <= maxval. Received: minval=1, maxval=0$/);
    expect(() => new I.RandomUniform({ maxval: '1' as never })).toThrow(/^RandomUniform: expected maxval to be a finite number. Received: maxval="1"$/);
    expect(() => new I.VarianceScaling({ scale: 0 })).toThrow(/^VarianceScaling: expected scale > 0. Received: scale=0$/);
    expect(() => new I.VarianceScaling({ mode: 'fan' as never })).toThrow(/^VarianceScaling: expected mode to be one of 'fan_in', 'fan_out', 'fan_avg'. Received: mode="fan"$/);
    expect(() => new I.VarianceScaling({ distribution: 'gaussian' as never })).toThrow(/^VarianceScaling: expected distribution to be one of 'truncated_normal', 'untruncated_normal', 'uniform' \(or 'normal'\). Received: distribution="gaussian"$/);
    expect(() => new I.Orthogonal({ gain: Infinity })).toThrow(/^Orthogonal: expected gain to be a finite number/);
    expect(() => new I.Constant({ value: [1, 2] as never })).toThrow(/^Constant: expected value to be a finite number. Received: value=\[1, 2\]$/);
    expect(() => new I.Identity({ gain: NaN })).toThrow(/^Identity: expected gain to be a finite number/);
  });

  it('seeds and options', () => {
    expect(() => new I.GlorotNormal({ seed: 1.5 })).toThrow(/^GlorotNormal: expected seed to be an integer, a SeedGenerator or undefined. Received: seed=1.5$/);
    expect(() => new I.RandomNormal({ seed: '42' as never })).toThrow(/^RandomNormal: expected seed to be an integer, a SeedGenerator or undefined. Received: seed="42"$/);
    expect(() => new I.Orthogonal({ seed: [1, 2] as never })).toThrow(/^Orthogonal: expected seed to be an integer, a SeedGenerator or undefined. Received: seed=\[1, 2\]$/);
    expect(() => new I.HeUniform({ algorithm: 'mt' as never })).toThrow(/^HeUniform: expected algorithm 'philox' or 'threefry'. Received: algorithm="mt"$/);
    expect(() => new I.GlorotUniform({ scale: 2 } as never)).toThrow(/^GlorotUniform: unrecognized options \{scale\}. Expected one of: seed, algorithm$/);
    expect(() => new I.RandomNormal({ stdev: 1 } as never)).toThrow(/^RandomNormal: unrecognized options \{stdev\}. Expected one of: mean, stddev, seed, algorithm$/);
    expect(() => new I.LecunNormal(42 as never)).toThrow(/^LecunNormal: expected an options object. Received: number 42$/);
    expect(() => new I.Zeros({ value: 1 } as never)).toThrow(/^Zeros: unrecognized options \{value\}. Expected no options$/);
    // Negative seeds are fine for philox (Keras's TF _cast_seed) but not for threefry (uint32 seeds), at call time.
    const neg = new I.RandomUniform({ seed: -5 });
    neg.apply([2]).dispose();
    expect(() => new I.RandomUniform({ seed: -5, algorithm: 'threefry' }).apply([2])).toThrow(/^RandomUniform.apply: expected an integer seed in \[0, 2\^32\) for algorithm 'threefry' \(Keras-on-JAX uint32 seeds\). Received: seed=-5$/);
  });

  it('apply: shapes and dtypes', () => {
    expect(() => new I.Orthogonal({ seed: 1 }).apply([5])).toThrow(/^Orthogonal.apply: expected a shape of rank >= 2. Received: shape=\[5\] of rank 1$/);
    expect(() => new I.Orthogonal({ seed: 1 }).apply([])).toThrow(/^Orthogonal.apply: expected a shape of rank >= 2/);
    expect(() => new I.Identity().apply([2, 2, 2])).toThrow(/^Identity.apply: expected a 2-D shape \[rows, cols\]. Received: shape=\[2, 2, 2\] of rank 3$/);
    expect(() => new I.GlorotUniform({ seed: 1 }).apply([3, -1])).toThrow(/^GlorotUniform.apply: expected shape to be an array of non-negative integers/);
    expect(() => new I.Zeros().apply([1.5])).toThrow(/^Zeros.apply: expected shape/);
    expect(() => new I.HeNormal({ seed: 1 }).apply([2, 2], 'int32')).toThrow(/^HeNormal.apply: expected dtype 'float32' \(a floating dtype\). Received: dtype="int32"$/);
    expect(() => new I.RandomNormal({ seed: 1 }).apply([2], 'float64' as never)).toThrow(/^RandomNormal.apply: expected dtype to be one of 'float32', 'int32', 'uint8'/);
    expect(() => new I.Constant({ value: 2.5 }).apply([2], 'int32')).toThrow(/^Constant.apply: expected value to be an integer in \[-2147483648, 2147483647\] for dtype int32. Received: value=2.5$/);
    expect(() => new I.Identity({ gain: 300 }).apply([2, 2], 'uint8')).toThrow(/^Identity.apply: expected gain to be an integer in \[0, 255\] for dtype uint8/);
  });

  it('the registry', () => {
    expect(() => I.get('glorot')).toThrow(/^initializers.get: expected the name of an initializer \(e.g. 'glorot_uniform'.*Received: "glorot"$/);
    expect(() => I.get(42 as never)).toThrow(/^initializers.get: expected an initializer name, an Initializer or \{ className, config \}. Received: number$/);
    expect(() => I.get(null as never)).toThrow(/^initializers.get: expected .*Received: null$/);
    expect(() => I.deserialize({ className: 'Nope', config: {} })).toThrow(/^initializers.deserialize: expected the name of an initializer.*Received: "Nope"$/);
    expect(() => I.deserialize({ className: 'RandomNormal', config: { stddev: -2 } })).toThrow(/^RandomNormal: expected stddev >= 0/);
    expect(() => I.serialize({} as never)).toThrow(/^initializers.serialize: expected an Initializer/);
    expect(() => I.resolveInitializer('Dense', 'glorot')).toThrow(/^Dense: expected the name of an initializer/);
  });

  it('errors are engine errors of the right class', () => {
    const catchErr = (f: () => unknown): unknown => {
      try {
        f();
      } catch (e) {
        return e;
      }
      return undefined;
    };
    expect(catchErr(() => new I.RandomNormal({ stddev: -1 }))).toBeInstanceOf(dt.ArgumentError);
    expect(catchErr(() => new I.Orthogonal().apply([3]))).toBeInstanceOf(dt.ShapeError);
    expect(catchErr(() => new I.HeNormal().apply([2], 'int32'))).toBeInstanceOf(dt.DTypeError);
  });
});
