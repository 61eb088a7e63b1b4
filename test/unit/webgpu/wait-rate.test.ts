/**
 * The command stream's sleep-before-wait rules (src/kernels/webgpu/wait-rate.ts), each of which fixed a measured
 * misprediction: no learning from small waits, from waits after pipeline compiles or from the first large wait after
 * one; one observation moves the rate at most to twice what it was; work finished during a sleep lowers the rate;
 * the sleep is a fixed share of the predicted time left, and nothing is slept when sleeping is off.
 * Pure scheduling logic: no device needed.
 */
import { describe, expect, it } from 'vitest';
import { MIN_LEARN_COST, MIN_SLEEP_MS, SLEEP_FRACTION, WAIT_OVERHEAD_MS, WaitRate } from '../../../src/kernels/webgpu/wait-rate.ts';

const BIG = 4 * MIN_LEARN_COST;

/** A stream past warm-up: pipelines compiled once (count 5), then one large wait that may not teach. */
function warmed(sleep = true): WaitRate {
  const r = new WaitRate(sleep);
  r.observe(r.plan(BIG, 5, 0), BIG, 100, 100); // compiled since the last wait: not learned
  r.observe(r.plan(BIG, 5, 0), BIG, 100, 100); // first large wait after it: not learned
  expect(r.nsPerUnit).toBe(0);
  return r;
}

/** The rate `ms` over `cost` gives, less the fixed overhead (ns per unit). */
const rateOf = (ms: number, cost: number): number => ((ms - WAIT_OVERHEAD_MS) * 1e6) / cost;

describe('WaitRate', () => {
  it('learns neither from the wait after compiles nor from the first large wait after it', () => {
    const r = warmed();
    const p = r.plan(BIG, 5, 0);
    expect(p.learn).toBe(true);
    r.observe(p, BIG, 40, 40);
    expect(r.nsPerUnit).toBeCloseTo(rateOf(40, BIG), 9);
    // a new compile: the next two large waits teach nothing, whatever they observed
    const learned = r.nsPerUnit;
    const a = r.plan(BIG, 6, 0);
    expect(a).toEqual({ learn: false, predictedMs: 0, sleepMs: 0 });
    r.observe(a, BIG, 5000, 5000);
    const b = r.plan(BIG, 6, 0);
    expect(b.learn).toBe(false);
    r.observe(b, BIG, 5000, 5000);
    expect(r.nsPerUnit).toBe(learned);
    expect(r.plan(BIG, 6, 0).learn).toBe(true);
  });

  it('small waits neither sleep nor teach, and do not count as the first large wait', () => {
    const r = new WaitRate();
    r.plan(BIG, 3, 0); // after compiles
    for (let i = 0; i < 5; i++) {
      const p = r.plan(MIN_LEARN_COST - 1, 3, 0);
      expect(p).toEqual({ learn: false, predictedMs: 0, sleepMs: 0 });
      r.observe(p, MIN_LEARN_COST - 1, 50, 50);
    }
    expect(r.nsPerUnit).toBe(0);
    expect(r.plan(BIG, 3, 0).learn).toBe(false); // still the first large warm wait
    expect(r.plan(BIG, 3, 0).learn).toBe(true);
    // past warm-up, with a rate learned: a small wait still neither sleeps nor teaches
    const w = warmed();
    w.observe(w.plan(BIG, 5, 0), BIG, 40, 40);
    const rate = w.nsPerUnit;
    const small = w.plan(MIN_LEARN_COST - 1, 5, 0);
    expect(small).toEqual({ learn: false, predictedMs: 0, sleepMs: 0 });
    w.observe(small, MIN_LEARN_COST - 1, 5000, 5000);
    expect(w.nsPerUnit).toBe(rate);
  });

  it('one slow observation at most doubles the rate (a stalled machine does not make later waits oversleep)', () => {
    const r = warmed();
    r.observe(r.plan(BIG, 5, 0), BIG, 20, 20);
    const first = r.nsPerUnit;
    // 1,000x slower once: the rate moves 30% of the way to twice itself, not to 1,000x
    r.observe(r.plan(BIG, 5, 0), BIG, 20_000, 20_000);
    expect(r.nsPerUnit).toBeCloseTo(0.7 * first + 0.3 * 2 * first, 12);
    // a faster observation moves it 30% of the way down
    const before = r.nsPerUnit;
    const plan = r.plan(BIG, 5, 1e9); // the device ran long before: nothing left to predict, no sleep
    expect(plan.sleepMs).toBe(0);
    r.observe(plan, BIG, 10, 10);
    expect(r.nsPerUnit).toBeCloseTo(0.7 * before + 0.3 * rateOf(10, BIG), 12);
  });

  it('sleeps the fixed share of the predicted time left, and lowers the rate when the work finished during the sleep', () => {
    const r = warmed();
    r.observe(r.plan(BIG, 5, 0), BIG, 40.5, 40.5);
    expect(r.nsPerUnit).toBeCloseTo(1e6 * 40 / BIG, 9);
    const p = r.plan(BIG, 5, 10); // 40 ms predicted, 10 already run
    expect(p.predictedMs).toBeCloseTo(30, 9);
    expect(p.sleepMs).toBeCloseTo(30 * SLEEP_FRACTION, 9);
    const rate = r.nsPerUnit;
    r.observe(p, BIG, 0.2, 36); // found done right after the sleep
    expect(r.nsPerUnit).toBeCloseTo(0.8 * rate, 12);
    // after a sleep, a wait that still awaited learns from the whole time
    const q = r.plan(BIG, 5, 0);
    expect(q.sleepMs).toBeGreaterThan(0);
    const rate2 = r.nsPerUnit;
    r.observe(q, BIG, 5, 50);
    expect(r.nsPerUnit).toBeCloseTo(0.7 * rate2 + 0.3 * Math.min(rateOf(50, BIG), 2 * rate2), 12);
  });

  it('does not sleep for predictions under MIN_SLEEP_MS, nor at all when sleeping is off', () => {
    const r = warmed();
    r.observe(r.plan(BIG, 5, 0), BIG, 40.5, 40.5);
    const short = r.plan(BIG, 5, 40 - MIN_SLEEP_MS / 2);
    expect(short.learn).toBe(true);
    expect(short.predictedMs).toBeLessThan(MIN_SLEEP_MS);
    expect(short.sleepMs).toBe(0);
    const off = warmed(false);
    off.observe(off.plan(BIG, 5, 0), BIG, 40.5, 40.5);
    const p = off.plan(BIG, 5, 0);
    expect(p.predictedMs).toBeCloseTo(40, 9);
    expect(p.sleepMs).toBe(0);
  });
});
