// CPython random (MT19937): spec golden values plus a CPython-generated golden file.
import { describe, expect, it } from 'vitest';
import { MT19937 } from '../../../src/core/random/mt19937.ts';
import { loadGolden } from './helpers.ts';

interface MtCase {
  seed: string;
  getrandbits32: number[];
  random: string[];
  randint_1_1e9: number[];
  randint_m50_50: number[];
  getrandbits_k: Array<[number, string]>;
  randint_0_2e40: number[];
  state_index: number;
  state_head: number[];
}
// Source: test/golden/random-mt19937.json, CPython 3.11.7 via test/golden/gen/random/mt19937-golden.py.
const golden = loadGolden<{ cases: MtCase[] }>('random-mt19937.json');

describe('MT19937 (CPython random)', () => {
  it('seed(42): random() x2 and randint(1, 10**9) x2 match the spec', () => {
    // Source: spec §5.1 / §6 (verified against CPython).
    const r = new MT19937(42);
    expect(r.random()).toBe(0.6394267984578837);
    expect(r.random()).toBe(0.025010755222666936);
    const q = new MT19937(42);
    expect(q.randint(1, 10 ** 9)).toBe(686579304);
    expect(q.randint(1, 10 ** 9)).toBe(119540832);
  });

  it.each(golden.cases.map((c) => [c.seed, c] as const))('matches CPython for seed %s', (seedText, c) => {
    const seed = BigInt(seedText);
    const r = new MT19937(Number.isSafeInteger(Number(seed)) ? Number(seed) : seed);
    expect(c.getrandbits32.map(() => r.getrandbits(32))).toEqual(c.getrandbits32);
    expect(c.random.map(() => r.random())).toEqual(c.random.map(Number));
    expect(c.randint_1_1e9.map(() => r.randint(1, 10 ** 9))).toEqual(c.randint_1_1e9);
    expect(c.randint_m50_50.map(() => r.randint(-50, 50))).toEqual(c.randint_m50_50);
    for (const [k, v] of c.getrandbits_k) {
      const got = k <= 53 ? BigInt(r.getrandbits(k)) : r.getrandbitsBig(k);
      expect(got.toString()).toBe(v);
    }
    expect(c.randint_0_2e40.map(() => r.randint(0, 2 ** 40))).toEqual(c.randint_0_2e40);
    const st = r.getState();
    expect(st.index).toBe(c.state_index);
    expect(st.words.slice(0, 4)).toEqual(c.state_head);
  });

  it('negative seeds use the absolute value; bigint and number seeds agree', () => {
    expect(new MT19937(-42).randint(1, 10 ** 9)).toBe(686579304);
    expect(new MT19937(42n).genrandUint32()).toBe(new MT19937(42).genrandUint32());
  });

  it('getState / setState round-trip through JSON', () => {
    const r = new MT19937(812);
    for (let i = 0; i < 700; i++) r.genrandUint32();
    const snap = JSON.parse(JSON.stringify(r.getState()));
    const a = [r.random(), r.randint(1, 6), r.getrandbits(17)];
    const q = new MT19937(0);
    q.setState(snap);
    expect([q.random(), q.randint(1, 6), q.getrandbits(17)]).toEqual(a);
    expect(() => q.setState({ words: [1, 2], index: 0 })).toThrow(/^MT19937\.setState: expected \{ words: 624 u32 integers/);
  });

  it('rejects bad arguments', () => {
    expect(() => new MT19937(1.5)).toThrow('MT19937.seed: expected an integer seed. Received: seed=1.5');
    expect(() => new MT19937(1).randint(5, 4)).toThrow(/MT19937\.randint: expected integers a <= b/);
    expect(() => new MT19937(1).getrandbits(54)).toThrow(/getrandbits: expected an integer k in \[0, 53\]/);
  });
});
