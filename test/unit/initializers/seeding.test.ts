/**
 * Keras 3 seeding of initializers (spec §5.1, §5.3) and utils.setRandomSeed (Keras >= 3.13): integer seeds repeat,
 * SeedGenerator seeds advance, unseeded initializers fix a default seed at construction; after setRandomSeed the
 * reference example's "two unseeded GlorotNormal on [3, 5]" prints the same bytes in two fresh processes, and a
 * different seed prints different bytes.
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { normalValues, truncatedNormalValues } from '../../../src/core/random/index.ts';
import { runTs } from '../../util/subprocess.ts';

const I = dt.initializers;
const values = (t: dt.Tensor): number[] => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};
const hex = (t: dt.Tensor): string => {
  const d = t.dataSync() as Float32Array;
  t.dispose();
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('hex');
};

describe('initializer seeding', () => {
  it('two GlorotNormal(seed 42) objects give equal [3, 5] values (both algorithms)', () => {
    for (const algorithm of ['philox', 'threefry'] as const) {
      const a = values(new I.GlorotNormal({ seed: 42, algorithm }).apply([3, 5]));
      const b = values(new I.GlorotNormal({ seed: 42, algorithm }).apply([3, 5]));
      expect(a).toEqual(b);
      expect(new Set(a).size).toBe(15);
    }
  });

  it('two unseeded initializers differ; each repeats its own values on every call', () => {
    const g3 = new I.GlorotNormal();
    const g4 = new I.GlorotNormal();
    const r3 = values(g3.apply([3, 5]));
    const r4 = values(g4.apply([3, 5]));
    expect(r3).not.toEqual(r4);
    expect(values(g3.apply([3, 5]))).toEqual(r3);
    expect(typeof g3.seed).toBe('number');
    expect(g3.getConfig()).toEqual({ seed: null });
    expect(new I.GlorotNormal({ seed: 5 }).getConfig()).toEqual({ seed: 5 });
  });

  it('unseeded initializers take Python random.randint(1, 10**9) after setRandomSeed (686579304, 119540832 for 42)', () => {
    dt.utils.setRandomSeed(42);
    const a = new I.RandomNormal();
    const b = new I.HeUniform();
    expect(a.seed).toBe(686579304);
    expect(b.seed).toBe(119540832);
    expect(values(a.apply([4]))).toEqual(Array.from(normalValues([4], [686579304, 0], { algorithm: 'philox', stddev: 0.05 })));
  });

  it('a SeedGenerator seed advances on every call: [s, 0], [s, 1], ...', () => {
    for (const algorithm of ['philox', 'threefry'] as const) {
      const gen = new dt.random.SeedGenerator(5);
      const init = new I.TruncatedNormal({ seed: gen, algorithm, stddev: 1 });
      for (let k = 0; k < 3; k++) {
        expect(values(init.apply([6]))).toEqual(Array.from(truncatedNormalValues([6], [5, k], { algorithm })));
      }
      expect(gen.next()).toEqual([5, 3]);
      expect(init.getConfig()).toEqual({ mean: 0, stddev: 1, seed: { className: 'SeedGenerator', config: gen.getState() }, algorithm });
    }
  });

  it('the algorithm is read at call time unless fixed', () => {
    const init = new I.RandomUniform({ seed: 3 });
    dt.random.setAlgorithm('threefry');
    const j = values(init.apply([5]));
    dt.random.setAlgorithm('philox');
    const t = values(init.apply([5]));
    expect(j).not.toEqual(t);
    expect(values(new I.RandomUniform({ seed: 3, algorithm: 'threefry' }).apply([5]))).toEqual(j);
  });

  it('getRandomState / setRandomState restore the default-seed sequence', () => {
    dt.utils.setRandomSeed(7);
    const snap = dt.utils.getRandomState();
    const s1 = new I.GlorotUniform().seed;
    const s2 = new I.GlorotUniform().seed;
    dt.utils.setRandomState(JSON.parse(JSON.stringify(snap)));
    expect(new I.GlorotUniform().seed).toBe(s1);
    expect(new I.GlorotUniform().seed).toBe(s2);
  });

  it('setRandomSeed rejects non-integers', () => {
    expect(() => dt.utils.setRandomSeed(1.5)).toThrow(/^setRandomSeed: expected an integer seed. Received: seed=1.5 \(of type number\)/);
    expect(() => dt.utils.setRandomSeed('812' as never)).toThrow(/^setRandomSeed: expected an integer seed. Received: seed="812" \(of type string\)/);
  });
});

describe('setRandomSeed across processes (reference example, unseeded GlorotNormal on [3, 5])', () => {
  const SCRIPT = 'test/determinism/scripts/initializers-seed.ts';

  it('two fresh processes print identical bytes, equal to this process; another seed differs', async () => {
    const [a, b, c, d] = await Promise.all([
      runTs(SCRIPT, ['812']), runTs(SCRIPT, ['812']), runTs(SCRIPT, ['813']), runTs(SCRIPT, ['812', 'threefry']),
    ]);
    for (const r of [a, b, c, d]) expect(r.code, r.stderr).toBe(0);
    const la = a.stdout.toString().trim().split('\n');
    expect(la).toHaveLength(2);
    expect(la[0]).toHaveLength(15 * 8);
    expect(la[0]).not.toBe(la[1]); // result_3 != result_4
    expect(a.stdout.equals(b.stdout)).toBe(true);
    const lc = c.stdout.toString().trim().split('\n');
    expect(lc[0]).not.toBe(la[0]);
    expect(lc[1]).not.toBe(la[1]);
    // The same program in this process gives the same bytes (so the subprocesses really ran it).
    for (const [algorithm, out] of [['philox', a], ['threefry', d]] as const) {
      dt.random.setAlgorithm(algorithm);
      dt.utils.setRandomSeed(812);
      const g3 = new I.GlorotNormal();
      const g4 = new I.GlorotNormal();
      expect(`${hex(g3.apply([3, 5]))}\n${hex(g4.apply([3, 5]))}\n`).toBe(out.stdout.toString());
    }
    dt.random.setAlgorithm('philox');
  });
});
