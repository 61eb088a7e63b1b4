// Keras 3 seed semantics (spec §5.1): SeedGenerator, make_default_seed, draw_seed, global generator, _cast_seed.
import { afterEach, describe, expect, it } from 'vitest';
import { getAlgorithm, setAlgorithm } from '../../../src/core/random/algorithm.ts';
import {
  SeedGenerator, drawSeed, getRandomState, globalSeedGenerator, makeDefaultSeed, setGlobalSeed, setRandomState, tfCastSeed,
} from '../../../src/core/random/seed-generator.ts';

afterEach(() => setAlgorithm('philox'));

describe('SeedGenerator', () => {
  it('ordered next() yields [s, 0], [s, 1], [s, 2]', () => {
    const g = new SeedGenerator(42);
    expect([g.next(), g.next(), g.next()]).toEqual([[42, 0], [42, 1], [42, 2]]);
  });

  it('unordered next() applies (state + 1) * 5387 % 933199 in the seed dtype', () => {
    // Expected values computed with Python integers (uint32 wrap emulated with % 2**32; int64 wrap with two's complement).
    const u = new SeedGenerator(686579304, { dtype: 'uint32' });
    expect(u.next({ ordered: false })).toEqual([686579304, 0]);
    expect(u.next({ ordered: false })).toEqual([365660, 5387]); // (s+1)*5387 wraps mod 2^32 first
    const i = new SeedGenerator(686579304, { dtype: 'int64' });
    i.next({ ordered: false });
    expect(i.next({ ordered: false })).toEqual([60594, 5387]); // no wrap in int64
    const n = new SeedGenerator(-5, { dtype: 'int64' });
    n.next({ ordered: false });
    expect(n.next({ ordered: false })[0]).toBe(911651); // floor modulo of a negative product
    const big = new SeedGenerator(2 ** 53 - 1, { dtype: 'int64' });
    big.next({ ordered: false });
    expect(big.next({ ordered: false })[0]).toBe(561544); // (2^53)*5387 wraps at 64 bits
  });

  it('uint32 counters wrap; dtype defaults follow the algorithm', () => {
    const u = SeedGenerator.fromState({ state: [1, 0xffffffff], dtype: 'uint32' });
    expect([u.next(), u.next()]).toEqual([[1, 0xffffffff], [1, 0]]);
    expect(new SeedGenerator(1).dtype).toBe('int64');
    setAlgorithm('threefry');
    expect(getAlgorithm()).toBe('threefry');
    expect(new SeedGenerator(1).dtype).toBe('uint32');
  });

  it('validates seeds against the dtype', () => {
    expect(() => new SeedGenerator(-1, { dtype: 'uint32' })).toThrow(
      'SeedGenerator: expected seed to be an integer in [0, 2^32) (uint32 seed dtype). Received: seed=-1',
    );
    expect(() => new SeedGenerator(0.5)).toThrow(/^SeedGenerator: expected seed to be a safe integer/);
    expect(() => new SeedGenerator(1, { dtype: 'int32' as never })).toThrow("SeedGenerator: expected dtype 'int64' or 'uint32'. Received: dtype=\"int32\"");
  });

  it('getState / setState', () => {
    const g = new SeedGenerator(9);
    g.next();
    const st = JSON.parse(JSON.stringify(g.getState()));
    const a = g.next();
    g.setState(st);
    expect(g.next()).toEqual(a);
    expect(() => g.setState({ state: [1, 2], dtype: 'uint32' })).toThrow(/^SeedGenerator\.setState: expected/);
  });
});

describe('global seeding', () => {
  it('make_default_seed after set_random_seed(42) draws 686579304 then 119540832', () => {
    // Source: spec §5.1 (CPython random.seed(42); randint(1, 10**9) twice).
    setGlobalSeed(42);
    expect(makeDefaultSeed()).toBe(686579304);
    expect(makeDefaultSeed()).toBe(119540832);
  });

  it('the global generator is created lazily from Python random and discarded by setGlobalSeed (Keras >= 3.13)', () => {
    setGlobalSeed(42);
    expect(drawSeed(undefined)).toEqual([686579304, 0]);
    expect(drawSeed(undefined)).toEqual([60594, 5387]); // int64 unordered update
    const g = globalSeedGenerator();
    setGlobalSeed(42);
    expect(globalSeedGenerator()).not.toBe(g);
    expect(globalSeedGenerator().getState()).toEqual({ state: [686579304, 0], dtype: 'int64' });
  });

  it('drawSeed: int -> [seed, 0], SeedGenerator -> next(), errors name the function', () => {
    expect(drawSeed(7)).toEqual([7, 0]);
    const g = new SeedGenerator(3);
    expect([drawSeed(g), drawSeed(g)]).toEqual([[3, 0], [3, 1]]);
    expect(drawSeed(-1, { dtype: 'int64' })).toEqual([-1, 0]);
    expect(() => drawSeed(-1, { dtype: 'uint32' })).toThrow(/^drawSeed: expected seed to be an integer in \[0, 2\^32\)/);
    expect(() => drawSeed('1' as never)).toThrow('drawSeed: expected seed to be an integer, a SeedGenerator or undefined. Received: seed="1"');
  });

  it('getRandomState / setRandomState restore Python random and the global generator', () => {
    setGlobalSeed(7);
    drawSeed(undefined);
    const snap = JSON.parse(JSON.stringify(getRandomState()));
    const a = [drawSeed(undefined), makeDefaultSeed()];
    setGlobalSeed(99);
    setRandomState(snap);
    expect([drawSeed(undefined), makeDefaultSeed()]).toEqual(a);
  });
});

describe('tfCastSeed', () => {
  it('is floormod(seed, 2147483646)', () => {
    expect(tfCastSeed([42, 0])).toEqual([42, 0]);
    expect(tfCastSeed([-1, 2147483646])).toEqual([2147483645, 0]);
    expect(tfCastSeed([2 ** 40, 2147483647])).toEqual([2 ** 40 % 2147483646, 1]);
    expect(() => tfCastSeed([1.5, 0])).toThrow('tfCastSeed: expected seed of two integers. Received: seed=[1.5, 0]');
  });
});
