/**
 * The deterministic initializers (Zeros, Ones, Constant, Identity) and the name registry: initializers.get for
 * Keras string names, class names and aliases; serialize / deserialize round trips that give equal values.
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';

const I = dt.initializers;
const arr = (t: dt.Tensor) => {
  const v = t.arraySync();
  t.dispose();
  return v;
};

describe('Zeros, Ones, Constant, Identity', () => {
  it('fill the requested shape and dtype', () => {
    const z = new I.Zeros().apply([2, 3]);
    expect([z.shape, z.dtype]).toEqual([[2, 3], 'float32']);
    expect(arr(z)).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(arr(new I.Ones().apply([3], 'int32'))).toEqual([1, 1, 1]);
    const c = new I.Constant({ value: 0.1 }).apply([2]);
    expect(Array.from(c.dataSync())).toEqual([Math.fround(0.1), Math.fround(0.1)]);
    c.dispose();
    expect(arr(new I.Constant({ value: 7 }).apply([1, 2], 'uint8'))).toEqual([[7, 7]]);
    expect(arr(new I.Constant().apply([]))).toBe(0);
    expect(new I.Constant({ value: 2 }).getConfig()).toEqual({ value: 2 });
  });

  it('Identity is gain * eye(rows, cols), also rectangular', () => {
    expect(arr(new I.Identity().apply([2, 2]))).toEqual([[1, 0], [0, 1]]);
    expect(arr(new I.Identity({ gain: 3 }).apply([2, 4]))).toEqual([[3, 0, 0, 0], [0, 3, 0, 0]]);
    expect(arr(new I.Identity({ gain: 0.5 }).apply([3, 2]))).toEqual([[0.5, 0], [0, 0.5], [0, 0]]);
    expect(arr(new I.Identity().apply([2, 2], 'int32'))).toEqual([[1, 0], [0, 1]]);
    expect(new I.Identity({ gain: 3 }).getConfig()).toEqual({ gain: 3 });
  });
});

describe('initializers.get / serialize / deserialize', () => {
  it('resolves Keras string names, class names and aliases', () => {
    const cases: [string, string][] = [
      ['glorot_uniform', 'GlorotUniform'], ['glorot_normal', 'GlorotNormal'], ['he_normal', 'HeNormal'],
      ['he_uniform', 'HeUniform'], ['lecun_normal', 'LecunNormal'], ['lecun_uniform', 'LecunUniform'],
      ['random_normal', 'RandomNormal'], ['random_uniform', 'RandomUniform'], ['truncated_normal', 'TruncatedNormal'],
      ['variance_scaling', 'VarianceScaling'], ['orthogonal', 'Orthogonal'], ['zeros', 'Zeros'], ['ones', 'Ones'],
      ['constant', 'Constant'], ['identity', 'Identity'], ['uniform', 'RandomUniform'], ['normal', 'RandomNormal'],
      ['zero', 'Zeros'], ['one', 'Ones'], ['OrthogonalInitializer', 'Orthogonal'], ['IdentityInitializer', 'Identity'],
      ['GlorotUniform', 'GlorotUniform'], ['HeNormal', 'HeNormal'],
    ];
    for (const [name, cls] of cases) expect(I.get(name).className, name).toBe(cls);
    expect(I.get('glorot_uniform')).toBeInstanceOf(I.GlorotUniform);
    expect(I.get('glorot_uniform')).toBeInstanceOf(I.VarianceScaling);
    const mine = new I.HeNormal({ seed: 1 });
    expect(I.get(mine)).toBe(mine);
    expect(I.initializerNames()).toContain('he_normal');
  });

  it('serialize / deserialize round trips give initializers with equal values', () => {
    const inits: dt.initializers.Initializer[] = [
      new I.RandomNormal({ seed: 3, mean: 1, stddev: 2 }), new I.RandomUniform({ seed: 3, minval: -2, maxval: 5 }),
      new I.TruncatedNormal({ seed: 3, stddev: 0.1 }),
      new I.VarianceScaling({ seed: 3, scale: 2, mode: 'fan_avg', distribution: 'uniform', algorithm: 'threefry' }),
      new I.GlorotNormal({ seed: 3 }), new I.HeUniform({ seed: 3 }), new I.Orthogonal({ seed: 3, gain: 2 }),
      new I.Constant({ value: 4 }), new I.Identity({ gain: 2 }), new I.Zeros(), new I.Ones(),
    ];
    for (const init of inits) {
      const s = I.serialize(init);
      expect(s.className).toBe(init.className);
      const back = I.deserialize(JSON.parse(JSON.stringify(s)));
      expect(back.className).toBe(init.className);
      expect(back.getConfig()).toEqual(init.getConfig());
      expect(arr(back.apply([3, 4]))).toEqual(arr(init.apply([3, 4])));
      expect(arr(I.get(s).apply([3, 4]))).toEqual(arr(init.apply([3, 4])));
    }
    expect(I.serialize(new I.GlorotUniform({ seed: 9 }))).toEqual({ className: 'GlorotUniform', config: { seed: 9 } });
    expect(I.deserialize({ class_name: 'Zeros', config: {} })).toBeInstanceOf(I.Zeros);
  });

  it('a serialized SeedGenerator seed continues from its state', () => {
    const gen = new dt.random.SeedGenerator(8);
    const init = new I.RandomNormal({ seed: gen });
    arr(init.apply([2]));
    const copy = I.deserialize(I.serialize(init));
    expect(arr(copy.apply([2]))).toEqual(arr(init.apply([2])));
  });
});
