/**
 * Keras compute_fans (spec §5.3) for dense and conv shapes, and the VarianceScaling formulas checked numerically:
 * on large shapes every distribution has mean ~0 and standard deviation ~sqrt(scale / fan), with the truncated
 * normal inside 2 * stddev / 0.8796 and the uniform inside sqrt(3 * scale / fan).
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';

const I = dt.initializers;

describe('computeFans', () => {
  it('follows Keras for scalars, vectors, dense and conv kernels', () => {
    expect(I.computeFans([])).toEqual({ fanIn: 1, fanOut: 1 });
    expect(I.computeFans([7])).toEqual({ fanIn: 7, fanOut: 7 });
    expect(I.computeFans([3, 5])).toEqual({ fanIn: 3, fanOut: 5 });
    expect(I.computeFans([784, 10])).toEqual({ fanIn: 784, fanOut: 10 });
    expect(I.computeFans([3, 3, 16, 32])).toEqual({ fanIn: 144, fanOut: 288 }); // Conv2D kernel
    expect(I.computeFans([5, 4, 6])).toEqual({ fanIn: 20, fanOut: 30 }); // Conv1D kernel
    expect(I.computeFans([2, 3, 3, 1, 8])).toEqual({ fanIn: 18, fanOut: 144 }); // Conv3D kernel
    expect(I.computeFans([0, 4])).toEqual({ fanIn: 0, fanOut: 4 });
  });

  it('parameterFor gives the Keras stddev / limit (Python double arithmetic)', () => {
    const c = 0.87962566103423978;
    expect(new I.GlorotUniform({ seed: 1 }).parameterFor([3, 5])).toBe(Math.sqrt(3 * (1 / 4)));
    expect(new I.GlorotNormal({ seed: 1 }).parameterFor([3, 3, 16, 32])).toBe(Math.sqrt(1 / 216) / c);
    expect(new I.HeNormal({ seed: 1 }).parameterFor([3, 3, 16, 32])).toBe(Math.sqrt(2 / 144) / c);
    expect(new I.HeUniform({ seed: 1 }).parameterFor([64, 10])).toBe(Math.sqrt(3 * (2 / 64)));
    expect(new I.LecunNormal({ seed: 1 }).parameterFor([64, 10])).toBe(Math.sqrt(1 / 64) / c);
    expect(new I.LecunUniform({ seed: 1 }).parameterFor([64, 10])).toBe(Math.sqrt(3 * (1 / 64)));
    expect(new I.VarianceScaling({ seed: 1, scale: 2, mode: 'fan_out', distribution: 'untruncated_normal' }).parameterFor([64, 10])).toBe(Math.sqrt(2 / 10));
    // max(1, fan): a zero fan divides by 1.
    expect(new I.VarianceScaling({ seed: 1, mode: 'fan_in', distribution: 'uniform' }).parameterFor([0, 4])).toBe(Math.sqrt(3));
    // 'normal' is an alias of 'truncated_normal'; the distribution name is case-insensitive.
    expect(new I.VarianceScaling({ seed: 1, distribution: 'normal' }).distribution).toBe('truncated_normal');
    expect(new I.VarianceScaling({ seed: 1, distribution: 'Uniform' as never }).distribution).toBe('uniform');
  });
});

describe('VarianceScaling statistics on large shapes', () => {
  const shape = [160, 250];
  const n = 160 * 250;
  for (const algorithm of ['philox', 'threefry'] as const) {
    for (const distribution of ['truncated_normal', 'untruncated_normal', 'uniform'] as const) {
      for (const [mode, fan] of [['fan_in', 160], ['fan_out', 250], ['fan_avg', 205]] as const) {
        it(`${algorithm} ${distribution} ${mode}: mean ~ 0, std ~ sqrt(scale / fan), bounded support`, () => {
          const scale = 1.7;
          const init = new I.VarianceScaling({ seed: 11, scale, mode, distribution, algorithm });
          const t = init.apply(shape);
          const v = t.dataSync();
          t.dispose();
          const target = Math.sqrt(scale / fan);
          let s = 0;
          let s2 = 0;
          let maxAbs = 0;
          for (const x of v) {
            s += x;
            s2 += x * x;
            maxAbs = Math.max(maxAbs, Math.abs(x));
          }
          const mean = s / n;
          const std = Math.sqrt(s2 / n - mean * mean);
          expect(Math.abs(mean)).toBeLessThan((5 * target) / Math.sqrt(n));
          expect(Math.abs(std / target - 1)).toBeLessThan(0.02);
          const p = init.parameterFor(shape);
          if (distribution === 'truncated_normal') expect(maxAbs).toBeLessThan(2 * p * (1 + 1e-6));
          if (distribution === 'uniform') expect(maxAbs).toBeLessThanOrEqual(Math.fround(p));
          if (distribution === 'untruncated_normal') expect(maxAbs).toBeGreaterThan(2 * p); // tails beyond 2 sigma exist
        });
      }
    }
  }
});
